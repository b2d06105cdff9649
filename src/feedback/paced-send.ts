/**
 * One request sent at its quota's pace: it waits for its pacers, and is sent again after a throttle
 * (until it passes: throttling never fails a run) or a transient error (5xx, network, timeout: a
 * few times, with backoff). Web-standard globals only.
 */
import type { QuotaPacer } from "../audit.ts";
import type { PaginationClient } from "../paginate.ts";
import { backoffDelay, classify, sleep } from "../retry.ts";

/** Retries of transient errors per request (the client is given one attempt per call). */
const TRANSIENT_RETRIES = 5;

/** What {@link pacedSend} sends and how it reports its attempts. */
export interface PacedSendOptions {
  client: PaginationClient;
  command: { input: object };
  /** The quota category's pacer. */
  pacer: QuotaPacer;
  /** A second pacer the request also waits for (a per-user quota). @default none */
  userPacer?: QuotaPacer | undefined;
  /** Stops waiting and sending. */
  signal: AbortSignal;
  /** Called as each attempt leaves. */
  onAttempt: () => void;
  /** Called for each throttled attempt. */
  onThrottle: () => void;
}

/**
 * Sends the command through the pacers until it succeeds or fails for a reason other than
 * throttling; resolves with the client's output.
 * @throws the last error, or the signal's reason once it aborts
 */
export async function pacedSend(options: PacedSendOptions): Promise<unknown> {
  const { client, command, pacer, userPacer, signal } = options;
  for (let transient = 0; ; ) {
    const userSentAt = userPacer ? await userPacer.acquire(signal) : undefined;
    const sentAt = await pacer.acquire(signal);
    signal.throwIfAborted();
    options.onAttempt();
    try {
      const output = await client.send(command, { abortSignal: signal });
      pacer.record(false, sentAt);
      return output;
    } catch (error) {
      signal.throwIfAborted();
      const name = error instanceof Error ? error.name : "";
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const kind = classify({ name, status });
      if (kind === "throttling") {
        options.onThrottle();
        pacer.record(true, sentAt);
        if (userPacer && userSentAt !== undefined) userPacer.record(true, userSentAt);
        // The pacer sets the pace; the jitter only spreads the retries of one round.
        await sleep(Math.random() * 100, signal);
        continue;
      }
      if (kind === "transient" && transient < TRANSIENT_RETRIES) {
        transient++;
        await sleep(backoffDelay(transient, kind, undefined), signal);
        continue;
      }
      throw error;
    }
  }
}
