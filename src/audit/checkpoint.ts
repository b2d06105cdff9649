/**
 * An audit's position as plain JSON ({@link AuditCheckpoint}): what it is, how a saved one is checked before a run
 * resumes from it (it may come from a file a person edited), and how two audits' queries compare.
 *
 * Web-standard globals only.
 */
import type { AuditFilter } from "./options.ts";
import { type AuditMark, parseMark } from "./state.ts";
import type { AuditSummaryState } from "./summary.ts";

/** The user an event belongs to (from ListUsers). */
export interface AuditUser {
  Username: string;
  /** The user's `sub` attribute, when ListUsers returned it. */
  sub?: string;
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
  /**
   * The newest event inside the window this run read of the user (the first not after `until`): the user's mark for
   * the next run's state.
   */
  newest?: AuditMark;
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

/** The `kind` every audit checkpoint carries. */
export const CHECKPOINT_KIND = "cognito-auth-events/audit";

const COUNT_KEYS = [
  "usersDone",
  "usersSkipped",
  "events",
  "scanned",
  "requests",
  "throttles",
  "clientRetries",
  "elapsedMs",
] as const;

/** The totals of an audit that has not started. */
export function zeroCounts(): AuditCounts {
  return Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as unknown as AuditCounts;
}

/** A copy of a position, sharing nothing with it (the checkpoint's, while the run moves the original on). */
export function copyPosition(position: AuditUserPosition): AuditUserPosition {
  const copy: AuditUserPosition = {
    user: { ...position.user },
    resumeToken: position.resumeToken,
    finished: position.finished,
    events: position.events,
  };
  if (position.last) copy.last = { ...position.last };
  if (position.newest) copy.newest = { ...position.newest };
  return copy;
}

/**
 * The first member of the query whose value differs between a checkpoint and a run, if any: a checkpoint only
 * resumes the audit it was made by.
 * @example differingQueryKey(saved.query, run.query) // "since"
 */
export function differingQueryKey(saved: AuditQuery, run: AuditQuery): keyof AuditQuery | undefined {
  for (const key of ["userPoolId", "since", "until", "filter"] as const) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(run[key])) return key;
  }
  return undefined;
}

/**
 * Checks a saved checkpoint and copies it (the summary's state is checked by `AuditSummary`).
 * @throws TypeError naming the path of the first member that is wrong (`checkpoint.inFlight[0].user.Username`)
 */
export function parseCheckpoint(value: unknown): AuditCheckpoint {
  if (!isObject(value) || value["kind"] !== CHECKPOINT_KIND)
    throw new TypeError(`checkpoint: not an audit checkpoint (expected kind "${CHECKPOINT_KIND}")`);
  if (value["version"] !== 1) throw new TypeError(`checkpoint.version: expected 1, got ${String(value["version"])}`);
  const query = value["query"];
  if (!isObject(query) || typeof query["userPoolId"] !== "string")
    throw new TypeError("checkpoint.query.userPoolId: expected a string");
  const counts = value["counts"];
  if (!isObject(counts)) throw new TypeError("checkpoint.counts: expected an object");
  const inFlight = value["inFlight"];
  if (!Array.isArray(inFlight)) throw new TypeError("checkpoint.inFlight: expected a list");
  return {
    version: 1,
    kind: CHECKPOINT_KIND,
    query: JSON.parse(JSON.stringify(query)) as AuditQuery,
    users: parseUsers(value["users"]),
    inFlight: inFlight.map((position: unknown, i) => parsePosition(position, `checkpoint.inFlight[${i}]`)),
    counts: Object.fromEntries(
      COUNT_KEYS.map((key) => [key, nonNegative(counts[key], `checkpoint.counts.${key}`)]),
    ) as unknown as AuditCounts,
    summary: value["summary"] as AuditSummaryState,
  };
}

function parseUsers(users: unknown): AuditCheckpoint["users"] {
  if (!isObject(users)) throw new TypeError("checkpoint.users: expected an object");
  const pageToken = users["pageToken"];
  if (pageToken !== null && typeof pageToken !== "string")
    throw new TypeError("checkpoint.users.pageToken: expected a string or null");
  const started = users["started"];
  if (!Array.isArray(started) || started.some((s) => typeof s !== "string"))
    throw new TypeError("checkpoint.users.started: expected a list of usernames");
  const complete = users["complete"];
  if (typeof complete !== "boolean") throw new TypeError("checkpoint.users.complete: expected a boolean");
  return { pageToken, started: [...(started as string[])], complete };
}

function parsePosition(value: unknown, path: string): AuditUserPosition {
  if (!isObject(value)) throw new TypeError(`${path}: expected an object`);
  const token = value["resumeToken"];
  if (token !== null && typeof token !== "string")
    throw new TypeError(`${path}.resumeToken: expected a string or null`);
  const finished = value["finished"];
  if (typeof finished !== "boolean") throw new TypeError(`${path}.finished: expected a boolean`);
  const position: AuditUserPosition = {
    user: parseUser(value["user"], `${path}.user`),
    resumeToken: token,
    finished,
    events: nonNegative(value["events"], `${path}.events`),
  };
  const last = value["last"];
  if (last !== undefined) {
    if (!isObject(last)) throw new TypeError(`${path}.last: expected an object`);
    const eventId = last["eventId"];
    if (eventId !== undefined && typeof eventId !== "string")
      throw new TypeError(`${path}.last.eventId: expected a string`);
    position.last = {};
    if (eventId !== undefined) position.last.eventId = eventId;
    if (last["creationDate"] !== undefined)
      position.last.creationDate = nonNegative(last["creationDate"], `${path}.last.creationDate`);
  }
  if (value["newest"] !== undefined) position.newest = parseMark(value["newest"], `${path}.newest`);
  return position;
}

function parseUser(value: unknown, path: string): AuditUser {
  if (!isObject(value) || typeof value["Username"] !== "string")
    throw new TypeError(`${path}.Username: expected a string`);
  const sub = value["sub"];
  if (sub !== undefined && typeof sub !== "string") throw new TypeError(`${path}.sub: expected a string`);
  return sub === undefined ? { Username: value["Username"] } : { Username: value["Username"], sub };
}

function nonNegative(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${path}: expected a non-negative number`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
