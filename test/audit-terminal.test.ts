/**
 * The audit as a person meets it at a terminal: the progress line in a real pseudo-terminal (util-linux `script`),
 * rendered as a terminal shows it; the summary's lists cut by --top; paths checked before the first request; usage
 * errors first; advice to use a checkpoint only where it helps; messages in plain English.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAuditData } from "../bench/audit/data.ts";
import { type CliIO, memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv, NO_FILES } from "./fixtures/cli/env.ts";
import { inTerminal as runInTerminal, screen, scriptAvailable } from "./fixtures/cli/terminal.ts";

const POOL = "us-east-1_auditTerm";
const data = buildAuditData({ users: 30, maxEvents: 60, seed: 21, poolId: POOL });

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ data });
  dir = await mkdtemp(join(tmpdir(), "cae-audit-term-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const env = () => emulatorEnv(dir, NO_FILES);
const base = () => ["audit", "--user-pool-id", POOL, "--endpoint-url", emulator.url];

async function cli(args: string[], options: Partial<CliIO> = {}) {
  const io = memoryIO({ env: env(), cwd: dir, ...options });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Runs the CLI in a pseudo-terminal (its standard output and error both the terminal); resolves with what it showed. */
const inTerminal = (args: string[]) => runInTerminal(args, env());

describe.skipIf(!scriptAvailable)("the progress line on a terminal", () => {
  it("is cleared before the summary, left once with the final counts, and never drawn after the end", async () => {
    // Slow enough for the line to be drawn a few times.
    const run = await inTerminal([...base(), "--output", "summary", "--max-rps", "20", "--concurrency", "2"]);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/\r\x1b\[Kusers \d+\/\d+\+? · events \d+/);
    const rows = screen(run.output);
    const summary = rows.findIndex((row) => row.startsWith("Users audited: 30 "));
    expect(summary, rows.join("\n")).toBeGreaterThan(0);
    // The final progress line, on its own row, just before the summary; nothing of it after.
    expect(rows[summary - 1]).toMatch(/^users 30\/30 · events \d+ · [\d.]+ req\/s · throttled 0 · \d+:\d\d$/);
    expect(rows.slice(summary).some((row) => row.includes(" · events "))).toBe(false);
    expect(run.output.slice(run.output.indexOf("Users audited"))).not.toContain("\x1b[K");
  });

  it("is cleared before each chunk of records on the terminal: no record shares a row with it", async () => {
    const run = await inTerminal([...base(), "--max-rps", "20", "--concurrency", "2"]);
    expect(run.code).toBe(0);
    const rows = screen(run.output).filter((row) => row !== "");
    const records = rows.filter((row) => row.includes('"user"'));
    expect(records.length).toBeGreaterThan(0);
    for (const row of records) expect(row).toMatch(/^\{"user":.*\}$/);
    expect(rows.at(-1)).toMatch(/^users 30\/30 · events \d+/);
  });
});

describe("audit --top", () => {
  it("cuts every list of the summary, compromised users included, and says how many it left out", async () => {
    const full = JSON.parse((await cli([...base(), "--output", "summary-json", "--top", "1000"])).stdout) as {
      compromisedCredentials: { users: string[] };
      byCountry: Record<string, number>;
    };
    const users = full.compromisedCredentials.users.length;
    const countries = Object.keys(full.byCountry).length;
    expect(users).toBeGreaterThan(2);
    const run = await cli([...base(), "--output", "summary", "--top", "2"]);
    expect(run.code).toBe(0);
    const compromised = /Compromised credentials: \d+ events?, (\d+) users\n((?: {2}.*\n)*)/.exec(run.stdout)!;
    expect(Number(compromised[1])).toBe(users);
    expect(compromised[2]!.trimEnd().split("\n")).toEqual([
      `  ${full.compromisedCredentials.users[0]}`,
      `  ${full.compromisedCredentials.users[1]}`,
      `  and ${users - 2} more`,
    ]);
    expect(run.stdout).toMatch(
      new RegExp(`By country\\n(?: {2}.*\\n){2} {2}and ${countries - 2} more +\\d+ +[\\d.]+%\\n`),
    );
  });
});

describe("audit arguments and files, before any request", () => {
  it("prints a wrong value's error first, with a one-line usage and what was meant", async () => {
    const run = await cli([...base(), "--risk-level", "Hihg"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "cognito-auth-events audit: error: argument --risk-level: invalid choice: 'Hihg' (choose from High, Low, Medium; maybe you meant High)\n" +
        "usage: cognito-auth-events audit --user-pool-id ID [options] (cognito-auth-events audit --help for more)\n",
    );
  });

  it.each([
    [
      ["--checkpoint", "no-such-dir/cp.json"],
      "\n--checkpoint no-such-dir/cp.json: cannot write it: its directory does not exist\n",
    ],
    [["--output-file", "no-such-dir/out.ndjson"], "\n--output-file no-such-dir/out.ndjson: cannot write it: ENOENT\n"],
  ])("%j: refused before the first request, with one message", async (args, message) => {
    const before = emulator.core.requestLog.length;
    const run = await cli([...base(), ...args]);
    expect(run).toEqual({ code: 255, stdout: "", stderr: message });
    expect(emulator.core.requestLog.length).toBe(before);
  });

  it("advises a checkpoint when running again may get further (the service failing), not when it cannot", async () => {
    const remove = emulator.core.addFault({ kind: "http-500", operation: "ListUsers" });
    try {
      const failing = await cli(base());
      expect(failing.code).toBe(255);
      expect(failing.stderr).toMatch(
        /^\nAn error occurred \(InternalErrorException\) when calling the ListUsers operation: .*\nUse --checkpoint FILE to make a run resumable\.\n$/,
      );
    } finally {
      remove();
    }
    const missing = await cli(["audit", "--user-pool-id", "us-east-1_nothere", "--endpoint-url", emulator.url]);
    expect(missing.stderr).not.toContain("--checkpoint");
  });

  it("names what differs from the checkpoint's audit in plain English", async () => {
    const checkpoint = join(dir, "differs.json");
    const abort = new AbortController();
    abort.abort(new DOMException("Interrupted", "AbortError"));
    expect(
      (await cli([...base(), "--checkpoint", checkpoint, "--risk-level", "High"], { signal: abort.signal })).code,
    ).toBe(130);
    const run = await cli([...base(), "--checkpoint", checkpoint]);
    expect(run.code).toBe(255);
    expect(run.stderr).toContain(
      "it was made by an audit with different filters (--event-type, --response, --risk-level, --risk-decision, --compromised); run that command again to resume",
    );
  });
});

describe("resuming onto standard output", () => {
  /** An audit interrupted after its first chunk, as if its standard output were the regular file `stdoutFile`. */
  async function interrupted(name: string) {
    const checkpoint = join(dir, `${name}.json`);
    const abort = new AbortController();
    let requests = 0;
    const run = await cli([...base(), "--checkpoint", checkpoint, "--concurrency", "1"], {
      signal: abort.signal,
      stdoutFile: { size: 0 },
      fetch: async (input, init) => {
        if (++requests === 6) abort.abort(new DOMException("Interrupted", "AbortError"));
        return fetch(input, init);
      },
    });
    return { run, checkpoint };
  }

  it("says how to resume without losing what was written: >> FILE or --output-file", async () => {
    const { run, checkpoint } = await interrupted("advice");
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(
      `\nInterrupted after ${run.stdout.split("\n").length - 1} events. Run the same command to resume (checkpoint: ${checkpoint}), with its output appended to this run's: >> FILE, not > FILE (which would empty it); --output-file FILE resumes exactly.\n`,
    );
  });

  it("refuses to resume onto a file shorter than what the interrupted run wrote (emptied by >), and resumes onto the whole file", async () => {
    const { run, checkpoint } = await interrupted("refuse");
    const written = Buffer.byteLength(run.stdout);
    expect(written).toBeGreaterThan(0);
    const before = emulator.core.requestLog.length;
    const emptied = await cli([...base(), "--checkpoint", checkpoint, "--concurrency", "1"], {
      stdoutFile: { size: 0 },
    });
    expect(emptied.code).toBe(255);
    expect(emptied.stderr).toBe(
      `\nCannot resume: standard output is a file of 0 bytes, but the interrupted audit wrote ${written} bytes to its output; the file was emptied or replaced (by > instead of >>?), and the events written before the interruption would be missing. Resume with >> onto the file that holds them, or delete the checkpoint to start over.\n`,
    );
    expect(emulator.core.requestLog.length).toBe(before);
    const appended = await cli([...base(), "--checkpoint", checkpoint, "--concurrency", "1"], {
      stdoutFile: { size: written },
    });
    expect(appended.code).toBe(0);
    const total = data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0);
    expect((run.stdout + appended.stdout).trimEnd().split("\n")).toHaveLength(total);
    expect(await readFile(checkpoint, "utf8")).toContain('"complete":true');
  });
});
