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
import pkg from "../../package.json" with { type: "json" };
import { CognitoIdentityProviderClient } from "../client.ts";
import { type BulkFeedback, type FeedbackSummary, sendBulkFeedback } from "../feedback/bulk.ts";
import { type FeedbackInputTarget, readFeedbackTargets } from "../feedback/input.ts";
import { loadSharedConfig, profileSettings } from "../node/config.ts";
import { fromAwsCliChain, NoCredentialsError } from "../node/credentials.ts";
import { type OptionSpec, PROG, parseKnownArgs, UsageError } from "./args.ts";
import { clientErrorMessage } from "./errors.ts";
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
import { cliTransport, GLOBAL_OPTIONS_ANY_OUTPUT, type GlobalValues } from "./globals.ts";
import { debugExchange, recordingFetch } from "./http.ts";
import type { CliIO } from "./io.ts";

/** `feedback --help`. */
export const FEEDBACK_USAGE = `usage: ${PROG} feedback --user-pool-id ID --input FILE --value Valid|Invalid [options]

Gives one feedback to every auth event of an NDJSON file: what \`audit --output ndjson\` writes, or
\`admin-list-user-auth-events --output ndjson\` (then with --username), filtered with any tool.
Each user's events are read first: events that already have the feedback are skipped. Paced at
the feedback quota (25 requests/s), throttling retried; events that fail on their own (gone, their
user gone) go to the error file and the run goes on; credential or permission errors stop it.

  --user-pool-id ID      the pool (required)
  --input FILE           the events, one JSON object per line (required)
  --value V              Valid or Invalid (required)
  --username NAME        the user of lines that carry none (a listing's output)
  --errors FILE          where events that failed go, as NDJSON --input takes back
                         (default: the input's name + .errors.ndjson)
  --checkpoint FILE      save progress there; if it exists, resume from it
  --dry-run              read, send no feedback, and print what would be done per event
  --max-rps N            feedback requests per second (default 25)
  --concurrency N        feedback requests in flight (default 8)
  --output FORMAT        text (default) or json: the summary

Exit status: 0 done, 1 done but some events failed, 2 bad arguments, 130 interrupted
(resumable with --checkpoint), 255 stopped by an error.

Global options, before or after \`feedback\`: --region, --profile, --endpoint-url, --debug,
--cli-read-timeout, --cli-connect-timeout, --no-verify-ssl, --ca-bundle
`;

const OPTIONS: readonly OptionSpec[] = [
  { flag: "--user-pool-id", dest: "userPoolId", kind: "value", required: true },
  { flag: "--input", dest: "input", kind: "value", required: true },
  { flag: "--value", dest: "value", kind: "value", required: true },
  { flag: "--username", dest: "username", kind: "value" },
  { flag: "--errors", dest: "errors", kind: "value" },
  { flag: "--checkpoint", dest: "checkpoint", kind: "value" },
  { flag: "--dry-run", dest: "dryRun", kind: "flag" },
  { flag: "--max-rps", dest: "maxRps", kind: "value" },
  { flag: "--concurrency", dest: "concurrency", kind: "value", int: true },
  { flag: "--help", dest: "help", kind: "flag" },
  { flag: "-h", dest: "help", kind: "flag" },
];

/** Global options that mean nothing here: refused rather than ignored. */
const NOT_FOR_FEEDBACK: ReadonlyArray<[dest: string, flag: string]> = [
  ["query", "--query"],
  ["paginate", "--no-paginate"],
  ["color", "--color"],
  ["sign_request", "--no-sign-request"],
  ["cli_timestamp_format", "--cli-timestamp-format"],
];

interface FeedbackArgs {
  identity: FeedbackIdentity;
  /** Absolute. */
  checkpoint?: string;
  /** As given, for messages. */
  checkpointName?: string;
  dryRun: boolean;
  maxRps?: number;
  concurrency?: number;
  json: boolean;
  global: GlobalValues;
}

const FLUSH_MS = 1000;
const PROGRESS_MS = 500;

function parseFeedbackArgs(argv: readonly string[], cwd: string): FeedbackArgs | "help" | "version" {
  const global = parseKnownArgs(argv, GLOBAL_OPTIONS_ANY_OUTPUT);
  if (global.version) return "version";
  const g = global.values;
  if (global.extras.includes("--help") || global.extras.includes("-h")) return "help";
  for (const [dest, flag] of NOT_FOR_FEEDBACK)
    if (g[dest] !== undefined) throw new UsageError(`argument ${flag}: not supported by feedback`);
  const parsed = parseKnownArgs(global.extras, OPTIONS);
  if (parsed.extras.length > 0) throw new UsageError(`unrecognized arguments: ${parsed.extras.join(" ")}`);
  const v = parsed.values as Record<string, string | number | boolean | undefined>;
  const value = String(v["value"]).toLowerCase();
  if (value !== "valid" && value !== "invalid")
    throw new UsageError(`argument --value: expected Valid or Invalid, got '${String(v["value"])}'`);
  const output = g["output"] ?? "text";
  if (output !== "text" && output !== "json")
    throw new UsageError(`argument --output: invalid choice: '${String(output)}' (choose from text, json)`);
  const path = (file: string) => (isAbsolute(file) ? file : resolve(cwd, file));
  const input = path(String(v["input"]));
  const identity: FeedbackIdentity = {
    userPoolId: String(v["userPoolId"]),
    value: value === "valid" ? "Valid" : "Invalid",
    input,
    errors: path(typeof v["errors"] === "string" ? v["errors"] : `${String(v["input"])}.errors.ndjson`),
  };
  if (typeof v["username"] === "string") identity.username = v["username"];
  const args: FeedbackArgs = { identity, dryRun: v["dryRun"] === true, json: output === "json", global: g };
  if (typeof v["checkpoint"] === "string") {
    if (args.dryRun) throw new UsageError("argument --checkpoint: not with --dry-run (a dry run changes nothing)");
    args.checkpoint = path(v["checkpoint"]);
    args.checkpointName = v["checkpoint"];
  }
  if (v["maxRps"] !== undefined) {
    const rps = Number(v["maxRps"]);
    if (!Number.isFinite(rps) || rps <= 0)
      throw new UsageError(`argument --max-rps: expected a positive number, got '${String(v["maxRps"])}'`);
    args.maxRps = rps;
  }
  if (v["concurrency"] !== undefined) {
    const concurrency = v["concurrency"] as number;
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
    throw new Error(
      `--input ${args.identity.input}: ${code === undefined ? (error as Error).message : `cannot read it: ${code}`}`,
    );
  }
  return count;
}

/** The client: the CLI's settings chain and transport, one attempt per call (the run paces and retries itself). */
async function openClient(args: FeedbackArgs, io: CliIO) {
  const g = args.global;
  const shared = await loadSharedConfig({
    env: io.env,
    ...(typeof g["profile"] === "string" && { profile: g["profile"] }),
  });
  const settings = profileSettings(shared);
  const region = (g["region"] as string | undefined) ?? settings.region;
  if (region === undefined)
    throw new Error('You must specify a region. You can also configure your region by running "aws configure".');
  const transport = await cliTransport(g, io, {
    caBundle: (g["ca_bundle"] as string | undefined) ?? settings.caBundle,
    insecureWarnings: "once",
    maxSockets: (args.concurrency ?? 8) + 4,
  });
  const debug = g["debug"] === true;
  const client = new CognitoIdentityProviderClient({
    region,
    credentials: fromAwsCliChain(shared),
    maxAttempts: 1,
    ...(typeof g["endpoint_url"] === "string" && { endpoint: g["endpoint_url"] }),
    fetch: debug
      ? recordingFetch(
          transport.fetch,
          (exchange) => void Promise.resolve(io.stderr(debugExchange(exchange))).catch(() => {}),
        )
      : transport.fetch,
  });
  if (debug)
    await io.stderr(
      `DEBUG ${PROG} ${pkg.version}: feedback, region ${region}, endpoint ${client.config.endpoint.href}, profile ${shared.profile}\n`,
    );
  return { client, close: () => transport.close() };
}

function describeError(error: unknown, operation: string | undefined): string {
  const e = error as { name?: string; message?: string; $fault?: string; cause?: unknown };
  if (e?.$fault !== undefined && operation !== undefined)
    return clientErrorMessage(e.name ?? "Unknown", e.message ?? "", operation);
  if (error instanceof Error && error.name === "NetworkError" && e.cause instanceof Error) return e.cause.message;
  if (error instanceof Error && error.name === "CredentialsProviderError" && e.cause instanceof Error)
    return e.cause instanceof NoCredentialsError
      ? `${e.cause.message}. You can configure credentials by running "aws configure".`
      : e.cause.message;
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}

/** The summary, as text lines or JSON. */
export function formatFeedbackSummary(summary: FeedbackSummary, options: { json: boolean; errors?: string }): string {
  if (options.json) return `${JSON.stringify(summary, null, 2)}\n`;
  const verb = summary.dryRun ? "would update" : "updated";
  const rows: Array<[string, string]> = [
    [verb, String(summary.updated)],
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
  if (outcome.result === "failed") return `would fail ${where}: ${outcome.error?.name}: ${outcome.error?.message}\n`;
  const why =
    outcome.skipped === "duplicate"
      ? "repeated in the input"
      : `already ${value} (${outcome.skipped === "input" ? "in the input" : "at the service"})`;
  return `skip ${where}: ${why}\n`;
}

/**
 * Runs `feedback` with the arguments after the command name.
 * @returns the exit status: 0 done, 1 done with failed events, 2 bad arguments, 130 interrupted, 255 stopped
 */
export async function runFeedback(argv: string[], io: CliIO & { stderrIsTTY?: boolean }): Promise<number> {
  let args: FeedbackArgs;
  try {
    const parsed = parseFeedbackArgs(argv, io.cwd);
    if (parsed === "help" || parsed === "version") {
      await io.stdout(parsed === "help" ? FEEDBACK_USAGE : `${pkg.version}\n`);
      return 0;
    }
    args = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    await io.stderr(`${FEEDBACK_USAGE}\n${PROG} feedback: error: ${error.message}\n`);
    return 2;
  }
  const { identity } = args;
  let saved: FeedbackCheckpointFile | undefined;
  let total: number;
  try {
    saved = args.checkpoint === undefined ? undefined : await loadCheckpointFile(args.checkpoint);
    if (saved) {
      const option = differingOption(saved.args, identity);
      if (option !== undefined)
        throw new Error(
          `--checkpoint ${args.checkpointName}: it was made by a run with a different ${option}; run that command again to resume, or delete the file to start over`,
        );
      if (saved.complete) {
        await io.stderr(
          `The feedback run saved in ${args.checkpointName} is complete; delete the file to run it again.\n`,
        );
        const { counts } = saved.cursor;
        const skipped = counts.skippedInInput + counts.skippedAtService + counts.skippedDuplicates;
        await io.stdout(
          formatFeedbackSummary(
            { ...counts, skipped, settled: counts.updated + skipped + counts.failed, dryRun: false },
            { json: args.json, errors: identity.errors },
          ),
        );
        return counts.failed > 0 ? 1 : 0;
      }
    }
    total = await checkInput(args);
  } catch (error) {
    await io.stderr(`\n${(error as Error).message}\n`);
    return 255;
  }

  let opened: Awaited<ReturnType<typeof openClient>>;
  let run: BulkFeedback<FeedbackInputTarget>;
  try {
    opened = await openClient(args, io);
    run = sendBulkFeedback({
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
  } catch (error) {
    await io.stderr(`\n${describeError(error, undefined)}\n`);
    return 255;
  }
  return await drive(run, args, { io, saved, total, close: opened.close });
}

/** Iterates the run: outcomes to the error file (or, in a dry run, standard output), checkpoints, progress, summary. */
async function drive(
  run: BulkFeedback<FeedbackInputTarget>,
  args: FeedbackArgs,
  context: {
    io: CliIO & { stderrIsTTY?: boolean };
    saved: FeedbackCheckpointFile | undefined;
    total: number;
    close: () => void;
  },
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
  const progressLine = () => {
    const s = run.summary();
    return `events ${s.settled}/${total} · updated ${s.updated} · skipped ${s.skipped} · failed ${s.failed} · throttled ${s.throttles} · ${(s.elapsedMs / 1000).toFixed(0)} s`;
  };
  const progress = io.stderrIsTTY
    ? setInterval(() => void io.stderr(`\r\x1b[K${progressLine()}`), PROGRESS_MS)
    : undefined;
  // Saves progress while outcomes are slow to come.
  const ticker = setInterval(() => {
    if (Date.now() - lastFlush >= FLUSH_MS) void flush().catch(() => {});
  }, FLUSH_MS);
  let status = 0;
  try {
    for await (const outcome of run) {
      if (args.dryRun) await io.stdout(dryRunLine(outcome, identity.value));
      else if (outcome.result === "failed") pending += errorLine(outcome);
      if (Date.now() - lastFlush >= FLUSH_MS) await flush();
    }
    clearInterval(ticker);
    await flush(true);
    if (progress) await io.stderr("\r\x1b[K");
    const summary = run.summary();
    await io.stdout(formatFeedbackSummary(summary, { json: args.json, errors: identity.errors }));
    status = summary.failed > 0 ? 1 : 0;
  } catch (error) {
    clearInterval(ticker);
    let saveError: unknown;
    await flush().catch((e: unknown) => {
      saveError = e;
    });
    if (progress) await io.stderr("\r\x1b[K");
    const resumable = args.checkpoint !== undefined && saveError === undefined;
    const where = resumable
      ? ` Run the same command to resume (checkpoint: ${args.checkpointName}).`
      : args.checkpoint === undefined && !args.dryRun
        ? " Use --checkpoint FILE to make a run resumable."
        : "";
    const settled = run.summary().settled;
    if ((error as Error)?.name === "AbortError" && io.signal?.aborted === true) {
      await io.stderr(`\nInterrupted after ${settled} of ${total} events.${where}\n`);
      status = 130;
    } else {
      await io.stderr(
        `\n${describeError(error, run.failedOperation)}\nStopped after ${settled} of ${total} events.${where}\n`,
      );
      status = 255;
    }
    if (saveError !== undefined) await io.stderr(`\nCould not save the checkpoint: ${(saveError as Error).message}\n`);
  } finally {
    clearInterval(ticker);
    if (progress) clearInterval(progress);
    await chain.catch(() => {});
    await errors.close();
    context.close();
  }
  return status;
}
