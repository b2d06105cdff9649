/**
 * One HTTP exchange of a credential source (instance metadata, container credentials, STS, IAM Identity Center)
 * with a time limit, over the global fetch as it is at the time of the call (so MSW in a test sees it too).
 * Redirects are refused, as the AWS SDK's handlers never follow them: a followed redirect would take the request
 * (and its token) past the checks made on the configured URL, to another host or from HTTPS to plain HTTP, and
 * credentials from wherever it led would be accepted.
 */
import { CredentialsProviderError } from "../credentials.ts";

/** A request of {@link exchange}. */
export interface ExchangeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds for the whole exchange. */
  timeout: number;
}

/** The answer: status and body text. */
export interface ExchangeResponse {
  status: number;
  text: string;
}

/**
 * Sends the request and reads the whole body; rejects on a network error, when `timeout` runs out, and with a
 * {@link CredentialsProviderError} when the answer is a redirect.
 */
export async function exchange(url: string | URL, request: ExchangeRequest): Promise<ExchangeResponse> {
  const { timeout, ...init } = request;
  const response = await globalThis.fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeout) });
  const { status } = response;
  // A browser-like fetch answers a redirect it did not follow as an opaque one, with status 0.
  if ((status >= 300 && status < 400) || response.type === "opaqueredirect") {
    await response.body?.cancel();
    // Neither the URL (its path or query may carry a token) nor the Location it points to.
    throw new CredentialsProviderError(
      `${new URL(url).host} answered with a redirect (HTTP ${status}), which credential requests do not follow`,
    );
  }
  return { status, text: await response.text() };
}

/** Parses a JSON object, or `undefined` (never the text in an error: it may hold a secret). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
