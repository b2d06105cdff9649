/**
 * One `audit` run: every auth event of a pool streamed to the output format, resumable.
 *
 * Exactly once across interruptions: output is written in chunks, and after each chunk the checkpoint (written
 * atomically) records the position reached and how many bytes the output holds. Ctrl+C (the CLI's abort signal) ends
 * with a final chunk and checkpoint. After a crash, a resumed run cuts `--output-file` back to the recorded length;
 * on standard output the chunk written just before the crash may repeat, and a resume onto a file shorter than the
 * recorded length (emptied by `>`) is refused. Every path given is checked before the first request.
 */

import { isAbsolute, resolve } from "node:path";
import { auditUserPool, type PoolAudit } from "../../audit/audit.ts";
import type { AuditCheckpoint } from "../../audit/checkpoint.ts";
import { AuditSummary, type AuditSummaryReport } from "../../audit/summary.ts";
import { terminalLines } from "../../terminal-text.ts";
import { UsageError } from "../args.ts";
import { CliError } from "../errors.ts";
import { type CliIO, writeTo } from "../io.ts";
import { type AuditArguments, auditWindow } from "./arguments.ts";
import { openAuditClient } from "./client.ts";
import {
  type AuditIdentity,
  type CheckpointFile,
  checkCheckpointWritable,
  checkpointFile,
  differingArgument,
  loadCheckpointFile,
  saveCheckpointFile,
} from "./checkpoint-file.ts";
import { describeAuditFailure, resumeHelps } from "./failure.ts";
import type { AuditOutputFormat, AuditOutputWriter } from "./output/format.ts";
import { AUDIT_FORMATS } from "./output/formats.ts";
import { ProgressLine, progressText } from "./progress.ts";
import { checkStdoutResume, openFileSink, type Sink, stdoutSink } from "./sink.ts";
import { commitState, journalLine, journalOf, loadStateFile, type StateFile } from "./state-file.ts";

/** Output is written, and the checkpoint saved, at least this often... */
const FLUSH_MS = 1000;
/** ...or once this much output is waiting. */
const FLUSH_BYTES = 256 * 1024;

/** A file the command line names: as given (for messages) and absolute. */
interface NamedPath {
  readonly shown: string;
  readonly path: string;
}

/** A failure to write the output or save the checkpoint (reported once, as itself). */
class OutputError extends CliError {
  override readonly name = "OutputError";
}

function windowOf(cursor: AuditCheckpoint): { since?: Date; until?: Date } {
  const { since, until } = cursor.query;
  return {
    ...(since !== undefined && { since: new Date(since) }),
    ...(until !== undefined && { until: new Date(until) }),
  };
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
      writer: AuditOutputWriter;
      checkpoint: { file: NamedPath; identity: AuditIdentity; stdoutFile: boolean } | undefined;
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
    const { audit, sink, writer, checkpoint, journal } = this.run;
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
        if (checkpoint === undefined) return;
        await sink.sync();
        if (journal) {
          await journal.sink.write(journalText);
          await journal.sink.sync();
        }
        const output = {
          records,
          bytes: sink.bytes,
          ...(checkpoint.stdoutFile && { stdoutFile: true }),
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

/** The command that was run, its files resolved. */
interface Prepared {
  readonly args: AuditArguments;
  readonly format: AuditOutputFormat;
  readonly checkpoint: NamedPath | undefined;
  readonly outputFile: NamedPath | undefined;
  readonly identity: AuditIdentity;
  readonly saved: CheckpointFile | undefined;
  /** With `--state`: the file, and what it holds (none before the first run). */
  readonly state: { file: NamedPath; saved: StateFile | undefined } | undefined;
}

/** Reads the checkpoint and checks every path given, before anything is sent. */
async function prepare(args: AuditArguments, io: CliIO): Promise<Prepared | number> {
  const named = (file: string | undefined): NamedPath | undefined =>
    file === undefined ? undefined : { shown: file, path: isAbsolute(file) ? file : resolve(io.cwd, file) };
  const checkpoint = named(args.checkpointFile);
  const outputFile = named(args.outputFile);
  const stateFile = named(args.stateFile);
  const format = AUDIT_FORMATS.find((f) => f.name === args.format)!;
  if (checkpoint && format.notResumable) throw new UsageError(`argument --checkpoint: ${format.notResumable}`);
  if (stateFile && !checkpoint)
    throw new UsageError(
      "argument --state: needs --checkpoint FILE (an interrupted run must be resumed, or the events it wrote would come again)",
    );
  const identity: AuditIdentity = { userPoolId: args.userPoolId, filter: args.filter, output: args.format };
  if (args.since !== undefined) identity.since = args.since;
  if (args.until !== undefined) identity.until = args.until;
  if (outputFile !== undefined) identity.outputFile = outputFile.path;
  if (stateFile !== undefined) identity.state = stateFile.path;
  let saved = checkpoint && (await loadCheckpointFile(checkpoint.path, checkpoint.shown));
  let state: Prepared["state"];
  if (stateFile) {
    const prepared = await prepareState(args, { stateFile, saved });
    if (prepared.state === "recorded") {
      await writeTo(
        io.stderr,
        `The audit saved in ${checkpoint!.shown} was complete; its state is now recorded in ${stateFile.shown}. Run the same command again for what is new since.\n`,
      );
      return 0;
    }
    ({ saved, state } = prepared);
  }
  if (saved) {
    const differs = differingArgument(saved.args, identity);
    if (differs !== undefined)
      throw new CliError(
        `--checkpoint ${checkpoint!.shown}: it was made by an audit with ${differs}; run that command again to resume, or delete the file to start over`,
      );
    if (saved.complete) {
      await writeTo(
        io.stderr,
        `The audit saved in ${checkpoint!.shown} is complete (${saved.output.records} events); delete the file to run it again.\n`,
      );
      if (format.report) {
        const window = windowOf(saved.cursor);
        const summary = new AuditSummary(saved.cursor.summary).toJSON({ top: args.top, ...window });
        const writer = await format.open({
          userPoolId: args.userPoolId,
          window,
          top: args.top,
          saved: saved.output.state,
        });
        await writeTo(io.stdout, await writer.end({ records: saved.output.records, summary }));
      }
      return 0;
    }
    if (outputFile === undefined) checkStdoutResume(saved.output, io.stdoutFile);
  }
  if (checkpoint) await checkCheckpointWritable(checkpoint.path, checkpoint.shown);
  return { args, format, checkpoint, outputFile, identity, saved, state };
}

/**
 * With `--state`: the state, and the checkpoint only when it belongs to a run of this state's generation (a
 * finished run's checkpoint is left behind once its state is written). A run that wrote all its output but not
 * its state (a crash in between) has its state written now, and nothing else is done.
 */
async function prepareState(
  args: AuditArguments,
  run: { stateFile: NamedPath; saved: CheckpointFile | undefined },
): Promise<{ saved: CheckpointFile | undefined; state: Prepared["state"] | "recorded" }> {
  const { stateFile } = run;
  const current = await loadStateFile(stateFile.path, stateFile.shown);
  const generation = current?.generation ?? 0;
  const saved = run.saved?.state?.generation === generation ? run.saved : undefined;
  if (saved?.complete) {
    // Its output is complete (and must not be replaced by a new run's): only its state is left to write.
    const { userPoolId, filter } = saved.cursor.query;
    await commitState(stateFile.path, { generation, userPoolId, filter, shown: stateFile.shown });
    return { saved, state: "recorded" };
  }
  if (current && current.state.userPoolId !== args.userPoolId)
    throw new CliError(`--state ${stateFile.shown}: it is the state of pool ${current.state.userPoolId}`);
  return { saved, state: { file: stateFile, saved: current } };
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
  const { saved, outputFile, format } = prepared;
  const window = saved ? windowOf(saved.cursor) : auditWindow(args);
  const writer = await format.open({ userPoolId: args.userPoolId, window, top: args.top, saved: saved?.output.state });
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
    sink = outputFile
      ? await openFileSink(outputFile.path, { shown: outputFile.shown, ...(saved && { resumeAt: saved.output.bytes }) })
      : stdoutSink(progress.stdout, saved?.output.bytes ?? 0);
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
      writer,
      journal: state && journal && { sink: journal, generation: state.saved?.generation ?? 0 },
      checkpoint: prepared.checkpoint && {
        file: prepared.checkpoint,
        identity: prepared.identity,
        stdoutFile: outputFile === undefined && io.stdoutFile !== undefined,
      },
      saved,
    });
    const status = await iterate({ audit, output, progress, prepared, io });
    if (status === 0 && state && journal) {
      // The output is complete: its journal becomes the next run's state.
      await journal.close();
      journal = undefined;
      const generation = state.saved?.generation ?? 0;
      const { userPoolId, filter } = audit.query;
      await commitState(state.file.path, { generation, userPoolId, filter, shown: state.file.shown });
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
