/**
 * Redirects, as fetch follows them (https://fetch.spec.whatwg.org/#http-redirect-fetch): which answers are followed,
 * at most how many, and the request that follows one.
 */
import { TransportError, fetchFailed } from "./errors.ts";
import type { PreparedRequest } from "./request.ts";

/** fetch's limit: the 21st redirect fails. */
export const MAX_REDIRECTS = 20;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Headers carrying a credential, dropped when a redirect leaves the origin (another host or port, or https to http):
// fetch's Authorization, and the AWS ones it does not know of (SigV4's session token, IAM Identity Center's bearer
// token, the instance metadata session token), which would otherwise reach whatever host the Location names.
const CREDENTIAL_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-amz-security-token",
  "x-amz-sso_bearer_token",
  "x-aws-ec2-metadata-token",
];

// Headers describing a body that is not sent again when a redirect turns the request into a GET.
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/** What a redirect is decided from: the request that got it, and the answer's status and `location`. */
export interface RedirectAnswer {
  readonly status: number;
  readonly location: string | null;
}

/**
 * The request to send next, or `undefined` when `answer` is the response to return (not a redirect, a redirect
 * without `location`, or `redirect: "manual"`). Rejects as fetch does (`TypeError("fetch failed")`) with
 * `redirect: "error"`, after {@link MAX_REDIRECTS}, or to a URL that is not http(s).
 * @param followed redirects followed so far for this fetch
 */
export function nextRequest(
  request: PreparedRequest,
  answer: RedirectAnswer,
  followed: number,
): PreparedRequest | undefined {
  const { status, location } = answer;
  if (!REDIRECT_STATUSES.has(status) || location === null || request.redirect === "manual") return undefined;
  if (request.redirect === "error") throw redirectFailed("unexpected redirect");
  if (followed >= MAX_REDIRECTS) throw redirectFailed("redirect count exceeded");
  let url: URL;
  try {
    url = new URL(location, request.url);
  } catch (cause) {
    throw fetchFailed(cause);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw redirectFailed("URL scheme must be a HTTP(S) scheme");
  const headers = { ...request.headers };
  let { method, body } = request;
  // 303 (and 301/302 after a POST) turn into a GET without a body.
  if (
    (status === 303 && method !== "GET" && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST")
  ) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  // Crossing origins drops the credentials; the host is the new URL's.
  if (url.origin !== request.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  delete headers.host;
  return { ...request, url, method, headers, body };
}

const redirectFailed = (message: string): TypeError =>
  fetchFailed(new TransportError("Error", "ERR_REDIRECT", message));
