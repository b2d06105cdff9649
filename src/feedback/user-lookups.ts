/**
 * The lookups of a bulk-feedback run: before any feedback request, the run reads each user's events
 * (AdminListUserAuthEvents, newest first, until every target of that user is found or the listing is older than all
 * of them), so that an event which already has the feedback is skipped without a request. This also makes a resumed
 * run exact: an event updated just before an interruption, and not yet in the checkpoint, is found updated and
 * skipped rather than sent again.
 *
 * Items wait grouped by user; one worker at a time looks a user up (items that arrive meanwhile wait for the next
 * lookup), and the user with the earliest item goes first, so that the checkpoint's position moves steadily.
 *
 * Web-standard globals only.
 */
import type { FeedbackValueType } from "../../generated/enums.ts";
import { PerUserLimiter } from "../audit/pacer.ts";
import type { Notifier } from "../audit/queue.ts";
import type { PaginationClient } from "../paginate.ts";
import { failsUser, outcomeError } from "./failures.ts";
import { IndexHeap } from "./index-heap.ts";
import type { FeedbackTarget } from "./input.ts";
import { lookUpFeedback } from "./lookup.ts";
import type { FeedbackOutcome } from "./options.ts";
import type { FeedbackItem } from "./target-reader.ts";

/** A user's window: a little longer than the service's second, for clock jitter (as the audit's). */
const USER_WINDOW_MS = 1_050;

/** A user's items waiting for a lookup, and whether one is running (one at a time per user). */
interface UserQueue<T> {
  username: string;
  /** The lowest index of its pending items: users are looked up in that order. */
  index: number;
  pending: FeedbackItem<T>[];
  queued: boolean;
  running: boolean;
  limiter: PerUserLimiter;
}

/** What the lookups need from the run. */
export interface UserLookupsOptions<T extends FeedbackTarget> {
  readonly userPoolId: string;
  /** The run's feedback: an event that has it already is skipped. */
  readonly value: FeedbackValueType;
  /** AdminListUserAuthEvents requests per second for one user. */
  readonly perUser: number;
  /** A client whose requests go through the listing's pacer and this user's limiter. */
  readonly client: (user: PerUserLimiter, signal: AbortSignal) => PaginationClient;
  /** Hands an outcome to the consumer: an item skipped, or failed with its user. */
  readonly settle: (outcome: FeedbackOutcome<T>) => void;
  /** Queues an item for its feedback request. */
  readonly send: (item: FeedbackItem<T>) => void;
  /** Notified when there is something new to look at (and when the run stops). */
  readonly changed: Notifier;
  /** Throws once the run has stopped. */
  readonly ensureRunning: () => void;
  /** Every target has been read. */
  readonly readDone: () => boolean;
}

/** The users waiting for a lookup, and the workers that look them up. */
export class UserLookups<T extends FeedbackTarget> {
  readonly #options: UserLookupsOptions<T>;
  readonly #users = new Map<string, UserQueue<T>>();
  readonly #queue = new IndexHeap<UserQueue<T>>();
  #running = 0;

  constructor(options: UserLookupsOptions<T>) {
    this.#options = options;
  }

  /** No lookup is queued or running. */
  get idle(): boolean {
    return this.#running === 0 && this.#queue.size === 0;
  }

  /** Queues an item for its user's lookup. */
  add(item: FeedbackItem<T>): void {
    const { username } = item.target;
    let user = this.#users.get(username);
    if (user === undefined) {
      user = {
        username,
        index: 0,
        pending: [],
        queued: false,
        running: false,
        limiter: new PerUserLimiter(this.#options.perUser, USER_WINDOW_MS),
      };
      this.#users.set(username, user);
    }
    user.pending.push(item);
    if (!user.queued && !user.running) {
      user.queued = true;
      user.index = item.index;
      this.#queue.push(user);
      this.#options.changed.notify();
    }
  }

  /** One worker: looks users up until every target has been read and no user is left. */
  async work(signal: AbortSignal): Promise<void> {
    const { changed, ensureRunning, readDone } = this.#options;
    for (;;) {
      ensureRunning();
      const user = this.#queue.pop();
      if (user === undefined) {
        if (readDone() && this.idle) return;
        await changed.wait();
        continue;
      }
      const items = user.pending;
      user.pending = [];
      user.queued = false;
      user.running = true;
      this.#running++;
      try {
        await this.#lookUp(user, items, signal);
      } finally {
        this.#running--;
        user.running = false;
        if (user.pending.length > 0) {
          user.queued = true;
          user.index = user.pending[0]!.index;
          this.#queue.push(user);
        } else this.#users.delete(user.username);
        changed.notify();
      }
    }
  }

  /** Reads the user's events until every item is found: those with the feedback are skipped, the rest sent. */
  async #lookUp(user: UserQueue<T>, items: FeedbackItem<T>[], signal: AbortSignal): Promise<void> {
    const { value, settle, send } = this.#options;
    const wanted = new Map<string, FeedbackItem<T>>();
    for (const item of items) {
      if (wanted.has(item.target.eventId))
        settle({ index: item.index, target: item.target, result: "skipped", skipped: "duplicate" });
      else wanted.set(item.target.eventId, item);
    }
    const dates = [...wanted.values()].map((item) => item.target.creationDate?.getTime());
    const found = new Set<string>();
    let missing: Set<string>;
    try {
      missing = await lookUpFeedback({
        client: this.#options.client(user.limiter, signal),
        userPoolId: this.#options.userPoolId,
        username: user.username,
        eventIds: new Set(wanted.keys()),
        oldest: dates.every((d) => d !== undefined && !Number.isNaN(d)) ? Math.min(...(dates as number[])) : undefined,
        signal,
        onFound: (eventId, current) => {
          found.add(eventId);
          const item = wanted.get(eventId)!;
          if (current?.toLowerCase() === value.toLowerCase())
            settle({ index: item.index, target: item.target, result: "skipped", skipped: "service" });
          else send(item);
        },
      });
    } catch (error) {
      this.#options.ensureRunning();
      if (!failsUser(error)) throw error;
      // The user is gone (or cannot be named so): every one of its events not yet found fails the same way.
      for (const item of wanted.values())
        if (!found.has(item.target.eventId))
          settle({ index: item.index, target: item.target, result: "failed", error: outcomeError(error) });
      return;
    }
    // Not in the listing: the service says what became of it.
    for (const eventId of missing) send(wanted.get(eventId)!);
  }
}
