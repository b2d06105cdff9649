/**
 * Reads a saved audit: what `cognito-auth-events audit --output ndjson` writes (one `{"user":...,"event":...}` per
 * line), or `--output json` (the same records between `[` and `]`, one per line, with commas). Streams: one line in
 * memory at a time. A line that is not such a record is an error naming the line and what is wrong with it, never
 * its text (it comes from whoever signed in).
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import type { AuditRecord } from "../audit/audit.ts";
import type { AuditUser } from "../audit/checkpoint.ts";

/** The longest line read: an audit record is a few hundred bytes; a file without line breaks is not an audit. */
export const MAX_LINE_LENGTH = 1 << 20;

/** A line that is not an audit record. */
export class AuditInputError extends Error {
  override readonly name = "AuditInputError";
  constructor(
    /** The 1-based line number. */
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/** What {@link readAuditRecords} reads: a file's chunks (a Node or Deno file stream, a `ReadableStream`) or lines. */
export type AuditSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const HINT = "expected one audit record per line, as `audit --output ndjson` writes";

type Member = "string" | "boolean" | "date";
const STRUCTURES: Readonly<Record<string, Readonly<Record<string, Member | string>>>> = {
  event: {
    EventId: "string",
    EventType: "string",
    CreationDate: "date",
    EventResponse: "string",
    EventRisk: "risk",
    ChallengeResponses: "challenges",
    EventContextData: "context",
    EventFeedback: "feedback",
  },
  risk: { RiskDecision: "string", RiskLevel: "string", CompromisedCredentialsDetected: "boolean" },
  context: { IpAddress: "string", DeviceName: "string", Timezone: "string", City: "string", Country: "string" },
  feedback: { FeedbackValue: "string", Provider: "string", FeedbackDate: "date" },
  challenge: { ChallengeName: "string", ChallengeResponse: "string" },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies the model's members of one structure, checking their types; members the model lacks are left out. */
function structure(value: unknown, kind: string, path: string, line: number): Record<string, unknown> {
  if (!isObject(value)) throw new AuditInputError(line, `${path}: expected an object`);
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(STRUCTURES[kind]!)) {
    const item = value[name];
    if (item === undefined || item === null) continue;
    const where = `${path}.${name}`;
    if (member === "string" || member === "boolean") {
      if (typeof item !== member) throw new AuditInputError(line, `${where}: expected a ${member}`);
      out[name] = item;
    } else if (member === "date") {
      const time = typeof item === "string" ? Date.parse(item) : Number.NaN;
      if (Number.isNaN(time)) throw new AuditInputError(line, `${where}: expected an ISO 8601 date`);
      out[name] = new Date(time);
    } else if (member === "challenges") {
      if (!Array.isArray(item)) throw new AuditInputError(line, `${where}: expected a list`);
      out[name] = item.map((challenge, i) => structure(challenge, "challenge", `${where}[${i}]`, line));
    } else {
      out[name] = structure(item, member, where, line);
    }
  }
  return out;
}

function user(value: unknown, line: number): AuditUser {
  if (!isObject(value) || typeof value["Username"] !== "string")
    throw new AuditInputError(line, `user.Username: expected a string (${HINT})`);
  const sub = value["sub"];
  if (sub !== undefined && typeof sub !== "string") throw new AuditInputError(line, "user.sub: expected a string");
  return sub === undefined ? { Username: value["Username"] } : { Username: value["Username"], sub };
}

/** Parses one line; `undefined` for the lines that only frame records (blank, `[`, `]`). */
export function parseAuditLine(text: string, line: number): AuditRecord | undefined {
  let body = text.trim();
  if (body === "" || body === "[" || body === "]" || body === "[]") return undefined;
  // --output json: every record but the last ends with a comma.
  if (body.endsWith(",")) body = body.slice(0, -1);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new AuditInputError(line, `not JSON (${HINT})`);
  }
  if (!isObject(value)) throw new AuditInputError(line, `not an audit record (${HINT})`);
  return {
    user: user(value["user"], line),
    event: structure(value["event"], "event", "event", line) as AuthEventType,
  };
}

/**
 * The records of a saved audit, in file order.
 * @example
 * for await (const { user, event } of readAuditRecords(createReadStream("audit.ndjson"))) console.log(user.Username);
 * @throws {AuditInputError} at the first line that is not an audit record
 */
export async function* readAuditRecords(source: AuditSource): AsyncGenerator<AuditRecord, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending = "";
  let line = 0;
  const decode = (chunk: Uint8Array | string, stream: boolean): string => {
    if (typeof chunk === "string") return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new AuditInputError(line + 1, "not UTF-8 text");
    }
  };
  for await (const chunk of source) {
    pending += decode(chunk, true);
    let start = 0;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
      line++;
      const record = parseAuditLine(pending.slice(start, end), line);
      start = end + 1;
      if (record) yield record;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_LENGTH)
      throw new AuditInputError(line + 1, `longer than ${MAX_LINE_LENGTH} characters (${HINT})`);
  }
  pending += decode(new Uint8Array(0), false);
  if (pending !== "") {
    const record = parseAuditLine(pending, line + 1);
    if (record) yield record;
  }
}
