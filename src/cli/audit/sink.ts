/**
 * Where the audit's output goes, and how a resumed audit finds it again without losing a byte: a file the audit owns
 * (`--output-file`: cut back to the length the checkpoint recorded, then appended to), or standard output (counted,
 * and refused when it is a file shorter than the checkpoint says was written: `> FILE` emptied it).
 */

import { type FileHandle, open, stat, truncate } from "node:fs/promises";
import { CliError } from "../errors.ts";

/** Where output goes. */
export interface Sink {
  write(text: string): Promise<void>;
  /** Bytes written by this audit, over all its runs. */
  readonly bytes: number;
  /** Makes what was written durable before the checkpoint says so. */
  sync(): Promise<void>;
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
 * Standard output, counting the bytes written (after `bytesBefore`, those of earlier runs).
 * @example stdoutSink((text) => io.stdout(text), saved?.output.bytes ?? 0)
 */
export function stdoutSink(write: (text: string) => Promise<void>, bytesBefore: number): Sink {
  let bytes = bytesBefore;
  return {
    async write(text) {
      if (text === "") return;
      await write(text);
      bytes += encoder.encode(text).length;
    },
    get bytes() {
      return bytes;
    },
    async sync() {},
    async close() {},
  };
}

/**
 * Refuses to resume onto standard output when the interrupted run wrote to a file and standard output is now a file
 * holding fewer bytes than that run wrote: `> FILE` emptied it, and appending would leave a file without the events
 * written before the interruption.
 * @throws CliError saying how to resume safely
 */
export function checkStdoutResume(
  saved: { bytes: number; stdoutFile?: boolean | undefined },
  stdoutFile: { size: number } | undefined,
): void {
  if (saved.stdoutFile !== true || stdoutFile === undefined || stdoutFile.size >= saved.bytes) return;
  throw new CliError(
    `Cannot resume: standard output is a file of ${stdoutFile.size} bytes, but the interrupted audit wrote ` +
      `${saved.bytes} bytes to its output; the file was emptied or replaced (by > instead of >>?), and the events ` +
      "written before the interruption would be missing. Resume with >> onto the file that holds them, or delete the " +
      "checkpoint to start over.",
  );
}
