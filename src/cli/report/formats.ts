/**
 * The outputs made from the whole audit at its end (see output.ts): their names, as `audit --output` and
 * `report --format` take them. A module of its own, imported by the audit without loading the report's renderers.
 */
/** The formats, as `--output` (audit) and `--format` (report) name them. */
export const REPORT_FORMATS = ["html", "last-sign-in", "last-sign-in-ndjson", "last-sign-in-csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Whether an output format is one of {@link REPORT_FORMATS}. */
export function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}
