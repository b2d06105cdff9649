/**
 * Before an `audit` run sends anything: its files resolved and known to be different files, the checkpoint and the
 * state read and checked against the command, the window fixed, and the files it will write known to be writable. A
 * complete audit only reports; one whose state was not yet written has it written.
 */

import { isAbsolute, resolve } from "node:path";
import type { AuditCheckpoint } from "../../audit/checkpoint.ts";
import { describeStateMismatch, parseAuditState, stateMismatch } from "../../audit/state.ts";
import { AuditSummary } from "../../audit/summary.ts";
import { UsageError } from "../args.ts";
import { type CommandFile, refuseSharedFiles } from "../distinct-files.ts";
import { CliError } from "../errors.ts";
import { type CliIO, writeTo } from "../io.ts";
import { checkSavable, type SavedFile } from "../saved-json.ts";
import { type AuditArguments, auditWindow } from "./arguments.ts";
import { type AuditIdentity, type CheckpointFile, differingArgument, loadCheckpointFile } from "./checkpoint-file.ts";
import type { AuditOutputFormat } from "./output/format.ts";
import { AUDIT_FORMATS } from "./output/formats.ts";
import { checkStdoutResume } from "./sink.ts";
import { commitState, journalOf, loadStateFile, type StateFile } from "./state-file.ts";

/** A file the command line names: its option, as given (for messages), and absolute. */
type NamedPath = SavedFile;

/** The window of the audit a checkpoint belongs to (fixed when it started). */
function windowOf(cursor: AuditCheckpoint): { since?: Date; until?: Date } {
  const { since, until } = cursor.query;
  return {
    ...(since !== undefined && { since: new Date(since) }),
    ...(until !== undefined && { until: new Date(until) }),
  };
}

/** The command that was run, its files resolved. */
export interface Prepared {
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
export async function prepare(args: AuditArguments, io: CliIO): Promise<Prepared | number> {
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
