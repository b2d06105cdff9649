/**
 * Request preparation: fetch's arguments, in whatever shape they come (a URL string or object, a `Request`, headers
 * as an object, pairs or `Headers`, a body as a string, bytes or anything `Response` can serialise), turned into the
 * one shape an exchange sends, with fetch's checks and fetch's errors.
 */
import { TransportError, fetchFailed } from "./errors.ts";

/** What one exchange sends. */
export interface PreparedRequest {
  readonly url: URL;
  readonly method: string;
  /** Lowercase names; repeated names joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | undefined;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect;
}

// fetch uppercases these methods (https://fetch.spec.whatwg.org/#concept-method-normalize); PATCH stays as given.
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Turns fetch's arguments into a {@link PreparedRequest}; rejects as fetch does (TypeError) when they are wrong. */
export async function prepareRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<PreparedRequest> {
  if (typeof Request === "function" && input instanceof Request) {
    const request = init === undefined ? input : new Request(input, init);
    return {
      url: new URL(request.url),
      method: request.method,
      headers: headersToRecord(request.headers),
      body: request.body === null ? undefined : new Uint8Array(await request.arrayBuffer()),
      signal: request.signal,
      redirect: request.redirect,
    };
  }
  const url = parseUrl(input as string | URL);
  const method = checkedMethod(init?.method ?? "GET");
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

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(String(input));
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const message = `unsupported protocol ${url.protocol} (http: and https: only)`;
    throw fetchFailed(new TransportError("Error", "ERR_UNSUPPORTED_PROTOCOL", message));
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("Request cannot be constructed from a URL that includes credentials");
  }
  return url;
}

function checkedMethod(method: unknown): string {
  if (typeof method !== "string" || !METHOD_TOKEN.test(method)) {
    throw new TypeError(`'${String(method)}' is not a valid HTTP method.`);
  }
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** Headers as a record of lowercase names; a plain object (what the client passes) without building a `Headers`. */
function headersToRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined || init === null) return out;
  if (typeof init === "object" && !(init instanceof Headers) && !Array.isArray(init) && !(Symbol.iterator in init)) {
    for (const name of Object.keys(init)) {
      const value = (init as Record<string, unknown>)[name];
      if (value !== undefined) addHeader(out, name, String(value));
    }
    return out;
  }
  // Headers, arrays of pairs, or other iterables: let Headers validate and combine them.
  new Headers(init).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** Whether a character code is HTTP whitespace (tab, LF, CR, space), which fetch trims from header values. */
const isHttpSpace = (code: number | undefined): boolean => code === 32 || code === 9 || code === 10 || code === 13;

function addHeader(out: Record<string, string>, name: string, value: string): void {
  const key = name.toLowerCase();
  const padded = isHttpSpace(value.charCodeAt(0)) || isHttpSpace(value.charCodeAt(value.length - 1));
  const trimmed = padded ? value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "") : value;
  out[key] = key in out ? `${out[key]}, ${trimmed}` : trimmed;
}

/** The body's bytes; for the kinds `Response` serialises, its content-type too when none is set. */
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
