/**
 * `cognito-auth-events audit`: every auth event of a user pool, streamed as NDJSON, CSV or JSON, or summed up, at
 * the quotas' pace, resumable from a checkpoint file. The library does the reading (src/audit/); this command is its
 * options, its output formats (output/formats.ts) and its files (run.ts).
 */

import type { OptionSpec } from "../args.ts";
import type { CliCommand } from "../command.ts";
import { PACED_COMMAND_GLOBALS } from "../globals.ts";
import { ENUM_VALUES, readAuditArguments } from "./arguments.ts";
import { AUDIT_FORMATS } from "./output/formats.ts";
import { runAudit } from "./run.ts";

const enumOption = (flag: string, dest: string, what: string): OptionSpec => ({
  flag,
  dest,
  kind: "append",
  metavar: "V[,V]",
  completes: ENUM_VALUES[flag]!,
  help: `Only events whose ${what} is one of these: ${ENUM_VALUES[flag]!.join(", ")} (any case; repeat the option or separate values with commas).`,
});

const OPTIONS: readonly OptionSpec[] = [
  { flag: "--user-pool-id", dest: "user_pool_id", kind: "value", required: true, metavar: "ID", help: "The pool." },
  {
    flag: "--since",
    dest: "since",
    kind: "value",
    metavar: "WHEN",
    help: "Only events at or after WHEN: 7d, 12h, 30m, 45s, 2w ago, or a date (2026-11-01, ISO 8601).",
  },
  { flag: "--until", dest: "until", kind: "value", metavar: "WHEN", help: "Only events before WHEN." },
  enumOption("--event-type", "event_types", "type"),
  enumOption("--response", "responses", "response"),
  enumOption("--risk-level", "risk_levels", "risk level"),
  enumOption("--risk-decision", "risk_decisions", "risk decision"),
  {
    flag: "--compromised",
    dest: "compromised",
    kind: "flag",
    help: "Only events where compromised credentials were detected.",
  },
  {
    flag: "--output-file",
    dest: "output_file",
    kind: "value",
    metavar: "FILE",
    completes: "file",
    help: "Write there instead of standard output (a resumed run completes it exactly, even after a crash).",
  },
  {
    flag: "--checkpoint",
    dest: "checkpoint",
    kind: "value",
    metavar: "FILE",
    completes: "file",
    help: "Save progress there; if it exists, resume from it.",
  },
  {
    flag: "--state",
    dest: "state",
    kind: "value",
    metavar: "FILE",
    completes: "file",
    help: "Remember there each user's newest event; a run with the same FILE (same pool and filters, a --since no earlier) then reads and writes only what is new, about one request per user. Needs --checkpoint.",
  },
  {
    flag: "--concurrency",
    dest: "concurrency",
    kind: "value",
    metavar: "N",
    help: "Users read in parallel (default 10).",
  },
  {
    flag: "--max-rps",
    dest: "max_rps",
    kind: "value",
    metavar: "N",
    help: "AdminListUserAuthEvents requests per second (default 50, the service's quota).",
  },
  {
    flag: "--top",
    dest: "top",
    kind: "value",
    metavar: "N",
    help: "Entries of each list in the summary and rows of each ranking in the report (default 10); the rest of a list is counted as 'and N more'.",
  },
];

export const auditCommand: CliCommand = {
  name: "audit",
  summary: "Reads every auth event of every user of a pool, paced to the quotas, resumable, with a summary.",
  description:
    "Every auth event of every user of a pool (ListUsers, then AdminListUserAuthEvents per user), paced to the " +
    "quotas (ListUsers 30/s, AdminListUserAuthEvents 50/s, 10/s per user), never failing from throttling.\n\n" +
    "With --checkpoint FILE an interrupted audit resumes where it stopped, without losing or repeating an event: " +
    "run the same command again. Its output then continues the first run's: give --output-file FILE, or append " +
    "standard output to the same file (>> FILE, never > FILE); either is cut back to what the checkpoint counted, " +
    "so even after a crash no event is written twice (onto a pipe, the chunk written just before a crash may come " +
    "again).\n\n" +
    "With --state FILE (and --checkpoint) a run reads each user's events only down to the newest one the previous " +
    "run read inside its window, so a scheduled run writes only what is new, each event once across runs, at about " +
    "one request per user. --until may change between runs; --since may move later, not earlier. Users deleted " +
    "since are skipped; users are known by their sub, so a changed username keeps its place.",
  usage: "audit --user-pool-id ID [options]",
  options: OPTIONS,
  globals: PACED_COMMAND_GLOBALS,
  outputs: AUDIT_FORMATS.map(({ name, description }) => ({ name, description })),
  examples: [
    {
      description: "High-risk events of the last 7 days as NDJSON, resumable after an interruption or a crash.",
      args: "audit --user-pool-id eu-west-1_abc --since 7d --risk-level High --output-file high.ndjson --checkpoint audit.json",
    },
    {
      description: "What happened across the pool since November 1st, the five largest entries of each list.",
      args: "audit --user-pool-id eu-west-1_abc --since 2026-11-01 --output summary --top 5",
    },
    {
      description: "A daily job: only the events since the last run, exactly once, even after an interruption.",
      args: "audit --user-pool-id eu-west-1_abc --state audit.state --checkpoint audit.checkpoint >> events.ndjson",
    },
    {
      description: "Failed sign-ins as CSV for a spreadsheet.",
      args: "audit --user-pool-id eu-west-1_abc --event-type SignIn --response Fail --output csv > failed.csv",
    },
  ],
  parsing: "strict",
  run: ({ values, io }) => runAudit(readAuditArguments(values), io),
};
