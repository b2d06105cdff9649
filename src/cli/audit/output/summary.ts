/** `audit --output summary` and `summary-json`: no records, the summary of the whole audit at the end. */

import { formatSummaryTable } from "../../../audit/summary-table.ts";
import { type AuditOutputFormat, jsonFor } from "./format.ts";

export const summaryAuditOutput: AuditOutputFormat = {
  name: "summary",
  description: "the summary as tables: counts by type, response, risk, country; compromised users; top IPs",
  report: true,
  open: () => ({ start: () => "", record: () => "", end: ({ summary }) => formatSummaryTable(summary) }),
};

export const summaryJsonAuditOutput: AuditOutputFormat = {
  name: "summary-json",
  description: "the summary as JSON",
  report: true,
  open: ({ terminal }) => ({
    start: () => "",
    record: () => "",
    end: ({ summary }) => jsonFor(terminal)(`${JSON.stringify(summary, null, 2)}\n`),
  }),
};
