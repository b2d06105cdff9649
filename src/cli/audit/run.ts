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

import { isAbsolute, resolve } from "node:path";
import { auditUserPool, type PoolAudit } from "../../audit/audit.ts";
import type { AuditCheckpoint } from "../../audit/checkpoint.ts";
import { describeStateMismatch, parseAuditState, stateMismatch } from "../../audit/state.ts";
import { AuditSummary, type AuditSummaryReport } from "../../audit/summary.ts";
import { terminalLines } from "../../terminal-text.ts";
import { UsageError } from "../args.ts";
import { type CommandFile, refuseSharedFiles } from "../distinct-files.ts";
import { CliError } from "../errors.ts";
import { type CliIO, writeTo } from "../io.ts";
import { checkSavable, type SavedFile } from "../saved-json.ts";
import { type AuditArguments, auditWindow } from "./arguments.ts";
import {
  type AuditIdentity,
  type CheckpointFile,
  checkpointFile,
  differingArgument,
  loadCheckpointFile,
  saveCheckpointFile,
} from "./checkpoint-file.ts";
import { openAuditClient } from "./client.ts";
import { describeAuditFailure, resumeHelps } from "./failure.ts";
import type { AuditOutputFormat, AuditOutputWriter } from "./output/format.ts";
import { AUDIT_FORMATS } from "./output/formats.ts";
import { ProgressLine, progressText } from "./progress.ts";
import {
  checkStdoutResume,
  cutStdoutBack,
  openFileSink,
  openReplacingFileSink,
  type Sink,
  type StdoutSink,
  stdoutSink,
} from "./sink.ts";
import { commitState, journalLine, journalOf, loadStateFile, type StateFile } from "./state-file.ts";

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

/** The command that was run, its files resolved. */
interface Prepared {
  readonly args: AuditArguments;
  readonly format: AuditOutputFormat;
  readonly checkpoint: NamedPath | undefined;
  readonly outputFile: NamedPath | undefined;
  readonly identity: AuditIdentity;
  readonly saved: CheckpointFile | undefined;
  /** The window: the interrupted run's when resuming. */
  readonly window: { since?: Date; until?: Date };
  /** With `--state`: the file, and what it holds (none before the first run). */
  readonly state: { file: NamedPath; saved: StateFile | undefined } | undefined;
}

/** The files the command line names, resolved against the working directory. */
function namedFiles(args: AuditArguments, cwd: string) {
  const named = (option: string, file: string | undefined): NamedPath | undefined =>
    file === undefined ? undefined : { option, shown: file, path: isAbsolute(file) ? file : resolve(cwd, file) };
  return {
    checkpoint: named("--checkpoint", args.checkpointFile),
    outputFile: named("--output-file", args.outputFile),
    stateFile: named("--state", args.stateFile),
  };
}

/** Refuses two of the command's files that are one (the state's journal included, and standard output). */
function refuseSharedAuditFiles(files: ReturnType<typeof namedFiles>, io: CliIO): Promise<void> {
  const { checkpoint, outputFile, stateFile } = files;
  const list: CommandFile[] = [];
  for (const file of [outputFile, checkpoint, stateFile])
    if (file) list.push({ name: `${file.option} ${file.shown}`, path: file.path });
  if (stateFile)
    list.push({
      name: `the journal of --state ${stateFile.shown} (${journalOf(stateFile.shown)})`,
      path: journalOf(stateFile.path),
    });
  return refuseSharedFiles(list, outputFile === undefined ? io.stdoutFile?.id : undefined);
}

/** Reads the checkpoint and checks every path given, before anything is sent. */
async function prepare(args: AuditArguments, io: CliIO): Promise<Prepared | number> {
  const files = namedFiles(args, io.cwd);
  const { checkpoint, outputFile, stateFile } = files;
  const format = AUDIT_FORMATS.find((f) => f.name === args.format)!;
  if (checkpoint && format.notResumable) throw new UsageError(`argument --checkpoint: ${format.notResumable}`);
  if (stateFile && !checkpoint)
    throw new UsageError(
      "argument --state: needs --checkpoint FILE (an interrupted run must be resumed, or the events it wrote would come again)",
    );
  await refuseSharedAuditFiles(files, io);
  const identity: AuditIdentity = { userPoolId: args.userPoolId, filter: args.filter, output: args.format };
  if (args.since !== undefined) identity.since = args.since;
  if (args.until !== undefined) identity.until = args.until;
  if (outputFile !== undefined) identity.outputFile = outputFile.path;
  if (stateFile !== undefined) identity.state = stateFile.path;
  let saved = checkpoint && (await loadCheckpointFile(checkpoint));
  let state: Prepared["state"];
  if (stateFile) {
    const prepared = await prepareState(stateFile, saved);
    if (prepared.state === "recorded") {
      await writeTo(
        io.stderr,
        `The audit saved in ${checkpoint!.shown} was complete; its state is now recorded in ${stateFile.shown}. Run the same command again for what is new since.\n`,
      );
      return 0;
    }
    ({ saved, state } = prepared);
  }
  const window = saved ? windowOf(saved.cursor) : auditWindow(args);
  if (state?.saved) {
    const mismatch = stateMismatch(parseAuditState(state.saved.state), { ...args, since: window.since });
    if (mismatch !== undefined)
      throw new CliError(`--state ${state.file.shown}: ${describeStateMismatch(mismatch, STATE_OPTION_NAMES)}`);
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
        const summary = new AuditSummary(saved.cursor.summary).toJSON({ top: args.top, ...window });
        const writer = await format.open({
          userPoolId: args.userPoolId,
          window,
          top: args.top,
          saved: saved.output.state,
          terminal: io.isTTY,
        });
        await writeTo(io.stdout, await writer.end({ records: saved.output.records, summary }));
      }
      return 0;
    }
    if (outputFile === undefined) checkStdoutResume(saved.output, io.stdoutFile);
  }
  if (checkpoint) await checkSavable(checkpoint);
  return { args, format, checkpoint, outputFile, identity, saved, window, state };
}

/** The options a state's scope is given by, for messages. */
const STATE_OPTION_NAMES = {
  since: "--since",
  filter: "filters (--event-type, --response, --risk-level, --risk-decision, --compromised)",
};

/**
 * With `--state`: the state, and the checkpoint only when it belongs to a run of this state's generation (a
 * finished run's checkpoint is left behind once its state is written). A run that wrote all its output but not
 * its state (a crash in between) has its state written now, and nothing else is done.
 */
async function prepareState(
  stateFile: NamedPath,
  checkpoint: CheckpointFile | undefined,
): Promise<{ saved: CheckpointFile | undefined; state: Prepared["state"] | "recorded" }> {
  const current = await loadStateFile(stateFile);
  const generation = current?.generation ?? 0;
  const saved = checkpoint?.state?.generation === generation ? checkpoint : undefined;
  if (saved?.complete) {
    // Its output is complete (and must not be replaced by a new run's): only its state is left to write.
    await commitState(stateFile.path, { generation, query: saved.cursor.query, shown: stateFile.shown });
    return { saved, state: "recorded" };
  }
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
