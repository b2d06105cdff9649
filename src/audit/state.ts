/**
 * Incremental audits: what a run remembers for the next one ({@link AuditState}): for each user, the newest event
 * read. A run given the state reads each user's listing (newest first) only down to that event, so a scheduled run
 * costs about one request per user and yields only what is new.
 *
 * Users are keyed by their `sub` (it survives a change of username or alias), by username when ListUsers gave no
 * `sub`. A user deleted since is simply not read (and leaves the next state); a new user is read from the top.
 *
 * The window: a mark is the newest event read inside the run's window, never one at or after its `until`, so a later
 * run with a later `until` (or none) writes what the earlier one left out, and one with an earlier `until` writes
 * nothing twice. A later `since` is fine too; an earlier one is refused: the events between were never read, and each
 * user's listing would stop at its mark before reaching them.
 *
 * Web-standard globals only.
 */
import { AUDIT_STATE_KIND } from "./constants.ts";
import type { AuditUser } from "./checkpoint.ts";
import { type AuditFilter, type AuditTime, auditTime, normaliseFilter } from "./options.ts";

/** The newest event read of one user. */
export interface AuditMark {
  eventId?: string;
  /** Epoch ms. */
  creationDate?: number;
}

/**
 * What an audit remembers for the next run (plain JSON): the pool, the filter and window it was made with (the next
 * run must use the same filter, and a `since` no earlier), and each user's newest event read inside the window.
 */
export interface AuditState {
  version: 1;
  kind: "cognito-auth-events/audit-state";
  userPoolId: string;
  /** Normalised as the audit normalises it (values lower-cased and sorted); absent: no filter. */
  filter?: AuditFilter;
  /** ISO 8601: the `since` of the run that made it (a run given the state may not start earlier); absent: none. */
  since?: string;
  /** ISO 8601: the `until` of the run that made it (a run given the state may move it either way); absent: none. */
  until?: string;
  /** By {@link auditUserKey}. */
  users: Record<string, AuditMark>;
}

/**
 * What a state is for: the pool, the filter and the window of the run that makes it. A run's options, or the run's
 * `query` (`PoolAudit.query`), are one.
 * @example { userPoolId: "eu-west-1_AbCdEf123", since: "2026-11-01", filter: { riskLevels: ["High"] } }
 */
export interface AuditStateScope {
  userPoolId: string;
  /** @default no filter */
  filter?: AuditFilter | undefined;
  /** @default no lower bound */
  since?: AuditTime | undefined;
  /** @default no upper bound */
  until?: AuditTime | undefined;
}

/** A saved state, checked: its scope and its marks. */
export interface ParsedAuditState {
  userPoolId: string;
  filter: AuditFilter | undefined;
  since: Date | undefined;
  until: Date | undefined;
  marks: Map<string, AuditMark>;
}

/** A user's key in {@link AuditState.users}: `sub:<sub>`, or `username:<Username>` without a `sub`. */
export function auditUserKey(user: AuditUser): string {
  return user.sub !== undefined ? `sub:${user.sub}` : `username:${user.Username}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks one mark (it may come from a file a person edited). */
export function parseMark(value: unknown, path: string): AuditMark {
  if (!isObject(value)) throw new TypeError(`${path}: expected an object`);
  const mark: AuditMark = {};
  const { eventId, creationDate } = value;
  if (eventId !== undefined) {
    if (typeof eventId !== "string") throw new TypeError(`${path}.eventId: expected a string`);
    mark.eventId = eventId;
  }
  if (creationDate !== undefined) {
    if (typeof creationDate !== "number" || !Number.isFinite(creationDate))
      throw new TypeError(`${path}.creationDate: expected epoch milliseconds`);
    mark.creationDate = creationDate;
  }
  if (mark.eventId === undefined && mark.creationDate === undefined)
    throw new TypeError(`${path}: expected an eventId or a creationDate`);
  return mark;
}

/**
 * Checks a saved state and reads its scope and marks.
 * @throws TypeError naming the member that is wrong
 */
export function parseAuditState(value: unknown): ParsedAuditState {
  if (!isObject(value) || value["kind"] !== AUDIT_STATE_KIND)
    throw new TypeError(`state: not an audit state: its kind is not "${AUDIT_STATE_KIND}"`);
  if (value["version"] !== 1) throw new TypeError(`state.version: expected 1, got ${String(value["version"])}`);
  if (typeof value["userPoolId"] !== "string") throw new TypeError("state.userPoolId: expected a string");
  const filter = value["filter"];
  if (filter !== undefined && !isObject(filter)) throw new TypeError("state.filter: expected an object");
  const window = { since: stateTime(value["since"], "since"), until: stateTime(value["until"], "until") };
  const users = value["users"];
  if (!isObject(users)) throw new TypeError("state.users: expected an object");
  const marks = new Map<string, AuditMark>();
  for (const key of Object.keys(users)) marks.set(key, parseMark(users[key], `state.users[${JSON.stringify(key)}]`));
  return { userPoolId: value["userPoolId"], filter: filter as AuditFilter | undefined, ...window, marks };
}

function stateTime(value: unknown, name: "since" | "until"): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === "string" ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    throw new TypeError(`state.${name}: expected an ISO 8601 date, got ${JSON.stringify(value) ?? typeof value}`);
  return date;
}

/**
 * How a state does not fit a run: the member that differs, and the state's value and the run's (`since` in ISO 8601;
 * `undefined`: none).
 */
export interface StateMismatch {
  readonly member: "userPoolId" | "filter" | "since";
  readonly state: string | undefined;
  readonly run: string | undefined;
}

/**
 * Whether a run cannot start from a state: the state is another pool's, or was made with another filter, or the run's
 * `since` is earlier than the state's (the events between were never read, and each user's listing would stop at its
 * mark before reaching them). `until` may differ: marks are inside each run's window.
 * @example stateMismatch(parseAuditState(saved), { userPoolId, filter, since }) // undefined: it fits
 */
export function stateMismatch(
  state: Pick<ParsedAuditState, "userPoolId" | "filter" | "since">,
  run: { userPoolId: string; filter?: AuditFilter | undefined; since?: Date | undefined },
): StateMismatch | undefined {
  if (state.userPoolId !== run.userPoolId)
    return { member: "userPoolId", state: state.userPoolId, run: run.userPoolId };
  const filters = [normaliseFilter(state.filter), normaliseFilter(run.filter)].map((f) => JSON.stringify(f));
  if (filters[0] !== filters[1]) return { member: "filter", state: filters[0], run: filters[1] };
  if (state.since !== undefined && (run.since === undefined || run.since < state.since))
    return { member: "since", state: state.since.toISOString(), run: run.since?.toISOString() };
  return undefined;
}

/**
 * A {@link StateMismatch} in words, without a subject (the caller names the state), in the option names given.
 * @example describeStateMismatch(mismatch, { since: "--since", filter: "filters" })
 */
export function describeStateMismatch(mismatch: StateMismatch, names: { since: string; filter: string }): string {
  const { member, state, run } = mismatch;
  if (member === "userPoolId") return `it belongs to pool ${state}, not ${run}`;
  if (member === "filter") return `it was made with other ${names.filter}; use the same, or start a new state`;
  return (
    `it was made with ${names.since} ${state}, and this run's ${names.since} (${run ?? "none"}) is earlier: the ` +
    `events before ${state} were never read, and each user's listing would stop at its mark before them; use a ` +
    `${names.since} at or after ${state}, or start a new state`
  );
}

/**
 * The next state, built from a run's `onUserDone(user, events, mark)` calls: each user the run finished, with its
 * mark (users the run did not reach, deleted ones included, are left out), for the run's pool, filter and window.
 * @example
 * const options = { client, userPoolId, since: "2026-11-01", state: previous };
 * const next = new AuditStateBuilder(options);
 * const audit = auditUserPool({ ...options, onUserDone: (u, _n, mark) => next.set(u, mark) });
 * for await (const record of audit) write(record);
 * await save(JSON.stringify(next.toJSON()));
 */
export class AuditStateBuilder {
  readonly #users = new Map<string, AuditMark>();
  readonly #scope: Omit<AuditState, "version" | "kind" | "users">;

  /**
   * @param scope the run's pool, filter and window (its options, or its `query`), checked and normalised as the
   * audit checks and normalises them
   * @throws TypeError naming the member that is wrong
   */
  constructor(scope: AuditStateScope) {
    if (typeof scope !== "object" || scope === null || typeof scope.userPoolId !== "string")
      throw new TypeError("scope.userPoolId must be a string");
    this.#scope = { userPoolId: scope.userPoolId };
    const filter = normaliseFilter(scope.filter);
    if (filter !== undefined) this.#scope.filter = filter;
    const since = auditTime(scope.since, "since");
    const until = auditTime(scope.until, "until");
    if (since !== undefined) this.#scope.since = since.toISOString();
    if (until !== undefined) this.#scope.until = until.toISOString();
  }

  /** The pool the state is for. */
  get userPoolId(): string {
    return this.#scope.userPoolId;
  }

  /** Records a user's mark; `undefined`: the user has no events yet, and stays out of the state. */
  set(user: AuditUser, mark: AuditMark | undefined): void {
    if (mark === undefined) this.#users.delete(auditUserKey(user));
    else this.#users.set(auditUserKey(user), { ...mark });
  }

  /** Users recorded. */
  get size(): number {
    return this.#users.size;
  }

  toJSON(): AuditState {
    const users: Record<string, AuditMark> = {};
    for (const key of [...this.#users.keys()].sort()) users[key] = this.#users.get(key)!;
    return { version: 1, kind: AUDIT_STATE_KIND, ...structuredClone(this.#scope), users };
  }
}
