/**
 * The audit's requests: each one paced (its quota category's {@link QuotaPacer}, and for a user's events the
 * {@link PerUserLimiter}), throttles retried until they pass (the pacer slowing down), transient errors retried a few
 * times, and every request, throttle and retry counted into the audit's totals.
 *
 * Web-standard globals only.
 */
import type { PaginationClient } from "../paginate.ts";
import { backoffDelay, classify, sleep } from "../retry.ts";
import type { AuditCounts } from "./checkpoint.ts";
import type { PerUserLimiter, QuotaPacer } from "./pacer.ts";

/** Retries of transient errors (5xx, network, timeout) per request, on top of the client's own. */
const TRANSIENT_RETRIES = 5;
/** The spread of the retries of one round of throttles: the pacer sets the pace. */
const THROTTLE_JITTER_MS = 100;
/** Send times kept for the recent request rate: more than any rate the quotas allow over a few seconds. */
const RATE_SAMPLES = 1024;

/** The `name` of what a request threw: a modelled error's is its shape name (`UserNotFoundException`). */
export function thrownName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

/** Which pacers a request waits for, and what stops it. */
export interface Pacing {
  readonly pacer: QuotaPacer;
  /** For a user's events: the per-user quota. */
  readonly user?: PerUserLimiter;
  readonly signal: AbortSignal;
}

/** What {@link PacedRequests} counts: the audit's totals, or any object with these three. */
export type RequestCounts = Pick<AuditCounts, "requests" | "throttles" | "clientRetries">;

/** Sends the audit's requests through the pacers, counting into `counts`. */
export class PacedRequests {
  readonly #client: PaginationClient;
  readonly #counts: RequestCounts;
  /** Throws once the run has stopped (an answer that arrives then is not retried). */
  readonly #ensureRunning: () => void;
  readonly #recentSends: number[] = [];
  #failedOperation: string | undefined;

  constructor(client: PaginationClient, counts: RequestCounts, ensureRunning: () => void) {
    this.#client = client;
    this.#counts = counts;
    this.#ensureRunning = ensureRunning;
  }

  /** The operation of the request that failed for good (not for throttling), once one has. */
  get failedOperation(): string | undefined {
    return this.#failedOperation;
  }

  /** Requests sent in the last `spanMs`. */
  sentWithin(spanMs: number, now = Date.now()): number {
    return this.#recentSends.filter((t) => t > now - spanMs).length;
  }

  /** A client whose every request goes through these pacers. */
  client(pacing: Pacing): PaginationClient {
    return { send: (command) => this.send(command, pacing) };
  }

  /** Sends one request: throttles are retried until they pass, transient errors a few times. */
  async send(command: { input: object }, pacing: Pacing): Promise<unknown> {
    const { pacer, user, signal } = pacing;
    for (let transient = 0; ; ) {
      if (user) await user.acquire(signal);
      const sentAt = await pacer.acquire(signal);
      user?.record(Date.now());
      this.#counts.requests++;
      this.#recentSends.push(Date.now());
      if (this.#recentSends.length > RATE_SAMPLES) this.#recentSends.splice(0, RATE_SAMPLES / 2);
      try {
        const output = await this.#client.send(command, { abortSignal: signal });
        pacer.record(false, sentAt);
        this.#countClientRetries(output);
        return output;
      } catch (error) {
        this.#ensureRunning();
        this.#countClientRetries(error);
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const kind = classify({ name: thrownName(error), status });
        if (kind === "throttling") {
          this.#counts.throttles++;
          pacer.record(true, sentAt);
          await sleep(Math.random() * THROTTLE_JITTER_MS, signal);
          continue;
        }
        if (kind === "transient" && transient < TRANSIENT_RETRIES) {
          transient++;
          await sleep(backoffDelay(transient, kind, undefined), signal);
          continue;
        }
        this.#failedOperation ??= (command as { schema?: { name?: string } }).schema?.name;
        throw error;
      }
    }
  }

  /** Attempts the client made on its own beyond the first (its `$metadata.attempts`, on an answer or an error). */
  #countClientRetries(answer: unknown): void {
    const attempts = (answer as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
    if (typeof attempts === "number" && attempts > 1) this.#counts.clientRetries += attempts - 1;
  }
}
