/**
 * `cognito-auth-events feedback`: gives one feedback (Valid or Invalid) to every event of an NDJSON
 * file (what `audit --output ndjson` or `admin-list-user-auth-events --output ndjson` writes), at the
 * feedback quota's pace, through {@link sendBulkFeedback}. Events that fail on their own go to the
 * error file and the run goes on; `--checkpoint` makes it resumable; `--dry-run` says what it would
 * do. The summary (updated, skipped, failed, requests, time) goes to standard output.
 *
 * The library does the work (src/feedback/); this command is its options (here and arguments.ts), the checks
 * before the first request (prepare.ts), the run and its files (run.ts, files.ts) and what it prints (output.ts).
 */
import type { OptionSpec } from "../args.ts";
import type { CliCommand } from "../command.ts";
import { PACED_COMMAND_GLOBALS } from "../globals.ts";
import { readFeedbackArgs } from "./arguments.ts";
import { runFeedback } from "./run.ts";

const OPTIONS: readonly OptionSpec[] = [
  { flag: "--user-pool-id", dest: "user_pool_id", kind: "value", required: true, metavar: "ID", help: "The pool." },
  {
    flag: "--input",
    dest: "input",
    kind: "value",
    required: true,
    metavar: "FILE",
    completes: "file",
    help: "The events, one JSON object per line: what audit --output ndjson or admin-list-user-auth-events --output ndjson writes.",
  },
  {
    flag: "--value",
    dest: "value",
    kind: "value",
    required: true,
    metavar: "VALUE",
    completes: ["Valid", "Invalid"],
    help: "The feedback: Valid or Invalid (any case).",
  },
  {
    flag: "--username",
    dest: "username",
    kind: "value",
    metavar: "NAME",
    help: "The user of lines that carry none (the listing's output); lines that name their user keep theirs.",
  },
  {
    flag: "--errors",
    dest: "errors",
    kind: "value",
    metavar: "FILE",
    completes: "file",
    help: "Where the events that failed go, as NDJSON that --input takes back (default: the input's name + .errors.ndjson).",
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
    flag: "--dry-run",
    dest: "dry_run",
    kind: "flag",
    help: "Read each user's events, send no feedback, and print what would be done to each event.",
  },
  {
    flag: "--max-rps",
    dest: "max_rps",
    kind: "value",
    metavar: "N",
    help: "Feedback requests per second (default 25, the service's quota).",
  },
  {
    flag: "--concurrency",
    dest: "concurrency",
    kind: "value",
    int: true,
    metavar: "N",
    help: "Feedback requests in flight (default 8).",
  },
];

export const feedbackCommand: CliCommand = {
  name: "feedback",
  summary: "Gives one feedback (Valid or Invalid) to every auth event of an NDJSON file, paced, resumable.",
  description:
    "Gives one feedback to every auth event of an NDJSON file: what audit --output ndjson writes, or " +
    "admin-list-user-auth-events --output ndjson (then with --username), filtered with any tool. Each user's events " +
    "are read first: events that already have the feedback, in the file or at the service, are skipped and counted. " +
    "The rest are sent at the feedback quota's pace (25 requests per second for the two feedback operations " +
    "together), throttling retried.\n\n" +
    "An event that fails on its own (gone, its user gone) goes to the error file and the run goes on; a credential " +
    "or permission error stops it. With --checkpoint FILE an interrupted run resumes without repeating or skipping " +
    "an event: run the same command again. Exit status: 0 done, 1 done but some events failed, 2 bad arguments, " +
    "130 interrupted, 255 stopped by an error.",
  usage: "feedback --user-pool-id ID --input FILE --value Valid|Invalid [options]",
  options: OPTIONS,
  globals: PACED_COMMAND_GLOBALS,
  outputs: [
    { name: "text", description: "the summary as lines of text" },
    { name: "json", description: "the summary as a JSON object" },
  ],
  examples: [
    {
      description: "Mark the account-takeover events of an audit file as not the user (see what it would do first).",
      args: "feedback --user-pool-id eu-west-1_abc --input ato.ndjson --value Invalid --dry-run",
    },
    {
      description: "The same, resumable after an interruption.",
      args: "feedback --user-pool-id eu-west-1_abc --input ato.ndjson --value Invalid --checkpoint feedback.json",
    },
    {
      description: "One user's events, as admin-list-user-auth-events --output ndjson wrote them.",
      args: "feedback --user-pool-id eu-west-1_abc --input alice.ndjson --username alice --value Valid",
    },
  ],
  parsing: "strict",
  run: ({ values, io }) => runFeedback(readFeedbackArgs(values, io.cwd), io),
};
