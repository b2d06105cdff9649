/**
 * The CLI's window on the outside world: where it writes, what environment it sees, where it runs.
 * Every command takes a {@link CliIO} so tests can run the CLI in-process and capture its output,
 * and so the same code runs under Node and Deno (`node:process` is only touched by
 * {@link processIO}).
 */

import { fstatSync, fsyncSync, ftruncateSync, type Stats } from "node:fs";
import { basename, relative } from "node:path";
import process from "node:process";
import { PROG } from "./args.ts";

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
  /**
   * How the user runs this CLI, for the command lines it suggests (the emulator's banner): `npx tsx src/cli/main.ts`
   * on a clone, `npx cognito-auth-events` under npx.
   * @default "cognito-auth-events" ({@link invokedAs} for the real process)
   */
  command?: string;
  /** Whether standard output is a terminal (`--color auto`, the audit's progress line). @default process.stdout.isTTY */
  isTTY: boolean;
  /** Whether standard error is a terminal (the audit's progress line). @default process.stderr.isTTY */
  stderrIsTTY?: boolean;
  /**
   * Standard output, when it is a regular file (`> FILE`, `>> FILE`): a resumed audit finds its place in it again
   * (see {@link RegularFileOutput}).
   * @default {@link regularFileOutput}(1)
   */
  stdoutFile?: RegularFileOutput | undefined;
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

/**
 * An output stream that is a regular file, through its file descriptor: which file it is, its size, and the two
 * things a resumed audit does to it: sync it before a checkpoint counts what was written, and cut off what was
 * written after the last checkpoint (a file descriptor opened by `>>` is open for writing, so it can be truncated).
 */
export interface RegularFileOutput {
  /** Its size when the command started. */
  readonly size: number;
  /** Its device and inode (`dev:ino`): which file it is, whatever its name. */
  readonly id: string;
  /** Its size now. */
  currentSize(): number;
  /** Makes what was written to it durable. */
  sync(): void;
  /** Cuts it back to `size` bytes. @throws the file system's error (a file descriptor open only for reading) */
  truncate(size: number): void;
}

/**
 * The regular file behind a file descriptor, or `undefined` when it is something else (a terminal, a pipe).
 * @example regularFileOutput(1) // standard output, when redirected to a file
 */
export function regularFileOutput(fd: number): RegularFileOutput | undefined {
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) return undefined;
  return {
    size: stats.size,
    id: `${stats.dev}:${stats.ino}`,
    currentSize: () => fstatSync(fd).size,
    sync: () => fsyncSync(fd),
    truncate: (size) => ftruncateSync(fd, size),
  };
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
    command: invokedAs({ script: process.argv[1], cwd: process.cwd(), env: process.env }),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutFile: regularFileOutput(1),
    stdin: () => process.stdin as AsyncIterable<Uint8Array>,
  };
}

/**
 * The command line that runs this CLI the way the user just did, so that a suggested command works when pasted: on
 * a clone (the TypeScript source run with tsx or Deno) the installed name is not on the PATH.
 * @example invokedAs({ script: "/projects/cae/src/cli/main.ts", cwd: "/projects/cae", env: {} }) // "npx tsx src/cli/main.ts"
 */
export function invokedAs(run: {
  /** The script the runtime ran (`process.argv[1]`). */
  script: string | undefined;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}): string {
  if (run.script !== undefined && basename(run.script) === "main.ts") {
    const path = relative(run.cwd, run.script).replaceAll("\\", "/");
    const shown = /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
    return "Deno" in globalThis ? `deno run -A ${shown}` : `npx tsx ${shown}`;
  }
  return run.env["npm_command"] === "exec" ? `npx ${PROG}` : PROG;
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
