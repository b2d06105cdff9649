/**
 * Pacing requests to the service's quotas, which it counts in sliding one-second windows
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html): {@link QuotaPacer} for a whole quota
 * category (every AdminListUserAuthEvents call of the account, every ListUsers call), {@link PerUserLimiter} for the
 * per-user quota.
 *
 * Web-standard globals only.
 */
import type { AdaptiveRateLimiter } from "../adaptive-rate-limiter.ts";
import { sleep } from "../retry.ts";
import { DEFAULT_HEADROOM } from "./options.ts";

/**
 * CUBIC's cut factor and regrowth scale. The AWS SDK's adaptive mode cuts to x0.7; the pacer cuts to x0.9: it
 * already paces at the known quota, so a throttle usually means jitter at the edge of the service's window, and a
 * deep cut costs seconds of throughput each time (bench/audit measures both). Sustained throttling (another client
 * spending the same quota) still halves the rate within a few windows.
 */
const CUBIC_BETA = 0.9;
const CUBIC_SCALE = 0.4;
/** The slowest a throttled category is paced, so that it always recovers. */
const MIN_RATE = 0.5;

/** Options of {@link QuotaPacer}. */
export interface QuotaPacerOptions {
  /**
   * Cut the rate on a throttle (see {@link QuotaPacer}); `false` keeps pacing at the quota whatever the service
   * answers.
   * @default true
   */
  adaptive?: boolean;
  /**
   * Fraction of `maxRate` left unused.
   * @default 0.03
   */
  headroom?: number;
  /**
   * The clock, epoch ms.
   * @default Date.now
   * @example { now: () => performance.timeOrigin + performance.now() }
   */
  now?: () => number;
}

/**
 * Paces one quota category against a service that counts requests in a sliding one-second
 * window:
 * - requests go out evenly spaced at `maxRate x (1 - headroom)` (no bursts);
 * - and never more than `maxRate` of them in any `1 s / (1 - headroom / 3)`, counted at the
 *   times they really left: after a stall the missed slots cannot go out in a burst. The window
 *   is a little shorter than the spacing's, so that a timer firing a few milliseconds late does
 *   not push every later request back (it would, with equal rates: lateness would add up);
 * - with `adaptive`, a throttle cuts the rate along CUBIC, as the AWS SDK's adaptive retry mode
 *   does (x0.9 here, then a cubic climb back to the quota), at most once per window.
 *
 * The cut is computed from the rate allowed at the time of the throttle, not from a measured
 * rate as {@link AdaptiveRateLimiter} does: a measured rate lags, and cuts too deep early in a
 * run.
 * @example
 * const pacer = new QuotaPacer(50);
 * const sentAt = await pacer.acquire(signal);
 * pacer.record(throttled, sentAt);
 */
export class QuotaPacer {
  readonly maxRate: number;
  readonly #adaptive: boolean;
  readonly #headroom: number;
  readonly #now: () => number;
  /** Requests allowed in one window. */
  readonly #limit: number;
  readonly #windowMs: number;
  /** The last `#limit` send times (planned, then actual). */
  readonly #sent: Array<{ time: number }> = [];
  #nextSlot = 0;
  /** The rate when last cut, when, and how long the climb back to it takes. */
  #peakRate = 0;
  #lastCut = Number.NEGATIVE_INFINITY;
  #climbSeconds = 0;
  /** Throttles that cut the rate. */
  cuts = 0;

  constructor(maxRate: number, options: QuotaPacerOptions = {}) {
    if (!(maxRate > 0) || !Number.isFinite(maxRate))
      throw new TypeError(`maxRate must be a positive number, got ${String(maxRate)}`);
    this.maxRate = maxRate;
    this.#adaptive = options.adaptive !== false;
    this.#now = options.now ?? (() => Date.now());
    this.#headroom = options.headroom ?? DEFAULT_HEADROOM;
    this.#limit = Math.max(1, Math.floor(maxRate));
    this.#windowMs = ((this.#limit / maxRate) * 1000) / (1 - this.#headroom / 3);
  }

  /** Requests per second allowed now (headroom included). */
  get rate(): number {
    return this.#rateAt(this.#now());
  }

  #rateAt(now: number): number {
    const ceiling = this.maxRate * (1 - this.#headroom);
    if (this.#lastCut === Number.NEGATIVE_INFINITY) return ceiling;
    const t = (now - this.#lastCut) / 1000 - this.#climbSeconds;
    // CUBIC: beta x peak right after the cut, back at the peak after #climbSeconds, then beyond.
    return Math.max(MIN_RATE, Math.min(ceiling, CUBIC_SCALE * t ** 3 + this.#peakRate));
  }

  /** Waits for the next slot; resolves with the send time (epoch ms), to pass back to {@link QuotaPacer.record}. */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.#now();
    let slot = Math.max(now, this.#nextSlot);
    const sent = this.#sent;
    if (sent.length >= this.#limit) slot = Math.max(slot, sent[sent.length - this.#limit]!.time + this.#windowMs);
    const entry = { time: slot };
    sent.push(entry);
    if (sent.length > this.#limit) sent.shift();
    this.#nextSlot = slot + 1000 / this.#rateAt(slot);
    if (slot > now) await sleep(slot - now, signal);
    // A late timer: count the time the request really leaves.
    entry.time = Math.max(entry.time, this.#now());
    return entry.time;
  }

  /** Records the answer to a request sent at `sentAt`: `throttled` when the service said to slow down. */
  record(throttled: boolean, sentAt: number): void {
    // The service's window still holds the requests sent before the cut for one window after it:
    // throttles of requests sent by then say nothing new.
    if (!throttled || !this.#adaptive || sentAt < this.#lastCut + this.#windowMs) return;
    const now = this.#now();
    const current = this.#rateAt(now);
    this.cuts++;
    this.#peakRate = current;
    this.#climbSeconds = Math.cbrt((current * (1 - CUBIC_BETA)) / CUBIC_SCALE);
    this.#lastCut = now;
  }
}

/**
 * At most `limit` requests in any `windowMs`, bursts allowed: the per-user quota, where a user's few requests need
 * no spacing.
 */
export class PerUserLimiter {
  readonly #sent: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Waits until one more request fits in the window. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - this.windowMs) this.#sent.shift();
      if (this.#sent.length < this.limit) return;
      await sleep(this.#sent[0]! + this.windowMs - now + 1, signal);
    }
  }

  /** Counts a request sent at `time` (epoch ms). */
  record(time: number): void {
    this.#sent.push(time);
  }
}
