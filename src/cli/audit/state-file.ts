/**
 * `audit --state FILE`: what a run leaves for the next one (each user's newest event read, src/audit/state.ts), kept
 * exactly once across interruptions and crashes:
 *
 * - while a run goes on, each user it finishes is appended to a journal (`FILE.journal`), synced with the output
 *   before the checkpoint records the journal's length (a resumed run cuts it back to that length);
 * - when the run ends, the journal becomes the new state, written atomically with the next generation number; the
 *   checkpoint remembers the generation it started from, so once the state has moved on it is a finished run's, and
 *   the next run starts afresh. A crash between the end of the output and the new state is finished by the next run.
 */

import { readFile, unlink } from "node:fs/promises";
import type { AuditQuery, AuditUser } from "../../audit/checkpoint.ts";
import {
  type AuditMark,
  type AuditState,
  AuditStateBuilder,
  auditUserKey,
  parseAuditState,
  parseMark,
} from "../../audit/state.ts";
import { CliError } from "../errors.ts";
import { isObject, loadSavedJson, type SavedFile, type SavedJsonFormat, saveJson } from "../saved-json.ts";

const KIND = "cognito-auth-events/audit-state-cli";

/** What the state file holds. */
export interface StateFile {
  version: 1;
  kind: typeof KIND;
  /** Runs committed so far. */
  generation: number;
  state: AuditState;
}

/** The journal of the state file at `path`. */
export const journalOf = (path: string): string => `${path}.journal`;

/** One journal line: a user the run finished, and its mark (none: the user has no events). */
export function journalLine(user: AuditUser, mark: AuditMark | undefined): string {
  return `${JSON.stringify({ key: auditUserKey(user), user, ...(mark && { mark }) })}\n`;
}

/** How a state file is read. */
const FORMAT: SavedJsonFormat<StateFile> = {
  kind: KIND,
  what: "an audit state",
  advice: "delete it to read every user's events again",
  read(value) {
    const generation = value["generation"];
    if (typeof generation !== "number" || !Number.isSafeInteger(generation) || generation < 0)
      throw new TypeError(`generation: expected a count of runs, got ${JSON.stringify(generation) ?? "nothing"}`);
    const state = value["state"];
    if (!isObject(state)) throw new TypeError(`state: expected an object, got ${JSON.stringify(state) ?? "nothing"}`);
    parseAuditState(state);
    return value as unknown as StateFile;
  },
};

/**
 * Reads the state file; `undefined` when there is none (the first run).
 * @throws CliError naming the file and what is wrong with it, when it cannot be read or is not a state of this CLI
 */
export function loadStateFile(file: SavedFile): Promise<StateFile | undefined> {
  return loadSavedJson(file, FORMAT);
}

/**
 * Makes the journal the new state (the users the run finished, each with its mark), one generation on, then
 * removes the journal.
 */
export async function commitState(
  path: string,
  run: { generation: number; query: AuditQuery; shown: string },
): Promise<void> {
  const next = new AuditStateBuilder(run.query);
  let text = "";
  try {
    text = await readFile(journalOf(path), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const wrong = (problem: string) =>
      new CliError(`--state ${run.shown}: its journal's line ${i + 1} ${problem} (delete both to start over)`);
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw wrong("is not JSON");
    }
    const user = isObject(entry) ? entry["user"] : undefined;
    if (!isObject(user) || typeof user["Username"] !== "string") throw wrong("names no user");
    const sub = user["sub"];
    const known: AuditUser =
      typeof sub === "string" ? { Username: user["Username"], sub } : { Username: user["Username"] };
    const mark = (entry as Record<string, unknown>)["mark"];
    try {
      next.set(known, mark === undefined ? undefined : parseMark(mark, "mark"));
    } catch (error) {
      throw wrong(`has a wrong mark: ${(error as Error).message}`);
    }
  }
  const file: StateFile = { version: 1, kind: KIND, generation: run.generation + 1, state: next.toJSON() };
  try {
    await saveJson(path, file);
  } catch (error) {
    throw new CliError(
      `--state ${run.shown}: cannot write it: ${(error as NodeJS.ErrnoException).code ?? String(error)}; the output is complete, and the same command run again records the state (and reads nothing twice)`,
    );
  }
  await unlink(journalOf(path)).catch(() => {});
}
