/**
 * Where the audit's output goes, and how a resumed audit finds it again without losing or repeating a byte: a file
 * the audit owns (`--output-file`: cut back to the length the checkpoint recorded, then appended to), or standard
 * output (counted; when it is a regular file, cut back to where the checkpoint says the output ended, and refused when
 * it is another file or a shorter one: `> FILE` emptied it).
 */

import { type FileHandle, open, stat, truncate } from "node:fs/promises";
import { type AtomicFile, replaceFile } from "../atomic-file.ts";
import { CliError } from "../errors.ts";
import type { RegularFileOutput } from "../io.ts";
import { fileProblem } from "../saved-json.ts";

/** Where output goes. */
export interface Sink {
  write(text: string): Promise<void>;
  /** Bytes written by this audit, over all its runs. */
  readonly bytes: number;
  /** Makes what was written durable before the checkpoint says so. */
  sync(): Promise<void>;
  /** The output is complete (a report's file is put in place now). */
  complete?(): Promise<void>;
  /** Closes it (a report's file not completed is left as it was). */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Opens `--output-file` (or the `--state` journal, `option`): created (or emptied) for a new audit; for a resumed one, cut back to the `resumeAt` bytes
 * the checkpoint recorded (what was written after it is written again).
 * @throws CliError naming the file when it cannot be opened, or is shorter than the checkpoint says
 */
export async function openFileSink(
  path: string,
  options: { shown: string; resumeAt?: number; option?: string },
): Promise<Sink> {
  const { shown, resumeAt, option = "--output-file" } = options;
  if (resumeAt !== undefined) {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new CliError(`${option} ${shown}: cannot resume: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (size < resumeAt)
      throw new CliError(
        `${option} ${shown}: cannot resume: it holds ${size} bytes, fewer than the ${resumeAt} the checkpoint recorded (was it replaced?)`,
      );
    if (size > resumeAt) await truncate(path, resumeAt);
  }
  let handle: FileHandle;
  try {
    handle = await open(path, resumeAt === undefined ? "w" : "a");
  } catch (error) {
    throw new CliError(`${option} ${shown}: cannot write it: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let bytes = resumeAt ?? 0;
  return {
    async write(text) {
      const data = encoder.encode(text);
      await handle.write(data);
      bytes += data.length;
    },
    get bytes() {
      return bytes;
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

/**
 * `--output-file` of a report (written whole at the end): written through a temporary file beside it, renamed over
 * it once complete, so a failed or interrupted run leaves the previous report as it was.
 * @throws CliError naming the file when it cannot be written there
 */
export async function openReplacingFileSink(file: { option: string; shown: string; path: string }): Promise<Sink> {
  let replacement: AtomicFile;
  try {
    replacement = await replaceFile(file.path);
  } catch (error) {
    throw new CliError(`${file.option} ${file.shown}: cannot write it: ${fileProblem(error)}`);
  }
  let bytes = 0;
  return {
    async write(text) {
      if (text === "") return;
      const data = encoder.encode(text);
      await replacement.write(data);
      bytes += data.length;
    },
    get bytes() {
      return bytes;
    },
    async sync() {},
    complete: () => replacement.commit(),
    close: () => replacement.discard(),
  };
}

/** Where the output stood in standard output, a regular file, when a checkpoint was saved. */
export interface StdoutEnd {
  /** The file's device and inode (see RegularFileOutput.id). */
  file: string;
  /** Its size once the checkpoint's bytes were written to it. */
  size: number;
}

/** Standard output as the audit writes it, and where its output ends in it when it is a regular file. */
export interface StdoutSink extends Sink {
  /** When standard output is a regular file: where the output written so far ends in it (after a sync). */
  end(): StdoutEnd | undefined;
}

/**
 * Standard output, counting the bytes written (after `bytesBefore`, those of earlier runs). When it is a regular file,
 * `sync` makes what was written durable, and {@link StdoutSink.end} says where it ends in the file.
 * @example stdoutSink((text) => io.stdout(text), { bytesBefore: saved?.output.bytes ?? 0, file: io.stdoutFile })
 */
export function stdoutSink(
  write: (text: string) => Promise<void>,
  options: { bytesBefore: number; file: RegularFileOutput | undefined },
): StdoutSink {
  const { file } = options;
  let bytes = options.bytesBefore;
  return {
    async write(text) {
      if (text === "") return;
      await write(text);
      bytes += encoder.encode(text).length;
    },
    get bytes() {
      return bytes;
    },
    async sync() {
      file?.sync();
    },
    end: () => file && { file: file.id, size: file.currentSize() },
    async close() {},
  };
}

/** What a checkpoint says of standard output. */
interface SavedStdout {
  bytes: number;
  /** Written by checkpoints of this version: where the output ended in the file. */
  stdoutEnd?: StdoutEnd | undefined;
  /** Written by earlier versions: standard output was a regular file. */
  stdoutFile?: boolean | undefined;
}

const REFUSAL_ADVICE = "Resume with >> onto the file that holds them, or delete the checkpoint to start over.";

/**
 * Resuming onto standard output: when the interrupted run wrote to a regular file and standard output is one now, it
 * must be the same file and hold at least what the checkpoint counted (`> FILE` empties it, and the events written
 * before the interruption would be missing). What it holds beyond that was written after the last checkpoint (a
 * crash between a write and its checkpoint) and is written again: {@link cutStdoutBack} cuts it off.
 * @throws CliError saying how to resume safely
 */
export function checkStdoutResume(saved: SavedStdout, stdoutFile: RegularFileOutput | undefined): void {
  if (stdoutFile === undefined) return;
  const end = saved.stdoutEnd;
  if (end === undefined) {
    // A checkpoint of an earlier version: only the bytes it counted.
    if (saved.stdoutFile !== true || stdoutFile.size >= saved.bytes) return;
    throw new CliError(
      `Cannot resume: standard output is a file of ${stdoutFile.size} bytes, but the interrupted audit wrote ` +
        `${saved.bytes} bytes to its output; the file was emptied or replaced (by > instead of >>?), and the events ` +
        `written before the interruption would be missing. ${REFUSAL_ADVICE}`,
    );
  }
  if (end.file !== stdoutFile.id)
    throw new CliError(
      "Cannot resume: standard output is not the file the interrupted audit wrote to (another file, or one put in " +
        `its place), and the events written before the interruption would be missing from it. ${REFUSAL_ADVICE}`,
    );
  if (stdoutFile.size < end.size)
    throw new CliError(
      `Cannot resume: standard output is a file of ${stdoutFile.size} bytes, but it held ${end.size} bytes when the ` +
        "interrupted audit last saved its place; the file was emptied or replaced (by > instead of >>?), and the " +
        `events written before the interruption would be missing. ${REFUSAL_ADVICE}`,
    );
}

/**
 * Cuts standard output back to where the checkpoint says the output ended, when it holds more (written after the
 * last checkpoint: written again by this run), so the file holds every event exactly once. Call after
 * {@link checkStdoutResume}.
 * @throws CliError when the file cannot be cut (then nothing was written), saying what to do
 */
export function cutStdoutBack(saved: SavedStdout, stdoutFile: RegularFileOutput | undefined): void {
  const end = saved.stdoutEnd;
  if (stdoutFile === undefined || end === undefined || stdoutFile.currentSize() <= end.size) return;
  try {
    stdoutFile.truncate(end.size);
  } catch (error) {
    const extra = stdoutFile.currentSize() - end.size;
    throw new CliError(
      `Cannot resume: standard output holds ${extra} bytes written after the interrupted audit last saved its place ` +
        `(this run writes them again), and cannot be cut back to ${end.size} bytes ` +
        `(${(error as NodeJS.ErrnoException).code ?? String(error)}). Cut it (truncate -s ${end.size} FILE) and run ` +
        "the same command again, or delete the checkpoint to start over.",
    );
  }
}
