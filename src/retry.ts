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

/** Names the SDK treats as throttling. */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottledException",
  "RequestThrottled",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "TransactionInProgressException",
]);

/** Names the SDK treats as transient. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "NetworkError"]);
const TRANSIENT_STATUS: ReadonlySet<number> = new Set([500, 502, 503, 504]);

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

export function classify(f: AttemptFailure): RetryKind {
  if (THROTTLING_ERRORS.has(f.name) || f.status === 429) return "throttling";
  if (TRANSIENT_ERRORS.has(f.name) || (f.status !== undefined && TRANSIENT_STATUS.has(f.status))) return "transient";
  return undefined;
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
export function backoffDelay(attempt: number, kind: RetryKind, retryAfterMs: number | undefined, random = Math.random): number {
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

/**
 * The adaptive mode's client-side rate limiter (the SDK's CUBIC token bucket): after a throttle it cuts the allowed
 * rate and grows it back along a cubic curve; requests wait for a token once throttling has been seen.
 */
export class AdaptiveRateLimiter {
  #beta = 0.7;
  #scale = 0.4;
  #minFill = 0.5;
  #minCapacity = 1;
  #smooth = 0.8;
  #fillRate: number;
  #capacity: number;
  #tokens = 0;
  #lastFill = 0;
  #enabled = false;
  #lastMaxRate = 0;
  #lastThrottle: number;
  #timeWindow = 0;
  #measuredRate = 0;
  #requestCount = 0;
  #lastTxBucket: number;
  readonly #ceiling: number;
  readonly #now: () => number;

  constructor(options: { now?: () => number; maxRate?: number } = {}) {
    this.#now = options.now ?? (() => Date.now() / 1000);
    this.#ceiling = options.maxRate ?? Infinity;
    this.#fillRate = options.maxRate ?? this.#minFill;
    this.#capacity = options.maxRate ?? this.#minCapacity;
    this.#lastThrottle = this.#now();
    this.#lastTxBucket = Math.floor(this.#now());
    if (options.maxRate !== undefined) {
      // A known ceiling (a documented quota) applies from the first request.
      this.#enabled = true;
      this.#tokens = this.#capacity;
      this.#lastMaxRate = options.maxRate;
    }
  }

  /** Seconds to wait before the next request may go; 0 when it may go now (the token is taken). */
  reserve(): number {
    if (!this.#enabled) return 0;
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    const wait = (1 - this.#tokens) / this.#fillRate;
    this.#tokens -= 1;
    return wait;
  }

  /** Waits for a token. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait * 1000, signal);
  }

  /** Records a response: `throttled` when the service said to slow down. */
  update(throttled: boolean): void {
    this.#updateMeasuredRate();
    let rate: number;
    if (throttled) {
      const rateToUse = this.#enabled ? Math.min(this.#measuredRate, this.#fillRate) : this.#measuredRate;
      this.#lastMaxRate = rateToUse;
      this.#calculateTimeWindow();
      this.#lastThrottle = this.#now();
      rate = rateToUse * this.#beta;
      this.#enabled = true;
    } else {
      this.#calculateTimeWindow();
      rate = this.#scale * (this.#now() - this.#lastThrottle - this.#timeWindow) ** 3 + this.#lastMaxRate;
    }
    this.#setRate(Math.min(rate, 2 * this.#measuredRate));
  }

  /** The rate (requests/s) currently allowed, for progress reports and tests. */
  get rate(): number {
    return this.#enabled ? this.#fillRate : Infinity;
  }

  #calculateTimeWindow(): void {
    this.#timeWindow = Math.cbrt((this.#lastMaxRate * (1 - this.#beta)) / this.#scale);
  }

  #refill(): void {
    const now = this.#now();
    if (!this.#lastFill) {
      this.#lastFill = now;
      return;
    }
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#lastFill) * this.#fillRate);
    this.#lastFill = now;
  }

  #setRate(rate: number): void {
    this.#refill();
    const capped = Math.min(rate, this.#ceiling);
    this.#fillRate = Math.max(capped, this.#minFill);
    this.#capacity = Math.max(capped, this.#minCapacity);
    this.#tokens = Math.min(this.#tokens, this.#capacity);
  }

  #updateMeasuredRate(): void {
    const t = this.#now();
    const bucket = Math.floor(t * 2) / 2;
    this.#requestCount++;
    if (bucket > this.#lastTxBucket) {
      const current = this.#requestCount / (bucket - this.#lastTxBucket);
      this.#measuredRate = current * this.#smooth + this.#measuredRate * (1 - this.#smooth);
      this.#requestCount = 0;
      this.#lastTxBucket = bucket;
    }
  }
}
