/**
 * The benchmark's server, run in its own process so the measured processes hold only the client: the emulator's
 * core (seeded data, signature checks off so the unsigned floors are served exactly like the clients) behind a
 * node:http server on 127.0.0.1 with a replay cache.
 *
 * Why a replay cache: the core costs more per page than the clients do (it scans the user's events for each
 * NextToken and serialises every page member by member), so uncached the benchmark would measure the emulator. At start-up this process walks every page the benchmark will ask for through `EmulatorCore.handle`
 * and keeps the answers; afterwards a request is a lookup by (operation, pool, user, page size, NextToken) and the
 * core's answer is sent back with a fresh `x-amzn-RequestId` and `Date`. A request not seen at start-up still goes
 * to the core (and is counted as a miss).
 *
 * Talks to its parent over IPC: sends `{ type: "ready", ... }`, answers `{ type: "stats" }`, exits on disconnect.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorCore } from "../src/emulator/index.ts";

/** What the parent asks for (JSON in the BENCH_SERVER environment variable). */
export interface ServerConfig {
  /** Events of the seeded demo user, alice (a multiple of 60 gives whole pages). */
  events: number;
}

/** The `ready` message. */
export interface ServerReady {
  type: "ready";
  url: string;
  poolId: string;
  seedMs: number;
  warmMs: number;
  /** Pages walked through the core at start-up. */
  pages: number;
  /** Milliseconds of `EmulatorCore.handle` per page, uncached. */
  corePageMs: number;
}

/** The `stats` answer. */
export interface ServerStats {
  type: "stats";
  hits: number;
  misses: number;
}

interface Cached {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

function cacheKey(target: string, body: string): string | undefined {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof input !== "object" || input === null) return undefined;
  const { UserPoolId, Username, MaxResults, NextToken } = input as Record<string, unknown>;
  return `${target}\n${String(UserPoolId)}\n${String(Username)}\n${String(MaxResults || 60)}\n${String(NextToken ?? "")}`;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SERVER ?? "{}") as ServerConfig;
  if (!Number.isInteger(config.events) || config.events < 1)
    throw new TypeError("BENCH_SERVER.events: expected a positive integer");

  let started = performance.now();
  const core = new EmulatorCore({ seed: "bench", users: 2, events: config.events, checkSignatures: false });
  const poolId = core.demo?.poolId ?? "us-east-1_demoPlus";
  const seedMs = performance.now() - started;

  const cache = new Map<string, Cached>();
  const target = `${TARGET_PREFIX}AdminListUserAuthEvents`;
  const headers = { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" };
  let pages = 0;
  let coreMs = 0;
  started = performance.now();
  for (const username of [core.demo?.username ?? "alice"]) {
    let token: string | undefined;
    do {
      const body = JSON.stringify({
        UserPoolId: poolId,
        Username: username,
        MaxResults: 60,
        ...(token ? { NextToken: token } : {}),
      });
      const t = performance.now();
      const answer = await core.handle({ method: "POST", url: "http://127.0.0.1/", headers, body });
      coreMs += performance.now() - t;
      if (answer.status !== 200) throw new Error(`warm-up: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      cache.set(cacheKey(target, body) as string, {
        status: answer.status,
        headers: answer.headers,
        body: Buffer.from(answer.body, "utf8"),
      });
      pages++;
      token = (JSON.parse(answer.body) as { NextToken?: string }).NextToken;
    } while (token);
  }
  const warmMs = performance.now() - started;

  let hits = 0;
  let misses = 0;
  let dateSecond = 0;
  let dateText = "";
  const httpDate = (): string => {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateText = new Date(now).toUTCString();
    }
    return dateText;
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const key = cacheKey(String(req.headers["x-amz-target"] ?? ""), body);
      const cached = key === undefined ? undefined : cache.get(key);
      if (cached) {
        hits++;
        res.writeHead(cached.status, {
          ...cached.headers,
          "Content-Length": String(cached.body.length),
          "x-amzn-RequestId": randomUUID(),
          Date: httpDate(),
        });
        res.end(cached.body);
        return;
      }
      misses++;
      void core
        .handle({ method: req.method ?? "POST", url: `http://127.0.0.1${req.url ?? "/"}`, headers: req.headers, body })
        .then((answer) => {
          const bytes = Buffer.from(answer.body, "utf8");
          res.writeHead(answer.status, { ...answer.headers, "Content-Length": String(bytes.length) });
          res.end(bytes);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  process.on("message", (message: { type?: string }) => {
    if (message.type === "stats") process.send?.({ type: "stats", hits, misses } satisfies ServerStats);
  });
  process.on("disconnect", () => process.exit(0));
  const ready: ServerReady = {
    type: "ready",
    url: `http://127.0.0.1:${port}`,
    poolId,
    seedMs,
    warmMs,
    pages,
    corePageMs: coreMs / pages,
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
