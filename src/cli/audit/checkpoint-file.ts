/**
 * The audit's checkpoint file: the command's identity (what it was asked), the output's state (records and bytes
 * written), and the library's cursor. Written atomically (src/cli/atomic-file.ts), so a crash leaves the previous
 * checkpoint or the new one, never half of one.
 */

import type { AuditCheckpoint } from "../../audit/checkpoint.ts";
import type { AuditFilter } from "../../audit/options.ts";
import { isObject, loadSavedJson, type SavedFile, type SavedJsonFormat, saveJson } from "../saved-json.ts";
import type { StdoutEnd } from "./sink.ts";

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
    /**
     * Standard output was a regular file (`> FILE` or `>> FILE`): which one, and its size once these bytes were in
     * it; a resume cuts it back to that size, and refuses another file or a shorter one.
     */
    stdoutEnd?: StdoutEnd;
    /** Written by earlier versions instead of `stdoutEnd`: standard output was a regular file. */
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

/** How an audit checkpoint file is read. */
const FORMAT: SavedJsonFormat<CheckpointFile> = {
  kind: KIND,
  what: "an audit checkpoint",
  advice: "delete it to start over",
  read(value) {
    const output = value["output"];
    if (!isObject(output)) throw new TypeError("output: expected an object");
    for (const key of ["records", "bytes"])
      if (typeof output[key] !== "number") throw new TypeError(`output.${key}: expected a number`);
    if (!isObject(value["args"])) throw new TypeError("args: expected an object");
    if (typeof value["complete"] !== "boolean") throw new TypeError("complete: expected true or false");
    if (!isObject(value["cursor"])) throw new TypeError("cursor: expected an object");
    return value as unknown as CheckpointFile;
  },
};

/**
 * Reads a checkpoint file; `undefined` when there is none.
 * @throws CliError when it cannot be read or is not an audit checkpoint of this CLI
 */
export function loadCheckpointFile(file: SavedFile): Promise<CheckpointFile | undefined> {
  return loadSavedJson(file, FORMAT);
}

/** Writes the checkpoint atomically: a temporary file, synced, renamed over the old one. */
export function saveCheckpointFile(path: string, checkpoint: CheckpointFile): Promise<void> {
  return saveJson(path, checkpoint);
}

/** A new checkpoint file's content. */
export function checkpointFile(content: Omit<CheckpointFile, "version" | "kind">): CheckpointFile {
  return { version: 1, kind: KIND, ...content };
}
