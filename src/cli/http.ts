/**
 * The CLI's HTTP transport: a `fetch` over `node:http`/`node:https` with the AWS CLI's
 * connection settings (`--cli-connect-timeout`, `--cli-read-timeout`, `--no-verify-ssl`,
 * `--ca-bundle`), which the global `fetch` cannot express, and failures classified the way
 * botocore names them. Under Deno the global `fetch` is used instead (see {@link createCliFetch}).
 */

import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";

/** Why a request got no usable response; worded as botocore's exceptions are. */
export type TransportFailure = "connect" | "connect-timeout" | "read-timeout" | "closed" | "ssl";

/** A request that failed below HTTP; `cause` is the runtime's error. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    readonly kind: TransportFailure,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(transportMessage(kind, url, options?.cause), options);
  }
}

/** botocore's message for a transport failure (EndpointConnectionError, ReadTimeoutError, ...). */
export function transportMessage(kind: TransportFailure, url: string, cause?: unknown): string {
  switch (kind) {
    case "connect":
      return `Could not connect to the endpoint URL: "${url}"`;
    case "connect-timeout":
      return `Connect timeout on endpoint URL: "${url}"`;
    case "read-timeout":
      return `Read timeout on endpoint URL: "${url}"`;
    case "closed":
      return `Connection was closed before we received a valid response from endpoint URL: "${url}".`;
    case "ssl":
      return `SSL validation failed for ${url} ${cause instanceof Error ? cause.message : ""}`.trimEnd();
  }
}

/** Connection settings, as the AWS CLI's global options set them. */
export interface CliFetchOptions {
  /** Milliseconds to establish the connection; 0 = no limit. @default 60000 */
  connectTimeoutMs?: number;
  /** Milliseconds the socket may stay silent while a response is awaited or read; 0 = no limit. @default 60000 */
  readTimeoutMs?: number;
  /** `false` for `--no-verify-ssl`. @default true */
  verifySsl?: boolean;
  /** PEM certificates to trust instead of the default ones (`--ca-bundle`, `ca_bundle`, `AWS_CA_BUNDLE`). */
  ca?: string;
}

// Characters an HTTP header value cannot carry; `new Headers()` would refuse them quoting the value.
const NOT_A_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

/** `new Headers(init)`, refusing bad values with a message that names the header but never quotes its value (it may be a token). */
export function safeHeaders(init: HeadersInit | undefined): Headers {
  const entries: [string, string][] =
    init === undefined ? [] : init instanceof Headers ? [...init.entries()] : Array.isArray(init) ? init.map(([k, v]) => [String(k), String(v)]) : Object.entries(init);
  for (const [name, value] of entries) {
    if (NOT_A_HEADER_VALUE.test(value)) throw new TypeError(`the ${name} header holds characters that cannot be sent in an HTTP header`);
  }
  return new Headers(entries);
}

const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EADDRNOTAVAIL", "ENETDOWN"]);
const SSL_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** A `fetch` plus a way to release its kept-alive connections. */
export interface CliFetch {
  fetch: typeof globalThis.fetch;
  close(): void;
}

/**
 * Builds the CLI's fetch. Node: `node:http(s)` with the given timeouts and TLS settings. Deno:
 * the global `fetch` with one overall timeout (connect + read), since Deno's fetch cannot take
 * TLS options per request (use `deno run --unsafely-ignore-certificate-errors` or `DENO_CERT`).
 */
export function createCliFetch(options: CliFetchOptions = {}): CliFetch {
  const connectTimeout = options.connectTimeoutMs ?? 60_000;
  const readTimeout = options.readTimeoutMs ?? 60_000;
  if ("Deno" in globalThis) return denoFetch(connectTimeout, readTimeout);
  const agentOptions = { keepAlive: true, maxSockets: 10 };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: options.verifySsl !== false, ...(options.ca ? { ca: options.ca } : {}) });

  const fetchImpl = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const headers: Record<string, string> = {};
    safeHeaders(init.headers).forEach((value, key) => (headers[key] = value));
    const body = typeof init.body === "string" ? init.body : init.body == null ? undefined : String(init.body);
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const signal = init.signal ?? undefined;

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let phase: "connect" | "read" = "connect";
      let connectTimer: ReturnType<typeof setTimeout> | undefined;
      let socketInUse: Socket | undefined;
      const onReadTimeout = () => request.destroy(new TransportError("read-timeout", url.href));
      const release = () => {
        clearTimeout(connectTimer);
        signal?.removeEventListener("abort", onAbort);
        // The socket goes back to the pool: no read timeout while idle.
        socketInUse?.setTimeout(0);
        socketInUse?.removeListener("timeout", onReadTimeout);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        release();
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      const classify = (error: unknown): unknown => {
        if (error instanceof TransportError || signal?.aborted) return signal?.aborted ? signal.reason : error;
        const code = (error as { code?: string }).code ?? "";
        if (CONNECT_ERRORS.has(code)) return new TransportError("connect", url.href, { cause: error });
        if (SSL_ERROR.test(code)) return new TransportError("ssl", url.href, { cause: error });
        return new TransportError(phase === "connect" ? "connect" : "closed", url.href, { cause: error });
      };
      const request = (secure ? https : http).request(
        url,
        { method: init.method ?? "GET", headers, agent: secure ? httpsAgent : httpAgent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => fail(classify(error)));
          response.on("aborted", () => fail(new TransportError("closed", url.href)));
          response.on("end", () => {
            if (settled) return;
            if (!response.complete) {
              fail(new TransportError("closed", url.href));
              return;
            }
            settled = true;
            release();
            const responseHeaders = new Headers();
            for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) responseHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
            const status = response.statusCode ?? 0;
            const nullBody = status === 204 || status === 304 || status < 200;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status: Math.max(status, 200), statusText: response.statusMessage ?? "", headers: responseHeaders }));
          });
        },
      );
      const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      if (signal?.aborted) {
        fail(signal.reason);
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error) => fail(classify(error)));
      request.on("socket", (socket: Socket) => {
        socketInUse = socket;
        const connected = () => {
          phase = "read";
          clearTimeout(connectTimer);
          // botocore's read timeout: the socket may not stay silent longer than this.
          if (readTimeout > 0) {
            socket.setTimeout(readTimeout);
            socket.on("timeout", onReadTimeout);
          }
        };
        const isConnecting = (socket as Socket & { connecting?: boolean }).connecting;
        if (!isConnecting) {
          connected();
          return;
        }
        if (connectTimeout > 0) {
          connectTimer = setTimeout(() => request.destroy(new TransportError("connect-timeout", url.href)), connectTimeout);
        }
        socket.once(secure ? "secureConnect" : "connect", connected);
      });
      request.end(body);
    });
  };
  return {
    fetch: fetchImpl as typeof globalThis.fetch,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function denoFetch(connectTimeout: number, readTimeout: number): CliFetch {
  const total = connectTimeout > 0 && readTimeout > 0 ? connectTimeout + readTimeout : 0;
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const signals = [init.signal, total > 0 ? AbortSignal.timeout(total) : undefined].filter((s): s is AbortSignal => s != null);
    try {
      const response = await globalThis.fetch(input, { ...init, ...(signals.length ? { signal: AbortSignal.any(signals) } : {}) });
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if ((error as { name?: string }).name === "TimeoutError") throw new TransportError("read-timeout", url, { cause: error });
      throw new TransportError("connect", url, { cause: error });
    }
  };
  return { fetch: fetchImpl as typeof globalThis.fetch, close: () => {} };
}

/** One HTTP exchange as the recorder saw it. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Headers;
  readonly requestBody: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * Wraps a fetch so every response's raw text is seen by `onExchange` before the client parses it
 * (the CLI prints from the raw text, and `--debug` logs it).
 */
export function recordingFetch(inner: typeof globalThis.fetch, onExchange: (exchange: Exchange) => void): typeof globalThis.fetch {
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const requestHeaders = safeHeaders(init.headers);
    const response = await inner(input, init);
    const body = await response.text();
    onExchange({
      method: init.method ?? "GET",
      url: typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      requestHeaders,
      requestBody: typeof init.body === "string" ? init.body : "",
      status: response.status,
      headers: response.headers,
      body,
    });
    const nullBody = response.status === 204 || response.status === 304;
    return new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof globalThis.fetch;
}
