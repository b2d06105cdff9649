/**
 * AWS Signature Version 4 over WebCrypto (no Node built-ins). Each step is a function named after
 * the term the specification uses, so it can be checked against the official test suite:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Output is byte-identical to `@smithy/signature-v4` (what the AWS SDK v3 uses) for the same
 * request, credentials and time; `test/sigv4-differential.test.ts` checks that.
 *
 * @module
 */

/** A request to sign: only what the signature covers. */
export interface SignableRequest {
  /** HTTP method, e.g. `"POST"`. */
  method: string;
  /**
   * Absolute URL as sent on the wire. Its (percent-encoded) path and query are signed; for every
   * service but `s3` the path is normalised and URI-encoded once more, as AWS requires.
   */
  url: URL | string;
  /** Header names in any case, values as they will be sent. */
  headers: Record<string, string>;
  /**
   * Request body.
   * @default ""
   */
  body?: string | Uint8Array;
}

/** The credentials a signature needs. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials' token; sent (and signed) as `x-amz-security-token`. */
  sessionToken?: string;
}

/**
 * Options of {@link signRequest}.
 * @example
 * { credentials: { accessKeyId, secretAccessKey }, region: "eu-west-1", service: "cognito-idp" }
 */
export interface SignOptions {
  credentials: SigV4Credentials;
  /** Signing region, e.g. `"eu-west-1"`. */
  region: string;
  /** Signing name, e.g. `"cognito-idp"`. */
  service: string;
  /**
   * Signing time.
   * @default new Date()
   */
  date?: Date;
  /**
   * Add (and sign) an `x-amz-content-sha256` header holding the payload hash when the request has
   * none. `@smithy/signature-v4` does so by default for every service, and the AWS SDK v3 sends it
   * to Cognito, so this is the default too.
   * @default true
   */
  applyChecksum?: boolean;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  dateStamp: string;
  region: string;
  service: string;
  /** Lowercase header names, in the order of the header. */
  signedHeaders: string[];
  /** 64 lowercase hex digits. */
  signature: string;
}

/** The algorithm name that starts a string to sign and an Authorization header. */
export const ALGORITHM = "AWS4-HMAC-SHA256";

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Headers never signed: proxies and browsers may add, drop or rewrite them. The list (and the
 * `proxy-*` and `sec-*` prefixes) is `@smithy/signature-v4`'s, so both sign the same set.
 */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

/** Headers the signer writes itself; caller-supplied ones are dropped (as `@smithy/signature-v4` does). */
const GENERATED_HEADERS: ReadonlySet<string> = new Set(["authorization", "x-amz-date", "date"]);

/** Whether a lowercase header name is covered by the signature. */
export function isSignableHeader(name: string): boolean {
  return !UNSIGNABLE_HEADERS.has(name) && !name.startsWith("proxy-") && !name.startsWith("sec-");
}

const encoder = new TextEncoder();

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC, e.g. `"20150830T123600Z"`. */
export function amzDate(date: Date): string {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError("date must be a valid Date");
  // Requests signed within the same second share the text (the client signs one request after another).
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) [lastSecond, lastAmzDate] = [second, date.toISOString().replace(/[-:]|\.\d{3}/g, "")];
  return lastAmzDate;
}
let lastSecond = Number.NaN;
let lastAmzDate = "";

/** `dateStamp/region/service/aws4_request`. */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/aws4_request`;
}

/** The string to sign: algorithm, request time, credential scope, hash of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonicalRequestHash: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${canonicalRequestHash}`;
}

/**
 * RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded
 * (UTF-8, uppercase hex). `encodeURIComponent` leaves `!'()*` alone, so those are done by hand.
 */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI. For every service but S3 the path has empty and `.` segments removed, `..`
 * segments applied, and is URI-encoded once more (so `%20` on the wire becomes `%2520`): see
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 * S3 signs the path as it is.
 */
export function canonicalUri(path: string, service: string): string {
  if (service === "s3") return path || "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment && segment !== ".") segments.push(segment);
  }
  const trailing = segments.length && path.endsWith("/") ? "/" : "";
  return uriEncode((path[0] === "/" ? "/" : "") + segments.join("/") + trailing).replace(/%2F/g, "/");
}

/** Percent-decodes a query name or value; malformed escapes (a lone "%") are signed as written, then encoded. */
function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical query string from a URL's `search` (with or without the `?`): each name and value
 * percent-decoded then URI-encoded, sorted by name then value; `X-Amz-Signature` left out. `+` is
 * a literal plus, not a space (RFC 3986, not HTML forms).
 */
export function canonicalQueryString(search: string): string {
  const pairs: string[][] = [];
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    if (name.toLowerCase() !== "x-amz-signature") {
      pairs.push([uriEncode(name), uriEncode(eq < 0 ? "" : decodeQueryComponent(part.slice(eq + 1)))]);
    }
  }
  // By name, then value, in code-unit order (what `<` compares).
  pairs.sort(([an, av], [bn, bv]) => (an! < bn! ? -1 : an! > bn! ? 1 : av! < bv! ? -1 : av! > bv! ? 1 : 0));
  return pairs.map((pair) => pair.join("=")).join("&");
}

/** A header value as signed: CR and LF as spaces, runs of spaces and tabs as one space, trimmed. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\t\n\r ]+/g, " ").replace(/^ | $/g, "");
}

/** Lowercases names; TypeError for non-string values or two names that differ only by case. */
function lowercaseHeaders(headers: Record<string, string>): Map<string, string> {
  if (typeof headers !== "object" || headers === null) {
    throw new TypeError("headers must be an object of header names to string values");
  }
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") {
      throw new TypeError(`headers["${name}"] must be a string, got ${typeof value}`);
    }
    const lower = name.toLowerCase();
    if (out.has(lower)) {
      throw new TypeError(`headers has "${name}" more than once (names differ only by case); join the values with ","`);
    }
    out.set(lower, value);
  }
  return out;
}

function toURL(url: URL | string): URL {
  if (url instanceof URL) return url;
  if (typeof url !== "string") throw new TypeError("url must be a URL or a string");
  try {
    return new URL(url);
  } catch {
    // Not echoed: a URL's query may hold a presigned token.
    throw new TypeError("url is not a valid absolute URL");
  }
}

// fetch uppercases these methods before sending (https://fetch.spec.whatwg.org/#concept-method-normalize).
const NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

function normaliseMethod(method: string): string {
  if (typeof method !== "string" || method === "") throw new TypeError("method must be a non-empty string");
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

function normaliseSignedHeaders(signedHeaders: readonly string[]): string[] {
  return [...new Set(signedHeaders.map((h) => h.toLowerCase()))].sort();
}

/**
 * The canonical request: method, canonical URI, canonical query string, canonical headers (only
 * `signedHeaders`, each must be present in `req.headers`), signed header list, payload hash.
 * The URI is normalised as for a non-S3 service; use {@link canonicalRequestFor} to choose.
 */
export function canonicalRequest(req: SignableRequest, signedHeaders: readonly string[], payloadHash: string): string {
  return canonicalRequestFor(req, signedHeaders, payloadHash, "");
}

/** {@link canonicalRequest} for a given service (S3 paths are not normalised nor re-encoded). */
export function canonicalRequestFor(
  req: SignableRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
  service: string,
): string {
  const url = toURL(req.url);
  const headers = lowercaseHeaders(req.headers);
  const names = normaliseSignedHeaders(signedHeaders);
  for (const name of names) {
    if (!headers.has(name)) throw new TypeError(`signed header "${name}" is not in the request's headers`);
  }
  return canonicalString(normaliseMethod(req.method), url, service, names, (name) => headers.get(name)!, payloadHash);
}

/** The canonical request from normalised parts: `names` lowercase and sorted, `value` gives each one's value. */
function canonicalString(
  method: string,
  url: URL,
  service: string,
  names: readonly string[],
  value: (name: string) => string,
  payloadHash: string,
): string {
  const { href } = url;
  // The canonical URI and query of the last URL signed: a client signs request after request to one endpoint.
  if (href !== lastHref || service !== lastService) {
    [lastHref, lastService, lastTarget] = [
      href,
      service,
      `${canonicalUri(url.pathname, service)}\n${canonicalQueryString(url.search)}`,
    ];
  }
  let headers = "";
  for (const name of names) headers += `${name}:${canonicalHeaderValue(value(name))}\n`;
  return `${method}\n${lastTarget}\n${headers}\n${names.join(";")}\n${payloadHash}`;
}
let lastHref = "";
let lastService = "";
let lastTarget = "";

// Byte -> two lowercase hex digits, computed once: signing converts two digests per request.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function toHex(buffer: ArrayBuffer | Uint8Array): string {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += HEX[byte];
  return out;
}

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof Uint8Array) {
    // WebCrypto's types want an ArrayBuffer-backed view; copy only a SharedArrayBuffer-backed one.
    return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
  }
  throw new TypeError("body must be a string or a Uint8Array");
}

interface Digest {
  update(data: string | Uint8Array): Digest;
  digest(): Uint8Array;
  digest(encoding: "hex"): string;
}
type NodeCrypto = {
  createHash(algorithm: string): Digest;
  createHmac(algorithm: string, key: Uint8Array | ArrayBuffer): Digest;
  /** One-shot hash (Node >= 20.12); cheaper than createHash for one input. */
  hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string;
};
let nodeCrypto: NodeCrypto | undefined | null = null;

/**
 * Node, Bun and Deno hand out `node:crypto` through `process.getBuiltinModule` (looked up behind a guard, never
 * imported, so edge bundles are unchanged and edge runtimes use WebCrypto): hashing there is synchronous, where each
 * WebCrypto call is a thread-pool job costing more than the rest of the request's client-side work (bench/).
 */
function native(): NodeCrypto | undefined {
  if (nodeCrypto === null) {
    try {
      nodeCrypto = (
        globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
      ).process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
    } catch {
      nodeCrypto = undefined;
    }
  }
  return nodeCrypto ?? undefined;
}

/** Tests only: `true` makes this module use WebCrypto even where `node:crypto` is available; `false` looks again. */
export function forceWebCrypto(on: boolean): void {
  nodeCrypto = on ? undefined : null;
}

/** Lowercase hex SHA-256 of a string (UTF-8) or bytes. */
export async function hexSha256(data: string | Uint8Array): Promise<string> {
  const n = native();
  if (n) return nodeHexSha256(n, typeof data === "string" ? data : toBytes(data));
  return toHex(await crypto.subtle.digest("SHA-256", toBytes(data)));
}

function nodeHexSha256(n: NodeCrypto, data: string | Uint8Array): string {
  return n.hash ? n.hash("sha256", data, "hex") : n.createHash("sha256").update(data).digest("hex");
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const n = native();
  if (n) return n.createHmac("sha256", new Uint8Array(key)).update(data).digest().slice().buffer as ArrayBuffer;
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

/** How many signing keys {@link signingKey} keeps (least recently used dropped first). */
export const SIGNING_KEY_CACHE_SIZE = 50;

// Keyed by SHA-256(secret) and the scope, never by the secret itself. Map order is the LRU order.
const signingKeyCache = new Map<string, Promise<ArrayBuffer>>();
// The last secret's hash, so a client signing request after request hashes its secret once.
let lastSecret: string | undefined;
let lastSecretHash = "";

/** Number of cached signing keys (for tests and diagnostics). */
export function signingKeyCacheSize(): number {
  return signingKeyCache.size;
}

/** Empties the signing-key cache. */
export function clearSigningKeyCache(): void {
  signingKeyCache.clear();
  postKeySecret = undefined;
}

/**
 * The signing key: HMAC chain of `"AWS4" + secret` over date, region, service, `aws4_request`.
 * Keys are cached per (secret, date, region, service), at most {@link SIGNING_KEY_CACHE_SIZE}.
 * Returns a copy the caller may modify.
 */
export async function signingKey(
  secret: string,
  dateStamp: string,
  region: string,
  service: string,
): Promise<ArrayBuffer> {
  if (secret !== lastSecret) [lastSecret, lastSecretHash] = [secret, await hexSha256(secret)];
  const cacheKey = `${lastSecretHash}/${credentialScope(dateStamp, region, service)}`;
  let key = signingKeyCache.get(cacheKey);
  signingKeyCache.delete(cacheKey); // re-inserted below, as the most recently used
  if (!key) {
    key = (async () => {
      let k = await hmac(encoder.encode(`AWS4${secret}`), dateStamp);
      for (const part of [region, service, "aws4_request"]) k = await hmac(k, part);
      return k;
    })();
    key.catch(() => signingKeyCache.delete(cacheKey));
  }
  signingKeyCache.set(cacheKey, key);
  // One key is added per call at most, so one eviction keeps the bound.
  if (signingKeyCache.size > SIGNING_KEY_CACHE_SIZE) signingKeyCache.delete(signingKeyCache.keys().next().value!);
  return (await key).slice(0);
}

/** The signature: HMAC of the string to sign with the signing key, in hex. */
async function signature(secret: string, time: string, region: string, service: string, creq: string): Promise<string> {
  const dateStamp = time.slice(0, 8);
  const sts = stringToSign(time, credentialScope(dateStamp, region, service), await hexSha256(creq));
  return toHex(await hmac(await signingKey(secret, dateStamp, region, service), sts));
}

/** The Authorization header's value. */
function authorization(
  accessKeyId: string,
  time: string,
  region: string,
  service: string,
  names: readonly string[],
  sig: string,
): string {
  return `${ALGORITHM} Credential=${accessKeyId}/${credentialScope(time.slice(0, 8), region, service)}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
}

/** Options of {@link computeSignature}. */
export interface ComputeSignatureOptions {
  secretAccessKey: string;
  region: string;
  service: string;
  /** The request's `x-amz-date`, e.g. `"20150830T123600Z"`. */
  amzDate: string;
  /** Header names covered by the signature (any case and order). */
  signedHeaders: readonly string[];
}

/**
 * The payload hash: the request's `x-amz-content-sha256` header when present (as
 * `@smithy/signature-v4` does; a verifier should check it matches the body), else SHA-256 of the body.
 */
export async function payloadHash(req: SignableRequest): Promise<string> {
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() === "x-amz-content-sha256" && typeof value === "string") return value;
  }
  return req.body === undefined ? EMPTY_SHA256 : hexSha256(req.body);
}

/**
 * Signature for a request whose x-amz-date (and x-amz-security-token) headers are already present.
 * Also what a server computes to verify a request: parse its Authorization with
 * {@link parseAuthorization} and compare signatures.
 */
export async function computeSignature(req: SignableRequest, opts: ComputeSignatureOptions): Promise<string> {
  if (typeof opts.secretAccessKey !== "string" || opts.secretAccessKey === "") {
    throw new TypeError("secretAccessKey must be a non-empty string");
  }
  if (typeof opts.amzDate !== "string" || !/^\d{8}T\d{6}Z$/.test(opts.amzDate)) {
    throw new TypeError(`amzDate must look like 20150830T123600Z, got ${JSON.stringify(opts.amzDate)}`);
  }
  checkNonEmptyString(opts.region, "region");
  checkNonEmptyString(opts.service, "service");
  const creq = canonicalRequestFor(req, opts.signedHeaders, await payloadHash(req), opts.service);
  return signature(opts.secretAccessKey, opts.amzDate, opts.region, opts.service, creq);
}

function checkNonEmptyString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string`);
}

/**
 * Signs a request. Returns a NEW headers record (lowercase names) = input headers + `host` (if
 * absent, from the URL) + `x-amz-date` + `x-amz-security-token` (with a session token) +
 * `x-amz-content-sha256` (unless `applyChecksum: false`) + `authorization`. Every header is signed
 * but the unsignable ones ({@link isSignableHeader}); caller-supplied `authorization`, `x-amz-date`
 * and `date` headers are dropped, as `@smithy/signature-v4` does.
 * @example
 * const headers = await signRequest(
 *   { method: "POST", url: "https://cognito-idp.eu-west-1.amazonaws.com/", headers: { "content-type": "application/x-amz-json-1.1" }, body },
 *   { credentials, region: "eu-west-1", service: "cognito-idp" },
 * );
 */
export async function signRequest(req: SignableRequest, opts: SignOptions): Promise<Record<string, string>> {
  const { credentials, region, service } = opts;
  if (typeof credentials !== "object" || credentials === null) throw new TypeError("credentials must be an object");
  checkNonEmptyString(credentials.accessKeyId, "credentials.accessKeyId");
  checkNonEmptyString(credentials.secretAccessKey, "credentials.secretAccessKey");
  if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== "string") {
    throw new TypeError("credentials.sessionToken must be a string when present");
  }
  checkNonEmptyString(region, "region");
  checkNonEmptyString(service, "service");
  const url = toURL(req.url);
  const time = amzDate(opts.date ?? new Date());

  const headers = lowercaseHeaders(req.headers);
  for (const name of GENERATED_HEADERS) headers.delete(name);
  if (!headers.has("host")) headers.set("host", url.host);
  headers.set("x-amz-date", time);
  if (credentials.sessionToken) headers.set("x-amz-security-token", credentials.sessionToken);
  // The payload hash: a caller's x-amz-content-sha256 header is signed as given (see payloadHash).
  let hash = headers.get("x-amz-content-sha256");
  if (hash === undefined) {
    hash = req.body === undefined ? EMPTY_SHA256 : await hexSha256(req.body);
    if (opts.applyChecksum ?? true) headers.set("x-amz-content-sha256", hash);
  }
  const names = [...headers.keys()].filter(isSignableHeader).sort();
  const creq = canonicalString(normaliseMethod(req.method), url, service, names, (name) => headers.get(name)!, hash);
  const sig = await signature(credentials.secretAccessKey, time, region, service, creq);
  headers.set("authorization", authorization(credentials.accessKeyId, time, region, service, names, sig));
  return Object.fromEntries(headers);
}

/**
 * {@link signRequest} for the client's requests, in fewer bytes: `POST` of a string body, `headers`
 * already lowercase, signable, and without `host`, `date`, `x-amz-date` or `authorization`;
 * credentials, region and service already validated. Returns the same record `signRequest` would;
 * with `omitHost`, without its `host` (still signed: fetch sends it from the URL).
 *
 * Where `node:crypto` is available the record is returned synchronously (no promise, no microtask:
 * the client signs one request per page); elsewhere a promise of it.
 */
export function signPost(
  url: URL,
  headers: Record<string, string>,
  body: string,
  credentials: SigV4Credentials,
  region: string,
  service: string,
  date: Date,
  omitHost = false,
): Record<string, string> | Promise<Record<string, string>> {
  const time = amzDate(date);
  const dateStamp = time.slice(0, 8);
  const scope = credentialScope(dateStamp, region, service);
  const secret = credentials.secretAccessKey;
  const out: Record<string, string> = omitHost
    ? { ...headers, "x-amz-date": time }
    : { ...headers, host: url.host, "x-amz-date": time };
  if (credentials.sessionToken) out["x-amz-security-token"] = credentials.sessionToken;
  // node:crypto answers at once: then no promise is made (the client signs every page); WebCrypto answers later.
  const n = native();
  const sha = (data: string): Maybe<string> =>
    n ? nodeHexSha256(n, data) : crypto.subtle.digest("SHA-256", encoder.encode(data)).then(toHex);
  const mac = (key: Bytes, data: string): Maybe<Bytes> =>
    n
      ? n.createHmac("sha256", key).update(data).digest()
      : crypto.subtle
          .importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
          .then((k) => crypto.subtle.sign("HMAC", k, encoder.encode(data)));
  // The signing key of the last secret, scope and backend: a client signs with one secret for a day.
  if (secret !== postKeySecret || scope !== postKeyScope || n !== postKeyBackend) {
    postKey = [dateStamp, region, service, "aws4_request"].reduce<Maybe<Bytes>>(
      (k, part) => then(k, (key) => mac(key, part)),
      encoder.encode(`AWS4${secret}`),
    );
    if (!n) (postKey as Promise<Bytes>).catch(() => (postKeySecret = undefined));
    [postKeySecret, postKeyScope, postKeyBackend] = [secret, scope, n];
  }
  const key = postKey!;
  return then(sha(body), (hash) => {
    out["x-amz-content-sha256"] = hash;
    const names = [...Object.keys(out), ...(omitHost ? ["host"] : [])].sort();
    const creq = canonicalString(
      "POST",
      url,
      service,
      names,
      (name) => (name === "host" ? url.host : out[name]!),
      hash,
    );
    return then(sha(creq), (creqHash) =>
      then(key, (k) =>
        then(mac(k, stringToSign(time, scope, creqHash)), (sig) => {
          out.authorization = authorization(credentials.accessKeyId, time, region, service, names, toHex(sig));
          return out;
        }),
      ),
    );
  });
}

type Maybe<T> = T | Promise<T>;
type Bytes = Uint8Array | ArrayBuffer;

/** `next(value)`, at once when `value` is not a promise (of any realm: edge runtimes' WebCrypto may answer with another's). */
const then = <T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> =>
  typeof (value as Partial<Promise<T>>)?.then === "function" ? (value as Promise<T>).then(next) : next(value as T);

// signPost's signing key, and what it was derived from (secret and scope).
let postKeySecret: string | undefined;
let postKeyScope: string | undefined;
let postKeyBackend: NodeCrypto | undefined;
let postKey: Maybe<Bytes> | undefined;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
 * SignedHeaders=a;b, Signature=hex` (parts in any order, spaces after commas optional);
 * `undefined` when malformed.
 */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  if (typeof header !== "string" || !header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq <= 0) return undefined;
    const key = item.slice(0, eq);
    if (fields.has(key)) return undefined;
    fields.set(key, item.slice(eq + 1));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (fields.size !== 3 || credential === undefined || signedHeaders === undefined || signature === undefined) {
    return undefined;
  }
  const scope = credential.split("/");
  if (scope.length !== 5) return undefined;
  const [accessKeyId, dateStamp, region, service, terminator] = scope as [string, string, string, string, string];
  if (accessKeyId === "" || region === "" || service === "" || terminator !== "aws4_request") return undefined;
  if (!/^\d{8}$/.test(dateStamp) || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const names = signedHeaders.split(";");
  if (!names.every((name) => /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))) return undefined;
  return { accessKeyId, dateStamp, region, service, signedHeaders: names, signature };
}
