/**
 * The emulator's answers as a transport delivers them: the service's headers on every response, and what a fault
 * makes of one (an error in its place, or the same answer slowed, reset, cut short or with a skewed `Date`).
 * Web-standard globals only.
 */
import { errorParts, internalError, ServiceError, tooManyRequests } from "./errors.ts";
import { type ActiveFault, htmlErrorPage } from "./faults.ts";

/**
 * The answer, plus what the transport must do to deliver it the way a fault wants.
 * Header names are in the service's spelling; the body is UTF-8 text.
 */
export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Wait this long before answering (fault `slow`). */
  delayMs?: number;
  /**
   * Send the headers and this many bytes of the body, then reset the connection (fault `reset`;
   * 0: reset before sending anything).
   */
  resetAfterBytes?: number;
}

const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** When, and to which request, an answer is given. */
export interface Answering {
  /** Emulator clock, epoch ms: the `Date` header. */
  nowMs: number;
  requestId: string;
}

/** An answer's content. */
export interface AnswerParts extends Answering {
  status: number;
  body: string;
  /** Headers beyond the service's four (an error's `x-amzn-ErrorType`). @default none */
  headers?: Record<string, string>;
  /** @default the service's JSON content type */
  contentType?: string;
}

/** An answer with the headers the service sends on every response. */
export function respond(parts: AnswerParts): EmulatorResponse {
  const { status, body, nowMs, requestId, headers = {}, contentType = JSON_CONTENT_TYPE } = parts;
  return {
    status,
    headers: {
      "x-amzn-RequestId": requestId,
      "Content-Type": contentType,
      "Content-Length": String(byteLength(body)),
      Date: new Date(nowMs).toUTCString(),
      ...headers,
    },
    body,
  };
}

/** The answer a replacing fault gives instead of the operation's (an error, or a proxy's HTML page). */
export function faultResponse(fault: ActiveFault, answering: Answering): EmulatorResponse {
  const rule = fault.rule;
  let error: ServiceError;
  switch (rule.kind) {
    case "html": {
      const status = rule.status ?? 502;
      return respond({ ...answering, status, body: htmlErrorPage(status), contentType: "text/html" });
    }
    case "throttle":
      error = tooManyRequests(400);
      break;
    case "throttle-429":
      error = tooManyRequests(429);
      break;
    case "http-500":
      error = internalError();
      break;
    case "http-503":
      error = new ServiceError("ServiceUnavailableException", "Service Unavailable", 503);
      break;
    default:
      error = new ServiceError(
        rule.errorType ?? "InternalErrorException",
        rule.message ?? "Injected fault.",
        rule.status ?? 400,
      );
  }
  const { body, headers } = errorParts(error);
  return respond({ ...answering, status: error.status, body, headers });
}

/** What a wrapping fault makes of an answer: slowed, reset after some bytes, cut short, or with a skewed `Date`. */
export function applyFault(fault: ActiveFault, response: EmulatorResponse): EmulatorResponse {
  const rule = fault.rule;
  switch (rule.kind) {
    case "slow":
      return { ...response, delayMs: (response.delayMs ?? 0) + (rule.delayMs ?? 2000) };
    case "reset": {
      const size = byteLength(response.body);
      return { ...response, resetAfterBytes: Math.min(rule.afterBytes ?? Math.floor(size / 2), size) };
    }
    case "truncated-json": {
      const body = response.body.slice(0, Math.floor(response.body.length / 2));
      return { ...response, body, headers: { ...response.headers, "Content-Length": String(byteLength(body)) } };
    }
    case "skewed-date": {
      const date = Date.parse(response.headers.Date ?? "") + (rule.skewSeconds ?? 900) * 1000;
      return { ...response, headers: { ...response.headers, Date: new Date(date).toUTCString() } };
    }
    default:
      return response;
  }
}
