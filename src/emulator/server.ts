/**
 * Adapter 1: the emulator over real HTTP (node:http), on 127.0.0.1 only. Faults happen for
 * real on the socket: a `reset` sends part of the body and then a TCP RST.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { EmulatorCore, type EmulatorResponse } from "./core.ts";
import type { EmulatorOptions } from "./types.ts";

/** Options of {@link startEmulator}: the core's, or a core to serve, plus the port. */
export interface StartEmulatorOptions extends EmulatorOptions {
  /**
   * Port on 127.0.0.1; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /** Serve this core (its options win over the ones above). */
  core?: EmulatorCore;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: pass it as the client's endpoint (AWS CLI `--endpoint-url`). */
  url: string;
  port: number;
  /** The core behind it: state, faults, request log. */
  core: EmulatorCore;
  /** Stops listening, drops open connections (keep-alive included) and pending answers. */
  close(): Promise<void>;
}

/** Largest request body accepted (a NextToken is at most 131072 characters). */
const MAX_BODY_BYTES = 1024 * 1024;
/** Pause between the partial body of a `reset` fault and the RST. */
const RESET_PAUSE_MS = 25;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The server's pending timers (a `slow` fault's answer, a `reset` fault's pause), all cleared when it closes. */
class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      run();
    }, ms);
    this.#pending.add(timer);
  }

  clear(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}

/** Writes an answer as its faults want it: whole, or part of the body and then a reset connection. */
function deliver(res: ServerResponse, answer: EmulatorResponse, timers: Timers): void {
  if (res.destroyed) return;
  const body = Buffer.from(answer.body, "utf8");
  if (answer.resetAfterBytes !== undefined) {
    const socket = res.socket;
    if (answer.resetAfterBytes === 0 || !socket) {
      socket?.resetAndDestroy();
      return;
    }
    res.writeHead(answer.status, answer.headers);
    // Let the partial body reach the client, then reset (RST) rather than close (FIN). The
    // pause lets the client read those bytes first: a reader that gets data and RST in one
    // wake-up may see a plain end of stream instead of ECONNRESET.
    res.write(body.subarray(0, answer.resetAfterBytes), () => {
      timers.after(RESET_PAUSE_MS, () => socket.resetAndDestroy());
    });
    return;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(body);
}

/**
 * Starts the emulator's HTTP server on 127.0.0.1.
 *
 * @example
 * const emulator = await startEmulator({ seed: 1 });
 * const client = new CognitoIdentityProviderClient({ region: "us-east-1", endpoint: emulator.url,
 *   credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" } });
 * // ...
 * await emulator.close();
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`port: expected an integer from 0 to 65535, got ${port}`);
  const core = options.core ?? new EmulatorCore(options);
  const sockets = new Set<Socket>();
  const timers = new Timers();
  let closing = false;
  const send = (res: ServerResponse, answer: EmulatorResponse): void => {
    if (!closing) deliver(res, answer, timers);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413, { "Content-Type": "text/plain", Connection: "close" });
        res.end("Request body too large.\n");
        return;
      }
      const answer = await core.handle({
        method: req.method ?? "GET",
        url: `http://${req.headers.host ?? `127.0.0.1:${port}`}${req.url ?? "/"}`,
        headers: req.headers,
        body,
      });
      if (answer.delayMs) timers.after(answer.delayMs, () => send(res, answer));
      else send(res, answer);
    })().catch(() => {
      // Only the socket can fail here (the core never throws): drop the connection.
      res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    core,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
