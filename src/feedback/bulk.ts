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
 * Web-standard globals only.
 */
import { AdminUpdateAuthEventFeedbackCommand } from "../../generated/commands.ts";
import type { FeedbackValueType } from "../../generated/enums.ts";
import { paginateAdminListUserAuthEvents } from "../../generated/paginators.ts";
import { QuotaPacer } from "../audit.ts";
import { AbortError } from "../errors.ts";
import type { PaginationClient } from "../paginate.ts";
import { backoffDelay, classify, sleep } from "../retry.ts";
import {
  FEEDBACK_CHECKPOINT_KIND,
  type FeedbackCheckpoint,
  type FeedbackCounts,
  emptyCounts,
  parseFeedbackCheckpoint,
  SettledItems,
} from "./checkpoint.ts";
import type { FeedbackTarget } from "./input.ts";

/** The documented quotas the run paces at (requests per second). */
export const FEEDBACK_QUOTAS: Readonly<Required<FeedbackRates>> = Object.freeze({
  feedback: 25,
  adminListUserAuthEvents: 50,
  perUser: 10,
});

/** Requests per second per quota category. */
export interface FeedbackRates {
  /** AdminUpdateAuthEventFeedback (shared with UpdateAuthEventFeedback). @default 25 */
  feedback?: number;
  /** AdminListUserAuthEvents, for the lookups (shared with the other UserResourceRead operations). @default 50 */
  adminListUserAuthEvents?: number;
  /** AdminListUserAuthEvents for one user. @default 10 */
  perUser?: number;
}

/**
 * Options of {@link sendBulkFeedback}.
 * @example
 * { client, userPoolId: "eu-west-1_AbCdEf123", value: "Invalid", targets: readFeedbackTargets(lines), checkpoint: saved }
 */
export interface BulkFeedbackOptions<T extends FeedbackTarget = FeedbackTarget> {
  /**
   * The client whose `send` makes the requests (a `CognitoIdentityProviderClient`). Give it
   * `maxAttempts: 1`: the run then paces every attempt and retries throttling itself.
   */
  client: PaginationClient;
  /** The user pool of the events. */
  userPoolId: string;
  /** The feedback to give: `Valid` or `Invalid` (any case). */
  value: FeedbackValueType | "valid" | "invalid";
  /**
   * The events, in a fixed order: a resumed run must be given the same targets in the same order
   * (the checkpoint counts positions, and checks an event id).
   */
  targets: Iterable<T> | AsyncIterable<T>;
  /** Read, but send no feedback: every event that would be updated is reported as updated. @default false */
  dryRun?: boolean;
  /** Resume from this checkpoint (from {@link BulkFeedback.checkpoint}, possibly via JSON). */
  checkpoint?: FeedbackCheckpoint;
  /**
   * The request rates: a number sets the feedback rate, an object any category. Raise them if your
   * account's quotas were raised; lower them to leave room for other callers.
   * @default {@link FEEDBACK_QUOTAS}
   */
  maxRps?: number | FeedbackRates;
  /**
   * Feedback requests in flight at once. The pacer, not this, sets the rate: it only has to cover
   * the round trip (rate x latency).
   * @default 8
   */
  concurrency?: number;
  /** Stops the run; the iterator throws {@link AbortError} and the checkpoint stays valid. */
  abortSignal?: AbortSignal;
  /**
   * Fraction of each rate kept in reserve, for clock jitter against the service's one-second windows.
   * @default 0.03
   */
  headroom?: number;
}

/** How one event ended. */
export interface FeedbackOutcome<T extends FeedbackTarget = FeedbackTarget> {
  /** Its position in the targets, from 0. */
  index: number;
  target: T;
  /** `updated` (in a dry run: would be), `skipped` or `failed`. */
  result: "updated" | "skipped" | "failed";
  /** Why it was skipped: the input showed the feedback, the service had it, or the event came earlier in the input. */
  skipped?: "input" | "service" | "duplicate";
  /** Why it failed: the service's error name and message (`ResourceNotFoundException`, `UserNotFoundException`...). */
  error?: { name: string; message: string };
}

/** A snapshot of the totals, for a summary or a progress line. */
export interface FeedbackSummary extends FeedbackCounts {
  /** All skipped events. */
  skipped: number;
  /** Events settled: updated, skipped or failed. */
  settled: number;
  dryRun: boolean;
}

/** Items read ahead of those settled. */
const WINDOW = 1_000;
/** How far past the first unsettled item the run reads (bounds the checkpoint's ranges). */
const MAX_SPAN = 20_000;
const LOOKUP_WORKERS = 4;
const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;
const TRANSIENT_RETRIES = 5;
const PAGE_SIZE = 60;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

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
  pending: Item<T>[];
  queued: boolean;
  running: boolean;
  pacer: QuotaPacer;
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

const errorName = (error: unknown): string => (error instanceof Error ? error.name : "");
const errorOf = (error: unknown) => ({
  name: errorName(error) || "Error",
  message: error instanceof Error ? error.message : String(error),
});

function rate(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number of requests per second, got ${String(value)}`);
  return value;
}

function resolveRates(maxRps: unknown): Required<FeedbackRates> {
  if (maxRps === undefined) return { ...FEEDBACK_QUOTAS };
  if (typeof maxRps === "number") return { ...FEEDBACK_QUOTAS, feedback: rate(maxRps, "maxRps") };
  if (typeof maxRps !== "object" || maxRps === null)
    throw new TypeError("maxRps must be a number or an object of rates");
  const out = { ...FEEDBACK_QUOTAS };
  for (const [key, value] of Object.entries(maxRps)) {
    if (!Object.hasOwn(FEEDBACK_QUOTAS, key))
      throw new TypeError(
        `maxRps.${key} is not a quota category (expected feedback, adminListUserAuthEvents or perUser)`,
      );
    if (value !== undefined) out[key as keyof FeedbackRates] = rate(value, `maxRps.${key}`);
  }
  return out;
}

function feedbackValue(value: unknown): FeedbackValueType {
  const lower = typeof value === "string" ? value.toLowerCase() : "";
  if (lower === "valid") return "Valid";
  if (lower === "invalid") return "Invalid";
  throw new TypeError(
    `value must be Valid or Invalid, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`,
  );
}

function checkTarget(target: unknown, index: number): void {
  const t = target as FeedbackTarget | undefined;
  if (typeof t?.username !== "string" || t.username === "")
    throw new TypeError(`targets[${index}].username: expected a non-empty string`);
  if (typeof t.eventId !== "string" || t.eventId === "")
    throw new TypeError(`targets[${index}].eventId: expected a non-empty string`);
}

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
  readonly #userSignal: AbortSignal | undefined;
  readonly #settled: SettledItems;
  /** The checkpoint's position, for the items read again on resume. */
  readonly #resumedFrom: SettledItems;
  readonly #counts: FeedbackCounts;
  readonly #priorElapsed: number;
  #runStart: number | undefined;
  #iterated = false;

  // Producer state.
  #read = 0;
  #unsettled = 0;
  #readDone = false;
  readonly #users = new Map<string, UserQueue<T>>();
  readonly #lookupQueue: UserQueue<T>[] = [];
  #lookupsRunning = 0;
  readonly #sendQueue: Item<T>[] = [];
  #sendHead = 0;
  readonly #out: FeedbackOutcome<T>[] = [];
  #outHead = 0;
  readonly #changed = new Notifier();
  readonly #stop = new AbortController();
  #failure: unknown;

  constructor(options: BulkFeedbackOptions<T>) {
    if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
    if (typeof options.client?.send !== "function") throw new TypeError("client must have a send(command) method");
    if (typeof options.userPoolId !== "string" || !POOL_ID.test(options.userPoolId))
      throw new TypeError("userPoolId must be a user pool id such as eu-west-1_AbCdEf123");
    const targets = options.targets as unknown;
    if (
      typeof targets !== "object" ||
      targets === null ||
      (typeof (targets as Iterable<T>)[Symbol.iterator] !== "function" &&
        typeof (targets as AsyncIterable<T>)[Symbol.asyncIterator] !== "function")
    )
      throw new TypeError("targets must be an iterable or an async iterable of { username, eventId }");
    this.value = feedbackValue(options.value);
    this.userPoolId = options.userPoolId;
    this.dryRun = options.dryRun === true;
    this.#client = options.client;
    this.#targets = options.targets;
    this.#rates = resolveRates(options.maxRps);
    const headroom = options.headroom;
    if (headroom !== undefined && (typeof headroom !== "number" || !(headroom >= 0 && headroom < 1)))
      throw new TypeError(`headroom must be a number from 0 to 1, got ${String(headroom)}`);
    this.#headroom = headroom;
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
      throw new TypeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
    this.#concurrency = concurrency;
    this.#feedbackPacer = this.#pacer(this.#rates.feedback);
    this.#listPacer = this.#pacer(this.#rates.adminListUserAuthEvents);
    const signal = options.abortSignal;
    if (signal !== undefined && typeof signal?.addEventListener !== "function")
      throw new TypeError("abortSignal must be an AbortSignal");
    this.#userSignal = signal;
    let checkpoint: FeedbackCheckpoint | undefined;
    if (options.checkpoint !== undefined) {
      checkpoint = parseFeedbackCheckpoint(options.checkpoint);
      for (const key of ["userPoolId", "value", "dryRun"] as const) {
        const now = key === "userPoolId" ? this.userPoolId : key === "value" ? this.value : this.dryRun;
        if (checkpoint.query[key] !== now)
          throw new TypeError(
            `checkpoint: it was made by a run with a different ${key} (${JSON.stringify(checkpoint.query[key])})`,
          );
      }
    }
    this.#settled = new SettledItems(checkpoint);
    this.#resumedFrom = new SettledItems(checkpoint);
    this.#counts = checkpoint ? { ...checkpoint.counts } : emptyCounts();
    this.#priorElapsed = this.#counts.elapsedMs;
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
    const signal = this.#stop.signal;
    let workers = 0;
    const task = (run: () => Promise<void>) => {
      workers++;
      return run()
        .catch((error: unknown) => {
          if (!signal.aborted || !(error instanceof Stopped || errorName(error) === "AbortError")) this.#halt(error);
        })
        .finally(() => {
          workers--;
          this.#changed.notify();
        });
    };
    const tasks = [task(() => this.#readTargets())];
    for (let i = 0; i < LOOKUP_WORKERS; i++) tasks.push(task(() => this.#lookups()));
    for (let i = 0; i < this.#concurrency; i++) tasks.push(task(() => this.#sends()));
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
      this.#counts.elapsedMs = this.#elapsed();
      this.#runStart = undefined;
      if (!this.#stop.signal.aborted) this.#stop.abort(new Stopped("the feedback run's iterator was closed"));
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
    if (this.#failure === undefined) this.#failure = reason;
    if (!this.#stop.signal.aborted) this.#stop.abort(reason);
    this.#changed.notify();
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
      user = { username, pending: [], queued: false, running: false, pacer: this.#pacer(this.#rates.perUser) };
      this.#users.set(username, user);
    }
    user.pending.push(item);
    if (!user.queued && !user.running) {
      user.queued = true;
      this.#lookupQueue.push(user);
      this.#changed.notify();
    }
  }

  // ---- the lookups ----

  async #lookups(): Promise<void> {
    for (;;) {
      this.#checkStopped();
      const user = this.#lookupQueue.shift();
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
        await this.#lookUp(user, items);
      } finally {
        this.#lookupsRunning--;
        user.running = false;
        if (user.pending.length > 0) {
          user.queued = true;
          this.#lookupQueue.push(user);
        } else this.#users.delete(user.username);
        this.#changed.notify();
      }
    }
  }

  /** Reads the user's events until every item is found: those with the feedback are skipped, the rest sent. */
  async #lookUp(user: UserQueue<T>, items: Item<T>[]): Promise<void> {
    const wanted = new Map<string, Item<T>>();
    for (const item of items) {
      if (wanted.has(item.target.eventId))
        this.#settle({ index: item.index, target: item.target, result: "skipped", skipped: "duplicate" });
      else wanted.set(item.target.eventId, item);
    }
    // Listings are newest first: once past the oldest target, the rest cannot be further down.
    const dates = [...wanted.values()].map((item) => item.target.creationDate?.getTime());
    const oldest = dates.every((d) => d !== undefined && !Number.isNaN(d))
      ? Math.min(...(dates as number[]))
      : undefined;
    const signal = this.#stop.signal;
    const client: PaginationClient = {
      send: (command) => this.#call(this.#listPacer, user.pacer, command, signal, "listRequests"),
    };
    try {
      const events = paginateAdminListUserAuthEvents.items(
        { client, pageSize: PAGE_SIZE, abortSignal: signal },
        { UserPoolId: this.userPoolId, Username: user.username },
      );
      for await (const event of events) {
        const item = event.EventId === undefined ? undefined : wanted.get(event.EventId);
        if (item !== undefined) {
          wanted.delete(item.target.eventId);
          if (event.EventFeedback?.FeedbackValue?.toLowerCase() === this.value.toLowerCase())
            this.#settle({ index: item.index, target: item.target, result: "skipped", skipped: "service" });
          else this.#queueSend(item);
          if (wanted.size === 0) break;
        }
        const created = event.CreationDate?.getTime();
        if (oldest !== undefined && created !== undefined && created < oldest) break;
      }
    } catch (error) {
      this.#checkStopped();
      const name = errorName(error);
      if (!USER_ERRORS.has(name) && name !== CLIENT_VALIDATION) throw error;
      // The user is gone (or cannot be named so): every one of its events fails the same way.
      for (const item of wanted.values())
        this.#settle({ index: item.index, target: item.target, result: "failed", error: errorOf(error) });
      return;
    }
    // Not in the listing: the service says what became of it.
    for (const item of wanted.values()) this.#queueSend(item);
  }

  #queueSend(item: Item<T>): void {
    this.#sendQueue.push(item);
    this.#changed.notify();
  }

  // ---- the feedback requests ----

  async #sends(): Promise<void> {
    const signal = this.#stop.signal;
    for (;;) {
      this.#checkStopped();
      if (this.#sendHead >= this.#sendQueue.length) {
        if (this.#readDone && this.#lookupsRunning === 0 && this.#lookupQueue.length === 0) return;
        await this.#changed.wait();
        continue;
      }
      const item = this.#sendQueue[this.#sendHead++]!;
      if (this.#sendHead > 1024 && this.#sendHead * 2 > this.#sendQueue.length) {
        this.#sendQueue.splice(0, this.#sendHead);
        this.#sendHead = 0;
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
        await this.#call(this.#feedbackPacer, undefined, command, signal, "feedbackRequests");
        this.#settle({ index, target, result: "updated" });
      } catch (error) {
        this.#checkStopped();
        const name = errorName(error);
        if (!EVENT_ERRORS.has(name) && name !== CLIENT_VALIDATION) throw error;
        this.#settle({ index, target, result: "failed", error: errorOf(error) });
      }
    }
  }

  /** Sends through the pacers; throttles are retried until they pass, transient errors a few times. */
  async #call(
    category: QuotaPacer,
    user: QuotaPacer | undefined,
    command: { input: object },
    signal: AbortSignal,
    counter: "feedbackRequests" | "listRequests",
  ): Promise<unknown> {
    for (let transient = 0; ; ) {
      const userSentAt = user ? await user.acquire(signal) : undefined;
      const sentAt = await category.acquire(signal);
      this.#checkStopped();
      this.#counts[counter]++;
      try {
        const output = await this.#client.send(command, { abortSignal: signal });
        category.record(false, sentAt);
        return output;
      } catch (error) {
        this.#checkStopped();
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const kind = classify({ name: errorName(error), status });
        if (kind === "throttling") {
          this.#counts.throttles++;
          category.record(true, sentAt);
          if (user && userSentAt !== undefined) user.record(true, userSentAt);
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
