/**
 * `audit` killed mid-run in a real process (SIGINT, then SIGKILL) and resumed from its
 * checkpoint: the output file ends with every event of the emulator's data exactly once.
 */
import { spawn } from "node:child_process";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { buildAuditData } from "../bench/audit/data.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The executable (SIGINT aborts the command). */
const ENTRY = join(ROOT, "src", "cli", "main.ts");
const POOL = "us-east-1_auditKill";
const data = buildAuditData({ users: 30, maxEvents: 110, seed: 11, poolId: POOL });
// Quotas well below the service's, so that a run lasts long enough to be killed in the middle.
const QUOTAS = { adminListUserAuthEvents: 15, listUsers: 5, perUserReads: 5 };

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ data, quotas: QUOTAS });
  dir = await mkdtemp(join(tmpdir(), "cae-audit-kill-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const env = () => emulatorEnv(dir, NO_FILES);
const argv = (name: string) => [
  "--user-pool-id",
  POOL,
  "--endpoint-url",
  emulator.url,
  "--max-rps",
  String(QUOTAS.adminListUserAuthEvents),
  "--concurrency",
  "4",
  "--checkpoint",
  join(dir, `${name}.checkpoint.json`),
  "--output-file",
  join(dir, `${name}.ndjson`),
];

/** Starts the CLI, waits for its first checkpoint, sends `signal`; resolves with how it ended. */
async function killMidRun(
  name: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY, "audit", ...argv(name)], {
    cwd: ROOT,
    env: { ...process.env, ...env() },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, sig) => resolve({ code, signal: sig })),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const exists = await access(join(dir, `${name}.checkpoint.json`)).then(
      () => true,
      () => false,
    );
    if (exists) break;
    if (Date.now() > deadline) throw new Error(`no checkpoint after 10 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  child.kill(signal);
  const result = { ...(await ended), stderr };
  // Killed in the middle: some events out, not all.
  const saved = JSON.parse(await readFile(join(dir, `${name}.checkpoint.json`), "utf8")) as {
    complete: boolean;
    output: { records: number };
  };
  expect(saved.complete).toBe(false);
  expect(saved.output.records).toBeGreaterThan(0);
  return result;
}

/** Resumes in this process (the same code the executable runs) and checks the file against the emulator. */
async function resumeAndCheck(name: string): Promise<void> {
  const io = memoryIO({ env: env(), cwd: dir });
  expect(await runCli(["audit", ...argv(name)], io)).toBe(0);
  const lines = (await readFile(join(dir, `${name}.ndjson`), "utf8")).trimEnd().split("\n");
  const got = new Map<string, string[]>();
  for (const line of lines) {
    const { user, event } = JSON.parse(line) as { user: { Username: string }; event: { EventId: string } };
    got.set(user.Username, [...(got.get(user.Username) ?? []), event.EventId]);
  }
  for (const user of data.pools[0]!.users!) {
    expect(got.get(user.username) ?? [], user.username).toEqual(
      (emulator.core.getEvents(POOL, user.username) ?? []).map((e) => e.EventId),
    );
  }
  expect(lines).toHaveLength(data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0));
}

it("exits 130 on SIGINT after saving its place, and resumes without losing or repeating an event", async () => {
  const ended = await killMidRun("sigint", "SIGINT");
  expect(ended.code).toBe(130);
  expect(ended.stderr).toMatch(/Interrupted after \d+ events\. Run the same command to resume/);
  await resumeAndCheck("sigint");
});

it("resumes after SIGKILL without losing or repeating an event", async () => {
  const ended = await killMidRun("sigkill", "SIGKILL");
  expect(ended.signal).toBe("SIGKILL");
  await resumeAndCheck("sigkill");
});

/**
 * Runs the executable through a shell with its standard output redirected (`> FILE` or `>> FILE`); `preload`: a
 * module loaded first, with its environment.
 */
function redirected(
  name: string,
  redirect: ">" | ">>",
  onCheckpoint?: NodeJS.Signals,
  preload?: { module: string; env: Record<string, string> },
) {
  const out = join(dir, `${name}.stdout.ndjson`);
  const args = argv(name).slice(0, -2); // standard output instead of --output-file
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const imports = ["--import", "tsx", ...(preload ? ["--import", preload.module] : [])];
  const command = [process.execPath, ...imports, ENTRY, "audit", ...args].map(quote).join(" ");
  const child = spawn("sh", ["-c", `exec ${command} ${redirect} ${quote(out)}`], {
    cwd: ROOT,
    env: { ...process.env, ...env(), ...preload?.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  if (onCheckpoint) {
    const checkpoint = join(dir, `${name}.checkpoint.json`);
    const poll = setInterval(() => {
      void access(checkpoint).then(
        () => {
          clearInterval(poll);
          setTimeout(() => child.kill(onCheckpoint), 300);
        },
        () => {},
      );
    }, 50);
    child.on("exit", () => clearInterval(poll));
  }
  return new Promise<{ code: number | null; signal: string | null; stderr: string; out: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr, out })),
  );
}

it("a resume whose standard output was emptied by > is refused; with >> it completes the file exactly", async () => {
  const first = await redirected("shell", ">", "SIGINT");
  expect(first.code).toBe(130);
  expect(first.stderr).toContain(">> FILE, not > FILE (which would empty it)");
  const emptied = await redirected("shell", ">");
  expect(emptied.code).toBe(255);
  expect(emptied.stderr).toMatch(
    /Cannot resume: standard output is a file of 0 bytes, but it held \d+ bytes when the interrupted audit last saved its place/,
  );
  // The refused run's > emptied the file (the shell opens it before the audit starts): the rest is shown on a new
  // audit, interrupted, then resumed with >>.
  const second = await redirected("shell-again", ">", "SIGINT");
  expect(second.code).toBe(130);
  const appended = await redirected("shell-again", ">>");
  expect(appended.code).toBe(0);
  const lines = (await readFile(appended.out, "utf8")).trimEnd().split("\n");
  const ids = lines.map((l) => (JSON.parse(l) as { event: { EventId: string } }).event.EventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0));
});

it(">> FILE killed (SIGKILL) after a chunk reached the file, before its checkpoint: resumed, each event is in it once", async () => {
  const checkpoint = join(dir, "between.checkpoint.json");
  const killed = await redirected("between", ">>", undefined, {
    module: join(ROOT, "test", "fixtures", "cli", "kill-before-checkpoint.mjs"),
    env: { CAE_KILL_BEFORE_CHECKPOINT: checkpoint },
  });
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  // The file holds more than the checkpoint on disk counted: the chunk the next run writes again.
  const saved = JSON.parse(await readFile(checkpoint, "utf8")) as { output: { stdoutEnd: { size: number } } };
  expect((await readFile(killed.out)).length).toBeGreaterThan(saved.output.stdoutEnd.size);
  const resumed = await redirected("between", ">>");
  expect(resumed.code, resumed.stderr).toBe(0);
  const ids = (await readFile(resumed.out, "utf8"))
    .trimEnd()
    .split("\n")
    .map((l) => (JSON.parse(l) as { event: { EventId: string } }).event.EventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0));
});
