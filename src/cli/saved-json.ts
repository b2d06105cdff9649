/**
 * The JSON files the CLI keeps between runs (the audit's and the feedback command's checkpoints, the audit's state):
 * read with errors that name the option, the file and what is wrong in it, and written atomically
 * (src/cli/atomic-file.ts), so a crash leaves the previous file or the new one.
 */

import { readFile } from "node:fs/promises";
import { checkReplaceable, writeFileAtomically } from "./atomic-file.ts";
import { CliError } from "./errors.ts";

/** One of the command's files, as its option names it. */
export interface SavedFile {
  /** The option that names it, for messages: `--checkpoint`. */
  readonly option: string;
  /** As given on the command line. */
  readonly shown: string;
  /** Absolute. */
  readonly path: string;
}

/** What a kind of saved file is, and how its content is read. */
export interface SavedJsonFormat<T> {
  /** The `kind` member its content carries. */
  readonly kind: string;
  /** What it is, with its article, for messages: `"an audit checkpoint"`. */
  readonly what: string;
  /** What to do about a broken file, for messages: `"delete it to start over"`. */
  readonly advice: string;
  /**
   * Reads the content (an object of this kind, version 1) into what the command uses.
   * @throws TypeError saying which member is wrong and how
   */
  readonly read: (value: Record<string, unknown>) => T;
}

/** Why a file cannot be read or written, in words. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "its directory does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ENOTDIR") return "a part of its path is not a directory";
  return code ?? String(error);
}

/** Whether a value is a JSON object (not null, not a list). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads one of the CLI's saved JSON files; `undefined` when there is none.
 * @throws CliError naming the option and the file when it cannot be read, is not JSON, is not of this kind, or
 * `format.read` finds a member wrong
 */
export async function loadSavedJson<T>(file: SavedFile, format: SavedJsonFormat<T>): Promise<T | undefined> {
  const fail = (problem: string) => new CliError(`${file.option} ${file.shown}: ${problem} (${format.advice})`);
  let text: string;
  try {
    text = await readFile(file.path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`${file.option} ${file.shown}: cannot read it: ${fileProblem(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail("not JSON");
  }
  if (!isObject(value) || value["kind"] !== format.kind || value["version"] !== 1)
    throw fail(`not ${format.what} of this CLI`);
  try {
    return format.read(value);
  } catch (error) {
    if (error instanceof TypeError) throw fail(error.message);
    throw error;
  }
}

/**
 * Writes a saved JSON file atomically, as one line.
 * @throws the file system's error
 */
export function saveJson(path: string, value: unknown): Promise<void> {
  return writeFileAtomically(path, `${JSON.stringify(value)}\n`);
}

/**
 * Checks, before the first request, that the file can be saved where it was asked (its directory exists and takes
 * files).
 * @throws CliError naming the option, the file and why
 */
export async function checkSavable(file: SavedFile): Promise<void> {
  try {
    await checkReplaceable(file.path);
  } catch (error) {
    throw new CliError(`${file.option} ${file.shown}: cannot write it: ${fileProblem(error)}`);
  }
}
