/**
 * `cognito-auth-events feedback`: gives one feedback (Valid or Invalid) to every event of an NDJSON
 * file (what `audit --output ndjson` or `admin-list-user-auth-events --output ndjson` writes), at the
 * feedback quota's pace, through {@link sendBulkFeedback}. Events that fail on their own go to the
 * error file and the run goes on; `--checkpoint` makes it resumable; `--dry-run` says what it would
 * do. The summary (updated, skipped, failed, requests, time) goes to standard output.
 *
 * Exactly once across interruptions: after each batch of outcomes the error file is synced and the
 * checkpoint (with the error file's length) replaced; a resumed run cuts the error file back to it.
 */
import { isAbsolute, resolve } from "node:path";
import { type BulkFeedback, type FeedbackSummary, sendBulkFeedback } from "../feedback/bulk.ts";
import { type FeedbackInputTarget, readFeedbackTargets } from "../feedback/input.ts";
import { terminalText } from "../terminal-text.ts";
import { type OptionSpec, UsageError } from "./args.ts";
import { openAuditClient } from "./audit/client.ts";
import { describeAuditFailure } from "./audit/failure.ts";
import { ProgressLine } from "./audit/progress.ts";
import type { CliCommand } from "./command.ts";
import { refuseSharedFiles } from "./distinct-files.ts";
import { CliError } from "./errors.ts";
import {
  differingOption,
  ErrorFile,
  errorLine,
  type FeedbackCheckpointFile,
  type FeedbackIdentity,
  fileLines,
  loadCheckpointFile,
  saveCheckpointFile,
} from "./feedback-files.ts";
import type { GlobalValues } from "./globals.ts";
import { type CliIO, writeTo } from "./io.ts";
import { checkSavable, type SavedFile } from "./saved-json.ts";

interface FeedbackArgs {
  identity: FeedbackIdentity;
  /** Absolute. */
  checkpoint?: string;
  /** As given, for messages. */
  checkpointName?: string;
  /** `--input` as given, for messages. */
  inputName: string;
  /** `--errors` as given (or its default), for messages. */
  errorsName: string;
  dryRun: boolean;
  maxRps?: number;
  concurrency?: number;
  json: boolean;
  global: GlobalValues;
}

/** Failures are written, and the checkpoint saved, at least this often. */
const FLUSH_MS = 1000;

function readFeedbackArgs(values: GlobalValues, cwd: string): FeedbackArgs {
  const value = String(values["value"]).toLowerCase();
  if (value !== "valid" && value !== "invalid")
    throw new UsageError(`argument --value: expected Valid or Invalid, got '${String(values["value"])}'`);
  const path = (file: string) => (isAbsolute(file) ? file : resolve(cwd, file));
  const inputName = String(values["input"]);
  const errorsName = typeof values["errors"] === "string" ? values["errors"] : `${inputName}.errors.ndjson`;
  const identity: FeedbackIdentity = {
    userPoolId: String(values["user_pool_id"]),
    value: value === "valid" ? "Valid" : "Invalid",
    input: path(inputName),
    errors: path(errorsName),
  };
  if (typeof values["username"] === "string") identity.username = values["username"];
  const args: FeedbackArgs = {
    identity,
    inputName,
    errorsName,
    dryRun: values["dry_run"] === true,
    json: values["output"] === "json",
    global: values,
  };
  const checkpoint = values["checkpoint"];
  if (typeof checkpoint === "string") {
    if (args.dryRun) throw new UsageError("argument --checkpoint: not with --dry-run (a dry run changes nothing)");
    args.checkpoint = path(checkpoint);
    args.checkpointName = checkpoint;
  }
  if (values["max_rps"] !== undefined) {
    const rps = Number(values["max_rps"]);
    if (!Number.isFinite(rps) || rps <= 0)
      throw new UsageError(`argument --max-rps: expected a positive number, got '${String(values["max_rps"])}'`);
    args.maxRps = rps;
  }
  if (values["concurrency"] !== undefined) {
    const concurrency = values["concurrency"] as number;
    if (concurrency < 1 || concurrency > 64)
      throw new UsageError(`argument --concurrency: expected 1 to 64, got ${concurrency}`);
    args.concurrency = concurrency;
  }
  return args;
}

/** Checks every line before anything is sent: the first bad line is the error. */
async function checkInput(args: FeedbackArgs): Promise<number> {
  let count = 0;
  const options = args.identity.username === undefined ? {} : { username: args.identity.username };
  try {
    for await (const _ of readFeedbackTargets(fileLines(args.identity.input), options)) count++;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === undefined ? (error as Error).message : `cannot read it: ${code}`;
    throw new CliError(`--input ${args.inputName}: ${why}`);
  }
  return count;
}

/** The summary, as text lines or JSON. */
export function formatFeedbackSummary(summary: FeedbackSummary, options: { json: boolean; errors?: string }): string {
  if (options.json) return `${JSON.stringify(summary, null, 2)}\n`;
  const rows: Array<[string, string]> = [
    [summary.dryRun ? "would update" : "updated", String(summary.updated)],
    [
      "skipped",
      `${summary.skipped} (already given: ${summary.skippedInInput} in the input, ${summary.skippedAtService} at the service; ${summary.skippedDuplicates} repeated in the input)`,
    ],
    ["failed", `${summary.failed}${summary.failed > 0 && options.errors ? ` (see ${options.errors})` : ""}`],
    [
      "requests",
      `${summary.feedbackRequests + summary.listRequests} (${summary.feedbackRequests} AdminUpdateAuthEventFeedback, ${summary.listRequests} AdminListUserAuthEvents), ${summary.throttles} throttled`,
    ],
    ["time", `${(summary.elapsedMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join("");
}

/** A dry run's line for one event (the event id as JSON: it comes from the input file). */
function dryRunLine(outcome: Parameters<typeof errorLine>[0], value: string): string {
  const where = `line ${outcome.target.line} event ${JSON.stringify(outcome.target.eventId)}`;
  if (outcome.result === "updated") return `would update ${where}\n`;
  if (outcome.result === "failed") {
    // The service's words: shown as a terminal may show them.
    const why = `${terminalText(outcome.error?.name ?? "")}: ${terminalText(outcome.error?.message ?? "")}`;
    return `would fail ${where}: ${why}\n`;
  }
  const why =
    outcome.skipped === "duplicate"
      ? "repeated in the input"
      : `already ${value} (${outcome.skipped === "input" ? "in the input" : "at the service"})`;
  return `skip ${where}: ${why}\n`;
}

function summaryOfCheckpoint(saved: FeedbackCheckpointFile): FeedbackSummary {
  const { counts } = saved.cursor;
  const skipped = counts.skippedInInput + counts.skippedAtService + counts.skippedDuplicates;
  return { ...counts, skipped, settled: counts.updated + skipped + counts.failed, dryRun: false };
}

/**
 * Runs `feedback`.
 * @returns the exit status: 0 done, 1 done with failed events, 130 interrupted, 255 stopped
 */
async function runFeedback(args: FeedbackArgs, io: CliIO): Promise<number> {
  const { identity } = args;
  const checkpoint: SavedFile | undefined =
    args.checkpoint === undefined
      ? undefined
      : { option: "--checkpoint", shown: args.checkpointName!, path: args.checkpoint };
  await refuseSharedFiles(
    [
      { name: `--input ${args.inputName}`, path: identity.input },
      { name: `--errors ${args.errorsName}`, path: identity.errors },
      ...(checkpoint ? [{ name: `--checkpoint ${checkpoint.shown}`, path: checkpoint.path }] : []),
    ],
    io.stdoutFile?.id,
  );
  const saved = checkpoint && (await loadCheckpointFile(checkpoint));
  if (saved) {
    const option = differingOption(saved.args, identity);
    if (option !== undefined)
      throw new CliError(
        `--checkpoint ${args.checkpointName}: it was made by a run with a different ${option}; run that command again to resume, or delete the file to start over`,
      );
    if (saved.complete) {
      await writeTo(
        io.stderr,
        `The feedback run saved in ${args.checkpointName} is complete; delete the file to run it again.\n`,
      );
      await writeTo(
        io.stdout,
        formatFeedbackSummary(summaryOfCheckpoint(saved), { json: args.json, errors: identity.errors }),
      );
      return saved.cursor.counts.failed > 0 ? 1 : 0;
    }
  } else if (checkpoint) await checkSavable(checkpoint);
  const total = await checkInput(args);
  const opened = await openAuditClient(args.global, { io, concurrency: args.concurrency, command: "feedback" });
  try {
    const run = sendBulkFeedback({
      client: opened.client,
      userPoolId: identity.userPoolId,
      value: identity.value as "Valid" | "Invalid",
      targets: readFeedbackTargets(
        fileLines(identity.input),
        identity.username === undefined ? {} : { username: identity.username },
      ),
      dryRun: args.dryRun,
      ...(args.maxRps !== undefined && { maxRps: args.maxRps }),
      ...(args.concurrency !== undefined && { concurrency: args.concurrency }),
      ...(saved && { checkpoint: saved.cursor }),
      ...(io.signal && { abortSignal: io.signal }),
    });
    return await drive(run, args, { io, saved, total });
  } catch (error) {
    if (error instanceof TypeError) throw new CliError(error.message);
    throw error;
  } finally {
    opened.close();
  }
}

/** Iterates the run: outcomes to the error file (or, in a dry run, standard output), checkpoints, progress, summary. */
async function drive(
  run: BulkFeedback<FeedbackInputTarget>,
  args: FeedbackArgs,
  context: { io: CliIO; saved: FeedbackCheckpointFile | undefined; total: number },
): Promise<number> {
  const { io, saved, total } = context;
  const { identity } = args;
  const errors = new ErrorFile(identity.errors, saved?.errorBytes);
  let pending = "";
  let lastFlush = Date.now();
  let chain: Promise<void> = Promise.resolve();
  // Each flush takes the pending lines and the checkpoint in the same instant.
  const flush = (complete = false): Promise<void> => {
    const text = pending;
    pending = "";
    lastFlush = Date.now();
    const cursor = run.checkpoint();
    chain = chain.then(async () => {
      if (args.dryRun) return;
      await errors.write(text);
      if (args.checkpoint === undefined) return;
      await errors.sync();
      await saveCheckpointFile(args.checkpoint, { args: identity, errorBytes: errors.bytes, complete, cursor });
    });
    return chain;
  };
  const progress = new ProgressLine(io, () => {
    const s = run.summary();
    return `events ${s.settled}/${total} · updated ${s.updated} · skipped ${s.skipped} · failed ${s.failed} · throttled ${s.throttles} · ${(s.elapsedMs / 1000).toFixed(0)} s`;
  });
  // Saves progress while outcomes are slow to come.
  const ticker = setInterval(() => {
    if (Date.now() - lastFlush >= FLUSH_MS) void flush().catch(() => {});
  }, FLUSH_MS);
  try {
    for await (const outcome of run) {
      if (args.dryRun) await progress.stdout(dryRunLine(outcome, identity.value));
      else if (outcome.result === "failed") pending += errorLine(outcome);
      if (Date.now() - lastFlush >= FLUSH_MS) await flush();
    }
    clearInterval(ticker);
    await flush(true);
    await progress.end(false);
    const summary = run.summary();
    await writeTo(io.stdout, formatFeedbackSummary(summary, { json: args.json, errors: identity.errors }));
    return summary.failed > 0 ? 1 : 0;
  } catch (error) {
    clearInterval(ticker);
    let saveError: unknown;
    await flush().catch((e: unknown) => {
      saveError = e;
    });
    await progress.end(false);
    const resumable = args.checkpoint !== undefined && saveError === undefined;
    const where = resumable
      ? ` Run the same command to resume (checkpoint: ${args.checkpointName}).`
      : args.checkpoint === undefined && !args.dryRun
        ? " Use --checkpoint FILE to make a run resumable."
        : "";
    const settled = run.summary().settled;
    const unsaved = saveError === undefined ? "" : `\nCould not save the checkpoint: ${(saveError as Error).message}\n`;
    if ((error as Error)?.name === "AbortError" && io.signal?.aborted === true) {
      await writeTo(io.stderr, `\nInterrupted after ${settled} of ${total} events.${where}\n${unsaved}`);
      return 130;
    }
    const why = describeAuditFailure(error, run.failedOperation);
    await writeTo(io.stderr, `\n${why}\nStopped after ${settled} of ${total} events.${where}\n${unsaved}`);
    return 255;
  } finally {
    clearInterval(ticker);
    await chain.catch(() => {});
    await errors.close();
  }
}

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
  globals: [
    "debug",
    "endpoint_url",
    "verify_ssl",
    "output",
    "profile",
    "region",
    "ca_bundle",
    "read_timeout",
    "connect_timeout",
    "v2_debug",
  ],
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
