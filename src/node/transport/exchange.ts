/**
 * One HTTP exchange over node:http(s): sends a prepared request and resolves with the response once its headers
 * arrive; the body then flows to one reader. The exchange owns what can end it early (the connect, headers and body
 * timeouts, the caller's abort signal, socket errors) and reports each once, the way fetch does at that point: a
 * rejection while the headers are awaited, an error of the body after.
 */
import type { Agent as HttpAgent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import { decode } from "./decode.ts";
import {
  ConnectTimeoutError,
  TransportError,
  bodyTimeoutError,
  fetchFailed,
  headersTimeoutError,
  terminated,
} from "./errors.ts";
import type { PreparedRequest } from "./request.ts";

/** How exchanges are made: the agents, the timeouts, decompression. */
export interface ExchangeSettings {
  agentFor(protocol: string): HttpAgent | HttpsAgent;
  readonly connectTimeout: number;
  readonly headersTimeout: number;
  readonly bodyTimeout: number;
  /** Every byte that arrives before the headers are complete restarts `headersTimeout` (`readTimeout`). */
  readonly headersTimeoutIsIdle: boolean;
  readonly decompress: boolean;
}

/** A response whose headers have arrived. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Names and values, alternating, as received. */
  readonly rawHeaders: readonly string[];
  /** The body (decoded unless `decompress` is off); none for a HEAD request or a status without one. */
  readonly body: ResponseBody | undefined;
}

/** Where a body's chunks go. */
export interface BodySink {
  chunk(data: Buffer): void;
  end(): void;
  /** The body cannot be read in full: the signal's reason on abort, else `TypeError("terminated", { cause })`. */
  error(error: unknown): void;
}

/** The body of a response being received. */
export interface ResponseBody {
  /** Sends the chunks to `sink` from now on, the silence clock (`bodyTimeout`) running; once per body. */
  read(sink: BodySink): void;
  /** The reader is behind: stop reading the socket, and the silence clock, until {@link resume}. */
  pause(): void;
  resume(): void;
  /** Drops the rest of the body, and the connection with it. */
  cancel(reason?: Error): void;
}

/** Sends `request` and resolves once the response headers arrive. */
export function exchange(request: PreparedRequest, settings: ExchangeSettings): Promise<ResponseHead> {
  return new Promise((resolve, reject) => new Exchange(request, settings, resolve, reject));
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** One exchange's state: "head" while the headers are awaited, "body" while the body is received, then "done". */
class Exchange implements ResponseBody {
  readonly #request: PreparedRequest;
  readonly #settings: ExchangeSettings;
  readonly #resolve: (head: ResponseHead) => void;
  readonly #reject: (error: unknown) => void;
  readonly #client: ClientRequest | undefined;
  readonly #onAbort = (): void => this.#abort();
  #phase: "head" | "body" | "done" = "head";
  #response: IncomingMessage | undefined;
  #source: Readable | undefined;
  #sink: BodySink | undefined;
  /** How the body failed, when it did before it was read. */
  #bodyFailure: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What the running timer fails with: which timer it is. */
  #timerError: (() => Error) | undefined;
  #stopIdleWatch: (() => void) | undefined;

  constructor(
    request: PreparedRequest,
    settings: ExchangeSettings,
    resolve: (head: ResponseHead) => void,
    reject: (error: unknown) => void,
  ) {
    this.#request = request;
    this.#settings = settings;
    this.#resolve = resolve;
    this.#reject = reject;
    const { url, method, signal, body } = request;
    if (signal?.aborted) {
      this.#phase = "done";
      reject(signal.reason);
      return;
    }
    const headers: OutgoingHttpHeaders = { ...request.headers };
    if (body !== undefined) headers["content-length"] = body.byteLength;
    else if (method === "POST" || method === "PUT" || method === "PATCH") headers["content-length"] = 0;
    try {
      const { protocol, hostname, port, pathname, search } = url;
      const send = protocol === "https:" ? httpsRequest : httpRequest;
      // Options rather than the URL, which Node would turn into them; IPv6 hosts lose their brackets, as it does.
      this.#client = send({
        protocol,
        hostname: hostname.startsWith("[") ? hostname.slice(1, -1) : hostname,
        port,
        path: pathname + search,
        method,
        headers,
        agent: settings.agentFor(protocol),
      });
    } catch (cause) {
      // Node refuses bad header names and values synchronously (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR).
      this.#phase = "done";
      reject(new TypeError(`invalid request: ${cause instanceof Error ? cause.message : String(cause)}`, { cause }));
      return;
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#client.on("error", (error) => this.#fail(error));
    this.#client.on("socket", (socket) => this.#onSocket(socket));
    this.#client.on("response", (response) => this.#onResponse(response));
    this.#client.end(body);
  }

  read(sink: BodySink): void {
    this.#sink = sink;
    if (this.#bodyFailure !== undefined) sink.error(this.#bodyFailure);
    if (this.#phase !== "body") return;
    const source = this.#source!;
    this.#refreshBodyTimer();
    source.on("data", (chunk: Buffer) => {
      // A destroyed stream still emits what it had buffered: nothing reaches the reader after a cancel or a failure.
      if (this.#phase !== "body") return;
      this.#refreshBodyTimer();
      sink.chunk(chunk);
    });
    source.on("end", () => {
      if (this.#phase !== "body") return;
      this.#phase = "done";
      this.#release();
      sink.end();
    });
  }

  pause(): void {
    this.#source?.pause();
    this.#clearTimer();
  }

  resume(): void {
    if (this.#phase !== "body" || !this.#source!.isPaused()) return;
    this.#refreshBodyTimer();
    this.#source!.resume();
  }

  cancel(reason?: Error): void {
    if (this.#phase === "done") return;
    this.#phase = "done";
    this.#release();
    this.#response?.destroy(reason);
    if (this.#source !== this.#response) this.#source?.destroy(reason);
  }

  /** The timers: one runs at a time (connect, then headers, then body silence). */
  #onSocket(socket: Socket): void {
    const { connectTimeout, headersTimeout, headersTimeoutIsIdle } = this.#settings;
    // The headers timer starts once the request has a connected socket: time queued for a free socket in the agent,
    // or spent connecting (TCP and, for https, the TLS handshake: the connect timeout's), does not count.
    const awaitHeaders = (): void => {
      if (this.#phase === "head" && this.#response === undefined) this.#startTimer(headersTimeout, headersTimeoutError);
    };
    if (headersTimeoutIsIdle) {
      // Node's parser listens first: once it has emitted the response, this sees it and stops restarting.
      socket.on("data", awaitHeaders);
      this.#stopIdleWatch = () => socket.removeListener("data", awaitHeaders);
    }
    if (!socket.connecting) {
      this.#startTimer(headersTimeout, headersTimeoutError);
      return;
    }
    // For https, "connect" is the TCP connection; "secureConnect" the end of the TLS handshake.
    const { host, protocol } = this.#request.url;
    const secure = protocol === "https:";
    let handshaking = false;
    if (secure) socket.once("connect", () => (handshaking = true));
    this.#startTimer(connectTimeout, () => new ConnectTimeoutError(host, connectTimeout, handshaking));
    socket.once(secure ? "secureConnect" : "connect", awaitHeaders);
  }

  #onResponse(response: IncomingMessage): void {
    this.#response = response;
    this.#clearTimer();
    this.#stopIdleWatch?.();
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 599) {
      response.destroy();
      this.#fail(new TransportError("Error", "ERR_INVALID_STATUS", `invalid HTTP status ${status}`));
      return;
    }
    const empty = this.#request.method === "HEAD" || NULL_BODY_STATUSES.has(status);
    if (empty) {
      // Nothing to read: drain what the socket holds, so the connection can serve the next request.
      this.#phase = "done";
      response.resume();
      response.on("end", () => this.#release());
      response.on("error", () => this.#release());
    } else {
      this.#phase = "body";
      const source = this.#settings.decompress ? decode(response) : response;
      this.#source = source;
      source.on("error", (error) => this.#fail(error));
      // A body the server cut short: Node reports "aborted" (ECONNRESET) on the message.
      if (source !== response) response.on("error", (error) => this.#fail(error));
    }
    const { statusMessage, rawHeaders } = response;
    this.#resolve({ status, statusText: statusMessage ?? "", rawHeaders, body: empty ? undefined : this });
  }

  #abort(): void {
    const reason: unknown = this.#request.signal?.reason;
    const error =
      reason instanceof Error ? reason : new TransportError("AbortError", "ABORT_ERR", "This operation was aborted");
    this.#client?.destroy(error);
    this.#response?.destroy(error);
    this.#fail(error);
  }

  /** Ends the exchange on `error`, once: a rejection while the headers are awaited, a body error after. */
  #fail(error: unknown): void {
    const phase = this.#phase;
    if (phase === "done") return;
    this.#phase = "done";
    this.#release();
    const { signal } = this.#request;
    if (phase === "head") {
      this.#reject(signal?.aborted ? signal.reason : fetchFailed(error));
    } else {
      this.#bodyFailure = signal?.aborted ? signal.reason : terminated(error);
      this.#sink?.error(this.#bodyFailure);
    }
  }

  /** Stops the timers and watches: nothing can end the exchange any more. */
  #release(): void {
    this.#clearTimer();
    this.#stopIdleWatch?.();
    this.#request.signal?.removeEventListener("abort", this.#onAbort);
  }

  #refreshBodyTimer(): void {
    this.#startTimer(this.#settings.bodyTimeout, bodyTimeoutError);
  }

  #startTimer(ms: number, error: () => Error): void {
    // The body's silence clock restarts with every chunk: the same timer, rearmed, rather than a new one each time.
    if (this.#timer !== undefined && error === this.#timerError) {
      this.#timer.refresh();
      return;
    }
    this.#clearTimer();
    if (ms <= 0) return;
    this.#timerError = error;
    this.#timer = setTimeout(() => {
      const e = error();
      this.#client?.destroy(e);
      this.#response?.destroy(e);
      this.#fail(e);
    }, ms);
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerError = undefined;
  }
}
