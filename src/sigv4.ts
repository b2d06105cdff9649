/**
 * AWS Signature Version 4. Each step is a pure function named after the term the specification uses (as aws4fetch
 * names them: {@link canonicalString}, {@link stringToSign}, {@link authHeader}), so each can be checked against the
 * official test suite; {@link SigV4Signer} runs them, and holds what signing needs to keep: the hash backend and the
 * last signing key it derived. https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Output is byte-identical to `@smithy/signature-v4` (what the AWS SDK v3 uses) for the same request, credentials
 * and time; `test/sigv4-differential.test.ts` checks that.
 *
 * Web-standard globals only (the Node-side callers hand it `node:crypto`'s hashes: src/sha256.ts). Its callers
 * are this package's client and emulator, which check their own inputs: the signer does not check them again.
 *
 * @module
 */
import { type Awaitable, type Sha256, toHex, webCryptoSha256 } from "./sha256.ts";

/** A request to sign: only what the signature covers. */
export interface SignableRequest {
  /** HTTP method as sent, e.g. `"POST"` (fetch uppercases the standard methods: pass them uppercase). */
  method: string;
  /**
   * The URL as sent on the wire. Its (percent-encoded) path is normalised and URI-encoded once more, as every
   * service but S3 requires (S3's unnormalised paths are not supported: this package does not call S3), and its query
   * is signed.
   */
  url: URL;
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
 * Options of {@link SigV4Signer.sign}.
 * @example
 * { credentials: { accessKeyId, secretAccessKey }, region: "eu-west-1", service: "cognito-idp", date: new Date() }
 */
export interface SignOptions {
  credentials: SigV4Credentials;
  /** Signing region, e.g. `"eu-west-1"`. */
  region: string;
  /** Signing name, e.g. `"cognito-idp"`. */
  service: string;
  /** Signing time: now, by the clock the service keeps (corrected for skew). */
  date: Date;
  /**
   * Add (and sign) an `x-amz-content-sha256` header holding the payload hash when the request has none.
   * `@smithy/signature-v4` does so by default for every service, and the AWS SDK v3 sends it to Cognito.
   * @default true
   */
  applyChecksum?: boolean;
}

/** The algorithm name that starts a string to sign and an Authorization header. */
export const ALGORITHM = "AWS4-HMAC-SHA256";

/**
 * Headers never signed: proxies and browsers may add, drop or rewrite them. The list (and the `proxy-*` and `sec-*`
 * prefixes) is `@smithy/signature-v4`'s, so both sign the same set.
 */
const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
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

/** Whether a lowercase header name is covered by the signature. */
export function isSignableHeader(name: string): boolean {
  return !UNSIGNABLE_HEADERS.has(name) && !name.startsWith("proxy-") && !name.startsWith("sec-");
}

// ---------------------------------------------------------------------------------------------------------------
// The steps, pure.

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC, e.g. `"20150830T123600Z"`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, "");
}

/** `dateStamp/region/service/aws4_request`. */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/aws4_request`;
}

/**
 * RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded (UTF-8, uppercase hex).
 * `encodeURIComponent` leaves `!'()*` alone, so those are done by hand.
 */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI: the path with empty and `.` segments removed, `..` segments applied, and URI-encoded once more
 * (so `%20` on the wire becomes `%2520`), as every service but S3 wants it (S3 signs the path as it is; this package
 * does not call S3): see
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */
export function canonicalUri(path: string): string {
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
 * The canonical query string from a URL's `search` (with or without the `?`): each name and value percent-decoded
 * then URI-encoded, sorted by name then value; `X-Amz-Signature` left out. `+` is a literal plus, not a space
 * (RFC 3986, not HTML forms).
 */
export function canonicalQueryString(search: string): string {
  const pairs: [string, string][] = [];
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    if (name.toLowerCase() !== "x-amz-signature") {
      pairs.push([uriEncode(name), uriEncode(eq < 0 ? "" : decodeQueryComponent(part.slice(eq + 1)))]);
    }
  }
  // By name, then value, in code-unit order (what `<` compares).
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map((pair) => pair.join("=")).join("&");
}

/** A header value as signed: CR and LF as spaces, runs of spaces and tabs as one space, trimmed. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\t\n\r ]+/g, " ").replace(/^ | $/g, "");
}

/** What {@link canonicalString} covers, normalised. */
export interface CanonicalRequest {
  /** The method as sent (fetch uppercases `get`, `post` and the other standard methods). */
  method: string;
  url: URL;
  /** Lowercase header names to values as sent: every signed header, and maybe more. */
  headers: Readonly<Record<string, string>>;
  /** Lowercase names of the signed headers, sorted. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, or what the `x-amz-content-sha256` header says instead. */
  payloadHash: string;
}

/**
 * The canonical request: method, canonical URI, canonical query string, canonical headers, signed header list,
 * payload hash, one per line.
 */
export function canonicalString(request: CanonicalRequest): string {
  const { url, headers, signedHeaders } = request;
  let canonicalHeaders = "";
  for (const name of signedHeaders) canonicalHeaders += `${name}:${canonicalHeaderValue(headers[name]!)}\n`;
  return [
    request.method,
    canonicalUri(url.pathname),
    canonicalQueryString(url.search),
    canonicalHeaders,
    signedHeaders.join(";"),
    request.payloadHash,
  ].join("\n");
}

/** The string to sign: algorithm, request time, credential scope, hex SHA-256 of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonicalStringHash: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${canonicalStringHash}`;
}

/**
 * The `Authorization` header's value, from the credential scope ({@link credentialScope}), the signed headers'
 * lowercase names (sorted) and the signature (64 lowercase hex digits).
 */
export function authHeader(
  accessKeyId: string,
  scope: string,
  signedHeaders: readonly string[],
  signature: string,
): string {
  return `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The signer.

/**
 * Options of {@link SigV4Signer}.
 * @example
 * new SigV4Signer({ sha256: fastestSha256() })
 */
export interface SigV4SignerOptions {
  /**
   * The SHA-256 and HMAC backend: on Node, Deno and Bun pass `fastestSha256()` (`node:crypto`, native and synchronous);
   * the default is the one every runtime has, so an edge bundle carries nothing else.
   * @default webCryptoSha256 (src/sha256.ts)
   */
  sha256?: Sha256 | undefined;
}

/**
 * The part of {@link SigV4Signer} the client needs: {@link SigV4Core.signPlain} for requests whose headers are plain
 * already, the hash and the signature, keeping the last signing key it derived (a client signs with one secret,
 * region and service, so derives one key a day instead of one per request). A class of its own because a class's
 * methods all go into a bundle that uses it: the client's edge bundle carries this one, not {@link SigV4Signer.sign}.
 * @example
 * const core = new SigV4Core();
 * const headers = await core.signPlain(
 *   { method: "POST", url: new URL("https://cognito-idp.eu-west-1.amazonaws.com/"), headers: { "x-amz-target": target }, body },
 *   { credentials, region: "eu-west-1", service: "cognito-idp", date: new Date() },
 * );
 */
export class SigV4Core {
  readonly #sha256: Sha256;
  // The last signing key, and what it was derived from (scope and secret).
  #key: { for: string; key: Uint8Array } | undefined;

  constructor(options: SigV4SignerOptions = {}) {
    this.#sha256 = options.sha256 ?? webCryptoSha256;
  }

  /**
   * {@link SigV4Signer.sign} for a request whose headers are already what the signature covers: lowercase names,
   * every one signable, values canonical (no surrounding, repeated or line-breaking whitespace), and no `host`,
   * `date`, `authorization` or `x-amz-content-sha256` among them. The same headers as {@link SigV4Signer.sign} for
   * such a request, with less code: the client's requests are all of this kind, and its edge bundle counts bytes.
   */
  async signPlain(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    const { url } = request;
    const time = amzDate(options.date);
    const headers: Record<string, string> = { ...request.headers, "x-amz-date": time };
    if (options.credentials.sessionToken) headers["x-amz-security-token"] = options.credentials.sessionToken;
    const payloadHash = await this.hash(request.body);
    if (options.applyChecksum ?? true) headers["x-amz-content-sha256"] = payloadHash;
    const signedValues: Record<string, string> = { ...headers, host: url.host };
    const signedHeaders = Object.keys(signedValues).sort();
    let canonicalHeaders = "";
    for (const name of signedHeaders) canonicalHeaders += `${name}:${signedValues[name]}\n`;
    const canonical = [
      request.method,
      canonicalUri(url.pathname),
      canonicalQueryString(url.search),
      canonicalHeaders,
      signedHeaders.join(";"),
      payloadHash,
    ].join("\n");
    return this.authorize(headers, canonical, signedHeaders, time, options);
  }

  /** Adds the `authorization` header for a canonical request to `headers`, and returns them. */
  protected async authorize(
    headers: Record<string, string>,
    canonical: string,
    signedHeaders: readonly string[],
    time: string,
    { credentials, region, service }: SignOptions,
  ): Promise<Record<string, string>> {
    const scope = credentialScope(time.slice(0, 8), region, service);
    const signature = await this.signature(
      credentials.secretAccessKey,
      stringToSign(time, scope, await this.hash(canonical)),
    );
    headers.authorization = authHeader(credentials.accessKeyId, scope, signedHeaders, signature);
    return headers;
  }

  /** Lowercase hex SHA-256 of a string (as UTF-8) or bytes: the payload hash, and the canonical string's. */
  hash(data: string | Uint8Array = ""): Awaitable<string> {
    return this.#sha256.hex(data);
  }

  /**
   * The signature: HMAC of the string to sign under the signing key of its credential scope, in hex.
   * @param stringToSign from {@link stringToSign}: its third line is the credential scope.
   */
  async signature(secretAccessKey: string, stringToSign: string): Promise<string> {
    const key = await this.#signingKey(secretAccessKey, stringToSign.split("\n")[2]!);
    return toHex(await this.#sha256.hmac(key, stringToSign));
  }

  /** The signing key: the HMAC chain of `"AWS4" + secret` over the date stamp, region, service and `aws4_request`. */
  async #signingKey(secret: string, scope: string): Promise<Uint8Array> {
    const id = `${scope}\n${secret}`;
    if (this.#key?.for === id) return this.#key.key;
    let key: string | Uint8Array = `AWS4${secret}`;
    for (const part of scope.split("/")) key = await this.#sha256.hmac(key, part);
    this.#key = { for: id, key: key as Uint8Array };
    return key as Uint8Array;
  }
}

/**
 * Signs requests with SigV4: any request ({@link SigV4Signer.sign}), with what {@link SigV4Core} keeps. The emulator
 * and the STS call own one; the client signs with its {@link SigV4Core}.
 * @example
 * const signer = new SigV4Signer();
 * const headers = await signer.sign(
 *   { method: "POST", url: new URL("https://cognito-idp.eu-west-1.amazonaws.com/"), headers: { "x-amz-target": target }, body },
 *   { credentials, region: "eu-west-1", service: "cognito-idp", date: new Date() },
 * );
 */
export class SigV4Signer extends SigV4Core {
  /**
   * Signs a request. Returns a NEW headers record (lowercase names): the input headers, `x-amz-date`,
   * `x-amz-security-token` (with a session token), `x-amz-content-sha256` (unless `applyChecksum: false`) and
   * `authorization`. Every header is signed but the unsignable ones ({@link isSignableHeader}), and `host` always:
   * the request's `host` header when it has one, else the URL's host, which is then left out of the record (fetch
   * sends it from the URL, and some runtimes refuse it as a header). Caller-supplied `authorization`, `x-amz-date`
   * and `date` headers are dropped, as `@smithy/signature-v4` does.
   */
  async sign(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    const { url } = request;
    const time = amzDate(options.date);
    // Defined, not assigned: a header named __proto__ is a header like any other.
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    // The signer writes the date itself (the authorization too): a caller's is dropped, as @smithy/signature-v4 does.
    delete headers.date;
    headers["x-amz-date"] = time;
    if (options.credentials.sessionToken) headers["x-amz-security-token"] = options.credentials.sessionToken;
    // A caller's x-amz-content-sha256 is signed as given (S3's UNSIGNED-PAYLOAD, a precomputed hash).
    let payloadHash = headers["x-amz-content-sha256"];
    if (payloadHash === undefined) {
      payloadHash = await this.hash(request.body);
      if (options.applyChecksum ?? true) headers["x-amz-content-sha256"] = payloadHash;
    }
    const signedValues = headers.host === undefined ? { ...headers, host: url.host } : headers;
    const signedHeaders = Object.keys(signedValues).filter(isSignableHeader).sort();
    const canonical = canonicalString({ ...request, headers: signedValues, signedHeaders, payloadHash });
    return this.authorize(headers, canonical, signedHeaders, time, options);
  }
}
