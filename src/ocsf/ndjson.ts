/**
 * OCSF Authentication events as NDJSON: one JSON object per line, what Amazon Security Lake's
 * custom sources, Splunk, Elastic and most SIEM collectors ingest. Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import { type OcsfAuthenticationInput, toOcsfAuthentication } from "./authentication.ts";

/** One event and its user, as the audit yields them (`{ user, event }`). */
export interface OcsfSourceRecord {
  user: { Username: string; sub?: string | undefined };
  event: AuthEventType;
}

/** Where the events come from: the same for every record. */
export type OcsfContext = Omit<OcsfAuthenticationInput, "event" | "user">;

/**
 * One NDJSON line (with its `\n`) for one event. `JSON.stringify` escapes quotes, backslashes and
 * control characters (line breaks included) in whatever the service sent; U+2028 and U+2029, which
 * JSON allows raw but line splitters such as Python's `str.splitlines` break on, are escaped too. A
 * line is always one line and one JSON object.
 * @example ocsfNdjsonLine({ user, event }, { userPoolId }) // '{"activity_id":1,...}\n'
 */
export function ocsfNdjsonLine(record: OcsfSourceRecord, context: OcsfContext): string {
  const json = JSON.stringify(toOcsfAuthentication({ ...context, user: record.user, event: record.event }));
  return `${json.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}\n`;
}

/**
 * NDJSON lines, one OCSF Authentication event each, for records from the audit or any other
 * source (sync or async).
 * @example
 * const audit = auditUserPool({ client, userPoolId });
 * for await (const line of ocsfNdjson(audit, { userPoolId, accountId: "123456789012" })) await write(line);
 */
export async function* ocsfNdjson(
  records: Iterable<OcsfSourceRecord> | AsyncIterable<OcsfSourceRecord>,
  context: OcsfContext,
): AsyncGenerator<string, void, undefined> {
  for await (const record of records) yield ocsfNdjsonLine(record, context);
}
