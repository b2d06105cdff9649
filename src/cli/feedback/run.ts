/**
 * One `feedback` run: every event of the input given the feedback through {@link sendBulkFeedback}, the events that
 * fail on their own to the error file, a progress line, and the summary on standard output.
 *
 * Exactly once across interruptions: after each batch of outcomes the error file is synced and the checkpoint (with
 * the error file's length) replaced; a resumed run cuts the error file back to it.
 */
import { type BulkFeedback, sendBulkFeedback } from "../../feedback/bulk.ts";
import { type FeedbackInputTarget, readFeedbackTargets } from "../../feedback/input.ts";
import { openAuditClient } from "../audit/client.ts";
import { describeAuditFailure } from "../audit/failure.ts";
import { ProgressLine } from "../audit/progress.ts";
import { CliError } from "../errors.ts";
import { type CliIO, writeTo } from "../io.ts";
import type { FeedbackArgs } from "./arguments.ts";
import { ErrorFile, errorLine, fileLines, saveCheckpointFile } from "./files.ts";
import { dryRunLine, formatFeedbackSummary } from "./output.ts";
import { type Prepared, prepare } from "./prepare.ts";

/** Failures are written, and the checkpoint saved, at least this often. */
const FLUSH_MS = 1000;

/**
 * Runs `feedback`.
 * @returns the exit status: 0 done, 1 done with failed events, 130 interrupted, 255 stopped
 */
export async function runFeedback(args: FeedbackArgs, io: CliIO): Promise<number> {
  const prepared = await prepare(args, io);
  if (typeof prepared === "number") return prepared;
  const { identity } = args;
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
      ...(prepared.saved && { checkpoint: prepared.saved.cursor }),
      ...(io.signal && { abortSignal: io.signal }),
    });
    return await drive(run, args, { io, ...prepared });
  } catch (error) {
    if (error instanceof TypeError) throw new CliError(error.message);
    throw error;
  } finally {
    opened.close();
  }
}

/**
 * The failures waiting for the error file, written with the checkpoint: each flush takes the pending lines and the
 * checkpoint in the same instant, and flushes go out one at a time, in order.
 */
class FailureLog {
  #pending = "";
  #lastFlush = Date.now();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: BulkFeedback<FeedbackInputTarget>,
    private readonly args: FeedbackArgs,
    private readonly errors: ErrorFile,
  ) {}

  add(line: string): void {
    this.#pending += line;
  }

  /** The last flush is older than {@link FLUSH_MS}. */
  get due(): boolean {
    return Date.now() - this.#lastFlush >= FLUSH_MS;
  }

  /** Writes the pending failures and saves the checkpoint (`complete`: the run is over). */
  flush(complete = false): Promise<void> {
    const text = this.#pending;
    this.#pending = "";
    this.#lastFlush = Date.now();
    const cursor = this.run.checkpoint();
    const { args, errors } = this;
    this.#chain = this.#chain.then(async () => {
      if (args.dryRun) return;
      await errors.write(text);
      if (args.checkpoint === undefined) return;
      await errors.sync();
      await saveCheckpointFile(args.checkpoint, { args: args.identity, errorBytes: errors.bytes, complete, cursor });
    });
    return this.#chain;
  }

  /** Resolves once every flush started has ended, failed or not. */
  settled(): Promise<void> {
    return this.#chain.catch(() => {});
  }
}

/** Iterates the run: outcomes to the error file (or, in a dry run, standard output), checkpoints, progress, summary. */
async function drive(
  run: BulkFeedback<FeedbackInputTarget>,
  args: FeedbackArgs,
  context: Prepared & { io: CliIO },
): Promise<number> {
  const { io, saved, total } = context;
  const { identity } = args;
  const errors = new ErrorFile(identity.errors, saved?.errorBytes);
  const log = new FailureLog(run, args, errors);
  const progress = new ProgressLine(io, () => {
    const s = run.summary();
    return `events ${s.settled}/${total} · updated ${s.updated} · skipped ${s.skipped} · failed ${s.failed} · throttled ${s.throttles} · ${(s.elapsedMs / 1000).toFixed(0)} s`;
  });
  // Saves progress while outcomes are slow to come.
  const ticker = setInterval(() => {
    if (log.due) void log.flush().catch(() => {});
  }, FLUSH_MS);
  try {
    for await (const outcome of run) {
      if (args.dryRun) await progress.stdout(dryRunLine(outcome, identity.value));
      else if (outcome.result === "failed") log.add(errorLine(outcome));
      if (log.due) await log.flush();
    }
    clearInterval(ticker);
    await log.flush(true);
    await progress.end(false);
    const summary = run.summary();
    await writeTo(io.stdout, formatFeedbackSummary(summary, { json: args.json, errors: identity.errors }));
    return summary.failed > 0 ? 1 : 0;
  } catch (error) {
    clearInterval(ticker);
    let saveError: unknown;
    await log.flush().catch((e: unknown) => {
      saveError = e;
    });
    await progress.end(false);
    return await reportStop(error, { run, args, io, total, saveError });
  } finally {
    clearInterval(ticker);
    await log.settled();
    await errors.close();
  }
}

/** Says why the run stopped, where it got to, and how to resume; returns the exit status (130 interrupted, 255). */
async function reportStop(
  error: unknown,
  context: {
    run: BulkFeedback<FeedbackInputTarget>;
    args: FeedbackArgs;
    io: CliIO;
    total: number;
    /** Saving the last checkpoint failed with this. */
    saveError: unknown;
  },
): Promise<number> {
  const { run, args, io, total, saveError } = context;
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
}
