/**
 * One `audit` run: every auth event of a pool streamed to the output format, resumable.
 *
 * Exactly once across interruptions: output is written in chunks, and after each chunk the checkpoint (written
 * atomically) records the position reached and where the output ends. Ctrl+C (the CLI's abort signal) ends with a
 * final chunk and checkpoint. After a crash, a resumed run cuts `--output-file`, or standard output when it is a
 * regular file (`>> FILE`), back to the recorded length, so the chunk written just before the crash is written once;
 * a resume onto another file or a shorter one (emptied by `>`) is refused. Onto a pipe or a terminal, that chunk may
 * repeat. A report (written whole at the end) replaces its `--output-file` only once complete. Every path given is
 * checked, and the files are known to be different files, before the first request.
 */

import { auditUserPool, type PoolAudit } from "../../audit/audit.ts";
import type { AuditSummaryReport } from "../../audit/summary.ts";
import { terminalLines } from "../../terminal-text.ts";
import { CliError } from "../errors.ts";
import type { CliIO } from "../io.ts";
import type { SavedFile } from "../saved-json.ts";
import type { AuditArguments } from "./arguments.ts";
import { type AuditIdentity, type CheckpointFile, checkpointFile, saveCheckpointFile } from "./checkpoint-file.ts";
import { openAuditClient } from "./client.ts";
import { describeAuditFailure, resumeHelps } from "./failure.ts";
import type { AuditOutputWriter } from "./output/format.ts";
import { type Prepared, prepare } from "./prepare.ts";
import { ProgressLine, progressText } from "./progress.ts";
import { cutStdoutBack, openFileSink, openReplacingFileSink, type Sink, type StdoutSink, stdoutSink } from "./sink.ts";
import { commitState, journalLine, journalOf } from "./state-file.ts";

/** Output is written, and the checkpoint saved, at least this often... */
const FLUSH_MS = 1000;
/** ...or once this much output is waiting. */
const FLUSH_BYTES = 256 * 1024;

/** A file the command line names: its option, as given (for messages), and absolute. */
type NamedPath = SavedFile;

/** A failure to write the output or save the checkpoint (reported once, as itself). */
class OutputError extends CliError {
  override readonly name = "OutputError";
}

/**
 * The output, written in chunks: after each chunk the checkpoint (when there is one) records what was written and
 * where the audit stands, in the same instant. Chunks and checkpoints go out one at a time, in order.
 */
class ChunkedOutput {
  #pending: string;
  #records: number;
  #lastFlush = Date.now();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: {
      audit: PoolAudit;
      sink: Sink;
      /** The sink, when it is standard output. */
      stdout: StdoutSink | undefined;
      writer: AuditOutputWriter;
      checkpoint: { file: NamedPath; identity: AuditIdentity } | undefined;
      saved: CheckpointFile | undefined;
      /** With `--state`: the journal, and the generation of the state the run started from. */
      journal: { sink: Sink; generation: number } | undefined;
    },
  ) {
    this.#records = run.saved?.output.records ?? 0;
    this.#pending = run.saved ? "" : run.writer.start();
  }

  get records(): number {
    return this.#records;
  }

  #journal = "";

  /** A user the run finished, for the next run's state (written with the next chunk). */
  userDone(line: string): void {
    this.#journal += line;
  }

  add(record: Parameters<AuditOutputWriter["record"]>[0]): void {
    this.#pending += this.run.writer.record(record, this.#records);
    this.#records++;
  }

  /** Adds the text after the last record. */
  async addEnd(summary: AuditSummaryReport): Promise<void> {
    this.#pending += await this.run.writer.end({ records: this.#records, summary });
  }

  /** Whether a chunk is due: enough text waiting, or long enough since the last. */
  get due(): boolean {
    return this.#pending.length >= FLUSH_BYTES || Date.now() - this.#lastFlush >= FLUSH_MS;
  }

  /** Writes what is waiting and saves the checkpoint (`complete`: the audit ended). */
  flush(complete = false): Promise<void> {
    const { audit, sink, stdout, writer, checkpoint, journal } = this.run;
    const text = this.#pending;
    this.#pending = "";
    const journalText = this.#journal;
    this.#journal = "";
    this.#lastFlush = Date.now();
    const cursor = audit.checkpoint();
    const records = this.#records;
    const formatState = writer.state?.();
    this.#chain = this.#chain.then(async () => {
      try {
        await sink.write(text);
        if (complete) await sink.complete?.();
        if (checkpoint === undefined) return;
        await sink.sync();
        if (journal) {
          await journal.sink.write(journalText);
          await journal.sink.sync();
        }
        const stdoutEnd = stdout?.end();
        const output = {
          records,
          bytes: sink.bytes,
          ...(stdoutEnd && { stdoutEnd }),
          ...(formatState !== undefined && { state: formatState }),
        };
        const state = journal && { generation: journal.generation, journalBytes: journal.sink.bytes };
        await saveCheckpointFile(
          checkpoint.file.path,
          checkpointFile({ args: checkpoint.identity, output, complete, cursor, ...(state && { state }) }),
        );
      } catch (error) {
        throw new OutputError(`Could not write the output or save the checkpoint: ${(error as Error).message}`, {
          cause: error,
        });
      }
    });
    return this.#chain;
  }

  /** Waits for the chunks under way. */
  settled(): Promise<void> {
    return this.#chain.catch(() => {});
  }
}

/** What to do next, after an audit stopped early: how to resume it, when resuming helps. */
function resumeAdvice(run: Prepared, saved: boolean): string {
  if (run.checkpoint === undefined) return "Use --checkpoint FILE to make a run resumable.";
  if (!saved) return "";
  const where = `(checkpoint: ${run.checkpoint.shown})`;
  if (run.outputFile !== undefined) return `Run the same command to resume ${where}.`;
  return (
    `Run the same command to resume ${where}, with its output appended to this run's: >> FILE, not > FILE ` +
    "(which would empty it); --output-file FILE resumes exactly."
  );
}

/**
 * Runs the audit.
 * @returns the exit status: 0 done, 130 interrupted (resumable), 255 failed
 */
export async function runAudit(args: AuditArguments, io: CliIO): Promise<number> {
  const prepared = await prepare(args, io);
  if (typeof prepared === "number") return prepared;
  const { saved, outputFile, format, window } = prepared;
  const writer = await format.open({
    userPoolId: args.userPoolId,
    window,
    top: args.top,
    saved: saved?.output.state,
    terminal: outputFile === undefined && io.isTTY,
  });
  const opened = await openAuditClient(args.globals, { io, concurrency: args.concurrency });
  let sink: Sink | undefined;
  let journal: Sink | undefined;
  try {
    const state = prepared.state;
    let output: ChunkedOutput | undefined;
    const audit = auditUserPool({
      ...((writer.userDone || state) && {
        onUserDone: (user, events, mark) => {
          writer.userDone?.(user, events);
          output?.userDone(journalLine(user, mark));
        },
      }),
      ...(state?.saved && { state: state.saved.state }),
      client: opened.client,
      userPoolId: args.userPoolId,
      ...window,
      filter: args.filter,
      ...(args.concurrency !== undefined && { concurrency: args.concurrency }),
      ...(args.maxRps !== undefined && { maxRps: args.maxRps }),
      ...(saved && { checkpoint: saved.cursor }),
      ...(io.signal && { abortSignal: io.signal }),
    });
    const progress = new ProgressLine(io, () => progressText(audit.progress()));
    let stdout: StdoutSink | undefined;
    if (outputFile === undefined) {
      if (saved) cutStdoutBack(saved.output, io.stdoutFile);
      sink = stdout = stdoutSink(progress.stdout, { bytesBefore: saved?.output.bytes ?? 0, file: io.stdoutFile });
    } else if (format.report) {
      // Written whole at the end: the previous report stays until the new one is complete.
      sink = await openReplacingFileSink(outputFile);
    } else {
      sink = await openFileSink(outputFile.path, {
        shown: outputFile.shown,
        ...(saved && { resumeAt: saved.output.bytes }),
      });
    }
    journal =
      state &&
      (await openFileSink(journalOf(state.file.path), {
        shown: journalOf(state.file.shown),
        option: "--state",
        ...(saved?.state && { resumeAt: saved.state.journalBytes }),
      }));
    output = new ChunkedOutput({
      audit,
      sink,
      stdout,
      writer,
      journal: state && journal && { sink: journal, generation: state.saved?.generation ?? 0 },
      checkpoint: prepared.checkpoint && { file: prepared.checkpoint, identity: prepared.identity },
      saved,
    });
    const status = await iterate({ audit, output, progress, prepared, io });
    if (status === 0 && state && journal) {
      // The output is complete: its journal becomes the next run's state.
      await journal.close();
      journal = undefined;
      const generation = state.saved?.generation ?? 0;
      await commitState(state.file.path, { generation, query: audit.query, shown: state.file.shown });
    }
    return status;
  } finally {
    await sink?.close();
    await journal?.close();
    opened.close();
  }
}

/** Reads every record into the output; on a failure or an interruption, saves what was read and says so. */
async function iterate(run: {
  audit: PoolAudit;
  output: ChunkedOutput;
  progress: ProgressLine;
  prepared: Prepared;
  io: CliIO;
}): Promise<number> {
  const { audit, output, progress, prepared, io } = run;
  // Saves progress even while no event passes the filters.
  const ticker = setInterval(() => {
    if (output.due) void output.flush().catch(() => {});
  }, FLUSH_MS);
  try {
    for await (const record of audit) {
      output.add(record);
      if (output.due) await output.flush();
    }
    clearInterval(ticker);
    await output.flush();
    await progress.end(true);
    await output.addEnd(audit.summary({ top: prepared.args.top }));
    await output.flush(true);
    return 0;
  } catch (error) {
    clearInterval(ticker);
    // Keep what was read: the checkpoint moves up to the last record handed out, output included.
    let saveError: unknown;
    if (!(error instanceof OutputError)) await output.flush().catch((e: unknown) => (saveError = e));
    await output.settled();
    await progress.end(false);
    const aborted = (error as Error)?.name === "AbortError" && io.signal?.aborted === true;
    const advice = resumeAdvice(prepared, saveError === undefined && !(error instanceof OutputError));
    if (aborted) {
      await progress.stderr(`\nInterrupted after ${output.records} events.${advice ? ` ${advice}` : ""}\n`);
    } else {
      const debug = prepared.args.globals["debug"] === true;
      const stack = debug && error instanceof Error && !("$fault" in error) ? `${error.stack ?? error.message}\n` : "";
      const hint = resumeHelps(error) && advice ? `${advice}\n` : "";
      const message = describeAuditFailure(error, audit.failure?.operation);
      await progress.stderr(terminalLines(`${stack}\n${message}\n${hint}`));
    }
    if (saveError !== undefined) await progress.stderr(terminalLines(`\n${(saveError as Error).message}\n`));
    return aborted ? 130 : 255;
  }
}
