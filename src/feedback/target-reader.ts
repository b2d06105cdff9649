/**
 * Reading a bulk-feedback run's targets: each one checked, numbered and handed to the run, no further ahead of the
 * consumer than a window. A resumed run reads again the targets its checkpoint settled, to count them, and hands
 * none of them out; the anchor (the last settled target's event id) is checked on the way, so that a different
 * input is refused rather than half applied.
 *
 * Web-standard globals only.
 */
import type { Notifier } from "../audit/queue.ts";
import type { SettledItems } from "./checkpoint.ts";
import type { FeedbackTarget } from "./input.ts";
import { checkTarget } from "./options.ts";

/** Items read ahead of those settled. */
const WINDOW = 1_000;
/** How far past the first unsettled item the run reads (bounds the checkpoint's ranges). */
const MAX_SPAN = 20_000;

/** A target and its position in the input, from 0. */
export interface FeedbackItem<T> {
  index: number;
  target: T;
}

/** What reading the targets needs. */
export interface TargetReading<T> {
  readonly targets: Iterable<T> | AsyncIterable<T>;
  /** The position the run resumed from: its items are read again and skipped. */
  readonly resumedFrom: SettledItems;
  /** The position now. */
  readonly settled: SettledItems;
  /** Items handed to the run and not yet settled. */
  readonly unsettled: () => number;
  /** Notified when an item is settled, and when the run stops. */
  readonly changed: Notifier;
  /** Hands an item to the run. */
  readonly admit: (item: FeedbackItem<T>) => void;
  /** Throws once the run has stopped. */
  readonly ensureRunning: () => void;
}

/**
 * Reads every target and hands the ones not settled yet to the run.
 * @throws TypeError for a target without a username or event id, or an input that is not the checkpoint's
 */
export async function readTargets<T extends FeedbackTarget>(reading: TargetReading<T>): Promise<void> {
  const { resumedFrom, settled, changed, ensureRunning } = reading;
  const anchor = resumedFrom.anchor;
  let read = 0;
  for await (const target of reading.targets) {
    ensureRunning();
    const index = read++;
    checkTarget(target, index);
    if (resumedFrom.has(index)) {
      if (anchor?.index === index && anchor.eventId !== target.eventId)
        throw new TypeError(
          `checkpoint: targets[${index}] is event ${JSON.stringify(target.eventId)}, not the ${JSON.stringify(anchor.eventId)} the checkpoint recorded: resume with the same input`,
        );
      continue;
    }
    while (reading.unsettled() >= WINDOW || index - settled.next >= MAX_SPAN) {
      ensureRunning();
      await changed.wait();
    }
    ensureRunning();
    reading.admit({ index, target });
  }
  if (read < resumedFrom.next)
    throw new TypeError(
      `checkpoint: the targets end after ${read} events, before the ${resumedFrom.next} the checkpoint has settled: resume with the same input`,
    );
}
