/**
 * The report's figures, counted as audit records stream past: memory grows with the users and the distinct keys
 * (hours, countries, cities, IP addresses), never with the events, so a report of a large pool is read in one pass
 * from a file or from a running audit.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import type { AuditRecord } from "../audit/audit.ts";
import type { AuditUser } from "../audit/checkpoint.ts";
import { AuditSummary, MISSING } from "../audit/summary.ts";
import type {
  EventCounts,
  FeedbackState,
  LastSignIn,
  ReportData,
  ReportIp,
  ReportUser,
  RiskyDecision,
  TimelineHour,
  TimelineSeries,
} from "./data.ts";

/** Options of {@link ReportAggregator}. */
export interface ReportAggregatorOptions {
  /** The audit's `since`, shown as the period's start. @default the oldest event */
  since?: Date;
  /** The audit's `until`, shown as the period's end. @default the newest event */
  until?: Date;
  /**
   * When the audit ran: the end of an open window (recency is counted back from it).
   * @default the window's `until`, else the newest event
   * @example new Date()
   */
  asOf?: Date;
}

const HOUR_MS = 3_600_000;

interface IpState {
  failedSignIns: number;
  passedSignIns: number;
  /** Indexes of the users with a failed sign-in from here (numbers are smaller than usernames). */
  users: Set<number> | undefined;
}

interface UserState extends ReportUser {
  index: number;
}

function label(value: string | undefined): string {
  return value === undefined || value === "" ? MISSING : value;
}

function timeOf(date: Date | undefined): number | undefined {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  return Number.isFinite(time) ? time : undefined;
}

function later(current: number | undefined, time: number | undefined): number | undefined {
  return time !== undefined && (current === undefined || time > current) ? time : current;
}

function byCountThenLabel(a: { events: number; label: string }, b: { events: number; label: string }): number {
  return b.events - a.events || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/**
 * Counts audit records for the report. Feed it every record ({@link ReportAggregator.add}) and, from a running
 * audit, every user it finished ({@link ReportAggregator.userDone}: users without events count too); then take
 * {@link ReportAggregator.result}.
 * @example
 * const aggregator = new ReportAggregator();
 * for await (const record of readAuditRecords(file)) aggregator.add(record);
 * const html = await renderHtmlReport(aggregator.result());
 */
export class ReportAggregator {
  readonly #options: ReportAggregatorOptions;
  readonly #summary = new AuditSummary();
  readonly #users = new Map<string, UserState>();
  readonly #hours = new Map<number, TimelineHour>();
  readonly #places = new Map<string, Map<string, EventCounts>>();
  readonly #ips = new Map<string, IpState>();
  readonly #feedback = emptyFeedback();
  #usersDone = 0;
  #signIns = 0;
  #failedSignIns = 0;
  #failedWithoutAddress = 0;
  #undated = 0;

  constructor(options: ReportAggregatorOptions = {}) {
    for (const key of ["since", "until", "asOf"] as const) {
      const value = options[key];
      if (value !== undefined && timeOf(value) === undefined) throw new TypeError(`${key} must be a valid Date`);
    }
    this.#options = options;
  }

  #user(user: AuditUser): UserState {
    let state = this.#users.get(user.Username);
    if (state === undefined) {
      state = {
        index: this.#users.size,
        username: user.Username,
        events: 0,
        signIns: 0,
        failedSignIns: 0,
        failedEvents: 0,
        blocks: 0,
        takeovers: 0,
        compromisedEvents: 0,
        awaitingFeedback: 0,
      };
      this.#users.set(user.Username, state);
    }
    if (user.sub !== undefined) state.sub = user.sub;
    return state;
  }

  /** Counts one record. Keeps nothing of the record but strings and numbers. */
  add(record: AuditRecord): void {
    const { event } = record;
    const user = this.#user(record.user);
    this.#summary.add(user.username, event);
    user.events++;
    const time = timeOf(event.CreationDate);
    const failed = event.EventResponse === "Fail";
    if (failed) user.failedEvents++;
    this.#countTime(event, time, failed);
    this.#countPlace(event, failed);
    if (event.EventType === "SignIn") this.#countSignIn(user, event, time, failed);
    const risk = event.EventRisk;
    if (risk?.CompromisedCredentialsDetected === true) {
      user.compromisedEvents++;
      user.lastCompromised = later(user.lastCompromised, time);
    }
    const decision = risk?.RiskDecision;
    if (decision === "Block" || decision === "AccountTakeover") {
      if (decision === "Block") user.blocks++;
      else user.takeovers++;
      user.lastRisky = later(user.lastRisky, time);
      const value = event.EventFeedback?.FeedbackValue;
      const state: FeedbackState =
        value === undefined ? "none" : value === "Valid" || value === "Invalid" ? value : "other";
      this.#feedback[decision][state]++;
      if (state === "none") {
        user.awaitingFeedback++;
        const previous = user.lastAwaiting;
        if (previous === undefined || (time !== undefined && (previous.time === undefined || time > previous.time))) {
          user.lastAwaiting = {};
          if (time !== undefined) user.lastAwaiting.time = time;
          if (event.EventId !== undefined) user.lastAwaiting.eventId = event.EventId;
        }
      }
    }
  }

  /** Counts a user the audit finished reading (with or without events). */
  userDone(user: AuditUser): void {
    const state = this.#user(user);
    this.#usersDone++;
    this.#summary.userDone(state.events > 0);
  }

  #countTime(event: AuthEventType, time: number | undefined, failed: boolean): void {
    if (time === undefined) {
      this.#undated++;
      return;
    }
    const start = Math.floor(time / HOUR_MS) * HOUR_MS;
    let hour = this.#hours.get(start);
    if (hour === undefined) {
      hour = { start, counts: { NoRisk: 0, AccountTakeover: 0, Block: 0, other: 0 }, failed: 0 };
      this.#hours.set(start, hour);
    }
    const decision = event.EventRisk?.RiskDecision;
    const series: TimelineSeries =
      decision === "NoRisk" || decision === "AccountTakeover" || decision === "Block" ? decision : "other";
    hour.counts[series]++;
    if (failed) hour.failed++;
  }

  #countPlace(event: AuthEventType, failed: boolean): void {
    const country = label(event.EventContextData?.Country);
    const city = label(event.EventContextData?.City);
    let cities = this.#places.get(country);
    if (cities === undefined) {
      cities = new Map();
      this.#places.set(country, cities);
    }
    let counts = cities.get(city);
    if (counts === undefined) {
      counts = { events: 0, failed: 0 };
      cities.set(city, counts);
    }
    counts.events++;
    if (failed) counts.failed++;
  }

  #countSignIn(user: UserState, event: AuthEventType, time: number | undefined, failed: boolean): void {
    this.#signIns++;
    user.signIns++;
    const context = event.EventContextData;
    const address = context?.IpAddress;
    if (failed) {
      this.#failedSignIns++;
      user.failedSignIns++;
      user.lastFailedSignIn = later(user.lastFailedSignIn, time);
      if (address === undefined || address === "") {
        this.#failedWithoutAddress++;
        return;
      }
      const ip = this.#ip(address);
      ip.failedSignIns++;
      ip.users ??= new Set();
      ip.users.add(user.index);
      return;
    }
    if (event.EventResponse !== "Pass") return;
    if (address !== undefined && address !== "") this.#ip(address).passedSignIns++;
    if (time === undefined || (user.lastSignIn !== undefined && time <= user.lastSignIn.time)) return;
    const last: LastSignIn = { time };
    if (event.EventId !== undefined) last.eventId = event.EventId;
    if (address !== undefined) last.ipAddress = address;
    if (context?.City !== undefined) last.city = context.City;
    if (context?.Country !== undefined) last.country = context.Country;
    if (context?.DeviceName !== undefined) last.deviceName = context.DeviceName;
    user.lastSignIn = last;
  }

  #ip(address: string): IpState {
    let ip = this.#ips.get(address);
    if (ip === undefined) {
      ip = { failedSignIns: 0, passedSignIns: 0, users: undefined };
      this.#ips.set(address, ip);
    }
    return ip;
  }

  /** The figures so far (a snapshot: counting may go on). */
  result(): ReportData {
    const { since, until, asOf } = this.#options;
    const summary = this.#summary.toJSON({
      top: Number.MAX_SAFE_INTEGER,
      ...(since && { since }),
      ...(until && { until }),
    });
    const usersListed = this.#usersDone > 0;
    if (!usersListed) {
      // An audit file: the users are those with events in it.
      summary.users = { audited: this.#users.size, withEvents: this.#users.size };
    }
    const newest = summary.newestEvent === undefined ? undefined : new Date(summary.newestEvent);
    const periodEnd = until ?? asOf ?? newest;
    const countries: ReportData["countries"] = [];
    const cities: ReportData["cities"] = [];
    for (const [country, byCity] of this.#places) {
      const total = { country, events: 0, failed: 0 };
      for (const [city, counts] of byCity) {
        total.events += counts.events;
        total.failed += counts.failed;
        cities.push({ country, city, ...counts });
      }
      countries.push(total);
    }
    countries.sort((a, b) => byCountThenLabel({ ...a, label: a.country }, { ...b, label: b.country }));
    cities.sort((a, b) =>
      byCountThenLabel({ ...a, label: `${a.country}\u0000${a.city}` }, { ...b, label: `${b.country}\u0000${b.city}` }),
    );
    const ips: ReportIp[] = [];
    for (const [ip, state] of this.#ips) {
      if (state.failedSignIns === 0) continue;
      ips.push({
        ip,
        failedSignIns: state.failedSignIns,
        passedSignIns: state.passedSignIns,
        usersWithFailures: state.users?.size ?? 0,
      });
    }
    ips.sort((a, b) => b.failedSignIns - a.failedSignIns || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    const users = [...this.#users.values()]
      .map(({ index: _index, ...user }) => copyUser(user))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    const window: ReportData["window"] = {};
    if (since) window.since = since;
    if (until) window.until = until;
    return {
      summary,
      usersListed,
      window,
      ...(periodEnd && { periodEnd }),
      signIns: { total: this.#signIns, failed: this.#failedSignIns, failedWithoutAddress: this.#failedWithoutAddress },
      undatedEvents: this.#undated,
      timeline: [...this.#hours.values()]
        .sort((a, b) => a.start - b.start)
        .map((hour) => ({ ...hour, counts: { ...hour.counts } })),
      countries,
      cities,
      ips,
      users,
      feedback: {
        AccountTakeover: { ...this.#feedback.AccountTakeover },
        Block: { ...this.#feedback.Block },
      },
    };
  }
}

function emptyFeedback(): Record<RiskyDecision, Record<FeedbackState, number>> {
  return {
    AccountTakeover: { Valid: 0, Invalid: 0, other: 0, none: 0 },
    Block: { Valid: 0, Invalid: 0, other: 0, none: 0 },
  };
}

function copyUser(user: ReportUser): ReportUser {
  const copy: ReportUser = { ...user };
  if (user.lastSignIn) copy.lastSignIn = { ...user.lastSignIn };
  if (user.lastAwaiting) copy.lastAwaiting = { ...user.lastAwaiting };
  return copy;
}
