/**
 * What a pool audit is asked to do ({@link AuditOptions}), checked and resolved once, before any request: a bad
 * option is a `TypeError` naming it. Also the filter the audit applies to each event.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import type { PaginationClient } from "../paginate.ts";
import type { AuditCheckpoint, AuditQuery, AuditUser } from "./checkpoint.ts";
import { AUDIT_QUOTAS } from "./constants.ts";
import { type AuditMark, type AuditState, describeStateMismatch, parseAuditState, stateMismatch } from "./state.ts";

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
 * Options of `auditUserPool`.
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
  /** Resume from this checkpoint (from `PoolAudit.checkpoint()`, possibly via JSON). */
  checkpoint?: AuditCheckpoint;
  /** Stops the audit; the iterator throws `AbortError` and the checkpoint stays valid. */
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
   * called again). `mark` is the user's newest event read inside the window, by this run or (when it read nothing
   * newer) by the run that made `state`; `undefined` for a user without such events: what the next run's state holds.
   * @example { onUserDone: (user, events) => { if (events === 0) inactive.push(user.Username); } }
   */
  onUserDone?: (user: AuditUser, events: number, mark: AuditMark | undefined) => void;
  /**
   * The state a previous run of the same pool and filter left (built from its `onUserDone` marks, see
   * {@link AuditStateBuilder}): each user's listing is read only down to the newest event that run read inside its
   * window, so only what is new is yielded, at about one request per user. `until` may differ from the state's run
   * (a later one yields what that run left out after its `until`); `since` may not be earlier than its (refused:
   * the events before it were never read).
   * @default none: every user's whole listing (within the window)
   */
  state?: AuditState;
}

/** {@link AuditOptions} checked, with their defaults. */
export interface ResolvedAuditOptions {
  readonly client: PaginationClient;
  readonly since: Date | undefined;
  readonly until: Date | undefined;
  /** Values lower-cased and sorted; `undefined` when it filters nothing. */
  readonly filter: AuditFilter | undefined;
  readonly concurrency: number;
  readonly rates: Readonly<Required<AuditRates>>;
  readonly headroom: number;
  readonly abortSignal: AbortSignal | undefined;
  readonly onUserDone: AuditOptions["onUserDone"];
  /** The state's marks, by {@link auditUserKey}; `undefined` without a state. */
  readonly marks: ReadonlyMap<string, AuditMark> | undefined;
  /** What a checkpoint of this audit is for. */
  readonly query: AuditQuery;
}

const DEFAULT_CONCURRENCY = 10;
const MAX_CONCURRENCY = 256;
/** Enough to absorb the clock jitter of a sliding one-second window without throttling (see QuotaPacer). */
export const DEFAULT_HEADROOM = 0.03;
/** The service's pattern and length limit for a user pool id. */
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const POOL_ID_MAX = 55;

/**
 * Checks the options and fills in the defaults.
 * @throws TypeError naming the first option that is wrong
 */
export function resolveAuditOptions(options: AuditOptions): ResolvedAuditOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const client = options.client as Partial<PaginationClient> | undefined;
  if (typeof client !== "object" || client === null || typeof client.send !== "function")
    throw new TypeError("client must be a client with a send method");
  const { userPoolId } = options;
  if (typeof userPoolId !== "string" || userPoolId.length > POOL_ID_MAX || !POOL_ID.test(userPoolId)) {
    const got = typeof userPoolId === "string" ? JSON.stringify(userPoolId) : typeof userPoolId;
    throw new TypeError(`userPoolId must match [\\w-]+_[0-9a-zA-Z]+ (at most ${POOL_ID_MAX} characters), got ${got}`);
  }
  const since = auditTime(options.since, "since");
  const until = auditTime(options.until, "until");
  if (since && until && since >= until)
    throw new TypeError(`since (${since.toISOString()}) must be before until (${until.toISOString()})`);
  const filter = normaliseFilter(options.filter);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new TypeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
  const headroom = options.headroom ?? DEFAULT_HEADROOM;
  if (typeof headroom !== "number" || !(headroom >= 0 && headroom < 1))
    throw new TypeError(`headroom must be a number from 0 to less than 1, got ${String(headroom)}`);
  if (options.onUserDone !== undefined && typeof options.onUserDone !== "function")
    throw new TypeError("onUserDone must be a function");
  const signal = options.abortSignal;
  if (signal !== undefined && !(typeof signal === "object" && typeof signal?.addEventListener === "function"))
    throw new TypeError("abortSignal must be an AbortSignal");
  const marks = options.state === undefined ? undefined : stateMarks(options.state, { userPoolId, filter, since });
  const query: AuditQuery = { userPoolId };
  if (since) query.since = since.toISOString();
  if (until) query.until = until.toISOString();
  if (filter) query.filter = filter;
  return {
    client: client as PaginationClient,
    since,
    until,
    filter,
    concurrency,
    rates: resolveRates(options.maxRps),
    headroom,
    abortSignal: signal,
    onUserDone: options.onUserDone,
    marks,
    query,
  };
}

/** The marks of a state, once it is known to fit this run (its pool, filter and window). */
function stateMarks(
  value: unknown,
  run: { userPoolId: string; filter: AuditFilter | undefined; since: Date | undefined },
): Map<string, AuditMark> {
  const state = parseAuditState(value);
  const mismatch = stateMismatch(state, run);
  if (mismatch !== undefined)
    throw new TypeError(`state: ${describeStateMismatch(mismatch, { since: "since", filter: "filter" })}`);
  return state.marks;
}

/**
 * Whether an event passes the filter (values already lower-cased by {@link resolveAuditOptions}).
 * @example matches({ riskLevels: ["high"] }, event)
 */
export function matches(filter: AuditFilter | undefined, event: AuthEventType): boolean {
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

/**
 * A moment given as an option, as a `Date`; `undefined` when not given.
 * @throws TypeError naming the option when it is not a moment
 * @example auditTime("2026-11-01", "since") // 2026-11-01T00:00:00.000Z
 */
export function auditTime(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date =
    value instanceof Date
      ? new Date(value.getTime())
      : typeof value === "number" || typeof value === "string"
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    const got = typeof value === "string" ? JSON.stringify(value) : typeof value;
    throw new TypeError(`${name} must be a Date, epoch milliseconds or an ISO 8601 date, got ${got}`);
  }
  return date;
}

const FILTER_LISTS = ["eventTypes", "responses", "riskLevels", "riskDecisions"] as const;

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === ""))
    throw new TypeError(`${name} must be a list of non-empty strings`);
  return [...new Set(value.map((v: string) => v.toLowerCase()))].sort();
}

/**
 * The filter as queries, checkpoints and states record it: values lower-cased and sorted.
 * @throws TypeError naming the member that is wrong
 */
export function normaliseFilter(filter: unknown): AuditFilter | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== "object" || filter === null) throw new TypeError("filter must be an object");
  const given = filter as Record<string, unknown>;
  const known = new Set<string>([...FILTER_LISTS, "compromisedCredentials"]);
  for (const key of Object.keys(given))
    if (!known.has(key))
      throw new TypeError(`filter.${key} is not a filter (expected one of ${[...known].join(", ")})`);
  const out: AuditFilter = {};
  for (const key of FILTER_LISTS) {
    const list = stringList(given[key], `filter.${key}`);
    if (list !== undefined) out[key] = list;
  }
  const compromised = given["compromisedCredentials"];
  if (compromised !== undefined) {
    if (typeof compromised !== "boolean") throw new TypeError("filter.compromisedCredentials must be a boolean");
    out.compromisedCredentials = compromised;
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
  const given = maxRps as Record<string, unknown>;
  const out = { ...AUDIT_QUOTAS };
  for (const key of Object.keys(given)) {
    if (!(key in AUDIT_QUOTAS))
      throw new TypeError(
        `maxRps.${key} is not a quota category (expected adminListUserAuthEvents, listUsers or perUser)`,
      );
    if (given[key] !== undefined) out[key as keyof AuditRates] = rate(given[key], `maxRps.${key}`);
  }
  return out;
}
