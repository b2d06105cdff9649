/**
 * The options of `createNodeFetch`, documented, and their checks: each wrong value is a TypeError naming the option.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/**
 * Options of `createNodeFetch`.
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

/** The options once checked, defaults applied. */
export interface ResolvedNodeFetchOptions {
  readonly keepAlive: boolean;
  readonly maxSockets: number;
  readonly connectTimeout: number;
  readonly headersTimeout: number;
  readonly bodyTimeout: number;
  /** `readTimeout` given: every byte that arrives before the headers are complete restarts `headersTimeout`. */
  readonly headersTimeoutIsIdle: boolean;
  readonly decompress: boolean;
  readonly tls: NodeFetchTlsOptions;
  readonly agents: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
}

function timeoutOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a finite number of milliseconds >= 0, got ${String(value)}`);
  }
  return value;
}

function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${String(value)}`);
  return value;
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

/** Checks the options and applies the defaults; TypeError naming the first option that is wrong. */
export function resolveOptions(options: NodeFetchOptions): ResolvedNodeFetchOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const keepAlive = booleanOption(options.keepAlive, "keepAlive", true);
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
  const decompress = booleanOption(options.decompress, "decompress", true);
  const agents = options.agents ?? {};
  if (agents.http !== undefined && !(agents.http instanceof HttpAgent))
    throw new TypeError("agents.http must be an http.Agent");
  if (agents.https !== undefined && !(agents.https instanceof HttpsAgent))
    throw new TypeError("agents.https must be an https.Agent");
  const tls = tlsOption(options.tls);
  if (agents.https !== undefined && options.tls !== undefined)
    throw new TypeError("tls cannot be combined with agents.https: set it on that agent");
  return {
    keepAlive,
    maxSockets,
    connectTimeout,
    headersTimeout,
    bodyTimeout,
    headersTimeoutIsIdle: readTimeout !== undefined && readTimeout > 0,
    decompress,
    tls,
    agents,
  };
}
