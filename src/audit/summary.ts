/**
 * The pool audit's summary: what happened across a user pool, counted as events stream past.
 * Counts by event type, response, risk level, risk decision and country; the users whose
 * credentials were found compromised; the IP addresses with the most failed sign-ins. The report keeps the `top`
 * entries of each list and says how many it left out.
 *
 * The running state is plain JSON ({@link AuditSummaryState}), so it travels inside an audit
 * checkpoint and a resumed run ends with the same summary as an uninterrupted one.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";

/** Label counted when an event lacks the member (no `EventRisk`, no `Country`, ...). */
export const MISSING = "(none)";

/** How many entries {@link AuditSummary.toJSON} keeps in each list by default. */
export const DEFAULT_TOP = 10;

/** The running counts: plain JSON, what a checkpoint stores. */
export interface AuditSummaryState {
  /** Users whose events were all read. */
  users: number;
  /** Users with at least one event counted. */
  usersWithEvents: number;
  /** Events counted. */
  events: number;
  byEventType: Record<string, number>;
  byResponse: Record<string, number>;
  byRiskLevel: Record<string, number>;
  byRiskDecision: Record<string, number>;
  byCountry: Record<string, number>;
  /** Events with `CompromisedCredentialsDetected: true`. */
  compromisedEvents: number;
  /** Usernames with at least one such event. */
  compromisedUsers: string[];
  /** Failed sign-ins (`EventType` SignIn, `EventResponse` Fail) by IP address. */
  failedSignInsByIp: Record<string, number>;
  /** Oldest and newest `CreationDate` counted, ISO 8601. */
  oldest?: string;
  newest?: string;
}

/** One row of the top-IP list. */
export interface IpCount {
  ip: string;
  failedSignIns: number;
}

/** The lists of a report that `top` may cut, by their name in the report. */
export type AuditSummaryList =
  | "byEventType"
  | "byResponse"
  | "byRiskLevel"
  | "byRiskDecision"
  | "byCountry"
  | "compromisedUsers"
  | "failedSignInIps";

/**
 * The summary as printed by `--output summary-json`. Count tables are sorted by count, then label; every list
 * holds at most `top` entries.
 */
export interface AuditSummaryReport {
  users: { audited: number; withEvents: number };
  events: number;
  window?: { since?: string; until?: string };
  oldestEvent?: string;
  newestEvent?: string;
  byEventType: Record<string, number>;
  byResponse: Record<string, number>;
  byRiskLevel: Record<string, number>;
  byRiskDecision: Record<string, number>;
  byCountry: Record<string, number>;
  /** `users`: the first `top` of them, sorted; `more.compromisedUsers` says how many more there are. */
  compromisedCredentials: { events: number; users: string[] };
  /** IP addresses by failed sign-ins; failed sign-ins without an address are not ranked among them. */
  topFailedSignInIps: IpCount[];
  /** Failed sign-ins whose event had no IP address, when there were any. */
  failedSignInsWithoutIp?: number;
  /** How many entries each list left out because of `top`; only lists that left some out are named. */
  more?: Partial<Record<AuditSummaryList, number>>;
}

function emptyState(): AuditSummaryState {
  return {
    users: 0,
    usersWithEvents: 0,
    events: 0,
    byEventType: {},
    byResponse: {},
    byRiskLevel: {},
    byRiskDecision: {},
    byCountry: {},
    compromisedEvents: 0,
    compromisedUsers: [],
    failedSignInsByIp: {},
  };
}

// Counts live in null-prototype objects: a country called "__proto__" is just a country.
function bump(table: Record<string, number>, key: string | undefined): void {
  const label = key === undefined || key === "" ? MISSING : key;
  table[label] = (table[label] ?? 0) + 1;
}

function countTable(value: unknown, path: string): Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`${path}: expected an object of counts`);
  const table: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [key, count] of Object.entries(value)) {
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0)
      throw new TypeError(`${path}.${key}: expected a count`);
    table[key] = count;
  }
  return table;
}

function count(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`${path}: expected a non-negative integer`);
  return value;
}

// Object.fromEntries (in toJSON) defines own properties, so "__proto__" stays a plain key.
function byCountThenLabel(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/**
 * Counts audit events. Feed it with {@link AuditSummary.add} and {@link AuditSummary.userDone};
 * save {@link AuditSummary.state} and restore it with `new AuditSummary(state)`.
 * @example
 * const summary = new AuditSummary();
 * summary.add("alice", event);
 * summary.userDone(true);
 * console.log(formatSummaryTable(summary.toJSON()));
 */
export class AuditSummary {
  readonly #state: AuditSummaryState;
  readonly #compromised: Set<string>;

  /** @param state a state saved from {@link AuditSummary.state} (validated); omitted: empty. */
  constructor(state?: AuditSummaryState) {
    this.#state = state === undefined ? emptyState() : parseState(state);
    for (const key of [
      "byEventType",
      "byResponse",
      "byRiskLevel",
      "byRiskDecision",
      "byCountry",
      "failedSignInsByIp",
    ] as const) {
      this.#state[key] = Object.assign(Object.create(null) as Record<string, number>, this.#state[key]);
    }
    this.#compromised = new Set(this.#state.compromisedUsers);
  }

  /** Counts one event of `username`. */
  add(username: string, event: AuthEventType): void {
    const s = this.#state;
    s.events++;
    bump(s.byEventType, event.EventType);
    bump(s.byResponse, event.EventResponse);
    bump(s.byRiskLevel, event.EventRisk?.RiskLevel);
    bump(s.byRiskDecision, event.EventRisk?.RiskDecision);
    bump(s.byCountry, event.EventContextData?.Country);
    if (event.EventRisk?.CompromisedCredentialsDetected === true) {
      s.compromisedEvents++;
      this.#compromised.add(username);
    }
    if (event.EventType === "SignIn" && event.EventResponse === "Fail")
      bump(s.failedSignInsByIp, event.EventContextData?.IpAddress);
    const when = event.CreationDate;
    if (when instanceof Date && !Number.isNaN(when.getTime())) {
      const iso = when.toISOString();
      if (s.oldest === undefined || iso < s.oldest) s.oldest = iso;
      if (s.newest === undefined || iso > s.newest) s.newest = iso;
    }
  }

  /** Counts a user whose events have all been read; `hadEvents`: at least one was counted. */
  userDone(hadEvents: boolean): void {
    this.#state.users++;
    if (hadEvents) this.#state.usersWithEvents++;
  }

  /** A copy of the running state (plain JSON). */
  get state(): AuditSummaryState {
    const s = this.#state;
    const copy: AuditSummaryState = {
      ...s,
      byEventType: { ...s.byEventType },
      byResponse: { ...s.byResponse },
      byRiskLevel: { ...s.byRiskLevel },
      byRiskDecision: { ...s.byRiskDecision },
      byCountry: { ...s.byCountry },
      compromisedUsers: [...this.#compromised].sort(),
      failedSignInsByIp: { ...s.failedSignInsByIp },
    };
    return copy;
  }

  /**
   * The report: count tables sorted by count (then label) and compromised users sorted, each cut to its `top`
   * entries; the `top` IP addresses by failed sign-ins (ties by address).
   */
  toJSON(options: { top?: number; since?: Date; until?: Date } = {}): AuditSummaryReport {
    const top = options.top ?? DEFAULT_TOP;
    if (!Number.isSafeInteger(top) || top < 0)
      throw new TypeError(`top must be a non-negative integer, got ${String(top)}`);
    const s = this.#state;
    const more: Partial<Record<AuditSummaryList, number>> = {};
    const cut = <T>(list: AuditSummaryList, entries: readonly T[]): T[] => {
      if (entries.length > top) more[list] = entries.length - top;
      return entries.slice(0, top);
    };
    const counts = (list: AuditSummaryList, table: Record<string, number>) =>
      Object.fromEntries(cut(list, Object.entries(table).sort(byCountThenLabel)));
    const window: AuditSummaryReport["window"] =
      options.since === undefined && options.until === undefined
        ? undefined
        : {
            ...(options.since && { since: options.since.toISOString() }),
            ...(options.until && { until: options.until.toISOString() }),
          };
    const ips = Object.entries(s.failedSignInsByIp).filter(([ip]) => ip !== MISSING);
    const withoutIp = s.failedSignInsByIp[MISSING];
    const report: AuditSummaryReport = {
      users: { audited: s.users, withEvents: s.usersWithEvents },
      events: s.events,
      ...(window && { window }),
      ...(s.oldest !== undefined && { oldestEvent: s.oldest }),
      ...(s.newest !== undefined && { newestEvent: s.newest }),
      byEventType: counts("byEventType", s.byEventType),
      byResponse: counts("byResponse", s.byResponse),
      byRiskLevel: counts("byRiskLevel", s.byRiskLevel),
      byRiskDecision: counts("byRiskDecision", s.byRiskDecision),
      byCountry: counts("byCountry", s.byCountry),
      compromisedCredentials: {
        events: s.compromisedEvents,
        users: cut("compromisedUsers", [...this.#compromised].sort()),
      },
      topFailedSignInIps: cut("failedSignInIps", ips.sort(byCountThenLabel)).map(([ip, failedSignIns]) => ({
        ip,
        failedSignIns,
      })),
      ...(withoutIp !== undefined && { failedSignInsWithoutIp: withoutIp }),
    };
    if (Object.keys(more).length > 0) report.more = more;
    return report;
  }
}

/** Validates a saved state (it comes from a checkpoint file a person may have edited). */
function parseState(value: unknown): AuditSummaryState {
  const path = "checkpoint.summary";
  if (typeof value !== "object" || value === null) throw new TypeError(`${path}: expected an object`);
  const v = value as Record<string, unknown>;
  const users = v["compromisedUsers"];
  if (!Array.isArray(users) || users.some((u) => typeof u !== "string"))
    throw new TypeError(`${path}.compromisedUsers: expected a list of usernames`);
  const state: AuditSummaryState = {
    users: count(v["users"], `${path}.users`),
    usersWithEvents: count(v["usersWithEvents"], `${path}.usersWithEvents`),
    events: count(v["events"], `${path}.events`),
    byEventType: countTable(v["byEventType"], `${path}.byEventType`),
    byResponse: countTable(v["byResponse"], `${path}.byResponse`),
    byRiskLevel: countTable(v["byRiskLevel"], `${path}.byRiskLevel`),
    byRiskDecision: countTable(v["byRiskDecision"], `${path}.byRiskDecision`),
    byCountry: countTable(v["byCountry"], `${path}.byCountry`),
    compromisedEvents: count(v["compromisedEvents"], `${path}.compromisedEvents`),
    compromisedUsers: users as string[],
    failedSignInsByIp: countTable(v["failedSignInsByIp"], `${path}.failedSignInsByIp`),
  };
  for (const key of ["oldest", "newest"] as const) {
    const date = v[key];
    if (date === undefined) continue;
    if (typeof date !== "string" || Number.isNaN(Date.parse(date)))
      throw new TypeError(`${path}.${key}: expected an ISO 8601 date`);
    state[key] = date;
  }
  return state;
}
