/**
 * Bulk feedback: `AdminUpdateAuthEventFeedback` for many events, as fast as the feedback quota
 * allows (25 requests per second for the two feedback operations together:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html), resumable, idempotent.
 *
 * For each user, the run first reads the user's events (AdminListUserAuthEvents, its own quota,
 * newest first, until every target is found or the listing is older than all of them): an event
 * that already has the feedback is skipped without a request. This also makes a resumed run exact:
 * an event updated just before an interruption, and not yet in the checkpoint, is found updated
 * and skipped rather than sent again.
 *
 * Every request waits for its quota's {@link QuotaPacer} (the audit's), throttles are retried until
 * they pass (and slow the pacer down), transient errors a few times. An event that fails on its own
 * (gone, its user gone, invalid) is reported and the run goes on; any other error (credentials,
 * permissions, the pool) stops the run at once.
 *
 * Longer than this package's other modules on purpose: the run's four loops (the reader of the
 * targets, the lookups, the senders and the consumer) share its state, which a split would turn
 * into a protocol between files.
 *
 * Web-standard globals only.
 */
import { AdminUpdateAuthEventFeedbackCommand } from "../../generated/commands.ts";
import type { FeedbackValueType } from "../../generated/enums.ts";
import { PerUserLimiter, QuotaPacer } from "../audit/pacer.ts";
import { PacedRequests, type Pacing, type RequestCounts, thrownName } from "../audit/requests.ts";
import { AbortError } from "../errors.ts";
import type { PaginationClient } from "../paginate.ts";
import { sleep } from "../retry.ts";
import {
  emptyCounts,
  FEEDBACK_CHECKPOINT_KIND,
  type FeedbackCheckpoint,
  type FeedbackCounts,
  SettledItems,
} from "./checkpoint.ts";
import type { FeedbackTarget } from "./input.ts";
import { IndexHeap } from "./index-heap.ts";
import { lookUpFeedback } from "./lookup.ts";
import {
  type BulkFeedbackOptions,
  checkTarget,
  type FeedbackOutcome,
  type FeedbackRates,
  type FeedbackSummary,
  resolveFeedbackOptions,
} from "./options.ts";

export {
  type BulkFeedbackOptions,
  FEEDBACK_QUOTAS,
  type FeedbackOutcome,
  type FeedbackRates,
  type FeedbackSummary,
} from "./options.ts";

/** Items read ahead of those settled. */
const WINDOW = 1_000;
/** How far past the first unsettled item the run reads (bounds the checkpoint's ranges). */
const MAX_SPAN = 20_000;
const LOOKUP_WORKERS = 4;

/** Failures that belong to one event (or one user's events); any other error stops the run. */
const EVENT_ERRORS = new Set(["ResourceNotFoundException", "UserNotFoundException", "InvalidParameterException"]);
/** The same for a lookup: there, ResourceNotFoundException means the pool is gone. */
const USER_ERRORS = new Set(["UserNotFoundException", "InvalidParameterException"]);
/** The client refused the input before sending (a made-up event id, an overlong username). */
const CLIENT_VALIDATION = "ValidationError";

interface Item<T> {
  index: number;
  target: T;
}

/** A user's items waiting for a lookup, and whether one is running (one at a time per user). */
interface UserQueue<T> {
  username: string;
  /** The lowest index of its pending items: users are looked up in that order. */
  index: number;
  pending: Item<T>[];
  queued: boolean;
  running: boolean;
  limiter: PerUserLimiter;
}

/** Wakes everyone waiting. */
class Notifier {
  #waiters: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Thrown inside workers once the run stops; never seen by callers. */
class Stopped extends Error {}

/** A user's window: a little longer than the service's second, for clock jitter (as the audit's). */
const USER_WINDOW_MS = 1_050;

const errorName = thrownName;
const errorOf = (error: unknown) => ({
  name: errorName(error) || "Error",
  message: error instanceof Error ? error.message : String(error),
});

/**
 * One bulk-feedback run: iterate it (once) for an outcome per event; `checkpoint()` at any time
 * gives a position that resumes right after the outcomes handed out.
 */
export class BulkFeedback<T extends FeedbackTarget = FeedbackTarget> implements AsyncIterable<FeedbackOutcome<T>> {
  /** The feedback this run gives. */
  readonly value: FeedbackValueType;
  readonly userPoolId: string;
  readonly dryRun: boolean;
  readonly #client: PaginationClient;
  readonly #targets: Iterable<T> | AsyncIterable<T>;
  readonly #rates: Required<FeedbackRates>;
  readonly #headroom: number | undefined;
  readonly #concurrency: number;
  readonly #feedbackPacer: QuotaPacer;
  readonly #listPacer: QuotaPacer;
  readonly #feedbackRequests: PacedRequests;
  readonly #listRequests: PacedRequests;
  readonly #userSignal: AbortSignal | undefined;
  readonly #settled: SettledItems;
  /** The checkpoint's position, for the items read again on resume. */
  readonly #resumedFrom: SettledItems;
  readonly #counts: FeedbackCounts;
  #priorElapsed: number;
  #runStart: number | undefined;
  #iterated = false;

  // Producer state.
  #read = 0;
  #unsettled = 0;
  #readDone = false;
  readonly #users = new Map<string, UserQueue<T>>();
  readonly #lookupQueue = new IndexHeap<UserQueue<T>>();
  #lookupsRunning = 0;
  readonly #sendQueue = new IndexHeap<Item<T>>();
  readonly #out: FeedbackOutcome<T>[] = [];
  #outHead = 0;
  readonly #changed = new Notifier();
  readonly #stop = new AbortController();
  /**
   * Each worker's own signal, aborted with the run: its waits and requests listen to it, so no one
   * signal collects a listener per worker (runtimes warn past ten).
   */
  readonly #taskControllers = new Set<AbortController>();
  #failure: unknown;
  #failedOperation: string | undefined;
  /** The operation each error thrown by a request came from, for {@link BulkFeedback.failedOperation}. */
  readonly #errorOperations = new WeakMap<object, string>();

  constructor(options: BulkFeedbackOptions<T>) {
    const resolved = resolveFeedbackOptions(options);
    this.value = resolved.value;
    this.userPoolId = resolved.userPoolId;
    this.dryRun = resolved.dryRun;
    this.#client = resolved.client;
    this.#targets = resolved.targets;
    this.#rates = resolved.rates;
    this.#headroom = resolved.headroom;
    this.#concurrency = resolved.concurrency;
    this.#userSignal = resolved.abortSignal;
    this.#feedbackPacer = this.#pacer(this.#rates.feedback);
    this.#listPacer = this.#pacer(this.#rates.adminListUserAuthEvents);
    this.#settled = new SettledItems(resolved.checkpoint);
    this.#resumedFrom = new SettledItems(resolved.checkpoint);
    this.#counts = resolved.checkpoint ? { ...resolved.checkpoint.counts } : emptyCounts();
    const ensureRunning = () => this.#checkStopped();
    this.#feedbackRequests = new PacedRequests(resolved.client, this.#counter("feedbackRequests"), ensureRunning);
    this.#listRequests = new PacedRequests(resolved.client, this.#counter("listRequests"), ensureRunning);
    this.#priorElapsed = this.#counts.elapsedMs;
  }

  /** The run's counts as {@link PacedRequests} counts them: its requests into `requests`, throttles and retries shared. */
  #counter(requests: "feedbackRequests" | "listRequests"): RequestCounts {
    const counts = this.#counts;
    return {
      get requests() {
        return counts[requests];
      },
      set requests(value) {
        counts[requests] = value;
      },
      get throttles() {
        return counts.throttles;
      },
      set throttles(value) {
        counts.throttles = value;
      },
      get clientRetries() {
        return counts.clientRetries;
      },
      set clientRetries(value) {
        counts.clientRetries = value;
      },
    };
  }

  #pacer(maxRate: number): QuotaPacer {
    return new QuotaPacer(maxRate, this.#headroom === undefined ? {} : { headroom: this.#headroom });
  }

  /** The run's position: resume with it (and the same targets) to act on exactly the events not yet handed out. */
  checkpoint(): FeedbackCheckpoint {
    return {
      version: 1,
      kind: FEEDBACK_CHECKPOINT_KIND,
      query: { userPoolId: this.userPoolId, value: this.value, dryRun: this.dryRun },
      ...this.#settled.toJSON(),
      counts: { ...this.#counts, elapsedMs: this.#elapsed() },
    };
  }

  /** The totals so far (across resumes). */
  summary(): FeedbackSummary {
    const c = { ...this.#counts, elapsedMs: this.#elapsed() };
    const skipped = c.skippedInInput + c.skippedAtService + c.skippedDuplicates;
    return { ...c, skipped, settled: c.updated + skipped + c.failed, dryRun: this.dryRun };
  }

  /** The operation whose error stopped the run (`AdminUpdateAuthEventFeedback`...), once one has. */
  get failedOperation(): string | undefined {
    return this.#failedOperation;
  }

  #elapsed(): number {
    return this.#priorElapsed + (this.#runStart === undefined ? 0 : Date.now() - this.#runStart);
  }

  [Symbol.asyncIterator](): AsyncGenerator<FeedbackOutcome<T>, void, undefined> {
    if (this.#iterated)
      throw new TypeError("a feedback run can only be iterated once; start another from its checkpoint()");
    this.#iterated = true;
    return this.#generate();
  }

  // ---- the consumer side ----

  async *#generate(): AsyncGenerator<FeedbackOutcome<T>, void, undefined> {
    const userSignal = this.#userSignal;
    const onAbort = () => this.#halt(new AbortError("The feedback run was aborted", { cause: userSignal?.reason }));
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener("abort", onAbort, { once: true });
    this.#runStart = Date.now();
    const stopped = this.#stop.signal;
    let workers = 0;
    const task = (run: (signal: AbortSignal) => Promise<void>) => {
      workers++;
      const controller = new AbortController();
      this.#taskControllers.add(controller);
      if (stopped.aborted) controller.abort(stopped.reason);
      return run(controller.signal)
        .catch((error: unknown) => {
          if (!stopped.aborted || !(error instanceof Stopped || errorName(error) === "AbortError")) this.#halt(error);
        })
        .finally(() => {
          workers--;
          this.#taskControllers.delete(controller);
          this.#changed.notify();
        });
    };
    const tasks = [task(() => this.#readTargets())];
    for (let i = 0; i < LOOKUP_WORKERS; i++) tasks.push(task((signal) => this.#lookups(signal)));
    for (let i = 0; i < this.#concurrency; i++) tasks.push(task((signal) => this.#sends(signal)));
    let sinceBreak = 0;
    try {
      for (;;) {
        if (this.#failure !== undefined) throw this.#failure;
        if (this.#outHead < this.#out.length) {
          const outcome = this.#out[this.#outHead++]!;
          if (this.#outHead > 1024 && this.#outHead * 2 > this.#out.length) {
            this.#out.splice(0, this.#outHead);
            this.#outHead = 0;
          }
          this.#apply(outcome);
          // Handing out buffered outcomes only takes microtasks: let the pacers' timers run now and then.
          if (++sinceBreak >= 256) {
            sinceBreak = 0;
            await sleep(0);
          }
          yield outcome;
          continue;
        }
        if (workers === 0) break;
        await this.#changed.wait();
      }
      if (this.#failure !== undefined) throw this.#failure;
    } finally {
      userSignal?.removeEventListener("abort", onAbort);
      this.#priorElapsed = this.#elapsed();
      this.#runStart = undefined;
      this.#stopAll(new Stopped("the feedback run's iterator was closed"));
      this.#changed.notify();
      await Promise.allSettled(tasks);
    }
  }

  #apply(outcome: FeedbackOutcome<T>): void {
    this.#unsettled--;
    this.#changed.notify();
    this.#settled.add(outcome.index, outcome.target.eventId);
    const c = this.#counts;
    if (outcome.result === "updated") c.updated++;
    else if (outcome.result === "failed") c.failed++;
    else if (outcome.skipped === "input") c.skippedInInput++;
    else if (outcome.skipped === "service") c.skippedAtService++;
    else c.skippedDuplicates++;
  }

  #halt(reason: unknown): void {
    if (this.#failure === undefined) {
      this.#failure = reason;
      if (typeof reason === "object" && reason !== null) this.#failedOperation = this.#errorOperations.get(reason);
    }
    this.#stopAll(reason);
    this.#changed.notify();
  }

  #stopAll(reason: unknown): void {
    if (!this.#stop.signal.aborted) this.#stop.abort(reason);
    for (const controller of this.#taskControllers) if (!controller.signal.aborted) controller.abort(reason);
  }

  #checkStopped(): void {
    if (this.#stop.signal.aborted) throw new Stopped("stopped");
  }

  #settle(outcome: FeedbackOutcome<T>): void {
    this.#out.push(outcome);
    this.#changed.notify();
  }

  // ---- reading the targets ----

  async #readTargets(): Promise<void> {
    const resumed = this.#resumedFrom;
    const anchor = resumed.anchor;
    try {
      for await (const target of this.#targets) {
        this.#checkStopped();
        const index = this.#read++;
        checkTarget(target, index);
        if (resumed.has(index)) {
          if (anchor?.index === index && anchor.eventId !== target.eventId)
            throw new TypeError(
              `checkpoint: targets[${index}] is event ${JSON.stringify(target.eventId)}, not the ${JSON.stringify(anchor.eventId)} the checkpoint recorded: resume with the same input`,
            );
          continue;
        }
        while (this.#unsettled >= WINDOW || index - this.#settled.next >= MAX_SPAN) {
          this.#checkStopped();
          await this.#changed.wait();
        }
        this.#checkStopped();
        this.#unsettled++;
        const item = { index, target };
        if (target.feedbackValue?.toLowerCase() === this.value.toLowerCase())
          this.#settle({ index, target, result: "skipped", skipped: "input" });
        else this.#queueLookup(item);
      }
      if (this.#read < resumed.next)
        throw new TypeError(
          `checkpoint: the targets end after ${this.#read} events, before the ${resumed.next} the checkpoint has settled: resume with the same input`,
        );
    } finally {
      this.#readDone = true;
      this.#changed.notify();
    }
  }

  #queueLookup(item: Item<T>): void {
    const { username } = item.target;
    let user = this.#users.get(username);
    if (user === undefined) {
      user = {
        username,
        index: 0,
        pending: [],
        queued: false,
        running: false,
        limiter: new PerUserLimiter(this.#rates.perUser, USER_WINDOW_MS),
      };
      this.#users.set(username, user);
    }
    user.pending.push(item);
    if (!user.queued && !user.running) {
      user.queued = true;
      user.index = item.index;
      this.#lookupQueue.push(user);
      this.#changed.notify();
    }
  }

  // ---- the lookups ----

  async #lookups(signal: AbortSignal): Promise<void> {
    for (;;) {
      this.#checkStopped();
      const user = this.#lookupQueue.pop();
      if (user === undefined) {
        if (this.#readDone && this.#lookupsRunning === 0) return;
        await this.#changed.wait();
        continue;
      }
      const items = user.pending;
      user.pending = [];
      user.queued = false;
      user.running = true;
      this.#lookupsRunning++;
      try {
        await this.#lookUp(user, items, signal);
      } finally {
        this.#lookupsRunning--;
        user.running = false;
        if (user.pending.length > 0) {
          user.queued = true;
          user.index = user.pending[0]!.index;
          this.#lookupQueue.push(user);
        } else this.#users.delete(user.username);
        this.#changed.notify();
      }
    }
  }

  /** Reads the user's events until every item is found: those with the feedback are skipped, the rest sent. */
  async #lookUp(user: UserQueue<T>, items: Item<T>[], signal: AbortSignal): Promise<void> {
    const wanted = new Map<string, Item<T>>();
    for (const item of items) {
      if (wanted.has(item.target.eventId))
        this.#settle({ index: item.index, target: item.target, result: "skipped", skipped: "duplicate" });
      else wanted.set(item.target.eventId, item);
    }
    const dates = [...wanted.values()].map((item) => item.target.creationDate?.getTime());
    const found = new Set<string>();
    let missing: Set<string>;
    try {
      missing = await lookUpFeedback({
        client: {
          send: (command) =>
            this.#send(this.#listRequests, command, { pacer: this.#listPacer, user: user.limiter, signal }),
        },
        userPoolId: this.userPoolId,
        username: user.username,
        eventIds: new Set(wanted.keys()),
        oldest: dates.every((d) => d !== undefined && !Number.isNaN(d)) ? Math.min(...(dates as number[])) : undefined,
        signal,
        onFound: (eventId, current) => {
          found.add(eventId);
          const item = wanted.get(eventId)!;
          if (current?.toLowerCase() === this.value.toLowerCase())
            this.#settle({ index: item.index, target: item.target, result: "skipped", skipped: "service" });
          else this.#queueSend(item);
        },
      });
    } catch (error) {
      this.#checkStopped();
      const name = errorName(error);
      if (!USER_ERRORS.has(name) && name !== CLIENT_VALIDATION) throw error;
      // The user is gone (or cannot be named so): every one of its events not yet found fails the same way.
      for (const item of wanted.values())
        if (!found.has(item.target.eventId))
          this.#settle({ index: item.index, target: item.target, result: "failed", error: errorOf(error) });
      return;
    }
    // Not in the listing: the service says what became of it.
    for (const eventId of missing) this.#queueSend(wanted.get(eventId)!);
  }

  #queueSend(item: Item<T>): void {
    this.#sendQueue.push(item);
    this.#changed.notify();
  }

  // ---- the feedback requests ----

  async #sends(signal: AbortSignal): Promise<void> {
    for (;;) {
      this.#checkStopped();
      const item = this.#sendQueue.pop();
      if (item === undefined) {
        if (this.#readDone && this.#lookupsRunning === 0 && this.#lookupQueue.size === 0) return;
        await this.#changed.wait();
        continue;
      }
      const { index, target } = item;
      if (this.dryRun) {
        this.#settle({ index, target, result: "updated" });
        continue;
      }
      const command = new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: this.userPoolId,
        Username: target.username,
        EventId: target.eventId,
        FeedbackValue: this.value,
      });
      try {
        await this.#send(this.#feedbackRequests, command, { pacer: this.#feedbackPacer, signal });
        this.#settle({ index, target, result: "updated" });
      } catch (error) {
        this.#checkStopped();
        const name = errorName(error);
        if (!EVENT_ERRORS.has(name) && name !== CLIENT_VALIDATION) throw error;
        this.#settle({ index, target, result: "failed", error: errorOf(error) });
      }
    }
  }

  /** Sends through the pacers (the audit's {@link PacedRequests}); an error that gets through is tagged with its operation. */
  async #send(requests: PacedRequests, command: { input: object }, pacing: Pacing): Promise<unknown> {
    try {
      return await requests.send(command, pacing);
    } catch (error) {
      this.#checkStopped();
      const operation = (command as { schema?: { name?: string } }).schema?.name;
      if (typeof error === "object" && error !== null && operation !== undefined)
        this.#errorOperations.set(error, operation);
      throw error;
    }
  }
}

/**
 * Gives one feedback (`Valid` or `Invalid`) to many auth events: yields an outcome per event
 * (updated, skipped or failed), paced at the quotas, resumable from {@link BulkFeedback.checkpoint}.
 *
 * @example
 * const run = sendBulkFeedback({ client, userPoolId, value: "Invalid", targets: readFeedbackTargets(lines) });
 * for await (const outcome of run) {
 *   if (outcome.result === "failed") console.error(outcome.target.eventId, outcome.error?.name);
 *   if (++n % 100 === 0) await save(JSON.stringify(run.checkpoint()));
 * }
 * console.log(run.summary()); // { updated, skipped, failed, feedbackRequests, throttles, elapsedMs, ... }
 */
export function sendBulkFeedback<T extends FeedbackTarget>(options: BulkFeedbackOptions<T>): BulkFeedback<T> {
  return new BulkFeedback(options);
}
