/**
 * Pool-wide auth-event audit: every event of every user of a user pool, as fast as the quotas
 * allow, resumable, with a running summary.
 *
 * Users come from ListUsers (PaginationToken), each user's events from AdminListUserAuthEvents
 * (NextToken), through the generated paginators. A pool of workers reads users in parallel; every
 * request first waits for its quota category's pacer (ListUsers 30/s, AdminListUserAuthEvents
 * 50/s per account and region, 10/s per user: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html),
 * and a throttled request slows its category down (the AWS SDK's adaptive CUBIC rate) and is
 * retried, so a run never fails because of throttling.
 *
 * The run's position is a plain-JSON checkpoint ({@link AuditCheckpoint}) that always matches
 * what the iterator has handed out: resuming from it yields exactly the events not yet yielded.
 *
 * Web-standard globals only.
 */
import { paginateAdminListUserAuthEvents, paginateListUsers } from "../generated/paginators.ts";
import type { AuthEventType, ListUsersRequest, UserType } from "../generated/types.ts";
import { AuditSummary, type AuditSummaryReport, type AuditSummaryState } from "./audit-summary.ts";
import { AbortError } from "./errors.ts";
import type { PaginationClient } from "./paginate.ts";
import { encodeResumeToken, parseStartingToken, TRUNCATE_AMOUNT_KEY } from "./resume-token.ts";
import { type AdaptiveRateLimiter, backoffDelay, classify, sleep } from "./retry.ts";

/** The documented quotas the audit starts from (requests per second). */
export const AUDIT_QUOTAS: Readonly<Required<AuditRates>> = Object.freeze({
  adminListUserAuthEvents: 50,
  listUsers: 30,
  perUser: 10,
});

/** Requests per second per quota category. */
export interface AuditRates {
  /**
   * AdminListUserAuthEvents requests per second, for the whole account and region (the quota is
   * shared with the other UserResourceRead operations: leave room for other callers).
   * @default 50
   */
  adminListUserAuthEvents?: number;
  /** ListUsers requests per second. @default 30 */
  listUsers?: number;
  /** AdminListUserAuthEvents requests per second for one user. @default 10 */
  perUser?: number;
}

/**
 * Which events the audit yields. Within a member any listed value matches (case-insensitive);
 * members combine with AND. Events without the member (no `EventRisk`, say) do not match it.
 * @example { riskLevels: ["High"], eventTypes: ["SignIn"] }
 */
export interface AuditFilter {
  /** `EventType` values, e.g. `["SignIn", "ForgotPassword"]`. */
  eventTypes?: readonly string[];
  /** `EventResponse` values: `Pass`, `Fail`, `InProgress`. */
  responses?: readonly string[];
  /** `EventRisk.RiskLevel` values: `Low`, `Medium`, `High`. */
  riskLevels?: readonly string[];
  /** `EventRisk.RiskDecision` values: `NoRisk`, `AccountTakeover`, `Block`. */
  riskDecisions?: readonly string[];
  /** `true`: only events with `CompromisedCredentialsDetected`; `false`: only events without. */
  compromisedCredentials?: boolean;
}

/** A moment: a `Date`, epoch milliseconds, or an ISO 8601 string. */
export type AuditTime = Date | number | string;

/**
 * Options of {@link auditUserPool}.
 * @example
 * { client, userPoolId: "eu-west-1_AbCdEf123", since: "2026-11-01", filter: { riskLevels: ["High"] }, checkpoint: saved }
 */
export interface AuditOptions {
  /**
   * The client whose `send` makes the requests (a `CognitoIdentityProviderClient`). Give it
   * `maxAttempts: 1`: the audit then paces every attempt and sees every throttle (it retries
   * throttling until it passes, and 5xx, network errors and timeouts 5 times, itself).
   */
  client: PaginationClient;
  /** The user pool to audit. */
  userPoolId: string;
  /**
   * Only events created at or after this moment. Listings are newest first, so a user's
   * listing stops at the first older event: the window also saves requests.
   * @default no lower bound
   */
  since?: AuditTime;
  /** Only events created before this moment. @default no upper bound */
  until?: AuditTime;
  /** Which events to yield (all scanned events still cost their requests). @default every event */
  filter?: AuditFilter;
  /**
   * Users read in parallel. The pacers, not this, set the request rate; it only has to cover the
   * latency (rate x round trip) and the per-user quota.
   * @default 10
   */
  concurrency?: number;
  /**
   * The request rates: a number sets the AdminListUserAuthEvents rate (the audit's bottleneck),
   * an object any category. Raise them if your account's quotas were raised.
   * @default {@link AUDIT_QUOTAS}
   */
  maxRps?: number | AuditRates;
  /** Resume from this checkpoint (from {@link PoolAudit.checkpoint}, possibly via JSON). */
  checkpoint?: AuditCheckpoint;
  /** Stops the audit; the iterator throws {@link AbortError} and the checkpoint stays valid. */
  abortSignal?: AbortSignal;
  /**
   * Fraction of each category's rate kept in reserve so that clock jitter between this machine
   * and the service's sliding one-second windows does not cause throttling.
   * @default 0.03
   */
  headroom?: number;
  /**
   * Called, as the iterator reaches it, for every user whose listing this run finished (users without events
   * included, so a consumer can tell who had none; users finished before the checkpoint it resumed from are not
   * called again).
   * @example { onUserDone: (user, events) => { if (events === 0) inactive.push(user.Username); } }
   */
  onUserDone?: (user: AuditUser, events: number) => void;
}

/** The user an event belongs to (from ListUsers). */
export interface AuditUser {
  Username: string;
  /** The user's `sub` attribute, when ListUsers returned it. */
  sub?: string;
}

/** What the audit yields: one event and its user. */
export interface AuditRecord {
  user: AuditUser;
  event: AuthEventType;
}

/** The options a checkpoint belongs to; a checkpoint only resumes the same query. */
export interface AuditQuery {
  userPoolId: string;
  /** ISO 8601. */
  since?: string;
  /** ISO 8601. */
  until?: string;
  /** Normalised: values lower-cased and sorted. */
  filter?: AuditFilter;
}

/** Where a started user's listing stands, as far as the consumer has read it. */
export interface AuditUserPosition {
  user: AuditUser;
  /**
   * botocore's resume token (as the AWS CLI's `--starting-token` takes it) right after the last
   * event read; `null`: nothing read yet.
   */
  resumeToken: string | null;
  /** The last event read: checked on resume, so events added since do not shift the position. */
  last?: { eventId?: string; creationDate?: number };
  /** The listing is exhausted (only the user's completion is left to record). */
  finished: boolean;
  /** Events of this user yielded so far. */
  events: number;
}

/** Running totals, kept across resumes. */
export interface AuditCounts {
  usersDone: number;
  /** Users that disappeared mid-audit (UserNotFoundException); counted in `usersDone`. */
  usersSkipped: number;
  /** Events yielded. */
  events: number;
  /** Events read from the service (yielded or filtered out). */
  scanned: number;
  requests: number;
  /** Requests the service throttled (TooManyRequestsException), seen by the audit. */
  throttles: number;
  /** Attempts the client retried on its own (its `$metadata.attempts` beyond the first). */
  clientRetries: number;
  /** Wall time spent iterating, over every run of this audit. */
  elapsedMs: number;
}

/**
 * A serialisable audit position (plain JSON: `JSON.stringify` it, parse it, pass it back as
 * `checkpoint`). It records the ListUsers page the next user comes from and the users of that
 * page already started (everything before it is done), the position inside every user in
 * flight, the totals and the summary's running state.
 */
export interface AuditCheckpoint {
  version: 1;
  kind: "cognito-auth-events/audit";
  query: AuditQuery;
  users: {
    /** PaginationToken of the ListUsers page the next user comes from (`null`: the first page). */
    pageToken: string | null;
    /** Usernames of that page already started. */
    started: string[];
    /** Every user has been started: no more ListUsers calls. */
    complete: boolean;
  };
  inFlight: AuditUserPosition[];
  counts: AuditCounts;
  summary: AuditSummaryState;
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
  /** Requests per second over the last 5 seconds. */
  requestsPerSecond: number;
  /** The AdminListUserAuthEvents rate currently allowed. */
  allowedRate: number;
  elapsedMs: number;
  /** Estimated time left, once the total is known and a user is done. */
  etaMs?: number;
}

const KIND = "cognito-auth-events/audit";
const PAGE_SIZE = 60;
const DEFAULT_CONCURRENCY = 10;
const MAX_CONCURRENCY = 256;
const DEFAULT_HEADROOM = 0.03;
/** Users listed ahead of the workers (ListUsers is cheap; knowing the total gives an ETA). */
const LIST_AHEAD = 10_000;
/** Records read ahead of the consumer. */
const OUT_HIGH_WATER = 2_000;
/** Retries of transient errors (5xx, network, timeout) per request, on top of the client's own. */
const TRANSIENT_RETRIES = 5;
/** A per-user window a little longer than the service's second, for clock jitter. */
const USER_WINDOW_MS = 1_050;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

// ---------------------------------------------------------------------------------------------
// Rate limiting

/**
 * CUBIC's cut factor and regrowth scale. The AWS SDK's adaptive mode cuts to x0.7; the audit cuts
 * to x0.9: it already paces at the known quota, so a throttle usually means jitter at the edge of
 * the service's window, and a deep cut costs seconds of throughput each time (bench/audit: 8-13%
 * over the lower bound at x0.7, 7-9% at x0.9, with 30-60 ms of arrival jitter). Sustained
 * throttling (another client spending the same quota) still halves the rate in about 7 windows.
 */
const CUBIC_BETA = 0.9;
const CUBIC_SCALE = 0.4;

/**
 * Paces one quota category against a service that counts requests in a sliding one-second
 * window:
 * - requests go out evenly spaced at `maxRate x (1 - headroom)` (no bursts);
 * - and never more than `maxRate` of them in any `1 s / (1 - headroom / 3)`, counted at the
 *   times they really left: after a stall the missed slots cannot go out in a burst. The window
 *   is a little shorter than the spacing's, so that a timer firing a few milliseconds late does
 *   not push every later request back (it would, with equal rates: lateness would add up);
 * - with `adaptive`, a throttle cuts the rate along CUBIC, as the AWS SDK's adaptive retry mode
 *   does (x0.9 here, then a cubic climb back to the quota in about 2 seconds), at most once per
 *   window.
 *
 * The cut is computed from the rate allowed at the time of the throttle, not from a measured
 * rate as {@link AdaptiveRateLimiter} does: a measured rate lags, and cuts too deep early in a
 * run.
 */
export class QuotaPacer {
  readonly maxRate: number;
  readonly #adaptive: boolean;
  readonly #headroom: number;
  readonly #now: () => number;
  readonly #limit: number;
  readonly #windowMs: number;
  /** The last `#limit` send times (planned, then actual). */
  readonly #log: Array<{ time: number }> = [];
  #next = 0;
  /** The rate when last cut, when, and how long the climb back to it takes. */
  #peakRate = 0;
  #lastCut = -Infinity;
  #climbSeconds = 0;
  /** Throttles that cut the rate. */
  cuts = 0;

  constructor(
    maxRate: number,
    options: {
      /**
       * Cut the rate on a throttle (see above); `false` keeps pacing at the quota whatever the service answers.
       * @default true
       */
      adaptive?: boolean;
      /** Fraction of `maxRate` left unused. @default 0.03 */
      headroom?: number;
      /** The clock, epoch ms. @default Date.now */
      now?: () => number;
    } = {},
  ) {
    if (!(maxRate > 0) || !Number.isFinite(maxRate))
      throw new TypeError(`maxRate must be a positive number, got ${String(maxRate)}`);
    this.maxRate = maxRate;
    this.#adaptive = options.adaptive !== false;
    this.#now = options.now ?? Date.now;
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
    if (this.#lastCut === -Infinity) return ceiling;
    const t = (now - this.#lastCut) / 1000 - this.#climbSeconds;
    // CUBIC: beta x peak right after the cut, back at the peak after #climbSeconds, then beyond.
    return Math.max(0.5, Math.min(ceiling, CUBIC_SCALE * t ** 3 + this.#peakRate));
  }

  /** Waits for the next slot; resolves with the send time (epoch ms), to pass back to {@link QuotaPacer.record}. */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.#now();
    let slot = Math.max(now, this.#next);
    const log = this.#log;
    if (log.length >= this.#limit) slot = Math.max(slot, log[log.length - this.#limit]!.time + this.#windowMs);
    const entry = { time: slot };
    log.push(entry);
    if (log.length > this.#limit) log.shift();
    this.#next = slot + 1000 / this.#rateAt(slot);
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

/** At most `limit` requests in any `windowMs` (the per-user quota); bursts allowed. */
class WindowLimiter {
  readonly #times: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#times.length > 0 && this.#times[0]! <= now - this.windowMs) this.#times.shift();
      if (this.#times.length < this.limit) return;
      await sleep(this.#times[0]! + this.windowMs - now + 1, signal);
    }
  }

  record(time: number): void {
    this.#times.push(time);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function toDate(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date =
    value instanceof Date
      ? new Date(value.getTime())
      : typeof value === "number" || typeof value === "string"
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new TypeError(
      `${name} must be a Date, epoch milliseconds or an ISO 8601 date, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`,
    );
  }
  return date;
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === ""))
    throw new TypeError(`${name} must be a list of non-empty strings`);
  return [...new Set(value.map((v: string) => v.toLowerCase()))].sort();
}

function normaliseFilter(filter: unknown): AuditFilter | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== "object" || filter === null) throw new TypeError("filter must be an object");
  const f = filter as Record<string, unknown>;
  const known = new Set(["eventTypes", "responses", "riskLevels", "riskDecisions", "compromisedCredentials"]);
  for (const key of Object.keys(f))
    if (!known.has(key))
      throw new TypeError(`filter.${key} is not a filter (expected one of ${[...known].join(", ")})`);
  const out: AuditFilter = {};
  for (const key of ["eventTypes", "responses", "riskLevels", "riskDecisions"] as const) {
    const list = stringList(f[key], `filter.${key}`);
    if (list !== undefined) out[key] = list;
  }
  if (f["compromisedCredentials"] !== undefined) {
    if (typeof f["compromisedCredentials"] !== "boolean")
      throw new TypeError("filter.compromisedCredentials must be a boolean");
    out.compromisedCredentials = f["compromisedCredentials"];
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function rate(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number of requests per second, got ${String(value)}`);
  return value;
}

function resolveRates(maxRps: unknown): Required<AuditRates> {
  if (maxRps === undefined) return { ...AUDIT_QUOTAS };
  if (typeof maxRps === "number") return { ...AUDIT_QUOTAS, adminListUserAuthEvents: rate(maxRps, "maxRps") };
  if (typeof maxRps !== "object" || maxRps === null)
    throw new TypeError("maxRps must be a number or an object of rates");
  const r = maxRps as Record<string, unknown>;
  const out = { ...AUDIT_QUOTAS };
  for (const key of Object.keys(r)) {
    if (!(key in AUDIT_QUOTAS))
      throw new TypeError(
        `maxRps.${key} is not a quota category (expected adminListUserAuthEvents, listUsers or perUser)`,
      );
    if (r[key] !== undefined) out[key as keyof AuditRates] = rate(r[key], `maxRps.${key}`);
  }
  return out;
}

function matches(filter: AuditFilter | undefined, event: AuthEventType): boolean {
  if (filter === undefined) return true;
  const has = (list: readonly string[] | undefined, value: string | undefined) =>
    list === undefined || (value !== undefined && list.includes(value.toLowerCase()));
  return (
    has(filter.eventTypes, event.EventType) &&
    has(filter.responses, event.EventResponse) &&
    has(filter.riskLevels, event.EventRisk?.RiskLevel) &&
    has(filter.riskDecisions, event.EventRisk?.RiskDecision) &&
    (filter.compromisedCredentials === undefined ||
      (event.EventRisk?.CompromisedCredentialsDetected === true) === filter.compromisedCredentials)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseUser(value: unknown, path: string): AuditUser {
  if (!isObject(value) || typeof value["Username"] !== "string")
    throw new TypeError(`${path}.Username: expected a string`);
  if (value["sub"] !== undefined && typeof value["sub"] !== "string")
    throw new TypeError(`${path}.sub: expected a string`);
  return value["sub"] === undefined
    ? { Username: value["Username"] }
    : { Username: value["Username"], sub: value["sub"] };
}

function nonNegative(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${path}: expected a non-negative number`);
  return value;
}

/** Validates a checkpoint (it may come from a file a person edited) and copies it. */
function parseCheckpoint(value: unknown): AuditCheckpoint {
  if (!isObject(value) || value["kind"] !== KIND)
    throw new TypeError(`checkpoint: not an audit checkpoint (expected kind "${KIND}")`);
  if (value["version"] !== 1) throw new TypeError(`checkpoint.version: expected 1, got ${String(value["version"])}`);
  const query = value["query"];
  if (!isObject(query) || typeof query["userPoolId"] !== "string")
    throw new TypeError("checkpoint.query.userPoolId: expected a string");
  const users = value["users"];
  if (!isObject(users)) throw new TypeError("checkpoint.users: expected an object");
  const pageToken = users["pageToken"];
  if (pageToken !== null && typeof pageToken !== "string")
    throw new TypeError("checkpoint.users.pageToken: expected a string or null");
  const started = users["started"];
  if (!Array.isArray(started) || started.some((s) => typeof s !== "string"))
    throw new TypeError("checkpoint.users.started: expected a list of usernames");
  if (typeof users["complete"] !== "boolean") throw new TypeError("checkpoint.users.complete: expected a boolean");
  const inFlight = value["inFlight"];
  if (!Array.isArray(inFlight)) throw new TypeError("checkpoint.inFlight: expected a list");
  const positions = inFlight.map((p: unknown, i): AuditUserPosition => {
    const path = `checkpoint.inFlight[${i}]`;
    if (!isObject(p)) throw new TypeError(`${path}: expected an object`);
    const token = p["resumeToken"];
    if (token !== null && typeof token !== "string")
      throw new TypeError(`${path}.resumeToken: expected a string or null`);
    if (typeof p["finished"] !== "boolean") throw new TypeError(`${path}.finished: expected a boolean`);
    const position: AuditUserPosition = {
      user: parseUser(p["user"], `${path}.user`),
      resumeToken: token,
      finished: p["finished"],
      events: nonNegative(p["events"], `${path}.events`),
    };
    const last = p["last"];
    if (last !== undefined) {
      if (!isObject(last)) throw new TypeError(`${path}.last: expected an object`);
      if (last["eventId"] !== undefined && typeof last["eventId"] !== "string")
        throw new TypeError(`${path}.last.eventId: expected a string`);
      position.last = {};
      if (last["eventId"] !== undefined) position.last.eventId = last["eventId"] as string;
      if (last["creationDate"] !== undefined)
        position.last.creationDate = nonNegative(last["creationDate"], `${path}.last.creationDate`);
    }
    return position;
  });
  const counts = value["counts"];
  if (!isObject(counts)) throw new TypeError("checkpoint.counts: expected an object");
  const parsedCounts = {} as AuditCounts;
  for (const key of [
    "usersDone",
    "usersSkipped",
    "events",
    "scanned",
    "requests",
    "throttles",
    "clientRetries",
    "elapsedMs",
  ] as const) {
    parsedCounts[key] = nonNegative(counts[key], `checkpoint.counts.${key}`);
  }
  return {
    version: 1,
    kind: KIND,
    query: JSON.parse(JSON.stringify(query)) as AuditQuery,
    users: { pageToken, started: [...(started as string[])], complete: users["complete"] },
    inFlight: positions,
    counts: parsedCounts,
    // AuditSummary validates it.
    summary: value["summary"] as AuditSummaryState,
  };
}

function sameQuery(a: AuditQuery, b: AuditQuery): keyof AuditQuery | undefined {
  for (const key of ["userPoolId", "since", "until", "filter"] as const) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return key;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The run

/** A queued record for the consumer: an event to yield, a position to advance to, or a finished user. */
type OutRecord =
  | {
      kind: "event";
      position: AuditUserPosition;
      event: AuthEventType;
      after: string | undefined;
      last: AuditUserPosition["last"];
    }
  | { kind: "advance"; position: AuditUserPosition; after: string | undefined; last: AuditUserPosition["last"] }
  | { kind: "done"; position: AuditUserPosition; skipped: boolean };

/** A user from the listing, with the token of the page it came from. */
interface Listed {
  user: AuditUser;
  pageToken: string | null;
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

/** Skips the events a resumed user had already handed out. */
interface Guard {
  eventId?: string | undefined;
  creationDate?: number | undefined;
  /** The first event read should be this one (the resume point was moved back by one). */
  expectFirst: boolean;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
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
  readonly #client: PaginationClient;
  readonly #since: Date | undefined;
  readonly #until: Date | undefined;
  readonly #filter: AuditFilter | undefined;
  readonly #concurrency: number;
  readonly #rates: Required<AuditRates>;
  readonly #userSignal: AbortSignal | undefined;
  readonly #summary: AuditSummary;
  readonly #counts: AuditCounts;
  readonly #eventsPacer: QuotaPacer;
  readonly #listPacer: QuotaPacer;
  /** Aborted when the run stops; each task listens through its own controller (few listeners per signal). */
  readonly #stop = new AbortController();
  readonly #taskControllers = new Set<AbortController>();
  /** Consumer-side positions of started users not yet done, in start order. */
  readonly #inFlight = new Map<AuditUserPosition, true>();
  #listing: { pageToken: string | null; started: string[] };
  #listingComplete: boolean;
  #listingDone = false;
  readonly #listed: Listed[] = [];
  #listedHead = 0;
  readonly #resumeJobs: AuditUserPosition[];
  readonly #out: OutRecord[] = [];
  #outHead = 0;
  readonly #jobsChanged = new Notifier();
  readonly #outChanged = new Notifier();
  #failure: unknown;
  #workersLeft = 0;
  #iterated = false;
  #sinceBreak = 0;
  #failedOperation: string | undefined;
  #runStart: number | undefined;
  #priorElapsed: number;
  readonly #recent: number[] = [];
  #firstDoneAt: { time: number; done: number } | undefined;
  readonly #onUserDone: AuditOptions["onUserDone"];

  constructor(options: AuditOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
    const client = options.client as Partial<PaginationClient> | undefined;
    if (typeof client !== "object" || client === null || typeof client.send !== "function")
      throw new TypeError("client must be a client with a send method");
    const { userPoolId } = options;
    if (typeof userPoolId !== "string" || userPoolId.length > 55 || !POOL_ID.test(userPoolId)) {
      throw new TypeError(
        `userPoolId must match [\\w-]+_[0-9a-zA-Z]+ (at most 55 characters), got ${typeof userPoolId === "string" ? JSON.stringify(userPoolId) : typeof userPoolId}`,
      );
    }
    this.#client = client as PaginationClient;
    this.#since = toDate(options.since, "since");
    this.#until = toDate(options.until, "until");
    if (this.#since && this.#until && this.#since >= this.#until)
      throw new TypeError(`since (${this.#since.toISOString()}) must be before until (${this.#until.toISOString()})`);
    this.#filter = normaliseFilter(options.filter);
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
      throw new TypeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
    this.#concurrency = concurrency;
    this.#rates = resolveRates(options.maxRps);
    if (options.onUserDone !== undefined && typeof options.onUserDone !== "function")
      throw new TypeError("onUserDone must be a function");
    this.#onUserDone = options.onUserDone;
    const headroom = options.headroom ?? DEFAULT_HEADROOM;
    if (typeof headroom !== "number" || !(headroom >= 0 && headroom < 1))
      throw new TypeError(`headroom must be a number from 0 to less than 1, got ${String(headroom)}`);
    if (
      options.abortSignal !== undefined &&
      !(typeof options.abortSignal === "object" && typeof options.abortSignal?.addEventListener === "function")
    ) {
      throw new TypeError("abortSignal must be an AbortSignal");
    }
    this.#userSignal = options.abortSignal;
    this.#eventsPacer = new QuotaPacer(this.#rates.adminListUserAuthEvents, { headroom });
    this.#listPacer = new QuotaPacer(this.#rates.listUsers, { headroom });

    this.query = { userPoolId };
    if (this.#since) this.query.since = this.#since.toISOString();
    if (this.#until) this.query.until = this.#until.toISOString();
    if (this.#filter) this.query.filter = this.#filter;

    if (options.checkpoint === undefined) {
      this.#summary = new AuditSummary();
      this.#counts = {
        usersDone: 0,
        usersSkipped: 0,
        events: 0,
        scanned: 0,
        requests: 0,
        throttles: 0,
        clientRetries: 0,
        elapsedMs: 0,
      };
      this.#listing = { pageToken: null, started: [] };
      this.#listingComplete = false;
      this.#resumeJobs = [];
    } else {
      const cp = parseCheckpoint(options.checkpoint);
      const differs = sameQuery(cp.query, this.query);
      if (differs !== undefined) {
        throw new TypeError(
          `checkpoint: it belongs to another audit (its ${differs} is ${JSON.stringify(cp.query[differs]) ?? "unset"}, this run's is ${JSON.stringify(this.query[differs]) ?? "unset"}); resume with the same options or start without it`,
        );
      }
      this.#summary = new AuditSummary(cp.summary);
      this.#counts = cp.counts;
      this.#listing = cp.users;
      this.#listingComplete = cp.users.complete;
      this.#resumeJobs = cp.inFlight;
      for (const position of cp.inFlight) this.#inFlight.set(position, true);
    }
    this.#priorElapsed = this.#counts.elapsedMs;
  }

  /** The position right after the last record handed out: plain JSON, pass it back as `checkpoint`. */
  checkpoint(): AuditCheckpoint {
    const counts = { ...this.#counts, elapsedMs: this.#elapsed() };
    return {
      version: 1,
      kind: KIND,
      query: JSON.parse(JSON.stringify(this.query)) as AuditQuery,
      users: {
        pageToken: this.#listing.pageToken,
        started: [...this.#listing.started],
        complete: this.#listingComplete || (this.#listingDone && this.#listedHead === this.#listed.length),
      },
      inFlight: [...this.#inFlight.keys()].map((p) => {
        const copy: AuditUserPosition = {
          user: { ...p.user },
          resumeToken: p.resumeToken,
          finished: p.finished,
          events: p.events,
        };
        if (p.last) copy.last = { ...p.last };
        return copy;
      }),
      counts,
      summary: this.#summary.state,
    };
  }

  /** The summary of what has been handed out so far. */
  summary(options: { top?: number } = {}): AuditSummaryReport {
    return this.#summary.toJSON({
      ...options,
      ...(this.#since && { since: this.#since }),
      ...(this.#until && { until: this.#until }),
    });
  }

  /** What failed, once a request failed for good (not for throttling): the operation's name. */
  get failure(): { operation: string } | undefined {
    return this.#failedOperation === undefined ? undefined : { operation: this.#failedOperation };
  }

  /** Totals so far (across resumes). */
  get counts(): Readonly<AuditCounts> {
    return { ...this.#counts, elapsedMs: this.#elapsed() };
  }

  /** Where the run stands, for a progress line. */
  progress(): AuditProgress {
    const now = Date.now();
    const queued = this.#listed.length - this.#listedHead;
    const usersKnown = this.#counts.usersDone + this.#inFlight.size + queued;
    const listingOver = this.#listingComplete || this.#listingDone;
    const recent = this.#recent.filter((t) => t > now - 5000).length;
    const elapsedMs = this.#elapsed();
    const progress: AuditProgress = {
      usersDone: this.#counts.usersDone,
      usersKnown,
      events: this.#counts.events,
      scanned: this.#counts.scanned,
      requests: this.#counts.requests,
      throttles: this.#counts.throttles,
      requestsPerSecond:
        this.#runStart === undefined ? 0 : recent / Math.min(5, Math.max(0.001, (now - this.#runStart) / 1000)),
      allowedRate: this.#eventsPacer.rate,
      elapsedMs,
    };
    if (listingOver) progress.usersTotal = usersKnown;
    const first = this.#firstDoneAt;
    const doneNow = this.#counts.usersDone - (first?.done ?? 0);
    if (listingOver && first && doneNow > 0)
      progress.etaMs = ((now - first.time) / doneNow) * (usersKnown - this.#counts.usersDone);
    return progress;
  }

  [Symbol.asyncIterator](): AsyncGenerator<AuditRecord, void, undefined> {
    if (this.#iterated)
      throw new TypeError("an audit run can only be iterated once; start another from its checkpoint()");
    this.#iterated = true;
    return this.#generate();
  }

  #elapsed(): number {
    return this.#priorElapsed + (this.#runStart === undefined ? 0 : Date.now() - this.#runStart);
  }

  // ---- the consumer side ----

  async *#generate(): AsyncGenerator<AuditRecord, void, undefined> {
    const userSignal = this.#userSignal;
    const onAbort = () => this.#halt(new AbortError("The audit was aborted", { cause: userSignal?.reason }));
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener("abort", onAbort, { once: true });
    this.#runStart = Date.now();
    const tasks: Promise<void>[] = [this.#guarded((signal) => this.#produce(signal))];
    this.#workersLeft = this.#concurrency;
    for (let i = 0; i < this.#concurrency; i++) {
      tasks.push(
        this.#guarded((signal) => this.#work(signal)).finally(() => {
          this.#workersLeft--;
          this.#outChanged.notify();
        }),
      );
    }
    try {
      for (;;) {
        if (this.#failure !== undefined) throw this.#failure;
        if (this.#outHead < this.#out.length) {
          const record = this.#out[this.#outHead++]!;
          if (this.#outHead > 1024 && this.#outHead * 2 > this.#out.length) {
            this.#out.splice(0, this.#outHead);
            this.#outHead = 0;
          }
          this.#outChanged.notify();
          // Handing out buffered records only takes microtasks: let timers and I/O (the pacers, the
          // requests in flight) run now and then, or their timing suffers.
          if (++this.#sinceBreak >= 256) {
            this.#sinceBreak = 0;
            await sleep(0);
          }
          const yielded = this.#apply(record);
          if (yielded) yield yielded;
          continue;
        }
        if (this.#workersLeft === 0) break;
        await this.#outChanged.wait();
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#listingDone) this.#listingComplete = true;
    } finally {
      userSignal?.removeEventListener("abort", onAbort);
      this.#priorElapsed = this.#elapsed();
      this.#runStart = undefined;
      this.#stopAll(new Stopped("the audit's iterator was closed"));
      this.#jobsChanged.notify();
      this.#outChanged.notify();
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
      this.#onUserDone?.(position.user, position.events);
      if (this.#firstDoneAt === undefined) this.#firstDoneAt = { time: Date.now(), done: this.#counts.usersDone - 1 };
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

  // ---- the workers ----

  #halt(reason: unknown): void {
    if (this.#failure === undefined) this.#failure = reason;
    this.#stopAll(reason);
    this.#jobsChanged.notify();
    this.#outChanged.notify();
  }

  #stopAll(reason: unknown): void {
    if (!this.#stop.signal.aborted) this.#stop.abort(reason);
    for (const controller of this.#taskControllers) controller.abort(reason);
  }

  /** Runs a task with its own abort signal; its first real failure stops the run (and the consumer throws it). */
  async #guarded(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.#taskControllers.add(controller);
    if (this.#stop.signal.aborted) controller.abort(this.#stop.signal.reason);
    try {
      await task(controller.signal);
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      this.#halt(error);
    } finally {
      this.#taskControllers.delete(controller);
    }
  }

  #checkStopped(): void {
    if (this.#stop.signal.aborted) throw new Stopped("stopped");
  }

  /** Sends through the pacers; throttles are retried until they pass, transient errors a few times. */
  async #send(
    category: QuotaPacer,
    user: WindowLimiter | undefined,
    command: { input: object },
    signal: AbortSignal,
  ): Promise<unknown> {
    for (let transient = 0; ; ) {
      if (user) await user.acquire(signal);
      const sentAt = await category.acquire(signal);
      user?.record(Date.now());
      this.#counts.requests++;
      this.#recent.push(Date.now());
      if (this.#recent.length > 1024) this.#recent.splice(0, 512);
      try {
        const output = await this.#client.send(command, { abortSignal: signal });
        category.record(false, sentAt);
        const attempts = (output as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
        if (typeof attempts === "number" && attempts > 1) this.#counts.clientRetries += attempts - 1;
        return output;
      } catch (error) {
        this.#checkStopped();
        const meta = (error as { $metadata?: { httpStatusCode?: number; attempts?: number } }).$metadata;
        if (typeof meta?.attempts === "number" && meta.attempts > 1) this.#counts.clientRetries += meta.attempts - 1;
        const kind = classify({ name: errorName(error), status: meta?.httpStatusCode });
        if (kind === "throttling") {
          this.#counts.throttles++;
          category.record(true, sentAt);
          // The pacer sets the pace; the jitter only spreads the retries of one round.
          await sleep(Math.random() * 100, signal);
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

  async #produce(signal: AbortSignal): Promise<void> {
    if (!this.#listingComplete) await this.#listUsers(signal);
    this.#listingDone = true;
    this.#jobsChanged.notify();
  }

  async #listUsers(signal: AbortSignal): Promise<void> {
    let pageToken = this.#listing.pageToken;
    const skip = new Set(this.#listing.started);
    let first = true;
    const input: ListUsersRequest = { UserPoolId: this.query.userPoolId, AttributesToGet: ["sub"] };
    if (pageToken !== null) input.PaginationToken = pageToken;
    const client: PaginationClient = { send: (command) => this.#send(this.#listPacer, undefined, command, signal) };
    for await (const page of paginateListUsers({ client, pageSize: PAGE_SIZE, abortSignal: signal }, input)) {
      for (const raw of page.Users ?? []) {
        const user = toAuditUser(raw);
        if (user === undefined || (first && skip.has(user.Username))) continue;
        this.#listed.push({ user, pageToken });
      }
      first = false;
      this.#jobsChanged.notify();
      pageToken = typeof page.PaginationToken === "string" && page.PaginationToken !== "" ? page.PaginationToken : null;
      while (this.#listed.length - this.#listedHead >= LIST_AHEAD) {
        this.#checkStopped();
        await this.#jobsChanged.wait();
      }
    }
  }

  /** The next user to read: resumed ones first, then the listing's, in order. */
  async #nextJob(): Promise<AuditUserPosition | undefined> {
    for (;;) {
      this.#checkStopped();
      const resumed = this.#resumeJobs.shift();
      if (resumed) return resumed;
      if (this.#listedHead < this.#listed.length) {
        const { user, pageToken } = this.#listed[this.#listedHead++]!;
        if (this.#listedHead > 1024 && this.#listedHead * 2 > this.#listed.length) {
          this.#listed.splice(0, this.#listedHead);
          this.#listedHead = 0;
        }
        this.#jobsChanged.notify();
        // Users start in listing order, so "started" is the listing up to here.
        if (this.#listing.pageToken !== pageToken) this.#listing = { pageToken, started: [] };
        this.#listing.started.push(user.Username);
        const position: AuditUserPosition = { user, resumeToken: null, finished: false, events: 0 };
        this.#inFlight.set(position, true);
        return position;
      }
      if (this.#listingDone) return undefined;
      await this.#jobsChanged.wait();
    }
  }

  async #work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const position = await this.#nextJob();
      if (position === undefined) return;
      await this.#readUser(position, signal);
    }
  }

  async #push(record: OutRecord): Promise<void> {
    // A position advance needs no record of its own when the previous one is for the same user.
    const tail = this.#out.length > this.#outHead ? this.#out[this.#out.length - 1] : undefined;
    if (record.kind === "advance" && tail?.kind === "advance" && tail.position === record.position) {
      tail.after = record.after;
      tail.last = record.last;
      return;
    }
    while (this.#out.length - this.#outHead >= OUT_HIGH_WATER) {
      this.#checkStopped();
      await this.#outChanged.wait();
    }
    this.#checkStopped();
    this.#out.push(record);
    this.#outChanged.notify();
  }

  async #readUser(position: AuditUserPosition, signal: AbortSignal): Promise<void> {
    if (position.finished) {
      await this.#push({ kind: "done", position, skipped: false });
      return;
    }
    const limiter = new WindowLimiter(this.#rates.perUser, USER_WINDOW_MS);
    const client: PaginationClient = { send: (command) => this.#send(this.#eventsPacer, limiter, command, signal) };
    let startingToken: string | undefined;
    let guard: Guard | undefined;
    if (position.resumeToken !== null) {
      const parsed = parseStartingToken(position.resumeToken, ["NextToken"]);
      if (parsed.truncateAmount >= 1 && position.last) {
        // Step back one event and expect to find the last one read there: if events were added
        // since, the guard notices and skips to it instead of repeating events.
        startingToken = encodeResumeToken(
          new Map<string, unknown>([...parsed.tokens, [TRUNCATE_AMOUNT_KEY, parsed.truncateAmount - 1]]),
        );
        guard = { ...position.last, expectFirst: true };
      } else {
        startingToken = position.resumeToken;
      }
    }
    for (let restarted = false; ; restarted = true) {
      let read = 0;
      try {
        await this.#readEvents(position, client, signal, startingToken, guard, () => read++);
        break;
      } catch (error) {
        if (error instanceof Stopped) throw error;
        this.#checkStopped();
        const name = errorName(error);
        if (name === "UserNotFoundException") {
          // Deleted since ListUsers listed it: nothing more to read.
          await this.#push({ kind: "done", position, skipped: true });
          return;
        }
        if (name === "InvalidParameterException" && startingToken !== undefined && read === 0 && !restarted) {
          // The saved token is no longer accepted (expired): read from the top, skipping up to the last event read.
          startingToken = undefined;
          guard = position.last ? { ...position.last, expectFirst: false } : undefined;
          continue;
        }
        throw error;
      }
    }
    await this.#push({ kind: "done", position, skipped: false });
  }

  async #readEvents(
    position: AuditUserPosition,
    client: PaginationClient,
    signal: AbortSignal,
    startingToken: string | undefined,
    guard: Guard | undefined,
    onRead: () => void,
  ): Promise<void> {
    const iterator = paginateAdminListUserAuthEvents.items(
      { client, pageSize: PAGE_SIZE, abortSignal: signal, ...(startingToken !== undefined && { startingToken }) },
      { UserPoolId: this.query.userPoolId, Username: position.user.Username },
    );
    const since = this.#since?.getTime();
    const until = this.#until?.getTime();
    for await (const event of iterator) {
      onRead();
      this.#counts.scanned++;
      const after = iterator.resumeToken;
      const date = event.CreationDate instanceof Date ? event.CreationDate.getTime() : undefined;
      const last: AuditUserPosition["last"] = {};
      if (event.EventId !== undefined) last.eventId = event.EventId;
      if (date !== undefined) last.creationDate = date;
      if (guard) {
        // Skip the last event read before and anything newer (handed out already, or added since).
        const found = event.EventId !== undefined && event.EventId === guard.eventId;
        const expected = guard.expectFirst;
        guard.expectFirst = false;
        let skip: boolean;
        if (found) skip = true;
        else if (guard.creationDate !== undefined) skip = date === undefined || date >= guard.creationDate;
        else skip = !expected;
        if (found || !skip) guard = undefined;
        if (skip) {
          await this.#push({ kind: "advance", position, after, last });
          continue;
        }
      }
      // Newest first: the first event before the window ends this user's listing.
      if (since !== undefined && date !== undefined && date < since) return;
      if ((until !== undefined && date !== undefined && date >= until) || !matches(this.#filter, event)) {
        await this.#push({ kind: "advance", position, after, last });
        continue;
      }
      await this.#push({ kind: "event", position, event, after, last });
    }
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
