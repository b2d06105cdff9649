/**
 * `audit --output html` (the self-contained HTML security report) and `last-sign-in` (a table), `last-sign-in-ndjson`
 * and `last-sign-in-csv` (every user's last successful sign-in, users without one included): made from the whole
 * audit at its end by src/report/. The renderers (and d3) load only when one of these is asked for.
 */

import { PROG } from "../../args.ts";
import { REPORT_FORMATS, type ReportFormat } from "../../report/formats.ts";
import type { AuditOutputFormat } from "./format.ts";

const DESCRIPTIONS: Readonly<Record<ReportFormat, string>> = {
  html: "a self-contained HTML security report (inline CSS and SVG, no script)",
  "last-sign-in": "every user's last successful sign-in, a table (users without one first)",
  "last-sign-in-ndjson": "every user's last successful sign-in, one JSON object per user",
  "last-sign-in-csv": "every user's last successful sign-in, RFC 4180 CSV",
};

function reportOutput(name: ReportFormat): AuditOutputFormat {
  return {
    name,
    description: DESCRIPTIONS[name],
    report: true,
    notResumable: `not with --output ${name}, made from the whole audit at its end; to resume, write --output ndjson --output-file FILE with --checkpoint, then run: ${PROG} report --input FILE`,
    async open({ userPoolId, window, top }) {
      const { ReportOutput } = await import("../../report/output.ts");
      const output = new ReportOutput(
        name,
        { ...window, asOf: new Date() },
        { subtitle: `User pool ${userPoolId}`, top },
      );
      return {
        start: () => "",
        record: (record) => {
          output.add(record);
          return "";
        },
        userDone: (user) => output.userDone(user),
        end: () => output.finish(),
      };
    },
  };
}

export const REPORT_AUDIT_OUTPUTS: readonly AuditOutputFormat[] = REPORT_FORMATS.map(reportOutput);
