/**
 * Incremental audits: what a run remembers for the next one ({@link AuditState}): for each user, the newest event
 * read. A run given the state reads each user's listing (newest first) only down to that event, so a scheduled run
 * costs about one request per user and yields only what is new.
 *
 * Users are keyed by their `sub` (it survives a change of username or alias), by username when ListUsers gave no
 * `sub`. A user deleted since is simply not read (and leaves the next state); a new user is read from the top.
 *
 * Web-standard globals only.
 */
import type { AuditUser } from "./checkpoint.ts";
import { type AuditFilter, normaliseFilter } from "./options.ts";

/** The newest event read of one user. */
export interface AuditMark {
  eventId?: string;
  /** Epoch ms. */
  creationDate?: number;
}

/**
 * What an audit remembers for the next run (plain JSON): the pool, the filter it was made with (the next run must
 * use the same), and each user's newest event read.
 */
export interface AuditState {
  version: 1;
  kind: "cognito-auth-events/audit-state";
  userPoolId: string;
  /** Normalised as the audit normalises it (values lower-cased and sorted); absent: no filter. */
  filter?: AuditFilter;
  /** By {@link auditUserKey}. */
  users: Record<string, AuditMark>;
}

/** The `kind` every audit state carries. */
export const AUDIT_STATE_KIND = "cognito-auth-events/audit-state";

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
 * Checks a saved state and reads its marks.
 * @throws TypeError naming the member that is wrong
 */
export function parseAuditState(value: unknown): {
  userPoolId: string;
  filter: AuditFilter | undefined;
  marks: Map<string, AuditMark>;
} {
  if (!isObject(value) || value["kind"] !== AUDIT_STATE_KIND)
    throw new TypeError(`state: not an audit state (expected kind "${AUDIT_STATE_KIND}")`);
  if (value["version"] !== 1) throw new TypeError(`state.version: expected 1, got ${String(value["version"])}`);
  if (typeof value["userPoolId"] !== "string") throw new TypeError("state.userPoolId: expected a string");
  const filter = value["filter"];
  if (filter !== undefined && !isObject(filter)) throw new TypeError("state.filter: expected an object");
  const users = value["users"];
  if (!isObject(users)) throw new TypeError("state.users: expected an object");
  const marks = new Map<string, AuditMark>();
  for (const key of Object.keys(users)) marks.set(key, parseMark(users[key], `state.users[${JSON.stringify(key)}]`));
  return { userPoolId: value["userPoolId"], filter: filter as AuditFilter | undefined, marks };
}

/**
 * The next state, built from a run's `onUserDone(user, events, mark)` calls: each user the run finished, with its
 * mark (users the run did not reach, deleted ones included, are left out).
 * @example
 * const next = new AuditStateBuilder(userPoolId, filter);
 * const audit = auditUserPool({ client, userPoolId, filter, state: previous, onUserDone: (u, _n, mark) => next.set(u, mark) });
 * for await (const record of audit) write(record);
 * await save(JSON.stringify(next.toJSON()));
 */
export class AuditStateBuilder {
  readonly #users = new Map<string, AuditMark>();
  constructor(
    readonly userPoolId: string,
    /** The run's filter (as given: it is normalised as the audit normalises it). */
    readonly filter?: AuditFilter,
  ) {}

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
    const state: AuditState = { version: 1, kind: AUDIT_STATE_KIND, userPoolId: this.userPoolId, users };
    const filter = normaliseFilter(this.filter);
    if (filter !== undefined) state.filter = filter;
    return state;
  }
}
