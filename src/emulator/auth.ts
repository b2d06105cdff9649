/**
 * SigV4 verification as the AWS front end of Cognito does it, with its error names and words:
 * - no Authorization header: MissingAuthenticationTokenException "Missing Authentication Token"
 *   (what Cognito answers an unsigned admin call);
 * - a malformed one: IncompleteSignatureException;
 * - unknown access key or session token: UnrecognizedClientException;
 * - X-Amz-Date more than 5 minutes off: InvalidSignatureException "Signature expired: ...";
 * - wrong scope or signature: InvalidSignatureException.
 * All HTTP 400. Messages never quote the Authorization header, keys or tokens.
 *
 * The signature a request should carry is computed with the client's signer (src/sigv4.ts), from the parts the
 * Authorization header names: its signed headers, scope and date.
 */

import { ServiceError } from "./errors.ts";
import {
  ALGORITHM,
  type SigV4Signer,
  amzDate as formatAmzDate,
  canonicalString,
  credentialScope,
  stringToSign,
} from "../sigv4.ts";
import type { EmulatorCredentials } from "./types.ts";

const SIGNING_SERVICE = "cognito-idp";
const MAX_SKEW_MS = 5 * 60 * 1000;

const frontend = (type: string, message: string): ServiceError => new ServiceError(type, message, 400, "frontend");

export const missingToken = (): ServiceError =>
  frontend("MissingAuthenticationTokenException", "Missing Authentication Token");
const incomplete = (message: string): ServiceError => frontend("IncompleteSignatureException", message);
const unrecognized = (): ServiceError =>
  frontend("UnrecognizedClientException", "The security token included in the request is invalid.");
const invalidSignature = (message: string): ServiceError => frontend("InvalidSignatureException", message);
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** What the verifier needs from a request; header names lowercase. */
export interface VerifiableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface VerifyOptions {
  /** Computes the signature a request should carry (and keeps the signing keys it derives). */
  signer: SigV4Signer;
  credentials: readonly EmulatorCredentials[];
  /** The emulator's clock, epoch ms. */
  nowMs: number;
  signingRegion?: string;
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Explains which parts of a malformed Authorization header are missing, without quoting it. */
function malformedMessage(header: string, hasDate: boolean): string {
  const parts: string[] = [];
  for (const name of ["Credential", "Signature", "SignedHeaders"]) {
    if (!new RegExp(`(^|[\\s,])${name}=`).test(header))
      parts.push(`Authorization header requires '${name}' parameter.`);
  }
  if (!hasDate) parts.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!header.startsWith("AWS4-HMAC-SHA256 ")) parts.unshift("Only the AWS4-HMAC-SHA256 algorithm is supported.");
  if (parts.length === 0) parts.push("Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.");
  return parts.join(" ");
}

/** Throws the service's error when the request is not signed by one of the credentials. */
export async function verifySignature(req: VerifiableRequest, opts: VerifyOptions): Promise<void> {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") throw missingToken();
  const dateHeader = req.headers["x-amz-date"];
  const auth = parseAuthorization(header);
  if (!auth || dateHeader === undefined) throw incomplete(malformedMessage(header, dateHeader !== undefined));
  const requestMs = parseAmzDate(dateHeader);
  if (requestMs === undefined) {
    throw incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${dateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  if (!auth.signedHeaders.includes("host")) {
    throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const fmt = (ms: number): string => formatAmzDate(new Date(ms));
  if (requestMs < opts.nowMs - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${dateHeader} is now earlier than ${fmt(opts.nowMs - MAX_SKEW_MS)} (${fmt(opts.nowMs)} - 5 min.)`,
    );
  }
  if (requestMs > opts.nowMs + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${dateHeader} is still later than ${fmt(opts.nowMs + MAX_SKEW_MS)} (${fmt(opts.nowMs)} + 5 min.)`,
    );
  }
  const credentials = opts.credentials.find((c) => c.accessKeyId === auth.accessKeyId);
  if (!credentials) throw unrecognized();
  if ((req.headers["x-amz-security-token"] ?? undefined) !== credentials.sessionToken) throw unrecognized();
  if (auth.dateStamp !== dateHeader.slice(0, 8)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.dateStamp}' != '${dateHeader.slice(0, 8)}', from 'X-Amz-Date'.`,
    );
  }
  if (auth.service !== SIGNING_SERVICE) {
    throw invalidSignature(`Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `);
  }
  if (opts.signingRegion !== undefined && auth.region !== opts.signingRegion) {
    throw invalidSignature(`Credential should be scoped to a valid region. `);
  }
  const { signer } = opts;
  // The payload hash signed is the x-amz-content-sha256 header when present: it must then be the body's.
  const bodyHash = await signer.hash(req.body);
  const declared = req.headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== bodyHash) throw invalidSignature(SIGNATURE_MISMATCH);
  const url = new URL(req.url);
  // Fetch stacks keep Host out of Headers (MSW sees none): it is the URL's authority then.
  const headers = req.headers.host === undefined ? { ...req.headers, host: url.host } : req.headers;
  const signedHeaders = [...new Set(auth.signedHeaders)].sort();
  // A header signed but not sent: the signature cannot be the one of the request received.
  if (!signedHeaders.every((name) => Object.hasOwn(headers, name))) throw invalidSignature(SIGNATURE_MISMATCH);
  const canonical = canonicalString({
    method: req.method,
    url,
    headers,
    signedHeaders,
    payloadHash: declared ?? bodyHash,
  });
  const scope = credentialScope(auth.dateStamp, auth.region, auth.service);
  const expected = await signer.signature(
    credentials.secretAccessKey,
    stringToSign(dateHeader, scope, await signer.hash(canonical)),
  );
  if (!timingSafeEqual(expected, auth.signature)) throw invalidSignature(SIGNATURE_MISMATCH);
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
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

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=a;b,
 * Signature=hex` (parts in any order, spaces after commas optional); `undefined` when malformed.
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
