/**
 * Replacing a file all at once: the new content goes to a temporary file beside it (same directory, so the same file
 * system), is synced, and is renamed over the old file, and the directory is synced, so a crash or a failure leaves
 * the old file or the new one, never half of one, and a failed run leaves the old one as it was.
 *
 * The temporary file is created exclusively (`wx`): a file already at its name (left by a crash of a process that had
 * the same id, or planted there as a symbolic link to a file of the user's) is removed, never written through.
 */

import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import process from "node:process";

/** The temporary file a file is written through. */
export const temporaryOf = (path: string): string => `${path}.${process.pid}.tmp`;

/**
 * Creates a new file there, exclusively: whatever is at that name (a stale temporary file, a symbolic link) is
 * removed first, itself, not what it points to.
 */
export async function createExclusively(path: string): Promise<FileHandle> {
  try {
    return await open(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await unlink(path);
  return open(path, "wx");
}

/** Syncs a directory, so that a rename in it survives a power loss. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, "r");
  } catch {
    // Windows cannot open a directory: the rename is still atomic there, only not yet durable.
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    // File systems that cannot sync a directory say so; the rename is atomic all the same.
    if (!["EINVAL", "EISDIR", "EPERM", "ENOTSUP", "EBADF"].includes((error as NodeJS.ErrnoException).code ?? ""))
      throw error;
  } finally {
    await handle.close();
  }
}

/** A file being written through its temporary file: {@link AtomicFile.commit} puts it in place. */
export interface AtomicFile {
  write(data: string | Uint8Array): Promise<void>;
  /** Syncs the temporary file, renames it over the file, syncs the directory. */
  commit(): Promise<void>;
  /** Removes the temporary file (after a commit: nothing to do). */
  discard(): Promise<void>;
}

/**
 * Starts replacing a file: its temporary file is created now (so a file that cannot be written is known before
 * anything else is done); nothing changes at `path` until {@link AtomicFile.commit}.
 * @throws the file system's error when the temporary file cannot be created
 */
export async function replaceFile(path: string): Promise<AtomicFile> {
  const temporary = temporaryOf(path);
  const handle = await createExclusively(temporary);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(data) {
      await (typeof data === "string" ? handle.write(data) : handle.write(data));
    },
    async commit() {
      if (closed) return;
      try {
        await handle.sync();
        await close();
        await rename(temporary, path);
      } catch (error) {
        await close().catch(() => {});
        await unlink(temporary).catch(() => {});
        throw error;
      }
      await syncDirectory(dirname(path));
    },
    async discard() {
      if (closed) return;
      await close();
      await unlink(temporary).catch(() => {});
    },
  };
}

/** Writes a whole file atomically (see the module's comment). */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const file = await replaceFile(path);
  try {
    await file.write(data);
  } catch (error) {
    await file.discard();
    throw error;
  }
  await file.commit();
}

/**
 * Checks that a file can be replaced there (its directory exists and takes files), by creating and removing the
 * temporary file it is written through.
 * @throws the file system's error
 */
export async function checkReplaceable(path: string): Promise<void> {
  const file = await replaceFile(path);
  await file.discard();
}
