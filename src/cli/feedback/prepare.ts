/**
 * Before a `feedback` run sends anything: its files known to be different files, the checkpoint read and checked
 * against the command (a complete run only reports), the checkpoint file known to be writable, and every line of
 * the input checked, so that a bad line stops the command before the first request rather than halfway.
 */
import { readFeedbackTargets } from "../../feedback/input.ts";
import { refuseSharedFiles } from "../distinct-files.ts";
import { CliError } from "../errors.ts";
import { type CliIO, writeTo } from "../io.ts";
import { checkSavable, type SavedFile } from "../saved-json.ts";
import type { FeedbackArgs } from "./arguments.ts";
import { differingOption, type FeedbackCheckpointFile, fileLines, loadCheckpointFile } from "./files.ts";
import { formatFeedbackSummary, summaryOfCheckpoint } from "./output.ts";

/** What a run starts from. */
export interface Prepared {
  /** The checkpoint file, when resuming. */
  readonly saved: FeedbackCheckpointFile | undefined;
  /** Events in the input. */
  readonly total: number;
}

/**
 * Checks the files and the input.
 * @returns what the run starts from, or the exit status when the saved run is complete (its summary printed)
 */
export async function prepare(args: FeedbackArgs, io: CliIO): Promise<Prepared | number> {
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
  return { saved, total: await checkInput(args) };
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
