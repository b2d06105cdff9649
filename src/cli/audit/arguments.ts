/**
 * The audit's command line, read into what the run needs ({@link AuditArguments}): enum lists (comma-separated,
 * repeatable, any case), `--since`/`--until` (durations or dates), counts and rates. A bad value is a `UsageError`
 * naming the option.
 */

import { EventResponseType, EventType, RiskDecisionType, RiskLevelType } from "../../../generated/enums.ts";
import type { AuditFilter } from "../../audit/options.ts";
import { plainInvalidChoice, UsageError } from "../args.ts";
import type { GlobalValues } from "../globals.ts";
import { AUDIT_FORMATS } from "./output/formats.ts";

/** What one `audit` command line asks for. */
export interface AuditArguments {
  readonly userPoolId: string;
  /** `--since` and `--until` as given (a resumed run keeps the window of the first). */
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly filter: AuditFilter;
  /** `--output`. */
  readonly format: string;
  readonly outputFile: string | undefined;
  readonly checkpointFile: string | undefined;
  /** `--state`: the file a run leaves for the next (only what is new is read). */
  readonly stateFile: string | undefined;
  readonly concurrency: number | undefined;
  readonly maxRps: number | undefined;
  readonly top: number;
  /** The global options, by `dest`. */
  readonly globals: GlobalValues;
}

/** The enum options: flag, where the values go in the filter, and the values the model knows. */
const ENUM_OPTIONS = [
  ["--event-type", "event_types", "eventTypes", Object.values(EventType)],
  ["--response", "responses", "responses", Object.values(EventResponseType)],
  ["--risk-level", "risk_levels", "riskLevels", Object.values(RiskLevelType)],
  ["--risk-decision", "risk_decisions", "riskDecisions", Object.values(RiskDecisionType)],
] as const;

/** The enum options' values, for help pages and completion. */
export const ENUM_VALUES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ENUM_OPTIONS.map(([flag, , , values]) => [flag, values]),
);

/** The values of a repeatable, comma-separated enum option, spelled as the model spells them, each once. */
function enumList(given: unknown, flag: string, known: readonly string[]): string[] | undefined {
  if (!Array.isArray(given)) return undefined;
  const out: string[] = [];
  for (const value of given.flatMap((v: string) => v.split(","))) {
    const match = known.find((e) => e.toLowerCase() === value.trim().toLowerCase());
    if (match === undefined) throw new UsageError(`argument ${flag}: ${plainInvalidChoice(value, known)}`);
    if (!out.includes(match)) out.push(match);
  }
  return out;
}

function positiveInt(given: unknown, flag: string): number | undefined {
  if (given === undefined) return undefined;
  const text = String(given);
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`argument ${flag}: expected a positive integer, got '${text}'`);
  return Number(text);
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `7d`, `12h`, `30m`, `45s`, `2w` (before now), or an ISO 8601 date or date-time.
 * @example parseWhen("7d", "--since", Date.UTC(2026, 10, 22)) // 2026-11-15T00:00:00.000Z
 */
export function parseWhen(text: string, flag: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  // A date or date-time as ISO 8601 writes it; a bare date is midnight UTC (as Date.parse reads it).
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(
    `argument ${flag}: expected a duration such as 7d, 12h or 30m, or a date such as 2026-11-01 or 2026-11-01T08:00:00Z, got '${text}'`,
  );
}

/**
 * The window a new audit covers: `--since` and `--until` read against one "now" (7d means 7 days before the first
 * run, and stays so when it is resumed).
 */
export function auditWindow(args: AuditArguments, now = Date.now()): { since?: Date; until?: Date } {
  const since = args.since === undefined ? undefined : parseWhen(args.since, "--since", now);
  const until = args.until === undefined ? undefined : parseWhen(args.until, "--until", now);
  if (since && until && since >= until)
    throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  return { ...(since && { since }), ...(until && { until }) };
}

/** Reads the parsed command line. */
export function readAuditArguments(values: GlobalValues): AuditArguments {
  for (const flag of ["--cli-read-timeout", "--cli-connect-timeout"]) {
    const value = values[flag === "--cli-read-timeout" ? "read_timeout" : "connect_timeout"];
    if (typeof value === "number" && value < 0)
      throw new UsageError(`argument ${flag}: expected seconds (0 or more), got ${value}`);
  }
  const filter: AuditFilter = {};
  for (const [flag, dest, key, known] of ENUM_OPTIONS) {
    const list = enumList(values[dest], flag, known);
    if (list !== undefined) filter[key] = list;
  }
  if (values["compromised"] === true) filter.compromisedCredentials = true;
  let maxRps: number | undefined;
  const rate = values["max_rps"];
  if (rate !== undefined) {
    maxRps = Number(rate);
    if (!Number.isFinite(maxRps) || maxRps <= 0)
      throw new UsageError(`argument --max-rps: expected a positive number, got '${rate}'`);
  }
  const args: AuditArguments = {
    userPoolId: values["user_pool_id"] as string,
    since: values["since"] as string | undefined,
    until: values["until"] as string | undefined,
    filter,
    format: (values["output"] as string | undefined) ?? AUDIT_FORMATS[0]!.name,
    outputFile: values["output_file"] as string | undefined,
    checkpointFile: values["checkpoint"] as string | undefined,
    stateFile: values["state"] as string | undefined,
    concurrency: positiveInt(values["concurrency"], "--concurrency"),
    maxRps,
    top: positiveInt(values["top"], "--top") ?? 10,
    globals: values,
  };
  // The window's values are checked now, before any file is touched or request made.
  auditWindow(args);
  return args;
}
