/**
 * The CLI's HTTP transport: the package's Node fetch (src/node/transport.ts `createNodeFetch`) set up
 * with the AWS CLI's connection settings (`--cli-connect-timeout`, `--cli-read-timeout`,
 * `--no-verify-ssl`, `--ca-bundle`), and its failures worded the way botocore words them. Under
 * Deno the global `fetch` is used instead (see {@link createCliFetch}).
 */

import { createNodeFetch } from "../node/transport.ts";
import { NOT_A_HEADER_VALUE } from "../header-value.ts";
import { terminalText } from "../terminal-text.ts";
import { pyRepr } from "./pyjson.ts";

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
function transportMessage(kind: TransportFailure, url: string, cause?: unknown): string {
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
      return `SSL validation failed for ${url} ${sslReason(cause)}`.trimEnd();
  }
}

/**
 * What went wrong in a TLS handshake, worded as Python's `ssl` module and urllib3 word it in the
 * AWS CLI's "SSL validation failed for URL ..." (without the `(_ssl.c:NNNN)` source location):
 * `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate`,
 * `[SSL: WRONG_VERSION_NUMBER] wrong version number`, `hostname 'x' doesn't match 'y'`.
 */
export function sslReason(error: unknown): string {
  if (!(error instanceof Error)) return "";
  const e = error as Error & {
    code?: unknown;
    host?: unknown;
    cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } };
  };
  const code = typeof e.code === "string" ? e.code : "";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    // urllib3's match_hostname: every DNS and IP name of the certificate, in its order.
    const san = typeof e.cert?.subjectaltname === "string" ? e.cert.subjectaltname : "";
    const names = san
      .split(", ")
      .map((n) => n.replace(/^(DNS|IP Address):/, ""))
      .filter((n) => n !== "");
    const host = typeof e.host === "string" ? e.host : "";
    if (names.length > 1)
      return `hostname ${pyRepr(host)} doesn't match either of ${names.map((n) => pyRepr(n)).join(", ")}`;
    if (names.length === 1) return `hostname ${pyRepr(host)} doesn't match ${pyRepr(names[0]!)}`;
    return "no appropriate subjectAltName fields were found";
  }
  // An OpenSSL error outside certificate verification: "...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:...".
  const openssl = /error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+)/.exec(e.message);
  if (openssl) return `[SSL: ${openssl[1]!.toUpperCase().replace(/ /g, "_")}] ${openssl[1]}`;
  // X509 verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED...): the message is OpenSSL's string.
  if (/^[A-Z0-9_]+$/.test(code) && !code.startsWith("ERR_") && !code.startsWith("E")) {
    // Node reports a lone leaf whose issuer is unknown as "unable to verify the first certificate";
    // OpenSSL under Python (what the AWS CLI prints) calls the same case by its issuer.
    const reason = code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ? "unable to get local issuer certificate" : e.message;
    return `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${reason}`;
  }
  return e.message;
}

/**
 * The warning the AWS CLI prints (through urllib3) for every HTTPS request made with
 * `--no-verify-ssl`, without Python's file and line prefix and urllib3's documentation link.
 */
export function insecureRequestWarning(host: string): string {
  return `InsecureRequestWarning: Unverified HTTPS request is being made to host ${pyRepr(host)}. Adding certificate verification is strongly advised.\n`;
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
  /**
   * Why the CA bundle could not be read: every HTTPS request then fails with it as an SSL error
   * (botocore's "SSL validation failed for URL [Errno 2] No such file or directory"), retried like
   * one; plain HTTP requests do not need it.
   */
  caError?: Error;
  /**
   * Called before each HTTPS request made without certificate verification (`verifySsl: false`),
   * with the host: the CLI prints {@link insecureRequestWarning} there, as the AWS CLI does.
   */
  onInsecureRequest?: (host: string) => void;
  /** Connections kept per host (the audit reads many users at once). @default 10 */
  maxSockets?: number;
}

/** `new Headers(init)`, refusing bad values with a message that names the header but never quotes its value (it may be a token). */
export function safeHeaders(init: HeadersInit | undefined): Headers {
  const entries: [string, string][] =
    init === undefined
      ? []
      : init instanceof Headers
        ? [...init.entries()]
        : Array.isArray(init)
          ? init.map(([k, v]) => [String(k), String(v)])
          : Object.entries(init);
  for (const [name, value] of entries) {
    if (NOT_A_HEADER_VALUE.test(value))
      throw new TypeError(`the ${name} header holds characters that cannot be sent in an HTTP header`);
  }
  return new Headers(entries);
}

/** Errors of a connection that was never made (the rest, once connected, are "closed"). */
const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EADDRNOTAVAIL",
  "ENETDOWN",
]);
const CONNECT_SYSCALLS = new Set(["connect", "getaddrinfo"]);
const SSL_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;
/** An OpenSSL failure that Node reports as a plain EPROTO (an HTTP server on an https:// URL...). */
const OPENSSL_ERROR = /:SSL routines:/;

/**
 * botocore's name for what `createNodeFetch` rejected with: its `TypeError("fetch failed")` (or
 * `"terminated"`, for a body cut short) carries the socket's or the timer's error as `cause`.
 * Anything else (a header that cannot be sent...) is not a transport failure and stays as it is.
 */
function botocoreFailure(error: unknown, url: string): unknown {
  if (!(error instanceof TypeError) || (error.message !== "fetch failed" && error.message !== "terminated"))
    return error;
  return new TransportError(failureKind(error.cause), url, { cause: error.cause });
}

function failureKind(cause: unknown): TransportFailure {
  const e = (cause ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown; tlsHandshake?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  // As urllib3 under botocore: the connect timeout covers the TCP connection and the TLS
  // handshake, but a handshake that runs out of it is reported as a read timeout.
  if (code === "UND_ERR_CONNECT_TIMEOUT") return e.tlsHandshake === true ? "read-timeout" : "connect-timeout";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "read-timeout";
  if (CONNECT_ERRORS.has(code) || (typeof e.syscall === "string" && CONNECT_SYSCALLS.has(e.syscall))) return "connect";
  if (SSL_ERROR.test(code) || (code === "EPROTO" && OPENSSL_ERROR.test(String(e.message)))) return "ssl";
  return "closed";
}

/** A `fetch` plus a way to release its kept-alive connections. */
export interface CliFetch {
  fetch: typeof globalThis.fetch;
  close(): void;
}

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === "string" ? input : input instanceof URL ? input.href : input.url;

/**
 * Builds the CLI's fetch. Node: {@link createNodeFetch} with the given timeouts and TLS settings,
 * answering once the whole body is read (so a body cut short or too slow fails the fetch with
 * botocore's words). Deno: the global `fetch` with one overall timeout (connect + read), since
 * Deno's fetch cannot take TLS options per request (use `deno run --unsafely-ignore-certificate-errors`
 * or `DENO_CERT`).
 */
export function createCliFetch(options: CliFetchOptions = {}): CliFetch {
  const connectTimeout = options.connectTimeoutMs ?? 60_000;
  const readTimeout = options.readTimeoutMs ?? 60_000;
  if ("Deno" in globalThis) return denoFetch(connectTimeout, readTimeout, options);
  const nodeFetch = createNodeFetch({
    maxSockets: options.maxSockets ?? 10,
    connectTimeout,
    // botocore's read timeout: how long the socket may stay silent, waiting for the answer or inside it.
    readTimeout,
    // botocore hands the body over as sent: a Content-Encoding it did not ask for is not undone.
    decompress: false,
    tls: { rejectUnauthorized: options.verifySsl !== false, ...(options.ca ? { ca: options.ca } : {}) },
  });

  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(urlOf(input));
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") throw new TypeError(`unsupported protocol ${url.protocol}`);
    const headers = safeHeaders(init.headers);
    if (secure && options.caError) throw new TransportError("ssl", url.href, { cause: options.caError });
    if (secure && options.verifySsl === false) options.onInsecureRequest?.(url.hostname.replace(/^\[(.*)\]$/, "$1"));
    try {
      // botocore never follows redirects: a 3xx is the service's answer.
      const response = await nodeFetch(url, { ...init, headers, redirect: "manual" });
      const body = await response.arrayBuffer();
      const nullBody = response.status === 204 || response.status === 304;
      return new Response(nullBody ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw botocoreFailure(error, url.href);
    }
  };
  return { fetch: fetchImpl as typeof globalThis.fetch, close: () => nodeFetch.close() };
}

/** What Deno offers for TLS settings (`Deno.createHttpClient`), as far as this file uses it. */
interface DenoHttp {
  createHttpClient?: (options: { caCerts?: string[] }) => { close(): void };
}

/** A rustls certificate failure as Deno's fetch words it: "... invalid peer certificate: UnknownIssuer". */
const DENO_TLS_ERROR =
  /invalid peer certificate[^\n]*|certificate[^\n]*(?:expired|not valid|unknown)[^\n]*|tls handshake[^\n]*/i;

function denoFetch(connectTimeout: number, readTimeout: number, options: CliFetchOptions): CliFetch {
  const total = connectTimeout > 0 && readTimeout > 0 ? connectTimeout + readTimeout : 0;
  // Deno's fetch takes trusted CAs per client; it cannot switch verification off per request
  // (that is `deno run --unsafely-ignore-certificate-errors`, for the whole process).
  const deno = (globalThis as { Deno?: DenoHttp }).Deno;
  const client = options.ca !== undefined ? deno?.createHttpClient?.({ caCerts: [options.ca] }) : undefined;
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = urlOf(input);
    if (options.caError && url.startsWith("https:")) throw new TransportError("ssl", url, { cause: options.caError });
    const signals = [init.signal, total > 0 ? AbortSignal.timeout(total) : undefined].filter(
      (s): s is AbortSignal => s != null,
    );
    try {
      const response = await globalThis.fetch(input, {
        ...init,
        ...(signals.length ? { signal: AbortSignal.any(signals) } : {}),
        ...(client ? { client } : {}),
      } as RequestInit);
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if ((error as { name?: string }).name === "TimeoutError")
        throw new TransportError("read-timeout", url, { cause: error });
      const text = [error, (error as { cause?: unknown }).cause]
        .map((e) => (e instanceof Error ? e.message : ""))
        .join("\n");
      const tls = DENO_TLS_ERROR.exec(text);
      if (tls) {
        const hint =
          options.verifySsl === false
            ? ` (under Deno, --no-verify-ssl cannot switch verification off: run deno with --unsafely-ignore-certificate-errors=${new URL(url).hostname}, or give the server's CA with --ca-bundle)`
            : "";
        throw new TransportError("ssl", url, {
          cause: new Error(`[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${tls[0]}${hint}`, {
            cause: error,
          }),
        });
      }
      throw new TransportError("connect", url, { cause: error });
    }
  };
  return { fetch: fetchImpl as typeof globalThis.fetch, close: () => client?.close() };
}

const REDACTED_HEADERS = new Set(["authorization", "x-amz-security-token"]);

/** The operation a request calls, from its `X-Amz-Target` (`AWSCognitoIdentityProviderService.ListUsers` -> `ListUsers`). */
export function operationOf(headers: Headers): string {
  const target = headers.get("x-amz-target") ?? "";
  return target.slice(target.lastIndexOf(".") + 1) || "request";
}

/**
 * `--debug`'s view of one exchange: request and response lines, headers and bodies, with
 * `Authorization`, `X-Amz-Security-Token` and feedback tokens replaced by `***`. What the server sent (headers,
 * body) is shown with its control and bidi characters escaped (src/terminal-text.ts): one line per header and per
 * body, whatever they hold.
 */
export function debugExchange(exchange: Exchange, operation = operationOf(exchange.requestHeaders)): string {
  const headers = (h: Headers) => {
    const out: string[] = [];
    h.forEach((value, key) => {
      out.push(`    ${terminalText(key)}: ${REDACTED_HEADERS.has(key.toLowerCase()) ? "***" : terminalText(value)}`);
    });
    return out.join("\n");
  };
  const redactBody = (body: string) =>
    terminalText(body.replace(/("FeedbackToken"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"***"'));
  return [
    `DEBUG ${terminalText(operation)} request: ${exchange.method} ${terminalText(exchange.url)}`,
    headers(exchange.requestHeaders),
    `    body: ${redactBody(exchange.requestBody)}`,
    `DEBUG ${operation} response: HTTP ${exchange.status}`,
    headers(exchange.headers),
    `    body: ${redactBody(exchange.body)}`,
    "",
  ].join("\n");
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
export function recordingFetch(
  inner: typeof globalThis.fetch,
  onExchange: (exchange: Exchange) => void,
): typeof globalThis.fetch {
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const requestHeaders = safeHeaders(init.headers);
    const response = await inner(input, init);
    const body = await response.text();
    onExchange({
      method: init.method ?? "GET",
      url: urlOf(input),
      requestHeaders,
      requestBody: typeof init.body === "string" ? init.body : "",
      status: response.status,
      headers: response.headers,
      body,
    });
    const nullBody = response.status === 204 || response.status === 304;
    return new Response(nullBody ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }) as typeof globalThis.fetch;
}
