/**
 * The AWS SDK v3's adaptive retry mode: its client-side rate limiter, a CUBIC token bucket.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 *
 * Web-standard globals only, but carried by the Node, Deno and Bun build alone (src/node/defaults.ts hands it to the
 * client): `retryMode: "adaptive"` is for long-running processes that share a quota, and an edge bundle need not
 * carry it.
 */
import { type RateLimiter, sleep } from "./retry.ts";

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
export class AdaptiveRateLimiter implements RateLimiter {
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
