/**
 * The files of `cognito-auth-events feedback`: the input read line by line, the error file (one
 * NDJSON line per event that failed, in a form `feedback --input` takes back), and the checkpoint
 * file (the command's identity, the error file's length, the library's position), written
 * atomically so a crash leaves the old checkpoint or the new one (src/cli/saved-json.ts).
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, stat, truncate } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { FeedbackOutcome } from "../../feedback/bulk.ts";
import type { FeedbackCheckpoint } from "../../feedback/checkpoint.ts";
import type { FeedbackInputTarget } from "../../feedback/input.ts";
import { CliError } from "../errors.ts";
import { isObject, loadSavedJson, type SavedFile, type SavedJsonFormat, saveJson } from "../saved-json.ts";

const KIND = "cognito-auth-events/feedback-cli";

/** What makes a feedback run what it is: a checkpoint only resumes the same. */
export interface FeedbackIdentity {
  userPoolId: string;
  value: string;
  /** Absolute. */
  input: string;
  username?: string;
  /** Absolute. */
  errors: string;
}

/** What the checkpoint file holds. */
export interface FeedbackCheckpointFile {
  version: 1;
  kind: typeof KIND;
  args: FeedbackIdentity;
  /** Bytes of the error file the checkpoint accounts for. */
  errorBytes: number;
  /** Every event is settled: running the command again only reports. */
  complete: boolean;
  cursor: FeedbackCheckpoint;
}

/** The lines of a file, as they come (`\r\n` and `\n` both end a line). */
export async function* fileLines(path: string): AsyncGenerator<string, void, undefined> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
  }
}

/** One line of the error file: the event as `feedback --input` reads it, the line it came from, and why it failed. */
export function errorLine(outcome: FeedbackOutcome<FeedbackInputTarget>): string {
  const { target, error } = outcome;
  return `${JSON.stringify({
    line: target.line,
    user: { Username: target.username },
    event: { EventId: target.eventId, ...(target.creationDate && { CreationDate: target.creationDate.toISOString() }) },
    error: error ?? { name: "Error", message: "" },
  })}\n`;
}

/** The error file, opened on the first failure; on resume, cut back to what the checkpoint accounts for. */
export class ErrorFile {
  #handle: FileHandle | undefined;
  #bytes: number;
  readonly #resuming: boolean;
  readonly #encoder = new TextEncoder();

  constructor(
    readonly path: string,
    resumeAt: number | undefined,
  ) {
    this.#bytes = resumeAt ?? 0;
    this.#resuming = resumeAt !== undefined;
  }

  /** Bytes written so far (the checkpoint records it). */
  get bytes(): number {
    return this.#bytes;
  }

  async write(text: string): Promise<void> {
    if (text === "") return;
    if (this.#handle === undefined) this.#handle = await this.#open();
    const data = this.#encoder.encode(text);
    await this.#handle.write(data);
    this.#bytes += data.length;
  }

  async #open(): Promise<FileHandle> {
    if (!this.#resuming) return open(this.path, "w");
    let size = 0;
    try {
      size = (await stat(this.path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (size < this.#bytes)
      throw new CliError(
        `--errors ${this.path}: cannot resume: it holds ${size} bytes, fewer than the ${this.#bytes} the checkpoint recorded (was it replaced?)`,
      );
    // Lines written after the last checkpoint are written again: cut them off.
    if (size > this.#bytes) await truncate(this.path, this.#bytes);
    return open(this.path, "a");
  }

  async sync(): Promise<void> {
    await this.#handle?.sync();
  }

  async close(): Promise<void> {
    await this.#handle?.close();
  }
}

/** Writes the checkpoint file atomically (src/cli/atomic-file.ts). */
export function saveCheckpointFile(
  path: string,
  checkpoint: Omit<FeedbackCheckpointFile, "version" | "kind">,
): Promise<void> {
  return saveJson(path, { version: 1, kind: KIND, ...checkpoint });
}

/** How a feedback checkpoint file is read. */
const FORMAT: SavedJsonFormat<FeedbackCheckpointFile> = {
  kind: KIND,
  what: "a feedback checkpoint",
  advice: "delete it to start over",
  read(value) {
    if (typeof value["errorBytes"] !== "number") throw new TypeError("errorBytes: expected a number");
    if (typeof value["complete"] !== "boolean") throw new TypeError("complete: expected true or false");
    if (!isObject(value["args"])) throw new TypeError("args: expected an object");
    if (!isObject(value["cursor"])) throw new TypeError("cursor: expected an object");
    return value as unknown as FeedbackCheckpointFile;
  },
};

/** The saved run, or `undefined` when the file does not exist. */
export function loadCheckpointFile(file: SavedFile): Promise<FeedbackCheckpointFile | undefined> {
  return loadSavedJson(file, FORMAT);
}

/** The option whose value differs from the one the checkpoint was made with, if any. */
export function differingOption(saved: FeedbackIdentity, now: FeedbackIdentity): string | undefined {
  const options: Array<[keyof FeedbackIdentity, string]> = [
    ["userPoolId", "--user-pool-id"],
    ["value", "--value"],
    ["input", "--input"],
    ["username", "--username"],
    ["errors", "--errors"],
  ];
  for (const [key, option] of options) if (saved[key] !== now[key]) return option;
  return undefined;
}
