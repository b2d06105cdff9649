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
import type { AuditUser } from "../../audit/checkpoint.ts";
import type { AuditFilter } from "../../audit/options.ts";
import { type AuditMark, type AuditState, AuditStateBuilder, auditUserKey, parseMark } from "../../audit/state.ts";
import { CliError } from "../errors.ts";
import { writeJsonAtomically } from "./checkpoint-file.ts";

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

/**
 * Reads the state file; `undefined` when there is none (the first run).
 * @throws CliError when it cannot be read or is not a state of this CLI
 */
export async function loadStateFile(path: string, shown: string): Promise<StateFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`--state ${shown}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: Partial<StateFile> | null;
  try {
    value = JSON.parse(text) as Partial<StateFile> | null;
  } catch {
    throw new CliError(`--state ${shown}: not JSON (delete it to read every user's events again)`);
  }
  if (
    typeof value !== "object" ||
    value === null ||
    value.kind !== KIND ||
    value.version !== 1 ||
    !Number.isSafeInteger(value.generation) ||
    typeof value.state !== "object"
  )
    throw new CliError(
      `--state ${shown}: not an audit state of this CLI (delete it to read every user's events again)`,
    );
  return value as StateFile;
}

/**
 * Makes the journal the new state (the users the run finished, each with its mark), one generation on, then
 * removes the journal.
 */
export async function commitState(
  path: string,
  run: { generation: number; userPoolId: string; filter: AuditFilter | undefined; shown: string },
): Promise<void> {
  const next = new AuditStateBuilder(run.userPoolId, run.filter);
  let text = "";
  try {
    text = await readFile(journalOf(path), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    let entry: { user?: AuditUser; mark?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      throw new CliError(`--state ${run.shown}: its journal's line ${i + 1} is not JSON (delete both to start over)`);
    }
    if (typeof entry.user?.Username !== "string")
      throw new CliError(`--state ${run.shown}: its journal's line ${i + 1} names no user (delete both to start over)`);
    next.set(entry.user, entry.mark === undefined ? undefined : parseMark(entry.mark, `journal line ${i + 1}`));
  }
  const file: StateFile = { version: 1, kind: KIND, generation: run.generation + 1, state: next.toJSON() };
  try {
    await writeJsonAtomically(path, file);
  } catch (error) {
    throw new CliError(
      `--state ${run.shown}: cannot write it: ${(error as NodeJS.ErrnoException).code ?? String(error)}; the output is complete, and the same command run again records the state (and reads nothing twice)`,
    );
  }
  await unlink(journalOf(path)).catch(() => {});
}
