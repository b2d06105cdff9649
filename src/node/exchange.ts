/**
 * One HTTP exchange of a credential source (instance metadata, container credentials, STS, IAM Identity Center)
 * with a time limit, over the global fetch as it is at the time of the call (so MSW in a test sees it too).
 */

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

/** Sends the request and reads the whole body; rejects on a network error or when `timeout` runs out. */
export async function exchange(url: string | URL, request: ExchangeRequest): Promise<ExchangeResponse> {
  const { timeout, ...init } = request;
  const response = await globalThis.fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
  return { status: response.status, text: await response.text() };
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
