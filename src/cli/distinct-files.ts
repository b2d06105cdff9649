/**
 * A command's files must be different files: an output or a checkpoint written over an input, another output or
 * another checkpoint destroys what it holds (`feedback --input f --errors f` empties the input while it is read;
 * `audit --output-file a --checkpoint a` replaces the events with the checkpoint). Two names are the same file when
 * they resolve to the same path (symbolic links and `..` followed: the real path of the file, or of its directory
 * for a file not made yet) or, when both exist, to the same device and inode (hard links, bind mounts).
 */

import { realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./args.ts";

/** One of a command's files. */
export interface CommandFile {
  /** How a message names it: `--checkpoint audit.json`, `the journal of --state s (s.journal)`. */
  readonly name: string;
  /** Absolute. */
  readonly path: string;
}

interface Resolved {
  readonly where: string;
  /** Device and inode, when it exists. */
  readonly id: string | undefined;
}

async function resolveFile(path: string): Promise<Resolved> {
  try {
    const stats = await stat(path);
    return { where: await realpath(path), id: `${stats.dev}:${stats.ino}` };
  } catch {
    // Not made yet (or not readable): where it would be made.
  }
  try {
    return { where: join(await realpath(dirname(path)), basename(path)), id: undefined };
  } catch {
    return { where: path, id: undefined };
  }
}

/**
 * Refuses a command whose files are not all different, before any is opened.
 * @param stdout standard output's device and inode (`dev:ino`) when it is a regular file: it may not be one of them
 * @throws UsageError naming both
 * @example await refuseSharedFiles([{ name: "--input f", path }, { name: "--errors f", path: errors }])
 */
export async function refuseSharedFiles(files: readonly CommandFile[], stdout?: string): Promise<void> {
  const resolved = await Promise.all(files.map((file) => resolveFile(file.path)));
  for (const [i, a] of resolved.entries()) {
    if (stdout !== undefined && a.id === stdout)
      throw new UsageError(
        `standard output is ${files[i]!.name}: write the output elsewhere (writing one would destroy the other)`,
      );
    for (const [j, b] of resolved.entries()) {
      if (j <= i) continue;
      if (a.where === b.where || (a.id !== undefined && a.id === b.id))
        throw new UsageError(
          `${files[i]!.name} and ${files[j]!.name} are the same file: give each a file of its own (writing one would destroy the other)`,
        );
    }
  }
}
