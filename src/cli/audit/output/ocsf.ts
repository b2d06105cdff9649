/**
 * `audit --output ocsf`: one OCSF 1.8 Authentication event per event, one per line (NDJSON), as src/ocsf/ maps them
 * (the README's "OCSF mapping"); the region is the pool id's.
 */

import { ocsfNdjsonLine } from "../../../ocsf/ndjson.ts";
import type { AuditOutputFormat } from "./format.ts";

export const ocsfAuditOutput: AuditOutputFormat = {
  name: "ocsf",
  description: "one OCSF 1.8 Authentication event per line (NDJSON), for a SIEM or Amazon Security Lake",
  report: false,
  open: ({ userPoolId }) => ({
    start: () => "",
    record: (record) => ocsfNdjsonLine(record, { userPoolId }),
    end: () => "",
  }),
};
