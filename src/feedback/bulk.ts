/**
 * Bulk feedback: `AdminUpdateAuthEventFeedback` for many events, as fast as the feedback quota
 * allows (25 requests per second for the two feedback operations together:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html), resumable, idempotent.
 *
 * Four kinds of task share a run (tasks.ts, the audit's): the reader hands each target to the run
 * (target-reader.ts); the lookups read each user's events and skip those that already have the
 * feedback (user-lookups.ts); the senders, here, make the feedback requests; and the consumer (the
 * iterator) hands out each outcome. Only the consumer moves the position (checkpoint.ts), so a run
 * resumed from its checkpoint acts on exactly the events not yet handed out.
 *
 * Every request waits for its quota's {@link QuotaPacer} (the audit's), throttles are retried until
 * they pass (and slow the pacer down), transient errors a few times. An event that fails on its own
 * (gone, its user gone, invalid) is reported and the run goes on; any other error (credentials,
 * permissions, the pool) stops the run at once (failures.ts).
 *
 * Web-standard globals only.
 */
import { AdminUpdateAuthEventFeedbackCommand } from "../../generated/commands.ts";
import type { FeedbackValueType } from "../../generated/enums.ts";
import { QuotaPacer } from "../audit/pacer.ts";
import { Fifo, Notifier } from "../audit/queue.ts";
import { PacedRequests, type Pacing } from "../audit/requests.ts";
import { RunTasks, Stopped } from "../audit/tasks.ts";
import { AbortError } from "../errors.ts";
import { sleep } from "../retry.ts";
import {
  emptyCounts,
  FEEDBACK_CHECKPOINT_KIND,
  type FeedbackCheckpoint,
  type FeedbackCounts,
  requestCounts,
  SettledItems,
} from "./checkpoint.ts";
import { failsEvent, outcomeError } from "./failures.ts";
import { IndexHeap } from "./index-heap.ts";
import type { FeedbackTarget } from "./input.ts";
import {
  type BulkFeedbackOptions,
  type FeedbackOutcome,
  type FeedbackSummary,
  resolveFeedbackOptions,
} from "./options.ts";
import { type FeedbackItem, readTargets } from "./target-reader.ts";
import { UserLookups } from "./user-lookups.ts";

export { FEEDBACK_QUOTAS } from "./constants.ts";
export type {
  BulkFeedbackOptions,
  FeedbackOutcome,
  FeedbackRates,
  FeedbackSummary,
} from "./options.ts";

const LOOKUP_WORKERS = 4;
/** Outcomes handed out between two turns of the event loop (see the consumer). */
const OUTCOMES_PER_TURN = 256;

/**
 * One bulk-feedback run: iterate it (once) for an outcome per event; `checkpoint()` at any time
 * gives a position that resumes right after the outcomes handed out.
 */
export class BulkFeedback<T extends FeedbackTarget = FeedbackTarget> implements AsyncIterable<FeedbackOutcome<T>> {
  /** The feedback this run gives. */
  readonly value: FeedbackValueType;
  readonly userPoolId: string;
  readonly dryRun: boolean;
  readonly #targets: Iterable<T> | AsyncIterable<T>;
  readonly #concurrency: number;
  readonly #feedbackPacer: QuotaPacer;
  readonly #feedbackRequests: PacedRequests;
  readonly #userSignal: AbortSignal | undefined;
  readonly #settled: SettledItems;
  /** The checkpoint's position, for the items read again on resume. */
  readonly #resumedFrom: SettledItems;
  readonly #counts: FeedbackCounts;
  #priorElapsed: number;
  #runStart: number | undefined;
  #iterated = false;

  /** Items read and not yet settled by the consumer. */
  #unsettled = 0;
  #readDone = false;
  readonly #lookups: UserLookups<T>;
  readonly #sendQueue = new IndexHeap<FeedbackItem<T>>();
  /** Outcomes waiting for the consumer. */
  readonly #out = new Fifo<FeedbackOutcome<T>>();
  /** Wakes every task and the consumer: an item moved on, a task ended, or the run stopped. */
  readonly #changed = new Notifier();
  readonly #tasks = new RunTasks(() => this.#changed.notify());
  /** The operation each error thrown by a request came from, for {@link BulkFeedback.failedOperation}. */
  readonly #errorOperations = new WeakMap<object, string>();

  constructor(options: BulkFeedbackOptions<T>) {
    const resolved = resolveFeedbackOptions(options);
    this.value = resolved.value;
    this.userPoolId = resolved.userPoolId;
    this.dryRun = resolved.dryRun;
    this.#targets = resolved.targets;
    this.#concurrency = resolved.concurrency;
    this.#userSignal = resolved.abortSignal;
    this.#settled = new SettledItems(resolved.checkpoint);
    this.#resumedFrom = new SettledItems(resolved.checkpoint);
    this.#counts = resolved.checkpoint ? { ...resolved.checkpoint.counts } : emptyCounts();
    this.#priorElapsed = this.#counts.elapsedMs;
    const { client, rates, headroom } = resolved;
    const pacer = (maxRate: number) => new QuotaPacer(maxRate, headroom === undefined ? {} : { headroom });
    const ensureRunning = this.#tasks.ensureRunning;
    this.#feedbackPacer = pacer(rates.feedback);
    this.#feedbackRequests = new PacedRequests(client, requestCounts(this.#counts, "feedbackRequests"), ensureRunning);
    const listPacer = pacer(rates.adminListUserAuthEvents);
    const listRequests = new PacedRequests(client, requestCounts(this.#counts, "listRequests"), ensureRunning);
    this.#lookups = new UserLookups({
      userPoolId: this.userPoolId,
      value: this.value,
      perUser: rates.perUser,
      client: (user, signal) => ({
        send: (command) => this.#send(listRequests, command, { pacer: listPacer, user, signal }),
      }),
      settle: (outcome) => this.#settle(outcome),
      send: (item) => this.#queueSend(item),
      changed: this.#changed,
      ensureRunning,
      readDone: () => this.#readDone,
    });
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
    const failure = this.#tasks.failure;
    return typeof failure === "object" && failure !== null ? this.#errorOperations.get(failure) : undefined;
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

  // ---- the consumer ----

  async *#generate(): AsyncGenerator<FeedbackOutcome<T>, void, undefined> {
    const userSignal = this.#userSignal;
    const onAbort = () =>
      this.#tasks.halt(new AbortError("The feedback run was aborted", { cause: userSignal?.reason }));
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener("abort", onAbort, { once: true });
    this.#runStart = Date.now();
    let workers = 0;
    const task = (run: (signal: AbortSignal) => Promise<void>) => {
      workers++;
      return this.#tasks.run(run).finally(() => {
        workers--;
        this.#changed.notify();
      });
    };
    const tasks = [task(() => this.#readTargets())];
    for (let i = 0; i < LOOKUP_WORKERS; i++) tasks.push(task((signal) => this.#lookups.work(signal)));
    for (let i = 0; i < this.#concurrency; i++) tasks.push(task((signal) => this.#sends(signal)));
    let sinceTurn = 0;
    try {
      for (;;) {
        if (this.#tasks.failure !== undefined) throw this.#tasks.failure;
        const outcome = this.#out.take();
        if (outcome !== undefined) {
          this.#apply(outcome);
          // Handing out buffered outcomes only takes microtasks: let the pacers' timers run now and then.
          if (++sinceTurn >= OUTCOMES_PER_TURN) {
            sinceTurn = 0;
            await sleep(0);
          }
          yield outcome;
          continue;
        }
        if (workers === 0) break;
        await this.#changed.wait();
      }
      if (this.#tasks.failure !== undefined) throw this.#tasks.failure;
    } finally {
      userSignal?.removeEventListener("abort", onAbort);
      this.#priorElapsed = this.#elapsed();
      this.#runStart = undefined;
      this.#tasks.stop(new Stopped("the feedback run's iterator was closed"));
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

  #settle(outcome: FeedbackOutcome<T>): void {
    this.#out.push(outcome);
    this.#changed.notify();
  }

  // ---- the reader ----

  async #readTargets(): Promise<void> {
    try {
      await readTargets({
        targets: this.#targets,
        resumedFrom: this.#resumedFrom,
        settled: this.#settled,
        unsettled: () => this.#unsettled,
        changed: this.#changed,
        admit: (item) => this.#admit(item),
        ensureRunning: this.#tasks.ensureRunning,
      });
    } finally {
      this.#readDone = true;
      this.#changed.notify();
    }
  }

  /** Takes a new item: skipped at once when the input shows the feedback already, else on to its user's lookup. */
  #admit(item: FeedbackItem<T>): void {
    this.#unsettled++;
    const { index, target } = item;
    if (target.feedbackValue?.toLowerCase() === this.value.toLowerCase())
      this.#settle({ index, target, result: "skipped", skipped: "input" });
    else this.#lookups.add(item);
  }

  // ---- the senders ----

  #queueSend(item: FeedbackItem<T>): void {
    this.#sendQueue.push(item);
    this.#changed.notify();
  }

  async #sends(signal: AbortSignal): Promise<void> {
    for (;;) {
      this.#tasks.ensureRunning();
      const item = this.#sendQueue.pop();
      if (item === undefined) {
        if (this.#readDone && this.#lookups.idle) return;
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
        this.#tasks.ensureRunning();
        if (!failsEvent(error)) throw error;
        this.#settle({ index, target, result: "failed", error: outcomeError(error) });
      }
    }
  }

  /** Sends through the pacers (the audit's {@link PacedRequests}); an error that gets through is tagged with its operation. */
  async #send(requests: PacedRequests, command: { input: object }, pacing: Pacing): Promise<unknown> {
    try {
      return await requests.send(command, pacing);
    } catch (error) {
      this.#tasks.ensureRunning();
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
