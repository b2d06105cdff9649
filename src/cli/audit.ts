/**
 * `cognito-auth-events audit`: every auth event of a user pool, streamed as NDJSON, CSV or JSON,
 * or summed up, at the quotas' pace, resumable from a checkpoint file.
 *
 * Exactly once across interruptions: output is written in chunks, and after each chunk the
 * checkpoint (written to a temporary file, synced, then renamed over the old one) records the
 * position reached and how many bytes the output file holds. Ctrl-C (the CLI's abort signal)
 * ends with a final chunk and checkpoint. After a crash, a resumed run cuts `--output-file` back to
 * the recorded length; on standard output the chunk written just before the crash may repeat.
 */
import { open, readFile, rename, stat, truncate, type FileHandle } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import pkg from "../../package.json" with { type: "json" };
import { EventResponseType, EventType, RiskDecisionType, RiskLevelType } from "../../generated/enums.ts";
import { shapes } from "../../generated/schemas.ts";
import type { AuthEventType } from "../../generated/types.ts";
import { auditUserPool, type AuditCheckpoint, type AuditFilter, type AuditRecord, type PoolAudit } from "../audit.ts";
import { AuditSummary, formatSummaryTable, type AuditSummaryReport } from "../audit-summary.ts";
import { CognitoIdentityProviderClient } from "../client.ts";
import { loadSharedConfig, profileSettings } from "../node/config.ts";
import { fromAwsCliChain, NoCredentialsError } from "../node/credentials.ts";
import { parseKnownArgs, UsageError } from "./args.ts";
import { clientErrorMessage } from "./errors.ts";
import { cliTransport, GLOBAL_OPTIONS_ANY_OUTPUT, type GlobalValues } from "./globals.ts";
import { debugExchange, operationOf, recordingFetch, safeHeaders } from "./http.ts";
import type { CliIO } from "./io.ts";
import { isReportFormat, REPORT_FORMATS } from "./report-formats.ts";
import type { ReportOutput } from "./report-output.ts";

/** What `audit` needs of the CLI's IO: the shared {@link CliIO}, plus whether stderr is a terminal. */
export type AuditIO = CliIO & {
  /** Show the progress line (only on a terminal). @default false */
  stderrIsTTY?: boolean;
};

const PROG = "cognito-auth-events";
const FORMATS = ["ndjson", "csv", "json", "summary", "summary-json", ...REPORT_FORMATS] as const;
type Format = (typeof FORMATS)[number];
const CHECKPOINT_KIND = "cognito-auth-events/audit-cli";
/** Output is written, and the checkpoint saved, at least this often... */
const FLUSH_MS = 1000;
/** ...or once this much output is waiting. */
const FLUSH_BYTES = 256 * 1024;
const PROGRESS_MS = 500;

const AUDIT_USAGE = `usage: ${PROG} audit --user-pool-id ID [options]

Every auth event of every user of a pool (ListUsers, then AdminListUserAuthEvents per user),
paced to the quotas (ListUsers 30/s, AdminListUserAuthEvents 50/s, 10/s per user), never failing
from throttling, resumable.

  --user-pool-id ID         the pool (required)
  --since WHEN              events at or after: 7d, 12h, 30m (ago) or a date (2026-11-01, ISO 8601)
  --until WHEN              events before
  --event-type T[,T]        SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode
  --response R[,R]          Pass, Fail, InProgress
  --risk-level L[,L]        Low, Medium, High
  --risk-decision D[,D]     NoRisk, AccountTakeover, Block
  --compromised             only events with compromised credentials detected
  --output FORMAT           ndjson (default), csv, json, summary (a table), summary-json,
                            html (a self-contained security report), last-sign-in (every user's last
                            successful sign-in, a table), last-sign-in-ndjson, last-sign-in-csv
  --output-file FILE        write there instead of standard output (exact resume after a crash)
  --checkpoint FILE         save progress there; if it exists, resume from it
  --concurrency N           users read in parallel (default 10)
  --max-rps N               AdminListUserAuthEvents requests per second (default 50)
  --top N                   rows of each ranking in the summary and the report (default 10)

Global options, before or after \`audit\`, as for every command:
  --region R, --profile P, --endpoint-url URL
  --debug                   log every request and response on stderr (secrets redacted)
  --cli-read-timeout S      seconds a connection may stay silent (default 60, 0: none)
  --cli-connect-timeout S   seconds to connect, TLS handshake included (default 60, 0: none)
  --no-verify-ssl           do not verify the endpoint's TLS certificate (warned once on stderr)
  --ca-bundle FILE          trust these PEM certificates (also AWS_CA_BUNDLE, ca_bundle)
`;

/** A bad command line: printed with the usage, exit status 2. */
class AuditUsageError extends Error {}

interface AuditArgs {
  userPoolId: string;
  sinceArg?: string;
  untilArg?: string;
  filter: AuditFilter;
  format: Format;
  outputFile?: string;
  checkpointFile?: string;
  concurrency?: number;
  maxRps?: number;
  top: number;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** The global options as parsed (timeouts, TLS, debug...). */
  global: GlobalValues;
}

/** Global options that mean nothing to the audit: refused rather than ignored. */
const NOT_FOR_AUDIT: ReadonlyArray<[dest: string, flag: string]> = [
  ["query", "--query"],
  ["paginate", "--no-paginate"],
  ["color", "--color"],
  ["sign_request", "--no-sign-request"],
  ["cli_timestamp_format", "--cli-timestamp-format"],
];

/** What the checkpoint file holds: the command's identity, the output's state, the library's cursor. */
interface CliCheckpoint {
  version: 1;
  kind: typeof CHECKPOINT_KIND;
  args: {
    userPoolId: string;
    since?: string;
    until?: string;
    filter: AuditFilter;
    output: Format;
    outputFile?: string;
  };
  output: { records: number; bytes: number };
  complete: boolean;
  cursor: AuditCheckpoint;
}

// ---------------------------------------------------------------------------------------------
// Arguments

const ENUMS: Record<"eventTypes" | "responses" | "riskLevels" | "riskDecisions", readonly string[]> = {
  eventTypes: Object.values(EventType),
  responses: Object.values(EventResponseType),
  riskLevels: Object.values(RiskLevelType),
  riskDecisions: Object.values(RiskDecisionType),
};

function enumList(values: string[] | undefined, flag: string, key: keyof typeof ENUMS): string[] | undefined {
  if (values === undefined) return undefined;
  const out: string[] = [];
  for (const value of values.flatMap((v) => v.split(","))) {
    const known = ENUMS[key].find((e) => e.toLowerCase() === value.trim().toLowerCase());
    if (known === undefined)
      throw new AuditUsageError(`argument ${flag}: invalid choice: '${value}' (choose from ${ENUMS[key].join(", ")})`);
    if (!out.includes(known)) out.push(known);
  }
  return out;
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new AuditUsageError(`argument ${flag}: expected a positive integer, got '${text}'`);
  return Number(text);
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `7d`, `12h`, `30m`, `45s`, `2w` (before now), or an ISO 8601 date or date-time. */
export function parseWhen(text: string, flag: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  // A date or date-time as ISO 8601 writes it; a bare date is midnight UTC (as Date.parse reads it).
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new AuditUsageError(
    `argument ${flag}: expected a duration such as 7d, 12h or 30m, or a date such as 2026-11-01 or 2026-11-01T08:00:00Z, got '${text}'`,
  );
}

function parseAuditArgs(argv: readonly string[]): AuditArgs | "help" | "version" {
  // First the global options, wherever they are, with the rules of every other command.
  let global;
  try {
    global = parseKnownArgs(argv, GLOBAL_OPTIONS_ANY_OUTPUT);
  } catch (error) {
    if (error instanceof UsageError) throw new AuditUsageError(error.message);
    throw error;
  }
  if (global.version) return "version";
  const g = global.values;
  for (const [dest, flag] of NOT_FOR_AUDIT) {
    if (g[dest] !== undefined) throw new AuditUsageError(`argument ${flag}: not supported by audit`);
  }
  for (const [dest, flag] of [
    ["read_timeout", "--cli-read-timeout"],
    ["connect_timeout", "--cli-connect-timeout"],
  ] as const) {
    const value = g[dest];
    if (typeof value === "number" && value < 0)
      throw new AuditUsageError(`argument ${flag}: expected seconds (0 or more), got ${value}`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: global.extras,
      allowPositionals: false,
      strict: true,
      options: {
        "user-pool-id": { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        "event-type": { type: "string", multiple: true },
        response: { type: "string", multiple: true },
        "risk-level": { type: "string", multiple: true },
        "risk-decision": { type: "string", multiple: true },
        compromised: { type: "boolean" },
        output: { type: "string" },
        "output-file": { type: "string" },
        checkpoint: { type: "string" },
        concurrency: { type: "string" },
        "max-rps": { type: "string" },
        top: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new AuditUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  if (v["user-pool-id"] === undefined)
    throw new AuditUsageError("the following arguments are required: --user-pool-id");
  const output = g["output"] as string | undefined;
  const format = (output ?? "ndjson") as Format;
  if (!FORMATS.includes(format))
    throw new AuditUsageError(`argument --output: invalid choice: '${output}' (choose from ${FORMATS.join(", ")})`);
  const filter: AuditFilter = {};
  const lists = [
    ["event-type", "eventTypes"],
    ["response", "responses"],
    ["risk-level", "riskLevels"],
    ["risk-decision", "riskDecisions"],
  ] as const;
  for (const [flag, key] of lists) {
    const list = enumList(v[flag], `--${flag}`, key);
    if (list !== undefined) filter[key] = list;
  }
  if (v.compromised) filter.compromisedCredentials = true;
  if (isReportFormat(format) && v.checkpoint !== undefined)
    throw new AuditUsageError(
      `argument --checkpoint: not with --output ${format}, made from the whole audit at its end; to resume, write --output ndjson --output-file FILE with --checkpoint, then run: ${PROG} report --input FILE`,
    );
  let maxRps: number | undefined;
  if (v["max-rps"] !== undefined) {
    maxRps = Number(v["max-rps"]);
    if (!Number.isFinite(maxRps) || maxRps <= 0)
      throw new AuditUsageError(`argument --max-rps: expected a positive number, got '${v["max-rps"]}'`);
  }
  const args: AuditArgs = {
    userPoolId: v["user-pool-id"],
    filter,
    format,
    top: positiveInt(v.top, "--top") ?? 10,
    global: g,
  };
  if (v.since !== undefined) args.sinceArg = v.since;
  if (v.until !== undefined) args.untilArg = v.until;
  if (v["output-file"] !== undefined) args.outputFile = v["output-file"];
  if (v.checkpoint !== undefined) args.checkpointFile = v.checkpoint;
  const concurrency = positiveInt(v.concurrency, "--concurrency");
  if (concurrency !== undefined) args.concurrency = concurrency;
  if (maxRps !== undefined) args.maxRps = maxRps;
  if (typeof g["region"] === "string") args.region = g["region"];
  if (typeof g["profile"] === "string") args.profile = g["profile"];
  if (typeof g["endpoint_url"] === "string") args.endpointUrl = g["endpoint_url"];
  return args;
}

// ---------------------------------------------------------------------------------------------
// Output

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

function recordJson(record: AuditRecord): string {
  const user: { [key: string]: Plain } = { Username: record.user.Username };
  if (record.user.sub !== undefined) user["sub"] = record.user.sub;
  return JSON.stringify({ user, event: ordered(record.event, "AuthEventType") ?? {} });
}

const CSV_COLUMNS = [
  "Username",
  "sub",
  "EventId",
  "EventType",
  "CreationDate",
  "EventResponse",
  "RiskDecision",
  "RiskLevel",
  "CompromisedCredentialsDetected",
  "IpAddress",
  "Country",
  "City",
  "DeviceName",
  "Timezone",
  "ChallengeResponses",
  "FeedbackValue",
  "FeedbackProvider",
  "FeedbackDate",
] as const;

/**
 * RFC 4180 quoting; a text that a spreadsheet would run as a formula (`=`, `@`, a tab or CR
 * first, or `+`/`-` followed by something other than a digit: `+01:00` stays as it is) gets a
 * leading `'`: device names and cities come from whoever signed in
 * (https://owasp.org/www-community/attacks/CSV_Injection).
 */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  let text = String(value);
  if (/^[=@\t\r]|^[+-](?!\d)/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(record: AuditRecord): string {
  const e: AuthEventType = record.event;
  const date = (d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);
  const row: Record<(typeof CSV_COLUMNS)[number], string | boolean | undefined> = {
    Username: record.user.Username,
    sub: record.user.sub,
    EventId: e.EventId,
    EventType: e.EventType,
    CreationDate: date(e.CreationDate),
    EventResponse: e.EventResponse,
    RiskDecision: e.EventRisk?.RiskDecision,
    RiskLevel: e.EventRisk?.RiskLevel,
    CompromisedCredentialsDetected: e.EventRisk?.CompromisedCredentialsDetected,
    IpAddress: e.EventContextData?.IpAddress,
    Country: e.EventContextData?.Country,
    City: e.EventContextData?.City,
    DeviceName: e.EventContextData?.DeviceName,
    Timezone: e.EventContextData?.Timezone,
    ChallengeResponses: e.ChallengeResponses?.map((c) => `${c.ChallengeName ?? ""}:${c.ChallengeResponse ?? ""}`).join(
      ";",
    ),
    FeedbackValue: e.EventFeedback?.FeedbackValue,
    FeedbackProvider: e.EventFeedback?.Provider,
    FeedbackDate: date(e.EventFeedback?.FeedbackDate),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(",")}\r\n`;
}

/** Text before the first record, between records, after the last; what one record looks like. */
function framing(format: Format): {
  start: string;
  record: (r: AuditRecord, index: number) => string;
  end: (records: number) => string;
} {
  switch (format) {
    case "ndjson":
      return { start: "", record: (r) => `${recordJson(r)}\n`, end: () => "" };
    case "csv":
      return { start: `${CSV_COLUMNS.join(",")}\r\n`, record: csvRow, end: () => "" };
    case "json":
      return {
        start: "",
        record: (r, i) => `${i === 0 ? "[\n" : ",\n"}${recordJson(r)}`,
        end: (n) => (n === 0 ? "[]\n" : "\n]\n"),
      };
    default:
      return { start: "", record: () => "", end: () => "" };
  }
}

function summaryText(format: Format, report: AuditSummaryReport): string {
  return format === "summary-json" ? `${JSON.stringify(report, null, 2)}\n` : formatSummaryTable(report);
}

/** Where output goes: a file we own (byte-exact resume) or the CLI's standard output. */
interface Sink {
  write(text: string): Promise<void>;
  /** Bytes in the output file (0 for standard output). */
  readonly bytes: number;
  /** Makes what was written durable before the checkpoint says so. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

async function fileSink(path: string, resumeAt: number | undefined): Promise<Sink> {
  if (resumeAt !== undefined) {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new Error(
        `--output-file ${path}: cannot resume: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    if (size < resumeAt)
      throw new Error(
        `--output-file ${path}: cannot resume: it holds ${size} bytes, fewer than the ${resumeAt} the checkpoint recorded (was it replaced?)`,
      );
    // Whatever was written after the last checkpoint is written again below: cut it off.
    if (size > resumeAt) await truncate(path, resumeAt);
  }
  const handle: FileHandle = await open(path, resumeAt === undefined ? "w" : "a");
  let bytes = resumeAt ?? 0;
  const encoder = new TextEncoder();
  return {
    async write(text) {
      const data = encoder.encode(text);
      await handle.write(data);
      bytes += data.length;
    },
    get bytes() {
      return bytes;
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

function stdoutSink(io: CliIO): Sink {
  return {
    async write(text) {
      if (text !== "") await io.stdout(text);
    },
    bytes: 0,
    async sync() {},
    async close() {},
  };
}

/** Writes the checkpoint atomically: a temporary file, synced, renamed over the old one. */
async function saveCheckpoint(path: string, checkpoint: CliCheckpoint): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(`${JSON.stringify(checkpoint)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

async function loadCheckpoint(path: string): Promise<CliCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`--checkpoint ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`--checkpoint ${path}: not JSON (delete it to start over)`);
  }
  const cp = value as Partial<CliCheckpoint> | null;
  if (typeof cp !== "object" || cp === null || cp.kind !== CHECKPOINT_KIND || cp.version !== 1) {
    throw new Error(`--checkpoint ${path}: not an audit checkpoint of this CLI (delete it to start over)`);
  }
  if (
    typeof cp.output?.records !== "number" ||
    typeof cp.output.bytes !== "number" ||
    typeof cp.args !== "object" ||
    typeof cp.complete !== "boolean"
  ) {
    throw new Error(`--checkpoint ${path}: incomplete (delete it to start over)`);
  }
  return cp as CliCheckpoint;
}

/** The flag whose value differs from the one the checkpoint was made with, if any. */
function differingArg(saved: CliCheckpoint["args"], now: CliCheckpoint["args"]): string | undefined {
  const flags: Array<[keyof CliCheckpoint["args"], string]> = [
    ["userPoolId", "--user-pool-id"],
    ["since", "--since"],
    ["until", "--until"],
    ["filter", "the filters (--event-type, --response, --risk-level, --risk-decision, --compromised)"],
    ["output", "--output"],
    ["outputFile", "--output-file"],
  ];
  for (const [key, flag] of flags) if (JSON.stringify(saved[key]) !== JSON.stringify(now[key])) return flag;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Progress

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

function progressLine(audit: PoolAudit): string {
  const p = audit.progress();
  const total = p.usersTotal === undefined ? `${p.usersKnown}+` : String(p.usersTotal);
  const eta = p.etaMs === undefined ? "" : ` · ETA ${duration(p.etaMs)}`;
  return `users ${p.usersDone}/${total} · events ${p.events} · ${p.requestsPerSecond.toFixed(1)} req/s · throttled ${p.throttles} · ${duration(p.elapsedMs)}${eta}`;
}

// ---------------------------------------------------------------------------------------------
// The command

function describeError(error: unknown, operation: string | undefined): string {
  const e = error as { name?: string; message?: string; $fault?: string };
  if (e?.$fault !== undefined && operation !== undefined)
    return clientErrorMessage(e.name ?? "Unknown", e.message ?? "", operation);
  // The client's NetworkError around the transport's failure: botocore's words ("Read timeout on endpoint URL...").
  const cause = (error as { cause?: unknown })?.cause;
  if (
    error instanceof Error &&
    error.name === "NetworkError" &&
    cause instanceof Error &&
    cause.name === "TransportError"
  )
    return cause.message;
  // The credential chain's errors carry botocore's wording.
  if (error instanceof Error && error.name === "CredentialsProviderError" && cause instanceof Error) {
    return cause instanceof NoCredentialsError
      ? `${cause.message}. You can configure credentials by running "aws configure".`
      : cause.message;
  }
  if (error instanceof Error && error.name === "ProfileNotFoundError") return error.message;
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}

/** A stack trace for `--debug`, for failures that are not the service's answer. */
function debugStack(error: unknown, debug: boolean): string {
  if (!debug || !(error instanceof Error) || (error as { $fault?: unknown }).$fault !== undefined) return "";
  return `${error.stack ?? error.message}\n`;
}

/**
 * Runs `audit` with the arguments after the command name.
 * @returns the exit status: 0 done, 2 bad arguments, 130 interrupted (resumable), 255 failed
 */
export async function runAudit(argv: string[], io: AuditIO): Promise<number> {
  let args: AuditArgs;
  try {
    const parsed = parseAuditArgs(argv);
    if (parsed === "help") {
      await io.stdout(AUDIT_USAGE);
      return 0;
    }
    if (parsed === "version") {
      await io.stdout(`${pkg.version}\n`);
      return 0;
    }
    args = parsed;
  } catch (error) {
    if (!(error instanceof AuditUsageError)) throw error;
    await io.stderr(`${AUDIT_USAGE}\n${PROG} audit: error: ${error.message}\n`);
    return 2;
  }
  const path = (file: string) => (isAbsolute(file) ? file : resolve(io.cwd, file));
  const checkpointFile = args.checkpointFile === undefined ? undefined : path(args.checkpointFile);
  const outputFile = args.outputFile === undefined ? undefined : path(args.outputFile);

  let saved: CliCheckpoint | undefined;
  try {
    saved = checkpointFile === undefined ? undefined : await loadCheckpoint(checkpointFile);
  } catch (error) {
    await io.stderr(`\n${(error as Error).message}\n`);
    return 255;
  }
  const identity: CliCheckpoint["args"] = { userPoolId: args.userPoolId, filter: args.filter, output: args.format };
  if (args.sinceArg !== undefined) identity.since = args.sinceArg;
  if (args.untilArg !== undefined) identity.until = args.untilArg;
  if (outputFile !== undefined) identity.outputFile = outputFile;
  if (saved) {
    const flag = differingArg(saved.args, identity);
    if (flag !== undefined) {
      await io.stderr(
        `\n--checkpoint ${args.checkpointFile}: it was made by an audit with a different ${flag}; run that command again to resume, or delete the file to start over\n`,
      );
      return 255;
    }
    if (saved.complete) {
      await io.stderr(
        `The audit saved in ${args.checkpointFile} is complete (${saved.output.records} events); delete the file to run it again.\n`,
      );
      if (args.format === "summary" || args.format === "summary-json") {
        const report = new AuditSummary(saved.cursor.summary).toJSON({ top: args.top, ...windowOf(saved.cursor) });
        await io.stdout(summaryText(args.format, report));
      }
      return 0;
    }
  }

  // The window is fixed when the audit starts (7d means 7 days before the first run).
  let since: Date | undefined;
  let until: Date | undefined;
  try {
    if (saved) ({ since, until } = windowOf(saved.cursor));
    else {
      const now = Date.now();
      if (args.sinceArg !== undefined) since = parseWhen(args.sinceArg, "--since", now);
      if (args.untilArg !== undefined) until = parseWhen(args.untilArg, "--until", now);
      if (since && until && since >= until)
        throw new AuditUsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
    }
  } catch (error) {
    if (!(error instanceof AuditUsageError)) throw error;
    await io.stderr(`${AUDIT_USAGE}\n${PROG} audit: error: ${error.message}\n`);
    return 2;
  }

  const debug = args.global["debug"] === true;
  let client: CognitoIdentityProviderClient;
  let audit: PoolAudit;
  let reportOutput: ReportOutput | undefined;
  // The CLI's own transport and settings chain, as every other command has them.
  let transport: { fetch: typeof fetch; close(): void } | undefined;
  try {
    const shared = await loadSharedConfig({
      env: io.env,
      ...(args.profile !== undefined && { profile: args.profile }),
    });
    const settings = profileSettings(shared);
    const region = args.region ?? settings.region;
    if (region === undefined)
      throw new Error('You must specify a region. You can also configure your region by running "aws configure".');
    const caBundle = (args.global["ca_bundle"] as string | undefined) ?? settings.caBundle;
    transport = await cliTransport(args.global, io, {
      caBundle,
      insecureWarnings: "once",
      // Every worker, plus ListUsers reading ahead.
      maxSockets: Math.max(10, (args.concurrency ?? 10) + 2),
    });
    client = new CognitoIdentityProviderClient({
      region,
      credentials: fromAwsCliChain(shared),
      // One attempt per call: the audit paces every attempt and retries throttling itself, so it sees every throttle.
      maxAttempts: 1,
      ...(args.endpointUrl !== undefined && { endpoint: args.endpointUrl }),
      fetch: debug ? debugFetch(transport.fetch, io) : transport.fetch,
    });
    if (debug) {
      await io.stderr(
        `DEBUG ${PROG} ${pkg.version}: audit, region ${region}, endpoint ${client.config.endpoint.href}, profile ${shared.profile}, ` +
          `TLS ${args.global["verify_ssl"] === false ? "unverified" : caBundle !== undefined ? `verified with ${caBundle}` : "verified"}\n`,
      );
    }
    // Loaded only when asked for: the renderers and d3 stay out of every other audit.
    reportOutput = isReportFormat(args.format)
      ? new (await import("./report-output.ts")).ReportOutput(
          args.format,
          { ...(since && { since }), ...(until && { until }), asOf: new Date() },
          { subtitle: `User pool ${args.userPoolId}`, top: args.top },
        )
      : undefined;
    audit = auditUserPool({
      ...(reportOutput && { onUserDone: reportOutput.userDone }),
      client,
      userPoolId: args.userPoolId,
      ...(since && { since }),
      ...(until && { until }),
      filter: args.filter,
      ...(args.concurrency !== undefined && { concurrency: args.concurrency }),
      ...(args.maxRps !== undefined && { maxRps: args.maxRps }),
      ...(saved && { checkpoint: saved.cursor }),
      ...(io.signal && { abortSignal: io.signal }),
    });
  } catch (error) {
    transport?.close();
    await io.stderr(`${debugStack(error, debug)}\n${describeError(error, undefined)}\n`);
    return 255;
  }

  let sink: Sink;
  try {
    sink = outputFile === undefined ? stdoutSink(io) : await fileSink(outputFile, saved?.output.bytes);
  } catch (error) {
    transport.close();
    await io.stderr(`\n${(error as Error).message}\n`);
    return 255;
  }
  const frame = framing(args.format);
  let records = saved?.output.records ?? 0;
  let pending = saved ? "" : frame.start;
  let lastFlush = Date.now();
  // Flushes are serialised; each takes the pending text and the checkpoint in the same instant.
  let chain: Promise<void> = Promise.resolve();
  const flush = (complete = false): Promise<void> => {
    const text = pending;
    pending = "";
    lastFlush = Date.now();
    const cursor = audit.checkpoint();
    const count = records;
    chain = chain.then(async () => {
      await sink.write(text);
      if (checkpointFile === undefined) return;
      await sink.sync();
      await saveCheckpoint(checkpointFile, {
        version: 1,
        kind: CHECKPOINT_KIND,
        args: identity,
        output: { records: count, bytes: sink.bytes },
        complete,
        cursor,
      });
    });
    return chain;
  };

  const showProgress = io.stderrIsTTY === true;
  const progress = showProgress
    ? setInterval(() => void io.stderr(`\r\x1b[K${progressLine(audit)}`), PROGRESS_MS)
    : undefined;
  // Saves progress even while no event passes the filters.
  const ticker = setInterval(() => {
    if (Date.now() - lastFlush >= FLUSH_MS) void flush().catch(() => {});
  }, FLUSH_MS);
  let status = 0;
  try {
    for await (const record of audit) {
      pending += frame.record(record, records);
      reportOutput?.add(record);
      records++;
      if (pending.length >= FLUSH_BYTES || Date.now() - lastFlush >= FLUSH_MS) await flush();
    }
    clearInterval(ticker);
    pending += frame.end(records);
    await flush(true);
    if (args.format === "summary" || args.format === "summary-json")
      await sink.write(summaryText(args.format, audit.summary({ top: args.top })));
    if (reportOutput) await sink.write(await reportOutput.finish());
  } catch (error) {
    clearInterval(ticker);
    // Keep what was read: the checkpoint moves up to the last event handed out, output included.
    let saveError: unknown;
    await flush().catch((e: unknown) => (saveError = e));
    if (progress) await io.stderr("\r\x1b[K");
    const aborted = (error as Error)?.name === "AbortError" && io.signal?.aborted === true;
    const resumable = checkpointFile !== undefined && saveError === undefined;
    const where = resumable
      ? ` Run the same command to resume (checkpoint: ${args.checkpointFile}).`
      : checkpointFile === undefined
        ? " Use --checkpoint FILE to make a run resumable."
        : "";
    if (aborted) {
      await io.stderr(`\nInterrupted after ${records} events.${where}\n`);
      status = 130;
    } else {
      await io.stderr(
        `${debugStack(error, debug)}\n${describeError(error, audit.failure?.operation)}\n${where.trim()}${where ? "\n" : ""}`,
      );
      status = 255;
    }
    if (saveError !== undefined) await io.stderr(`\nCould not save the checkpoint: ${(saveError as Error).message}\n`);
  } finally {
    clearInterval(ticker);
    if (progress) clearInterval(progress);
    await chain.catch(() => {});
    await sink.close();
    transport.close();
  }
  if (status === 0 && progress) await io.stderr(`\r\x1b[K${progressLine(audit)}\n`);
  return status;
}

/** `--debug`: every exchange on stderr (secrets redacted, see http.ts), and every request that got no answer. */
function debugFetch(inner: typeof fetch, io: CliIO): typeof fetch {
  const recorded = recordingFetch(
    inner,
    (exchange) => void Promise.resolve(io.stderr(debugExchange(exchange))).catch(() => {}),
  );
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    try {
      return await recorded(input, init);
    } catch (error) {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      let operation = "request";
      try {
        operation = operationOf(safeHeaders(init.headers));
      } catch {
        // Headers that cannot be sent: the error below says so.
      }
      await io.stderr(
        `DEBUG ${operation} request: ${init.method ?? "GET"} ${url} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      throw error;
    }
  }) as typeof fetch;
}

function windowOf(cursor: AuditCheckpoint): { since?: Date; until?: Date } {
  const out: { since?: Date; until?: Date } = {};
  if (cursor.query.since !== undefined) out.since = new Date(cursor.query.since);
  if (cursor.query.until !== undefined) out.until = new Date(cursor.query.until);
  return out;
}
