/** `audit --output ndjson` (the default): one JSON object per event, `{"user": {...}, "event": {...}}`. */

import { shapes } from "../../../../generated/schemas.ts";
import type { AuditRecord } from "../../../audit/audit.ts";
import { type AuditOutputFormat, jsonFor } from "./format.ts";

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** A value of the model's `shape`, members in model order, unknown members and nulls dropped, dates in ISO 8601. */
function ordered(value: unknown, shape: string): Plain | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const info = shapes[shape];
  if (info?.type === "structure" && typeof value === "object") {
    const out: { [key: string]: Plain } = {};
    for (const [name, target] of info.members) {
      const member = ordered((value as Record<string, unknown>)[name], target);
      if (member !== undefined) out[name] = member;
    }
    return out;
  }
  if (info?.type === "list" && Array.isArray(value))
    return value.map((item) => ordered(item, info.member)).filter((item): item is Plain => item !== undefined);
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
}

/** One record as compact JSON: the user, then the event's members in the model's order. */
export function recordJson(record: AuditRecord): string {
  const user: { [key: string]: Plain } = { Username: record.user.Username };
  if (record.user.sub !== undefined) user["sub"] = record.user.sub;
  return JSON.stringify({ user, event: ordered(record.event, "AuthEventType") ?? {} });
}

export const ndjsonAuditOutput: AuditOutputFormat = {
  name: "ndjson",
  description: "one JSON object per event, {user, event}",
  report: false,
  open: ({ terminal }) => {
    const shown = jsonFor(terminal);
    return { start: () => "", record: (record) => `${shown(recordJson(record))}\n`, end: () => "" };
  },
};
