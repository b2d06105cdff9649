/**
 * The audit's checkpoint file: the command's identity (what it was asked), the output's state (records and bytes
 * written), and the library's cursor. Written atomically (a temporary file, synced, renamed over the old one), so a
 * crash leaves the previous checkpoint or the new one, never half of one.
 */

import { open, readFile, rename, unlink } from "node:fs/promises";
import process from "node:process";
import type { AuditCheckpoint } from "../../audit/checkpoint.ts";
import type { AuditFilter } from "../../audit/options.ts";
import { CliError } from "../errors.ts";

/** What a checkpoint file holds. */
export interface CheckpointFile {
  version: 1;
  kind: typeof KIND;
  /** What the audit was asked: a checkpoint only resumes the same command. */
  args: AuditIdentity;
  output: {
    /** Records written. */
    records: number;
    /** Bytes written: to the output file, or to standard output. */
    bytes: number;
    /** Standard output was a regular file (`> FILE` or `>> FILE`): a resume must find at least `bytes` in it. */
    stdoutFile?: boolean;
    /** The output format's own state (see AuditOutputWriter.state). */
    state?: unknown;
  };
  /** Every event was written: running the command again only reports (with `--state`: starts the next run). */
  complete: boolean;
  cursor: AuditCheckpoint;
  /** With `--state`: the generation of the state the run started from, and the bytes of its journal. */
  state?: { generation: number; journalBytes: number };
}

/** The options that make an audit what it is. */
export interface AuditIdentity {
  userPoolId: string;
  since?: string;
  until?: string;
  filter: AuditFilter;
  output: string;
  /** Absolute. */
  outputFile?: string;
  /** Absolute. */
  state?: string;
}

const KIND = "cognito-auth-events/audit-cli";

/** The options of {@link AuditIdentity} as a person names them, with their article. */
const NAMED: ReadonlyArray<readonly [keyof AuditIdentity, string]> = [
  ["userPoolId", "a different --user-pool-id"],
  ["since", "a different --since"],
  ["until", "a different --until"],
  ["filter", "different filters (--event-type, --response, --risk-level, --risk-decision, --compromised)"],
  ["output", "a different --output"],
  ["outputFile", "a different --output-file"],
  ["state", "a different --state"],
];

/** How the saved audit differs from this command, if it does: `"a different --since"`. */
export function differingArgument(saved: AuditIdentity, now: AuditIdentity): string | undefined {
  for (const [key, named] of NAMED) if (JSON.stringify(saved[key]) !== JSON.stringify(now[key])) return named;
  return undefined;
}

const temporaryOf = (path: string) => `${path}.${process.pid}.tmp`;

/** Writes the checkpoint atomically: a temporary file, synced, renamed over the old one. */
export function saveCheckpointFile(path: string, checkpoint: CheckpointFile): Promise<void> {
  return writeJsonAtomically(path, checkpoint);
}

/**
 * Writes a value as one line of JSON, atomically: a temporary file, synced, renamed over the old one, so a crash
 * leaves the old file or the new one, never half of one. For every checkpoint file the CLI keeps.
 */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = temporaryOf(path);
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(`${JSON.stringify(value)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/**
 * Checks, before the first request, that the checkpoint can be saved where it was asked (its directory exists and
 * takes files), by writing the temporary file it will be written through.
 * @throws CliError naming the file and why
 */
export async function checkCheckpointWritable(path: string, shown: string): Promise<void> {
  const temporary = temporaryOf(path);
  try {
    const handle = await open(temporary, "w");
    await handle.close();
    await unlink(temporary);
  } catch (error) {
    throw new CliError(`--checkpoint ${shown}: cannot write it: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "its directory does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOTDIR") return "a part of its path is not a directory";
  return code ?? String(error);
}

/**
 * Reads a checkpoint file; `undefined` when there is none.
 * @throws CliError when it cannot be read or is not an audit checkpoint of this CLI
 */
export async function loadCheckpointFile(path: string, shown: string): Promise<CheckpointFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`--checkpoint ${shown}: cannot read it: ${reason(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`--checkpoint ${shown}: not JSON (delete it to start over)`);
  }
  const saved = value as Partial<CheckpointFile> | null;
  if (typeof saved !== "object" || saved === null || saved.kind !== KIND || saved.version !== 1)
    throw new CliError(`--checkpoint ${shown}: not an audit checkpoint of this CLI (delete it to start over)`);
  if (
    typeof saved.output?.records !== "number" ||
    typeof saved.output.bytes !== "number" ||
    typeof saved.args !== "object" ||
    typeof saved.complete !== "boolean"
  )
    throw new CliError(`--checkpoint ${shown}: incomplete (delete it to start over)`);
  return saved as CheckpointFile;
}

/** A new checkpoint file's content. */
export function checkpointFile(content: Omit<CheckpointFile, "version" | "kind">): CheckpointFile {
  return { version: 1, kind: KIND, ...content };
}
