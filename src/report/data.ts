/**
 * What the report knows once the records are counted (src/report/aggregate.ts counts them): plain data that every
 * renderer (the HTML report, the last-sign-in outputs) reads.
 *
 * Web-standard globals only.
 */
import type { AuditSummaryReport } from "../audit/summary.ts";

/** The risk decisions the timeline stacks; `other` is an event without one (or with a value the model lacks). */
export const TIMELINE_SERIES = ["NoRisk", "AccountTakeover", "Block", "other"] as const;
export type TimelineSeries = (typeof TIMELINE_SERIES)[number];

/** The decisions that make an event risky: what feedback is asked about. */
export const RISKY_DECISIONS = ["AccountTakeover", "Block"] as const;
export type RiskyDecision = (typeof RISKY_DECISIONS)[number];

/** Feedback on a risky event, as `EventFeedback.FeedbackValue` says (`other`: a value the model lacks). */
export const FEEDBACK_STATES = ["Valid", "Invalid", "other", "none"] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

/** Events and failed events (`EventResponse: Fail`) under one key. */
export interface EventCounts {
  events: number;
  failed: number;
}

/** One hour of the timeline: events by risk decision, and failed events. */
export interface TimelineHour {
  /** The hour's start, epoch milliseconds (UTC). */
  start: number;
  counts: Record<TimelineSeries, number>;
  failed: number;
}

/** A user's latest successful sign-in (`EventType: SignIn`, `EventResponse: Pass`). */
export interface LastSignIn {
  /** Epoch milliseconds. */
  time: number;
  eventId?: string;
  ipAddress?: string;
  city?: string;
  country?: string;
  deviceName?: string;
}

/** What the report knows about one user. */
export interface ReportUser {
  username: string;
  sub?: string;
  events: number;
  signIns: number;
  failedSignIns: number;
  /** Events with `EventResponse: Fail`, of any type. */
  failedEvents: number;
  blocks: number;
  takeovers: number;
  /** Events with `CompromisedCredentialsDetected: true`. */
  compromisedEvents: number;
  /** When the latest such event happened (epoch milliseconds). */
  lastCompromised?: number;
  /** When the latest Block or AccountTakeover event happened. */
  lastRisky?: number;
  /** When the latest failed sign-in happened. */
  lastFailedSignIn?: number;
  lastSignIn?: LastSignIn;
  /** Block and AccountTakeover events without feedback, and the latest of them. */
  awaitingFeedback: number;
  lastAwaiting?: { time?: number; eventId?: string };
}

/** An IP address that failed to sign in at least once. */
export interface ReportIp {
  ip: string;
  failedSignIns: number;
  /** Successful sign-ins from the same address. */
  passedSignIns: number;
  /** Distinct users with a failed sign-in from this address. */
  usersWithFailures: number;
}

/** Everything the renderers need, computed by {@link ReportAggregator.result}. */
export interface ReportData {
  /** As `audit --output summary-json` prints it (every IP address listed); `users` as this report counts them. */
  summary: AuditSummaryReport;
  /**
   * Whether users without events were counted: an audit reports every user it read, an audit file only holds
   * users with events.
   */
  usersListed: boolean;
  /** The audit's window, as given. */
  window: { since?: Date; until?: Date };
  /**
   * The moment recency is counted back from: the window's end, else the time the audit ran (when known), else the
   * newest event.
   */
  periodEnd?: Date;
  signIns: { total: number; failed: number; failedWithoutAddress: number };
  /** Events without a valid `CreationDate` (not on the timeline). */
  undatedEvents: number;
  /** Hours with events, oldest first. */
  timeline: TimelineHour[];
  /** By `Country` (`(none)` when absent), most events first. */
  countries: Array<EventCounts & { country: string }>;
  /** By country and `City`, most events first. */
  cities: Array<EventCounts & { country: string; city: string }>;
  /** Addresses with failed sign-ins, most first (ties by address). */
  ips: ReportIp[];
  /** Every user, by username. */
  users: ReportUser[];
  /** Risky events by decision and feedback. */
  feedback: Record<RiskyDecision, Record<FeedbackState, number>>;
}
