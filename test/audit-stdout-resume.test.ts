/**
 * An audit written to standard output redirected to a file (`>> FILE`), interrupted and resumed onto it: the file ends
 * with every event exactly once, even when a chunk was written after the last checkpoint (a crash in between); a
 * resume onto a file emptied by `>` or onto another file is refused, saying how to resume. In-process, standard
 * output a real file descriptor (test/fixtures/cli/stdout-file.ts); the real process is test/audit-cli-kill.test.ts.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAuditData } from "../bench/audit/data.ts";
import { type CliIO, memoryIO, type RegularFileOutput } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv, NO_FILES } from "./fixtures/cli/env.ts";
import { redirectedStdout } from "./fixtures/cli/stdout-file.ts";

const POOL = "us-east-1_stdoutResume";
const data = buildAuditData({ users: 30, maxEvents: 60, seed: 21, poolId: POOL });
const TOTAL = data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0);

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ data });
  dir = await mkdtemp(join(tmpdir(), "cae-stdout-resume-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const base = (checkpoint: string) => [
  "audit",
  "--user-pool-id",
  POOL,
  "--endpoint-url",
  emulator.url,
  "--checkpoint",
  checkpoint,
  "--concurrency",
  "1",
];

/** Runs the audit with standard output redirected to `out` (`>>` unless told). */
async function toFile(
  out: string,
  checkpoint: string,
  options: Partial<CliIO> & {
    redirect?: ">" | ">>";
    /** Changes what the run sees of the file. */
    seen?: (file: RegularFileOutput) => RegularFileOutput;
  } = {},
): Promise<{ code: number; stderr: string }> {
  const { redirect = ">>", seen, ...rest } = options;
  const stdout = redirectedStdout(out, redirect);
  const io = { ...memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir, ...rest }), ...stdout };
  if (seen) io.stdoutFile = seen(io.stdoutFile!);
  try {
    const code = await runCli(base(checkpoint), io);
    return { code, stderr: io.err() };
  } finally {
    stdout.close();
  }
}

/** An audit interrupted after its first chunks, its standard output appended to `out`. */
async function interrupted(name: string): Promise<{ out: string; checkpoint: string; stderr: string }> {
  const out = join(dir, `${name}.ndjson`);
  const checkpoint = join(dir, `${name}.checkpoint.json`);
  const abort = new AbortController();
  let requests = 0;
  const run = await toFile(out, checkpoint, {
    signal: abort.signal,
    fetch: async (input, init) => {
      if (++requests === 6) abort.abort(new DOMException("Interrupted", "AbortError"));
      return fetch(input, init);
    },
  });
  expect(run.code).toBe(130);
  return { out, checkpoint, stderr: run.stderr };
}

const eventIds = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => (JSON.parse(line) as { event: { EventId: string } }).event.EventId);

/** The file holds every event of the pool exactly once. */
function expectEveryEventOnce(text: string): void {
  const ids = eventIds(text);
  expect(ids).toHaveLength(TOTAL);
  expect(new Set(ids).size).toBe(TOTAL);
}

describe("audit --checkpoint >> FILE, resumed", () => {
  it("says how to resume without losing what was written: >> FILE or --output-file", async () => {
    const { out, checkpoint, stderr } = await interrupted("advice");
    const events = (await readFile(out, "utf8")).split("\n").length - 1;
    expect(stderr).toBe(
      `\nInterrupted after ${events} events. Run the same command to resume (checkpoint: ${checkpoint}), with its output appended to this run's: >> FILE, not > FILE (which would empty it); --output-file FILE resumes exactly.\n`,
    );
  });

  it("cuts off what was written after the last checkpoint (a crash in between), so each event is in the file once", async () => {
    const out = join(dir, "crash.ndjson");
    // What earlier runs appended stays as it is.
    await writeFile(out, "earlier run\n");
    const first = await interrupted("crash");
    const written = await readFile(out, "utf8");
    // A crash after a chunk reached the file, before the checkpoint counted it: the next run writes it again.
    const lines = written.trimEnd().split("\n");
    await appendFile(out, `${lines.slice(-3).join("\n")}\n`);
    const resumed = await toFile(out, first.checkpoint);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const text = await readFile(out, "utf8");
    expect(text.startsWith(written)).toBe(true);
    expectEveryEventOnce(text.slice("earlier run\n".length));
  });

  it("refuses a file emptied by > (before any request), and resumes onto the whole file", async () => {
    const { out, checkpoint } = await interrupted("emptied");
    const written = await readFile(out, "utf8");
    const before = emulator.core.requestLog.length;
    const emptied = await toFile(out, checkpoint, { redirect: ">" });
    expect(emptied.code).toBe(255);
    expect(emptied.stderr).toBe(
      `\nCannot resume: standard output is a file of 0 bytes, but it held ${Buffer.byteLength(written)} bytes when the interrupted audit last saved its place; the file was emptied or replaced (by > instead of >>?), and the events written before the interruption would be missing. Resume with >> onto the file that holds them, or delete the checkpoint to start over.\n`,
    );
    expect(emulator.core.requestLog.length).toBe(before);
    // The same file, its content put back (the shell's > emptied it).
    await writeFile(out, written);
    const appended = await toFile(out, checkpoint);
    expect(appended.code).toBe(0);
    expectEveryEventOnce(await readFile(out, "utf8"));
    expect(await readFile(checkpoint, "utf8")).toContain('"complete":true');
  });

  it("refuses another file, even one as long", async () => {
    const { out, checkpoint } = await interrupted("other");
    const copy = join(dir, "other-copy.ndjson");
    await writeFile(copy, await readFile(out));
    const run = await toFile(copy, checkpoint);
    expect(run.code).toBe(255);
    expect(run.stderr).toBe(
      "\nCannot resume: standard output is not the file the interrupted audit wrote to (another file, or one put in its place), and the events written before the interruption would be missing from it. Resume with >> onto the file that holds them, or delete the checkpoint to start over.\n",
    );
  });

  it("says what to do when the file cannot be cut back", async () => {
    const { out, checkpoint } = await interrupted("uncut");
    const end = Buffer.byteLength(await readFile(out, "utf8"));
    await appendFile(out, "a chunk written again\n");
    const run = await toFile(out, checkpoint, {
      seen: (file) => ({
        ...file,
        truncate: () => {
          throw Object.assign(new Error("Invalid argument"), { code: "EINVAL" });
        },
      }),
    });
    expect(run.code).toBe(255);
    expect(run.stderr).toBe(
      `\nCannot resume: standard output holds 22 bytes written after the interrupted audit last saved its place (this run writes them again), and cannot be cut back to ${end} bytes (EINVAL). Cut it (truncate -s ${end} FILE) and run the same command again, or delete the checkpoint to start over.\n`,
    );
  });
});
