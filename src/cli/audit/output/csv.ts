/**
 * `audit --output csv`: a header and one record per event, through src/csv.ts (RFC 4180, formulas defused: device
 * names and cities come from whoever signed in); on a terminal, each cell through the terminal rule first
 * (src/terminal-text.ts).
 */

import type { AuditRecord } from "../../../audit/audit.ts";
import { csvRecord } from "../../../csv.ts";
import { terminalText } from "../../../terminal-text.ts";
import type { AuditOutputFormat } from "./format.ts";

const iso = (date: Date | undefined) =>
  date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;

/** The columns, and how each is read from a record. */
const COLUMNS: ReadonlyArray<readonly [string, (record: AuditRecord) => string | boolean | undefined]> = [
  ["Username", (r) => r.user.Username],
  ["sub", (r) => r.user.sub],
  ["EventId", (r) => r.event.EventId],
  ["EventType", (r) => r.event.EventType],
  ["CreationDate", (r) => iso(r.event.CreationDate)],
  ["EventResponse", (r) => r.event.EventResponse],
  ["RiskDecision", (r) => r.event.EventRisk?.RiskDecision],
  ["RiskLevel", (r) => r.event.EventRisk?.RiskLevel],
  ["CompromisedCredentialsDetected", (r) => r.event.EventRisk?.CompromisedCredentialsDetected],
  ["IpAddress", (r) => r.event.EventContextData?.IpAddress],
  ["Country", (r) => r.event.EventContextData?.Country],
  ["City", (r) => r.event.EventContextData?.City],
  ["DeviceName", (r) => r.event.EventContextData?.DeviceName],
  ["Timezone", (r) => r.event.EventContextData?.Timezone],
  [
    "ChallengeResponses",
    (r) => r.event.ChallengeResponses?.map((c) => `${c.ChallengeName ?? ""}:${c.ChallengeResponse ?? ""}`).join(";"),
  ],
  ["FeedbackValue", (r) => r.event.EventFeedback?.FeedbackValue],
  ["FeedbackProvider", (r) => r.event.EventFeedback?.Provider],
  ["FeedbackDate", (r) => iso(r.event.EventFeedback?.FeedbackDate)],
];

export const csvAuditOutput: AuditOutputFormat = {
  name: "csv",
  description: "a header and one RFC 4180 record per event",
  report: false,
  open: ({ terminal }) => ({
    start: () => csvRecord(COLUMNS.map(([name]) => name)),
    record: (record) =>
      csvRecord(
        COLUMNS.map(([, read]) => {
          const value = read(record);
          if (value === undefined) return undefined;
          // On a terminal, each cell as a terminal may show it.
          return terminal ? terminalText(String(value)) : String(value);
        }),
      ),
    end: () => "",
  }),
};
