/**
 * The CLI's window on the outside world: where it writes, what environment it sees, where it runs.
 * Every command takes a {@link CliIO} so tests can run the CLI in-process and capture its output,
 * and so the same code runs under Node and Deno (`node:process` is only touched by
 * {@link processIO}).
 */

import { fstatSync } from "node:fs";
import process from "node:process";

/** Where a CLI command writes and what it can see of its environment. */
export interface CliIO {
  /**
   * Writes text to standard output. May return a promise that resolves once the text is flushed
   * (callers that stream, like `--output ndjson`, await it for back-pressure).
   * @example io.stdout("hello\n")
   */
  stdout: (text: string) => void | Promise<void>;
  /** Writes text to standard error (same contract as {@link CliIO.stdout}). */
  stderr: (text: string) => void | Promise<void>;
  /**
   * The environment variables the command sees (`AWS_PROFILE`, `AWS_REGION`, `HOME`, ...).
   * @default process.env
   */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory, for relative paths such as `file://input.json`. @default process.cwd() */
  cwd: string;
  /** Whether standard output is a terminal (`--color auto`, the audit's progress line). @default process.stdout.isTTY */
  isTTY: boolean;
  /** Whether standard error is a terminal (the audit's progress line). @default process.stderr.isTTY */
  stderrIsTTY?: boolean;
  /**
   * Whether standard output is a regular file, and its size when the command started: a resumed audit refuses to
   * append to a file shorter than its checkpoint says was written (`> out` truncated it).
   * @default what `fstat(1)` says
   */
  stdoutFile?: { size: number } | undefined;
  /**
   * Standard input, as the chunks it arrives in (`report --input -` reads it as a stream, one line in memory at a
   * time); optional.
   * @default process.stdin
   * @example memoryIO({ stdin: () => ['{"user":...}\n'] })
   */
  stdin?: () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /**
   * The `fetch` the command's client uses (tests inject MSW or a recorder).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /** Aborts the command (SIGINT in the real process). */
  signal?: AbortSignal;
}

function writer(stream: NodeJS.WriteStream): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (text === "") {
        resolve();
        return;
      }
      stream.write(text, (error) => (error ? reject(error) : resolve()));
    });
}

/** The real process's {@link CliIO}: `process.stdout`/`stderr`, `process.env`, `process.cwd()`. */
export function processIO(): CliIO {
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutFile: regularFile(1),
    stdin: () => process.stdin as AsyncIterable<Uint8Array>,
  };
}

/** The size of the file behind a file descriptor, if it is a regular file. */
function regularFile(fd: number): { size: number } | undefined {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() ? { size: stats.size } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes text to one of the IO's streams, skipping empty text (a stream may treat an empty write as a flush).
 * @example await writeTo(io.stdout, formatted)
 */
export async function writeTo(stream: (text: string) => void | Promise<void>, text: string): Promise<void> {
  if (text !== "") await stream(text);
}

/** A {@link CliIO} that records output in memory: for tests and for embedding the CLI. */
export interface MemoryIO extends CliIO {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/**
 * Builds a {@link MemoryIO}.
 * @example const io = memoryIO({ env: { AWS_REGION: "us-east-1" } }); await main(["--version"], io); io.out()
 */
export function memoryIO(options: Partial<CliIO> = {}): MemoryIO {
  let out = "";
  let err = "";
  return {
    env: {},
    cwd: ".",
    isTTY: false,
    ...options,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    out: () => out,
    err: () => err,
  };
}
