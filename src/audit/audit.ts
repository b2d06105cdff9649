/**
 * Pool-wide auth-event audit: every event of every user of a user pool, as fast as the quotas
 * allow, resumable, with a running summary.
 *
 * Users come from ListUsers (PaginationToken), each user's events from AdminListUserAuthEvents
 * (NextToken), through the generated paginators. A pool of workers reads users in parallel (user-reader.ts);
 * every request first waits for its quota category's pacer (pacer.ts), and a throttled request slows its
 * category down and is retried (requests.ts), so a run never fails because of throttling.
 *
 * Three kinds of task (run and stopped together: tasks.ts) share two bounded queues (queue.ts):
 * the lister puts users on the job queue; workers take users and put what they read on the output
 * queue; the consumer (the iterator) takes records from it. Positions move only on the consumer's
 * side, so the checkpoint ({@link AuditCheckpoint}) always matches what the iterator has handed
 * out: resuming from it yields exactly the events not yet yielded.
 *
 * The run's state (positions, listing, counts, queues) is one class that the three tasks share; what stands alone
 * is in the modules named above, which is why this one is a little past the others' length.
 *
 * Web-standard globals only.
 */
import { paginateListUsers } from "../../generated/paginators.ts";
import type { AuthEventType, ListUsersRequest, UserType } from "../../generated/types.ts";
import { AbortError } from "../errors.ts";
import { sleep } from "../retry.ts";
import {
  type AuditCheckpoint,
  type AuditCounts,
  type AuditQuery,
  type AuditUser,
  type AuditUserPosition,
  CHECKPOINT_KIND,
  copyPosition,
  differingQueryKey,
  parseCheckpoint,
  zeroCounts,
} from "./checkpoint.ts";
import { type AuditOptions, type ResolvedAuditOptions, resolveAuditOptions } from "./options.ts";
import { PerUserLimiter, QuotaPacer } from "./pacer.ts";
import { BoundedQueue } from "./queue.ts";
import { auditUserKey } from "./state.ts";
import { PacedRequests } from "./requests.ts";
import { AuditSummary, type AuditSummaryReport } from "./summary.ts";
import { RunTasks, Stopped } from "./tasks.ts";
import { type OutRecord, readUser } from "./user-reader.ts";

/** What the audit yields: one event and its user. */
export interface AuditRecord {
  user: AuditUser;
  event: AuthEventType;
}

/** A snapshot for a progress line. */
export interface AuditProgress {
  usersDone: number;
  /** Users in the pool: known once ListUsers has been read to the end. */
  usersTotal?: number;
  /** Users known so far (done, in flight, queued). */
  usersKnown: number;
  events: number;
  scanned: number;
  requests: number;
  throttles: number;
  /** Requests per second over the last 5 seconds; once the run has ended, over the whole audit. */
  requestsPerSecond: number;
  /** The AdminListUserAuthEvents rate currently allowed. */
  allowedRate: number;
  elapsedMs: number;
  /** Estimated time left, once the total is known and a user is done, until the last is. */
  etaMs?: number;
}

/** The service's largest page, for both listings. */
const PAGE_SIZE = 60;
/** Users listed ahead of the workers (ListUsers is cheap; knowing the total gives an ETA). */
const LIST_AHEAD = 10_000;
/** Records read ahead of the consumer. */
const READ_AHEAD = 2_000;
/** A per-user window a little longer than the service's second, for clock jitter. */
const USER_WINDOW_MS = 1_050;
/** Records handed out between two turns of the event loop (see the consumer). */
const RECORDS_PER_TURN = 256;
/** The span the progress line's request rate is measured over. */
const RATE_SPAN_MS = 5_000;

/** A user from the listing, with the token of the page it came from. */
interface Listed {
  user: AuditUser;
  pageToken: string | null;
}

function toAuditUser(user: UserType): AuditUser | undefined {
  if (typeof user.Username !== "string") return undefined;
  const sub = user.Attributes?.find((a) => a.Name === "sub")?.Value;
  return sub === undefined ? { Username: user.Username } : { Username: user.Username, sub };
}

/**
 * One audit run: iterate it (once) for `{ user, event }` records; `checkpoint()` at any time
 * gives a position that resumes right after the last record handed out.
 */
export class PoolAudit implements AsyncIterable<AuditRecord> {
  /** The query this run answers (and its checkpoints carry). */
  readonly query: AuditQuery;
  readonly #options: ResolvedAuditOptions;
  readonly #summary: AuditSummary;
  readonly #counts: AuditCounts;
  readonly #eventsPacer: QuotaPacer;
  readonly #listPacer: QuotaPacer;
  /** The lister and the workers; stopping them wakes whoever waits on either queue. */
  readonly #tasks = new RunTasks(() => {
    this.#jobs.wake();
    this.#out.wake();
  });
  readonly #ensureRunning = this.#tasks.ensureRunning;
  /** Consumer-side positions of started users not yet done, in start order. */
  readonly #inFlight = new Set<AuditUserPosition>();
  /** The ListUsers page the next user comes from, and its users already started. */
  #listing: { pageToken: string | null; started: string[] };
  /** Every user was started in an earlier run. */
  #listingComplete: boolean;
  /** The lister has put every user on the job queue. */
  #listingDone = false;
  readonly #jobs = new BoundedQueue<Listed>(LIST_AHEAD);
  /** Users in flight when the checkpoint was made: read before the listing's. */
  readonly #resumeJobs: AuditUserPosition[];
  readonly #out = new BoundedQueue<OutRecord>(READ_AHEAD);
  readonly #requests: PacedRequests;
  #workersLeft = 0;
  #iterated = false;
  #runStart: number | undefined;
  #priorElapsed: number;
  #firstDoneAt: { time: number; done: number } | undefined;

  constructor(options: AuditOptions) {
    this.#options = resolveAuditOptions(options);
    const { rates, headroom, query } = this.#options;
    this.query = query;
    this.#eventsPacer = new QuotaPacer(rates.adminListUserAuthEvents, { headroom });
    this.#listPacer = new QuotaPacer(rates.listUsers, { headroom });
    if (options.checkpoint === undefined) {
      this.#summary = new AuditSummary();
      this.#counts = zeroCounts();
      this.#listing = { pageToken: null, started: [] };
      this.#listingComplete = false;
      this.#resumeJobs = [];
    } else {
      const saved = parseCheckpoint(options.checkpoint);
      const differs = differingQueryKey(saved.query, query);
      if (differs !== undefined) {
        const was = JSON.stringify(saved.query[differs]) ?? "unset";
        const is = JSON.stringify(query[differs]) ?? "unset";
        throw new TypeError(
          `checkpoint: it belongs to another audit (its ${differs} is ${was}, this run's is ${is}); resume with the same options or start without it`,
        );
      }
      this.#summary = new AuditSummary(saved.summary);
      this.#counts = saved.counts;
      this.#listing = saved.users;
      this.#listingComplete = saved.users.complete;
      this.#resumeJobs = saved.inFlight;
      for (const position of saved.inFlight) this.#inFlight.add(position);
    }
    this.#priorElapsed = this.#counts.elapsedMs;
    this.#requests = new PacedRequests(this.#options.client, this.#counts, this.#ensureRunning);
  }

  /** The position right after the last record handed out: plain JSON, pass it back as `checkpoint`. */
  checkpoint(): AuditCheckpoint {
    return {
      version: 1,
      kind: CHECKPOINT_KIND,
      query: JSON.parse(JSON.stringify(this.query)) as AuditQuery,
      users: {
        pageToken: this.#listing.pageToken,
        started: [...this.#listing.started],
        complete: this.#listingComplete || (this.#listingDone && this.#jobs.size === 0),
      },
      inFlight: [...this.#inFlight].map(copyPosition),
      counts: this.counts,
      summary: this.#summary.state,
    };
  }

  /** The summary of what has been handed out so far, each list cut to `top` entries. */
  summary(options: { top?: number } = {}): AuditSummaryReport {
    const { since, until } = this.#options;
    return this.#summary.toJSON({ ...options, ...(since && { since }), ...(until && { until }) });
  }

  /** What failed, once a request failed for good (not for throttling): the operation's name. */
  get failure(): { operation: string } | undefined {
    const operation = this.#requests.failedOperation;
    return operation === undefined ? undefined : { operation };
  }

  /** Totals so far (across resumes). */
  get counts(): Readonly<AuditCounts> {
    return { ...this.#counts, elapsedMs: this.#elapsed() };
  }

  /** Where the run stands, for a progress line. */
  progress(): AuditProgress {
    const now = Date.now();
    const usersKnown = this.#counts.usersDone + this.#inFlight.size + this.#jobs.size;
    const listingOver = this.#listingComplete || this.#listingDone;
    const recent = this.#requests.sentWithin(RATE_SPAN_MS, now);
    const elapsedMs = this.#elapsed();
    const span = this.#runStart === undefined ? 0 : Math.min(RATE_SPAN_MS, Math.max(1, now - this.#runStart)) / 1000;
    const overall = elapsedMs > 0 ? this.#counts.requests / (elapsedMs / 1000) : 0;
    const progress: AuditProgress = {
      usersDone: this.#counts.usersDone,
      usersKnown,
      events: this.#counts.events,
      scanned: this.#counts.scanned,
      requests: this.#counts.requests,
      throttles: this.#counts.throttles,
      requestsPerSecond: span === 0 ? overall : recent / span,
      allowedRate: this.#eventsPacer.rate,
      elapsedMs,
    };
    if (listingOver) progress.usersTotal = usersKnown;
    const first = this.#firstDoneAt;
    const doneSinceFirst = this.#counts.usersDone - (first?.done ?? 0);
    if (listingOver && first && doneSinceFirst > 0 && this.#counts.usersDone < usersKnown)
      progress.etaMs = ((now - first.time) / doneSinceFirst) * (usersKnown - this.#counts.usersDone);
    return progress;
  }

  [Symbol.asyncIterator](): AsyncGenerator<AuditRecord, void, undefined> {
    if (this.#iterated)
      throw new TypeError("an audit run can only be iterated once; start another from its checkpoint()");
    this.#iterated = true;
    return this.#consume();
  }

  #elapsed(): number {
    return this.#priorElapsed + (this.#runStart === undefined ? 0 : Date.now() - this.#runStart);
  }

  // ---- the consumer ----

  async *#consume(): AsyncGenerator<AuditRecord, void, undefined> {
    const userSignal = this.#options.abortSignal;
    const onAbort = () => this.#tasks.halt(new AbortError("The audit was aborted", { cause: userSignal?.reason }));
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener("abort", onAbort, { once: true });
    this.#runStart = Date.now();
    const tasks: Promise<void>[] = [this.#tasks.run((signal) => this.#listUsers(signal))];
    this.#workersLeft = this.#options.concurrency;
    for (let i = 0; i < this.#options.concurrency; i++) {
      tasks.push(
        this.#tasks
          .run((signal) => this.#work(signal))
          .finally(() => {
            this.#workersLeft--;
            this.#out.wake();
          }),
      );
    }
    let sinceTurn = 0;
    try {
      for (;;) {
        if (this.#tasks.failure !== undefined) throw this.#tasks.failure;
        const record = this.#out.take();
        if (record !== undefined) {
          // Handing out buffered records only takes microtasks: let timers and I/O (the pacers, the
          // requests in flight) run now and then, or their timing suffers.
          if (++sinceTurn >= RECORDS_PER_TURN) {
            sinceTurn = 0;
            await sleep(0);
          }
          const yielded = this.#apply(record);
          if (yielded) yield yielded;
          continue;
        }
        if (this.#workersLeft === 0) break;
        await this.#out.changed();
      }
      if (this.#tasks.failure !== undefined) throw this.#tasks.failure;
      if (this.#listingDone) this.#listingComplete = true;
    } finally {
      userSignal?.removeEventListener("abort", onAbort);
      this.#priorElapsed = this.#elapsed();
      this.#runStart = undefined;
      this.#tasks.stop(new Stopped("the audit's iterator was closed"));
      await Promise.allSettled(tasks);
    }
  }

  /** Applies a record to the consumer-side state; returns what to yield, if anything. */
  #apply(record: OutRecord): AuditRecord | undefined {
    const { position } = record;
    if (record.kind === "done") {
      this.#inFlight.delete(position);
      this.#counts.usersDone++;
      if (record.skipped) this.#counts.usersSkipped++;
      this.#summary.userDone(position.events > 0);
      this.#options.onUserDone?.(
        position.user,
        position.events,
        position.newest ?? this.#options.marks?.get(auditUserKey(position.user)),
      );
      this.#firstDoneAt ??= { time: Date.now(), done: this.#counts.usersDone - 1 };
      return undefined;
    }
    if (record.after === undefined) position.finished = true;
    else position.resumeToken = record.after;
    if (record.last) position.last = record.last;
    if (record.kind === "advance") return undefined;
    position.events++;
    this.#counts.events++;
    this.#summary.add(position.user.Username, record.event);
    return { user: { ...position.user }, event: record.event };
  }

  // ---- the lister ----

  async #listUsers(signal: AbortSignal): Promise<void> {
    if (!this.#listingComplete) {
      let pageToken = this.#listing.pageToken;
      const skip = new Set(this.#listing.started);
      let first = true;
      const input: ListUsersRequest = { UserPoolId: this.query.userPoolId, AttributesToGet: ["sub"] };
      if (pageToken !== null) input.PaginationToken = pageToken;
      const client = this.#requests.client({ pacer: this.#listPacer, signal });
      for await (const page of paginateListUsers({ client, pageSize: PAGE_SIZE, abortSignal: signal }, input)) {
        for (const raw of page.Users ?? []) {
          const user = toAuditUser(raw);
          // The users of the checkpoint's page that were started already are in flight or done.
          if (user === undefined || (first && skip.has(user.Username))) continue;
          await this.#jobs.put({ user, pageToken }, this.#ensureRunning);
        }
        first = false;
        const next = page.PaginationToken;
        pageToken = typeof next === "string" && next !== "" ? next : null;
      }
    }
    this.#listingDone = true;
    this.#jobs.wake();
  }

  // ---- the workers ----

  /** The next user to read: resumed ones first, then the listing's, in order. */
  async #nextJob(): Promise<AuditUserPosition | undefined> {
    for (;;) {
      this.#ensureRunning();
      const resumed = this.#resumeJobs.shift();
      if (resumed) return resumed;
      const listed = this.#jobs.take();
      if (listed) {
        const { user, pageToken } = listed;
        // Users start in listing order, so "started" is the listing up to here.
        if (this.#listing.pageToken !== pageToken) this.#listing = { pageToken, started: [] };
        this.#listing.started.push(user.Username);
        const position: AuditUserPosition = { user, resumeToken: null, finished: false, events: 0 };
        this.#inFlight.add(position);
        return position;
      }
      if (this.#listingDone) return undefined;
      await this.#jobs.changed();
    }
  }

  async #work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const position = await this.#nextJob();
      if (position === undefined) return;
      await readUser(position, {
        userPoolId: this.query.userPoolId,
        since: this.#options.since?.getTime(),
        until: this.#options.until?.getTime(),
        filter: this.#options.filter,
        mark: this.#options.marks?.get(auditUserKey(position.user)),
        client: this.#requests.client({
          pacer: this.#eventsPacer,
          user: new PerUserLimiter(this.#options.rates.perUser, USER_WINDOW_MS),
          signal,
        }),
        signal,
        push: (record) => this.#push(record),
        onScanned: () => this.#counts.scanned++,
        ensureRunning: this.#ensureRunning,
      });
    }
  }

  async #push(record: OutRecord): Promise<void> {
    // A position advance needs no record of its own when the previous one is for the same user.
    const tail = this.#out.last;
    if (record.kind === "advance" && tail?.kind === "advance" && tail.position === record.position) {
      tail.after = record.after;
      tail.last = record.last;
      return;
    }
    await this.#out.put(record, this.#ensureRunning);
  }
}

/**
 * Audits a user pool: yields `{ user, event }` for every auth event of every user (ListUsers,
 * then each user's AdminListUserAuthEvents), within the quotas, and keeps a checkpoint and a
 * summary as it goes.
 *
 * @example
 * const audit = auditUserPool({ client, userPoolId, since: "2026-11-01", filter: { riskLevels: ["High"] } });
 * for await (const { user, event } of audit) {
 *   console.log(user.Username, event.EventType, event.CreationDate);
 *   if (++n % 100 === 0) await save(JSON.stringify(audit.checkpoint()));
 * }
 * console.log(audit.summary());
 */
export function auditUserPool(options: AuditOptions): PoolAudit {
  return new PoolAudit(options);
}
