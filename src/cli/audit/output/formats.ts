/**
 * The `audit --output` formats, the default first. Adding a format: one file exporting an {@link AuditOutputFormat},
 * and one line here.
 */

import { csvAuditOutput } from "./csv.ts";
import type { AuditOutputFormat } from "./format.ts";
import { jsonAuditOutput } from "./json.ts";
import { ndjsonAuditOutput } from "./ndjson.ts";
import { ocsfAuditOutput } from "./ocsf.ts";
import { REPORT_AUDIT_OUTPUTS } from "./report.ts";
import { summaryAuditOutput, summaryJsonAuditOutput } from "./summary.ts";

export const AUDIT_FORMATS: readonly AuditOutputFormat[] = [
  ndjsonAuditOutput,
  csvAuditOutput,
  jsonAuditOutput,
  ocsfAuditOutput,
  summaryAuditOutput,
  summaryJsonAuditOutput,
  ...REPORT_AUDIT_OUTPUTS,
];
