/**
 * `cognito-auth-events/report`: a security report of a pool audit as one self-contained HTML file, and the last
 * successful sign-in of every user. Streams: it counts records as they come (from a running audit or a saved one),
 * so memory grows with the users and distinct keys, not with the events. Node, Deno and Bun.
 *
 * @example
 * import { createReadStream } from "node:fs";
 * import { ReportAggregator, readAuditRecords, renderHtmlReport } from "cognito-auth-events/report";
 * const aggregator = new ReportAggregator();
 * for await (const record of readAuditRecords(createReadStream("audit.ndjson"))) aggregator.add(record);
 * await writeFile("report.html", await renderHtmlReport(aggregator.result()));
 *
 * @module
 */
export { ReportAggregator, type ReportAggregatorOptions } from "./aggregate.ts";
export {
  type EventCounts,
  FEEDBACK_STATES,
  type FeedbackState,
  type LastSignIn,
  type ReportData,
  type ReportIp,
  type ReportUser,
  RISKY_DECISIONS,
  type RiskyDecision,
  TIMELINE_SERIES,
  type TimelineHour,
  type TimelineSeries,
} from "./data.ts";
export { LAST_SIGN_IN_COLUMNS, type LastSignInRow, lastSignInRows } from "./last-sign-in.ts";
export { AuditInputError, type AuditSource, MAX_LINE_LENGTH, parseAuditLine, readAuditRecords } from "./records.ts";
export { DEFAULT_TITLE, type HtmlReportOptions, renderHtmlReport, reportPolicy } from "./render.ts";
