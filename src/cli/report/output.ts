/**
 * The outputs made from the whole audit at its end rather than record by record: the HTML report (`html`) and the
 * last successful sign-in per user (`last-sign-in`, `last-sign-in-ndjson`, `last-sign-in-csv`). Shared by
 * `audit --output ...` (while auditing) and `report --format ...` (from a saved audit).
 */
import pkg from "../../../package.json" with { type: "json" };
import type { AuditRecord } from "../../audit/audit.ts";
import type { AuditUser } from "../../audit/checkpoint.ts";
import { ReportAggregator, type ReportAggregatorOptions } from "../../report/aggregate.ts";
import type { ReportData } from "../../report/data.ts";
import { lastSignInRows } from "../../report/last-sign-in.ts";
import { renderHtmlReport } from "../../report/render.ts";
import { lastSignInCsv, lastSignInNdjson, lastSignInTable } from "./last-sign-in.ts";
import type { ReportFormat } from "./formats.ts";

/** How the output looks, beyond its data. */
export interface ReportOutputOptions {
  /** The HTML report's title. @default "Cognito auth-event report" */
  title?: string;
  /** The line under it. */
  subtitle?: string;
  /** Rows of each ranking. @default 10 */
  top?: number;
  /** Rows of each list of users in the HTML report. @default 1000 */
  maxRows?: number;
}

/** Writes the aggregated audit in one of the {@link REPORT_FORMATS}. */
export async function renderReportOutput(
  format: ReportFormat,
  data: ReportData,
  options: ReportOutputOptions = {},
): Promise<string> {
  switch (format) {
    case "html":
      return renderHtmlReport(data, { ...options, generator: `${pkg.name} ${pkg.version}` });
    case "last-sign-in":
      return lastSignInTable(lastSignInRows(data), data.periodEnd);
    case "last-sign-in-ndjson":
      return lastSignInNdjson(lastSignInRows(data));
    case "last-sign-in-csv":
      return lastSignInCsv(lastSignInRows(data));
  }
}

/**
 * Collects a running audit for one of the {@link REPORT_FORMATS}: pass {@link ReportOutput.userDone} as the audit's
 * `onUserDone` and every record to {@link ReportOutput.add}; {@link ReportOutput.finish} renders.
 */
export class ReportOutput {
  readonly #aggregator: ReportAggregator;
  constructor(
    readonly format: ReportFormat,
    window: ReportAggregatorOptions,
    readonly options: ReportOutputOptions,
  ) {
    this.#aggregator = new ReportAggregator(window);
  }
  /** Counts a record (bound: pass it around as is). */
  readonly add = (record: AuditRecord): void => this.#aggregator.add(record);
  /** Counts a finished user (bound: the audit's `onUserDone`). */
  readonly userDone = (user: AuditUser): void => this.#aggregator.userDone(user);
  /** The output, rendered from everything counted. */
  finish(): Promise<string> {
    return renderReportOutput(this.format, this.#aggregator.result(), this.options);
  }
}
