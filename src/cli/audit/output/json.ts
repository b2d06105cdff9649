/** `audit --output json`: one JSON array of the NDJSON format's objects, valid even across an interruption. */

import { type AuditOutputFormat, jsonFor } from "./format.ts";
import { recordJson } from "./ndjson.ts";

export const jsonAuditOutput: AuditOutputFormat = {
  name: "json",
  description: "a JSON array of {user, event} objects",
  report: false,
  open: ({ terminal }) => {
    const shown = jsonFor(terminal);
    return {
      start: () => "",
      record: (record, index) => `${index === 0 ? "[\n" : ",\n"}${shown(recordJson(record))}`,
      end: ({ records }) => (records === 0 ? "[]\n" : "\n]\n"),
    };
  },
};
