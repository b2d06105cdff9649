/**
 * Retries as the AWS SDK v3's standard mode does them (its adaptive mode's rate limiter is
 * src/adaptive-rate-limiter.ts).
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 *
 * - Retried: throttling error names (Cognito throttles with TooManyRequestsException at HTTP 400, so names count,
 *   not only statuses), 429, 500/502/503/504, network errors and timeouts. Never: other 4xx, aborts.
 * - Delay: full jitter, `random * min(20 s, base * 2^(attempt-1))`, base 100 ms (500 ms after throttling);
 *   a `Retry-After` header raises it (up to the cap).
 * - Retry quota: 500 tokens, 5 per retry (10 after a timeout), refunded on success; an empty quota stops retrying.
 */

/**
 * Names the SDK treats as throttling (its THROTTLING_ERROR_CODES, 14 names, written as one pattern): TooManyRequests,
 * Throttling, Throttled, RequestThrottled, LimitExceeded, ProvisionedThroughputExceeded, EC2Throttled and
 * TransactionInProgress + "Exception", and Throttling, RequestThrottled, RequestLimitExceeded, BandwidthLimitExceeded,
 * SlowDown, PriorRequestNotComplete.
 */
const THROTTLING_ERRORS =
  /^((TooManyRequests|Throttled|LimitExceeded|ProvisionedThroughputExceeded|EC2Throttled|TransactionInProgress)Exception|(Throttling|RequestThrottled)(Exception)?|(Request|Bandwidth)LimitExceeded|SlowDown|PriorRequestNotComplete)$/;

/** Names the SDK treats as transient. */
const TRANSIENT_ERRORS = /^(TimeoutError|RequestTimeout|RequestTimeoutException|NetworkError)$/;

export const MAX_BACKOFF_MS = 20_000;
export const BASE_DELAY_MS = 100;
export const THROTTLING_BASE_DELAY_MS = 500;
const INITIAL_RETRY_TOKENS = 500;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;

/** How an attempt failed, as the retry strategy sees it. */
export interface AttemptFailure {
  name: string;
  status?: number | undefined;
  /** Milliseconds from a `Retry-After` header. */
  retryAfterMs?: number | undefined;
}

export type RetryKind = "throttling" | "transient" | undefined;

/** How a failure is retried: as throttling, as a transient error, or not at all. */
export function classify(f: AttemptFailure): RetryKind {
  return THROTTLING_ERRORS.test(f.name) || f.status === 429
    ? "throttling"
    : TRANSIENT_ERRORS.test(f.name) || [500, 502, 503, 504].includes(f.status!)
      ? "transient"
      : undefined;
}

/** `Retry-After` in milliseconds: seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The retry quota shared by every call of one client. */
export class RetryQuota {
  #tokens = INITIAL_RETRY_TOKENS;
  get available(): number {
    return this.#tokens;
  }
  /** Takes the cost of a retry; `undefined` when the quota cannot pay for it. */
  acquire(kind: "timeout" | "other"): number | undefined {
    const cost = kind === "timeout" ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.#tokens < cost) return undefined;
    this.#tokens -= cost;
    return cost;
  }
  /** A call succeeded: give back what its retries cost, or 1 token when it needed none. */
  release(cost: number): void {
    this.#tokens = Math.min(INITIAL_RETRY_TOKENS, this.#tokens + (cost || 1));
  }
}

/** Full-jitter exponential backoff for the given attempt (1 = the first retry), without `Retry-After`. */
export function jitter(attempt: number, kind: RetryKind, random = Math.random): number {
  return Math.floor(
    random() *
      Math.min(MAX_BACKOFF_MS, (kind === "throttling" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS) * 2 ** (attempt - 1)),
  );
}

/** {@link jitter}, raised to `retryAfterMs` (up to the cap) when the service sent `Retry-After`. */
export function backoffDelay(
  attempt: number,
  kind: RetryKind,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  // The jitter is under the cap and not negative: without a Retry-After it is returned as it is.
  return Math.min(MAX_BACKOFF_MS, Math.max(jitter(attempt, kind, random), retryAfterMs ?? 0));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A client-side rate limiter the client consults around each attempt (the adaptive retry mode's: see
 * src/adaptive-rate-limiter.ts).
 */
export interface RateLimiter {
  /** Waits until a request may be sent; rejects with the signal's reason when it aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Records a response: `throttled` when the service said to slow down. */
  update(throttled: boolean): void;
}
