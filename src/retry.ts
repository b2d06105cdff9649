/**
 * Retries as the AWS SDK v3's standard mode does them, plus its adaptive mode's client-side rate limiter.
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
  /^((TooManyRequests|Throttling|Throttled|RequestThrottled|LimitExceeded|ProvisionedThroughputExceeded|EC2Throttled|TransactionInProgress)Exception|Throttling|RequestThrottled|RequestLimitExceeded|BandwidthLimitExceeded|SlowDown|PriorRequestNotComplete)$/;

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

/** Full-jitter exponential backoff for the given attempt (1 = the first retry). */
export function backoffDelay(
  attempt: number,
  kind: RetryKind,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const base = kind === "throttling" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  const delay = Math.floor(random() * Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1)));
  return retryAfterMs === undefined ? delay : Math.min(MAX_BACKOFF_MS, Math.max(delay, retryAfterMs));
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

// The SDK's CUBIC constants.
const BETA = 0.7;
const SCALE = 0.4;
const MIN_FILL_RATE = 0.5;
const MIN_CAPACITY = 1;
const SMOOTH = 0.8;

/**
 * The adaptive mode's client-side rate limiter (the SDK's CUBIC token bucket): after a throttle it cuts the allowed
 * rate and grows it back along a cubic curve; requests wait for a token once throttling has been seen.
 */
export class AdaptiveRateLimiter {
  #fillRate: number;
  #capacity: number;
  #tokens = 0;
  #lastFill = 0;
  #enabled = false;
  #lastMaxRate = 0;
  #lastThrottle: number;
  #measuredRate = 0;
  #requestCount = 0;
  #lastTxBucket: number;
  readonly #ceiling: number;
  readonly #now: () => number;

  constructor(options: { now?: () => number; maxRate?: number } = {}) {
    const { maxRate } = options;
    this.#now = options.now ?? (() => Date.now() / 1000);
    this.#ceiling = maxRate ?? Infinity;
    this.#fillRate = maxRate ?? MIN_FILL_RATE;
    this.#capacity = maxRate ?? MIN_CAPACITY;
    this.#lastThrottle = this.#now();
    this.#lastTxBucket = Math.floor(this.#now());
    if (maxRate !== undefined) {
      // A known ceiling (a documented quota) applies from the first request.
      this.#enabled = true;
      this.#tokens = this.#lastMaxRate = maxRate;
    }
  }

  /** Waits for a token, re-checking (the rate may have grown back meanwhile) rather than booking a slot ahead. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (!this.#enabled) return;
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const wait = (1 - this.#tokens) / this.#fillRate;
      await sleep(Math.min(wait, 0.25) * 1000 * (0.5 + Math.random() / 2), signal);
    }
  }

  /** Records a response: `throttled` when the service said to slow down. */
  update(throttled: boolean): void {
    // The measured rate: requests per half-second bucket, smoothed.
    const now = this.#now();
    const bucket = Math.floor(now * 2) / 2;
    this.#requestCount++;
    if (bucket > this.#lastTxBucket) {
      this.#measuredRate =
        (this.#requestCount / (bucket - this.#lastTxBucket)) * SMOOTH + this.#measuredRate * (1 - SMOOTH);
      this.#requestCount = 0;
      this.#lastTxBucket = bucket;
    }
    let rate: number;
    if (throttled) {
      // No half-second bucket has closed yet: estimate the rate from the requests counted so far.
      const measured = this.#measuredRate || this.#requestCount / Math.max(0.5, now - this.#lastTxBucket);
      this.#lastMaxRate = this.#enabled ? Math.min(measured, this.#fillRate) : measured;
      this.#lastThrottle = this.#now();
      rate = this.#lastMaxRate * BETA;
      this.#enabled = true;
    } else {
      const timeWindow = Math.cbrt((this.#lastMaxRate * (1 - BETA)) / SCALE);
      rate = SCALE * (this.#now() - this.#lastThrottle - timeWindow) ** 3 + this.#lastMaxRate;
    }
    this.#refill();
    const capped = Math.min(rate, 2 * this.#measuredRate, this.#ceiling);
    this.#fillRate = Math.max(capped, MIN_FILL_RATE);
    this.#capacity = Math.max(capped, MIN_CAPACITY);
    this.#tokens = Math.min(this.#tokens, this.#capacity);
  }

  /** The rate (requests/s) currently allowed, for progress reports and tests. */
  get rate(): number {
    return this.#enabled ? this.#fillRate : Infinity;
  }

  #refill(): void {
    const now = this.#now();
    if (this.#lastFill) this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#lastFill) * this.#fillRate);
    this.#lastFill = now;
  }
}
