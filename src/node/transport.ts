/**
 * A `fetch` over `node:http`/`node:https` with keep-alive agents, for Node (and Deno's Node compatibility layer).
 *
 * Why: on Node the global `fetch` (undici) costs about twice what a plain `node:http` request does per call, which
 * dominates when paging through thousands of small JSON pages. This function keeps fetch's contract, so anything that
 * takes a fetch takes it:
 * - resolves with a standard `Response` once the headers arrive, its body streamed;
 * - rejects with `TypeError("fetch failed", { cause })` when the request cannot complete (connection refused or
 *   reset, timeouts), as undici does; a body cut short errors its stream with `TypeError("terminated", { cause })`;
 * - an `AbortSignal` (`init.signal` or a `Request`'s) rejects with the signal's reason, before or during the request,
 *   and errors a body still streaming;
 * - follows redirects (`redirect: "follow"`, at most 20), or fails (`"error"`) or returns them (`"manual"`);
 * - decodes `gzip`, `deflate` and `br` bodies.
 *
 * Differences from undici's fetch: no default `accept`, `accept-language`, `sec-fetch-mode` or `user-agent` headers
 * are added, and `accept-encoding` is not sent unless you set it; no HTTP/2; no cookies, CORS or cache modes (they have
 * no meaning here either).
 *
 * Its `exchange` sends the same requests and answers with only what the client reads (a `ResponseLike`: `status`,
 * `headers.get`, `text()`): on Node 20 a web `Response` and its `ReadableStream` cost more per page than the rest of
 * the transport. Give the client that.
 *
 * @example
 * import { createNodeFetch } from "cognito-auth-events/node";
 * const nodeFetch = createNodeFetch();
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: nodeFetch.exchange });
 * // ...
 * nodeFetch.close(); // optional: idle keep-alive sockets never keep the process alive
 *
 * @module
 */

import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { ResponseLike } from "../fetch-like.ts";

/**
 * Options of {@link createNodeFetch}.
 * @example
 * createNodeFetch({ maxSockets: 16, headersTimeout: 30_000 })
 */
export interface NodeFetchOptions {
  /**
   * Keep connections open between requests (HTTP keep-alive). Idle sockets never keep the process alive, and honour
   * the server's `Keep-Alive: timeout=` hint.
   * @default true
   */
  keepAlive?: boolean;
  /**
   * Most connections open at once per origin; further requests wait for a free one.
   * @default Infinity
   */
  maxSockets?: number;
  /**
   * Milliseconds to wait for a TCP (and TLS) connection; 0 means no limit. Running out of it rejects with a cause
   * coded `UND_ERR_CONNECT_TIMEOUT`, whose `tlsHandshake` is `true` when the TCP connection was made and the TLS
   * handshake is what did not finish (the AWS CLI words the two differently).
   * @default 10_000 (undici's)
   */
  connectTimeout?: number;
  /**
   * Milliseconds to wait for the response headers once the request is sent; 0 means no limit.
   * @default 300_000 (undici's)
   */
  headersTimeout?: number;
  /**
   * Milliseconds of silence allowed between two chunks of the response body; 0 means no limit.
   * @default 300_000 (undici's)
   */
  bodyTimeout?: number;
  /**
   * Milliseconds the connection may stay silent while the answer is awaited or read, restarted by every byte that
   * arrives: a limit on each wait rather than on the whole, as Python's socket timeout is (botocore's `read_timeout`,
   * the AWS CLI's `--cli-read-timeout`). It takes the place of `headersTimeout` (failing with its code before the
   * headers are complete) and `bodyTimeout` (with its code after); 0 means no limit. Not with either of them. With
   * decompression on, body bytes count as they come out of the decoder, so a slowly compressing stream can time out
   * while compressed bytes still arrive (the CLI reads bodies undecoded).
   * @default undefined (headersTimeout and bodyTimeout apply)
   * @example createNodeFetch({ connectTimeout: 60_000, readTimeout: 60_000 })
   */
  readTimeout?: number;
  /**
   * Undo `Content-Encoding` (gzip, deflate, br) as fetch does. `false` hands the body over as it was sent, as
   * botocore does (it reads responses with urllib3's `decode_content=False`).
   * @default true
   */
  decompress?: boolean;
  /**
   * Certificate checks of the https agent this function creates: `ca`, the PEM certificates to trust instead of
   * Node's default ones; `rejectUnauthorized: false` accepts any certificate (as the AWS CLI's `--no-verify-ssl`).
   * Not with `agents.https` (set them on that agent).
   * @default {} (Node's default CAs, certificates verified)
   * @example { ca: readFileSync("corporate-ca.pem", "utf8") }
   */
  tls?: NodeFetchTlsOptions;
  /**
   * Agents to use instead of the ones this function creates (e.g. an `https.Agent` with a custom `ca`).
   * `close()` leaves agents passed here open.
   * @example { https: new https.Agent({ keepAlive: true, ca }) }
   */
  agents?: { http?: HttpAgent; https?: HttpsAgent };
}

/** {@link NodeFetchOptions.tls}: what the https agent is given. */
export interface NodeFetchTlsOptions {
  /** PEM certificates to trust instead of Node's default ones. @default Node's bundled CAs */
  ca?: string | Buffer | Array<string | Buffer>;
  /** `false` accepts any certificate, unverified. @default true */
  rejectUnauthorized?: boolean;
}

/** A `fetch` over `node:http`, plus `exchange` and `close()`. */
export interface NodeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /**
   * The same request, answered with a {@link ResponseLike} (`status`, `headers.get`, `text()`) instead of a web
   * `Response`: no `Response` or `ReadableStream` is built, which on Node costs more per small JSON page than the rest
   * of the transport. What to give the client as its `fetch`. `text()` decodes as `Response.text()` does (UTF-8, a
   * leading BOM dropped), and fails as the body stream would: the signal's reason on abort, `TypeError("terminated")`
   * when the body is cut short or stalls past `bodyTimeout`.
   * @example
   * new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: createNodeFetch().exchange })
   */
  exchange(input: string | URL | Request, init?: RequestInit): Promise<ResponseLike>;
  /** Closes the keep-alive connections of the agents this function created. Requests after it still work. */
  close(): void;
}

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);

/** An error shaped like undici's, as the `cause` of "fetch failed". */
class TransportError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** undici's ConnectTimeoutError, plus whether the TLS handshake (not the TCP connection) is what ran out of time. */
class ConnectTimeoutError extends TransportError {
  constructor(
    address: string,
    timeout: number,
    readonly tlsHandshake: boolean,
  ) {
    super(
      "ConnectTimeoutError",
      "UND_ERR_CONNECT_TIMEOUT",
      `Connect Timeout Error (attempted address: ${address}, timeout: ${timeout}ms)`,
    );
  }
}

function tlsOption(value: unknown): NodeFetchTlsOptions {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) throw new TypeError(`tls must be an object, got ${String(value)}`);
  const { ca, rejectUnauthorized } = value as NodeFetchTlsOptions;
  const pem = (c: unknown): boolean => typeof c === "string" || Buffer.isBuffer(c);
  if (ca !== undefined && !pem(ca) && !(Array.isArray(ca) && ca.every(pem)))
    throw new TypeError("tls.ca must be a string, a Buffer or an array of them");
  if (rejectUnauthorized !== undefined && typeof rejectUnauthorized !== "boolean") {
    throw new TypeError(`tls.rejectUnauthorized must be a boolean, got ${String(rejectUnauthorized)}`);
  }
  return { ...(ca !== undefined && { ca }), ...(rejectUnauthorized !== undefined && { rejectUnauthorized }) };
}

const fetchFailed = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });
const terminated = (cause: unknown): TypeError => new TypeError("terminated", { cause });

function timeoutOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
  return value;
}

/** What one request needs, from whatever shape fetch's arguments came in. */
interface PreparedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal | undefined;
  redirect: RequestRedirect;
}

function headersToRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined || init === null) return out;
  // Plain objects are what the client passes: copy them without building a Headers (the fast path).
  if (typeof init === "object" && !(init instanceof Headers) && !Array.isArray(init) && !(Symbol.iterator in init)) {
    for (const name of Object.keys(init)) {
      const value = (init as Record<string, unknown>)[name];
      if (value === undefined) continue;
      addHeader(out, name, String(value));
    }
    return out;
  }
  // Headers, arrays of pairs, or other iterables: let Headers validate and combine them.
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function addHeader(out: Record<string, string>, name: string, value: string): void {
  const key = name.toLowerCase();
  const trimmed = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  out[key] = key in out ? `${out[key]}, ${trimmed}` : trimmed;
}

async function bodyBytes(body: BodyInit, headers: Record<string, string>): Promise<Uint8Array> {
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // URLSearchParams, Blob, FormData, ReadableStream: let Response serialise it and pick the content-type.
  const response = new Response(body);
  const type = response.headers.get("content-type");
  if (type !== null && !("content-type" in headers)) headers["content-type"] = type;
  return new Uint8Array(await response.arrayBuffer());
}

async function prepare(input: string | URL | Request, init: RequestInit | undefined): Promise<PreparedRequest> {
  if (typeof Request === "function" && input instanceof Request) {
    const request = init === undefined ? input : new Request(input, init);
    const headers = headersToRecord(request.headers);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    return {
      url: new URL(request.url),
      method: request.method,
      headers,
      body,
      signal: request.signal,
      redirect: request.redirect,
    };
  }
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(String(input));
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw fetchFailed(
      new TransportError(
        "Error",
        "ERR_UNSUPPORTED_PROTOCOL",
        `unsupported protocol ${url.protocol} (http: and https: only)`,
      ),
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("Request cannot be constructed from a URL that includes credentials");
  }
  let method = init?.method ?? "GET";
  if (typeof method !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) {
    throw new TypeError(`'${String(method)}' is not a valid HTTP method.`);
  }
  const upper = method.toUpperCase();
  if (NORMALIZED_METHODS.has(upper) && upper !== "PATCH") method = upper;
  if (upper === "CONNECT" || upper === "TRACE" || upper === "TRACK")
    throw new TypeError(`'${method}' HTTP method is unsupported.`);
  const headers = headersToRecord(init?.headers);
  let body: Uint8Array | undefined;
  if (init?.body !== undefined && init.body !== null) {
    if (method === "GET" || method === "HEAD") throw new TypeError("Request with GET/HEAD method cannot have body.");
    body = await bodyBytes(init.body, headers);
    if (typeof init.body === "string" && !("content-type" in headers))
      headers["content-type"] = "text/plain;charset=UTF-8";
  }
  const redirect = init?.redirect ?? "follow";
  if (redirect !== "follow" && redirect !== "error" && redirect !== "manual") {
    throw new TypeError(`redirect must be "follow", "error" or "manual", got ${JSON.stringify(redirect)}`);
  }
  return { url, method, headers, body, signal: init?.signal ?? undefined, redirect };
}

/** Undoes `Content-Encoding` the way fetch does (gzip, deflate, br; unknown codings pass through). */
function decode(res: IncomingMessage): Readable {
  const coding = res.headers["content-encoding"];
  if (coding === undefined) return res;
  let stream: Readable = res;
  const codings = coding
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  // Codings are listed in the order they were applied: undo them last first.
  for (const c of codings.reverse()) {
    // Lenient flushing as undici does: servers often end gzip streams early.
    const lenient = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
    const decoder =
      c === "gzip" || c === "x-gzip"
        ? createGunzip(lenient)
        : c === "deflate"
          ? createInflate(lenient)
          : c === "br"
            ? createBrotliDecompress()
            : undefined;
    if (decoder === undefined) return res;
    const from = stream;
    from.on("error", (error) => decoder.destroy(error));
    stream = from.pipe(decoder);
  }
  return stream;
}

/**
 * Creates a `fetch` over `node:http`/`node:https` with keep-alive agents, and its `exchange`.
 * @example
 * const client = new CognitoIdentityProviderClient({ region, fetch: createNodeFetch().exchange });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const keepAlive = options.keepAlive ?? true;
  if (typeof keepAlive !== "boolean") throw new TypeError(`keepAlive must be a boolean, got ${String(keepAlive)}`);
  const maxSockets = options.maxSockets ?? Infinity;
  if (
    typeof maxSockets !== "number" ||
    !(maxSockets >= 1) ||
    (!Number.isInteger(maxSockets) && maxSockets !== Infinity)
  ) {
    throw new TypeError(`maxSockets must be an integer >= 1 or Infinity, got ${String(maxSockets)}`);
  }
  const connectTimeout = timeoutOption(options.connectTimeout, "connectTimeout", 10_000);
  const readTimeout =
    options.readTimeout === undefined ? undefined : timeoutOption(options.readTimeout, "readTimeout", 0);
  if (readTimeout !== undefined && (options.headersTimeout !== undefined || options.bodyTimeout !== undefined)) {
    throw new TypeError("readTimeout takes the place of headersTimeout and bodyTimeout: give it alone");
  }
  const headersTimeout = readTimeout ?? timeoutOption(options.headersTimeout, "headersTimeout", 300_000);
  const bodyTimeout = readTimeout ?? timeoutOption(options.bodyTimeout, "bodyTimeout", 300_000);
  // readTimeout: every byte that arrives before the headers are complete restarts the wait (bodyTimeout already works so).
  const headersIdle = readTimeout !== undefined && readTimeout > 0;
  const decompress = options.decompress ?? true;
  if (typeof decompress !== "boolean") throw new TypeError(`decompress must be a boolean, got ${String(decompress)}`);
  const decoded = decompress ? decode : (res: IncomingMessage): Readable => res;
  const given = options.agents ?? {};
  if (given.http !== undefined && !(given.http instanceof HttpAgent))
    throw new TypeError("agents.http must be an http.Agent");
  if (given.https !== undefined && !(given.https instanceof HttpsAgent))
    throw new TypeError("agents.https must be an https.Agent");
  const tls = tlsOption(options.tls);
  if (given.https !== undefined && options.tls !== undefined)
    throw new TypeError("tls cannot be combined with agents.https: set it on that agent");
  const owned: Array<HttpAgent | HttpsAgent> = [];
  let httpAgent = given.http;
  let httpsAgent = given.https;
  const agentFor = (protocol: string): HttpAgent | HttpsAgent => {
    if (protocol === "https:") {
      if (!httpsAgent) owned.push((httpsAgent = new HttpsAgent({ keepAlive, maxSockets, ...tls })));
      return httpsAgent;
    }
    if (!httpAgent) owned.push((httpAgent = new HttpAgent({ keepAlive, maxSockets })));
    return httpAgent;
  };

  /** One HTTP exchange: resolves with the response once its headers arrive (a {@link LeanResponse} when `lean`). */
  const exchangeOnce = (req: PreparedRequest, lean: boolean): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const { url, method, signal } = req;
      const headers: OutgoingHttpHeaders = req.headers;
      if (req.body !== undefined) headers["content-length"] = req.body.byteLength;
      else if (method === "POST" || method === "PUT" || method === "PATCH") headers["content-length"] = 0;

      let settled = false;
      let response: IncomingMessage | undefined;
      // Errors the body once the response is out (the web stream, or the lean response's text()).
      let bodyError: ((error: unknown) => void) | undefined;
      let bodyDone = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const clearTimer = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      const startTimer = (ms: number, error: () => Error): void => {
        clearTimer();
        if (ms > 0) {
          timer = setTimeout(() => {
            const e = error();
            request.destroy(e);
            response?.destroy(e);
            fail(e);
          }, ms);
        }
      };
      let stopIdle: (() => void) | undefined;
      const finish = (): void => {
        clearTimer();
        stopIdle?.();
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (error: unknown): void => {
        finish();
        if (!settled) {
          settled = true;
          reject(signal?.aborted ? signal.reason : fetchFailed(error));
        } else if (bodyError && !bodyDone) {
          bodyDone = true;
          bodyError(signal?.aborted ? signal.reason : terminated(error));
        }
      };
      function onAbort(): void {
        const reason: unknown = signal?.reason;
        const error =
          reason instanceof Error
            ? reason
            : new TransportError("AbortError", "ABORT_ERR", "This operation was aborted");
        request.destroy(error);
        response?.destroy(error);
        fail(error);
      }

      let request: ClientRequest;
      try {
        request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
          method,
          headers,
          agent: agentFor(url.protocol),
        });
      } catch (cause) {
        // Node refuses bad header names and values synchronously (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR).
        reject(new TypeError(`invalid request: ${cause instanceof Error ? cause.message : String(cause)}`, { cause }));
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", fail);
      const headersTimeoutError = (): Error =>
        new TransportError("HeadersTimeoutError", "UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error");
      const bodyTimeoutError = (): Error =>
        new TransportError("BodyTimeoutError", "UND_ERR_BODY_TIMEOUT", "Body Timeout Error");
      // The headers timer starts once the request has a connected socket: time queued for a free socket in the agent,
      // or spent connecting (TCP and, for https, the TLS handshake: the connect timeout's), does not count.
      request.on("socket", (socket) => {
        if (headersIdle) {
          // Node's parser listens first: once it has emitted the response, this sees `response` set and stops.
          const restart = (): void => {
            if (response === undefined && !settled) startTimer(headersTimeout, headersTimeoutError);
          };
          socket.on("data", restart);
          stopIdle = () => socket.removeListener("data", restart);
        }
        if (!socket.connecting) {
          startTimer(headersTimeout, headersTimeoutError);
          return;
        }
        // For https, "connect" is the TCP connection; "secureConnect" the end of the TLS handshake.
        let handshaking = false;
        if (url.protocol === "https:") socket.once("connect", () => (handshaking = true));
        startTimer(connectTimeout, () => new ConnectTimeoutError(url.host, connectTimeout, handshaking));
        socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
          if (response === undefined && !settled) startTimer(headersTimeout, headersTimeoutError);
        });
      });

      request.on("response", (res) => {
        response = res;
        clearTimer();
        stopIdle?.();
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) {
          res.destroy();
          fail(new TransportError("Error", "ERR_INVALID_STATUS", `invalid HTTP status ${status}`));
          return;
        }
        const raw = res.rawHeaders;
        if (lean) {
          const source = method === "HEAD" || NULL_BODY_STATUSES.has(status) ? undefined : decoded(res);
          if (source) {
            source.on("error", fail);
            if (source !== res) res.on("error", fail);
          }
          settled = true;
          resolve(
            leanResponse(
              res,
              status,
              source,
              finish,
              bodyTimeout > 0 ? (): void => startTimer(bodyTimeout, bodyTimeoutError) : undefined,
              (onError) => (bodyError = onError),
              () => !bodyDone && (bodyDone = true),
            ),
          );
          return;
        }
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i] as string, raw[i + 1] as string);
        let body: ReadableStream<Uint8Array> | null = null;
        if (method === "HEAD" || NULL_BODY_STATUSES.has(status)) {
          res.resume();
          res.on("end", finish);
          res.on("error", () => finish());
        } else {
          const source = decoded(res);
          const refreshTimer = bodyTimeout > 0 ? (): void => startTimer(bodyTimeout, bodyTimeoutError) : undefined;
          refreshTimer?.();
          body = new ReadableStream<Uint8Array>(
            {
              start(controller) {
                bodyError = (error) => controller.error(error);
                source.on("data", (chunk: Buffer) => {
                  refreshTimer?.();
                  controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
                  if ((controller.desiredSize ?? 0) <= 0) {
                    // The reader is behind: stop reading the socket, and stop the silence clock until it catches up.
                    source.pause();
                    clearTimer();
                  }
                });
                source.on("end", () => {
                  finish();
                  if (!bodyDone) {
                    bodyDone = true;
                    controller.close();
                  }
                });
                source.on("error", fail);
                // A body the server cut short: Node reports "aborted" (ECONNRESET) on the message.
                if (source !== res) res.on("error", fail);
              },
              pull() {
                if (!source.isPaused() || bodyDone) return;
                refreshTimer?.();
                source.resume();
              },
              cancel(reason) {
                bodyDone = true;
                finish();
                const error = reason instanceof Error ? reason : new Error("body cancelled");
                res.destroy(error);
                if (source !== res) source.destroy(error);
              },
            },
            // Buffer up to 64 KiB before pausing the socket, rather than pausing after every chunk.
            { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
          );
        }
        let result: Response;
        try {
          result = new Response(body, { status, statusText: res.statusMessage ?? "", headers: responseHeaders });
        } catch (cause) {
          res.destroy();
          fail(cause);
          return;
        }
        settled = true;
        resolve(result);
      });
      request.end(req.body);
    });

  const send = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
    lean: boolean,
  ): Promise<Response> => {
    const req = await prepare(input, init);
    if (req.signal?.aborted) throw req.signal.reason;
    let redirected = false;
    for (let count = 0; ; count++) {
      const response = await exchangeOnce(req, lean);
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null || req.redirect === "manual") {
        return lean ? response : withUrl(response, req.url, redirected);
      }
      await response.body?.cancel();
      if (req.redirect === "error")
        throw fetchFailed(new TransportError("Error", "ERR_REDIRECT", "unexpected redirect"));
      if (count >= MAX_REDIRECTS)
        throw fetchFailed(new TransportError("Error", "ERR_REDIRECT", "redirect count exceeded"));
      let next: URL;
      try {
        next = new URL(location, req.url);
      } catch (cause) {
        throw fetchFailed(cause);
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw fetchFailed(new TransportError("Error", "ERR_REDIRECT", "URL scheme must be a HTTP(S) scheme"));
      }
      // Fetch standard, "HTTP-redirect fetch": 303 (and 301/302 after a POST) turn into a GET without a body;
      // crossing origins drops the credentials.
      if (
        (response.status === 303 && req.method !== "GET" && req.method !== "HEAD") ||
        ((response.status === 301 || response.status === 302) && req.method === "POST")
      ) {
        req.method = "GET";
        req.body = undefined;
        for (const name of [
          "content-type",
          "content-length",
          "content-encoding",
          "content-language",
          "content-location",
        ])
          delete req.headers[name];
      }
      if (next.origin !== req.url.origin) delete req.headers.authorization;
      delete req.headers.host;
      req.url = next;
      redirected = true;
    }
  };

  const nodeFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => send(input, init, false);
  const close = (): void => {
    for (const agent of owned) agent.destroy();
    owned.length = 0;
    if (given.http === undefined) httpAgent = undefined;
    if (given.https === undefined) httpsAgent = undefined;
  };
  // The lean response is built only as the ResponseLike it is typed as here (the cast in leanResponse goes away
  // with the transport's split).
  const exchange = (input: string | URL | Request, init?: RequestInit): Promise<ResponseLike> =>
    send(input, init, true);
  return Object.assign(nodeFetch, { exchange, close });
}

/**
 * What the client reads of a response (`status`, `ok`, `headers.get`, `text()`), without the web `Response` and
 * `ReadableStream` a fetch answers with: on Node 20 those cost more per page than the rest of the transport (bench/).
 * `text()` decodes as `Response.text()` does (UTF-8, a leading BOM dropped), and fails as its stream would: the
 * signal's reason on abort, `TypeError("terminated")` when the body is cut short or stalls past `bodyTimeout`.
 */
interface LeanResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: { cancel(): Promise<void> } | null;
  text(): Promise<string>;
}

const utf8 = new TextDecoder();

function leanResponse(
  res: IncomingMessage,
  status: number,
  source: Readable | undefined,
  finish: () => void,
  refreshTimer: (() => void) | undefined,
  onBodyError: (onError: (error: unknown) => void) => void,
  claimEnd: () => boolean,
): Response {
  const chunks: Buffer[] = [];
  let result: { text: string } | { error: unknown } | undefined;
  let waiter: { resolve(text: string): void; reject(error: unknown): void } | undefined;
  const settle = (outcome: { text: string } | { error: unknown }): void => {
    result = outcome;
    if (waiter) "text" in outcome ? waiter.resolve(outcome.text) : waiter.reject(outcome.error);
  };
  onBodyError((error) => settle({ error }));
  if (source === undefined) {
    res.resume();
    res.on("end", finish);
    res.on("error", () => finish());
    result = { text: "" };
  } else {
    refreshTimer?.();
    source.on("data", (chunk: Buffer) => {
      refreshTimer?.();
      chunks.push(chunk);
    });
    source.on("end", () => {
      finish();
      if (claimEnd()) settle({ text: utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) });
    });
  }
  const raw = res.rawHeaders;
  const lean: LeanResponse = {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      // As Headers.get: names compared case-insensitively, repeated headers joined with ", ".
      get(name) {
        const wanted = name.toLowerCase();
        let value: string | null = null;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          if ((raw[i] as string).toLowerCase() === wanted)
            value = value === null ? (raw[i + 1] as string) : `${value}, ${raw[i + 1] as string}`;
        }
        return value;
      },
    },
    body:
      source === undefined
        ? null
        : {
            async cancel() {
              claimEnd();
              finish();
              res.destroy();
              if (source !== res) source.destroy();
            },
          },
    text() {
      if (waiter) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      return new Promise<string>((resolve, reject) => {
        waiter = { resolve, reject };
        if (result) settle(result);
      });
    },
  };
  return lean as unknown as Response;
}

/** `Response.url` and `redirected` are read-only on a constructed Response: define them as fetch sets them. */
function withUrl(response: Response, url: URL, redirected: boolean): Response {
  Object.defineProperty(response, "url", { value: url.href, enumerable: true });
  if (redirected) Object.defineProperty(response, "redirected", { value: true, enumerable: true });
  return response;
}
