/**
 * The pool audit's summary: what happened across a user pool, counted as events stream past.
 * Counts by event type, response, risk level, risk decision and country; the users whose
 * credentials were found compromised; the IP addresses with the most failed sign-ins.
 *
 * The running state is plain JSON ({@link AuditSummaryState}), so it travels inside an audit
 * checkpoint and a resumed run ends with the same summary as an uninterrupted one.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../generated/types.ts";
import { displayWidth } from "./east-asian-width.ts";

/** Label counted when an event lacks the member (no `EventRisk`, no `Country`, ...). */
export const MISSING = "(none)";

/** How many IP addresses {@link AuditSummary.toJSON} lists by default. */
export const DEFAULT_TOP_IPS = 10;

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

/** The summary as printed by `--output summary` (JSON). Count tables are sorted by count, then label. */
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
  compromisedCredentials: { events: number; users: string[] };
  topFailedSignInIps: IpCount[];
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

// Object.fromEntries defines own properties, so "__proto__" stays a plain key.
function sortedCounts(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).sort(byCountThenLabel));
}

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
   * The report: count tables sorted by count (then label), compromised users sorted, the `top`
   * IP addresses by failed sign-ins (ties by address).
   */
  toJSON(options: { top?: number; since?: Date; until?: Date } = {}): AuditSummaryReport {
    const top = options.top ?? DEFAULT_TOP_IPS;
    if (!Number.isSafeInteger(top) || top < 0)
      throw new TypeError(`top must be a non-negative integer, got ${String(top)}`);
    const s = this.#state;
    const window: AuditSummaryReport["window"] =
      options.since === undefined && options.until === undefined
        ? undefined
        : {
            ...(options.since && { since: options.since.toISOString() }),
            ...(options.until && { until: options.until.toISOString() }),
          };
    return {
      users: { audited: s.users, withEvents: s.usersWithEvents },
      events: s.events,
      ...(window && { window }),
      ...(s.oldest !== undefined && { oldestEvent: s.oldest }),
      ...(s.newest !== undefined && { newestEvent: s.newest }),
      byEventType: sortedCounts(s.byEventType),
      byResponse: sortedCounts(s.byResponse),
      byRiskLevel: sortedCounts(s.byRiskLevel),
      byRiskDecision: sortedCounts(s.byRiskDecision),
      byCountry: sortedCounts(s.byCountry),
      compromisedCredentials: { events: s.compromisedEvents, users: [...this.#compromised].sort() },
      topFailedSignInIps: Object.entries(s.failedSignInsByIp)
        .sort(byCountThenLabel)
        .slice(0, top)
        .map(([ip, failedSignIns]) => ({ ip, failedSignIns })),
    };
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

function pad(text: string, width: number, right = false): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

function percent(n: number, total: number): string {
  return total === 0 ? "" : `${((n / total) * 100).toFixed(1)}%`;
}

/** One titled table: label, count, share of the events. */
function section(title: string, rows: Array<[string, number]>, total: number | undefined): string[] {
  if (rows.length === 0) return [title, "  (none)"];
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label)));
  const countWidth = Math.max(...rows.map(([, n]) => String(n).length));
  return [
    title,
    ...rows.map(
      ([label, n]) =>
        `  ${pad(label, labelWidth)}  ${pad(String(n), countWidth, true)}${total === undefined ? "" : `  ${pad(percent(n, total), 6, true)}`}`,
    ),
  ];
}

/**
 * The report as a readable plain-text table (what `--output summary` prints on a terminal).
 * @example console.log(formatSummaryTable(summary.toJSON()))
 */
export function formatSummaryTable(report: AuditSummaryReport): string {
  const lines: string[] = [];
  lines.push(`Users audited: ${report.users.audited} (${report.users.withEvents} with events)`);
  lines.push(`Events: ${report.events}`);
  if (report.window) lines.push(`Window: ${report.window.since ?? "(start)"} .. ${report.window.until ?? "(now)"}`);
  if (report.oldestEvent) lines.push(`Oldest event: ${report.oldestEvent}`);
  if (report.newestEvent) lines.push(`Newest event: ${report.newestEvent}`);
  const tables: Array<[string, Record<string, number>]> = [
    ["By event type", report.byEventType],
    ["By response", report.byResponse],
    ["By risk level", report.byRiskLevel],
    ["By risk decision", report.byRiskDecision],
    ["By country", report.byCountry],
  ];
  for (const [title, table] of tables) lines.push("", ...section(title, Object.entries(table), report.events));
  const compromised = report.compromisedCredentials;
  lines.push(
    "",
    `Compromised credentials: ${compromised.events} event${compromised.events === 1 ? "" : "s"}, ${compromised.users.length} user${compromised.users.length === 1 ? "" : "s"}`,
  );
  for (const user of compromised.users) lines.push(`  ${user}`);
  lines.push(
    "",
    ...section(
      "Top IP addresses by failed sign-ins",
      report.topFailedSignInIps.map(({ ip, failedSignIns }) => [ip, failedSignIns]),
      undefined,
    ),
  );
  return `${lines.join("\n")}\n`;
}
