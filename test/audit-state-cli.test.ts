/**
 * `audit --state FILE` (src/cli/audit/state-file.ts), in-process against the emulator over HTTP: a scheduled run
 * writes only the events added since the last one, each exactly once across runs, interruptions and a failed
 * write of the state, at about one request per user.
 */
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { buildAuditData } from "../bench/audit/data.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

const POOL = "us-east-1_stateCli";
let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({
    data: buildAuditData({ users: 25, maxEvents: 200, seed: 5, poolId: POOL }),
    requestLogSize: 100_000,
  });
  dir = await mkdtemp(join(tmpdir(), "cae-state-cli-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function audit(output: string, options: { signal?: AbortSignal } = {}) {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir, ...options });
  const before = emulator.core.requestLog.length;
  const code = await runCli(
    [
      "audit",
      "--endpoint-url",
      emulator.url,
      "--user-pool-id",
      POOL,
      "--state",
      "pool.state",
      "--checkpoint",
      "pool.checkpoint",
      "--output-file",
      output,
      "--max-rps",
      "2000",
    ],
    io,
  );
  const requests = emulator.core.requestLog
    .slice(before)
    .filter((r) => r.operation === "AdminListUserAuthEvents").length;
  return { code, stderr: io.err(), requests };
}

async function eventIds(file: string): Promise<string[]> {
  const text = await readFile(join(dir, file), "utf8");
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { event: { EventId: string } }).event.EventId);
}

/** Adds events to every other user; their ids. */
function addEvents(count: number): string[] {
  const ids: string[] = [];
  for (const [i, user] of emulator.core.exportData().pools[0]!.users!.entries()) {
    if (i % 2 !== 0) continue;
    for (let n = 0; n < count; n++)
      ids.push(emulator.core.addEvent(POOL, user.username, { EventType: "SignIn" }).EventId!);
  }
  return ids;
}

const allIds = () =>
  emulator.core
    .exportData()
    .pools[0]!.users!.flatMap((u) => emulator.core.getEvents(POOL, u.username)!.map((e) => e.EventId!));

describe("audit --state", () => {
  let firstRequests: number;

  it("first run: every event, then the state", async () => {
    const first = await audit("run1.ndjson");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect((await eventIds("run1.ndjson")).sort()).toEqual(allIds().sort());
    const state = JSON.parse(await readFile(join(dir, "pool.state"), "utf8")) as { generation: number };
    expect(state.generation).toBe(1);
    await expect(stat(join(dir, "pool.state.journal"))).rejects.toMatchObject({ code: "ENOENT" });
    firstRequests = first.requests;
  });

  it("next run: only the events added since, one request per user", async () => {
    const added = addEvents(2);
    const second = await audit("run2.ndjson");
    expect(second.code).toBe(0);
    expect((await eventIds("run2.ndjson")).sort()).toEqual(added.sort());
    expect(second.requests).toBe(25);
    expect(second.requests).toBeLessThan(firstRequests);
  });

  it("an interrupted run, resumed: the events added since, exactly once", async () => {
    const added = addEvents(3);
    const controller = new AbortController();
    // Slow answers, so that the run saves a checkpoint of its own before it ends; interrupted then.
    const removeFault = emulator.core.addFault({ kind: "slow", operation: "AdminListUserAuthEvents", delayMs: 600 });
    const running = audit("run3.ndjson", { signal: controller.signal });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const saved = await readFile(join(dir, "pool.checkpoint"), "utf8").catch(() => "");
      if (saved.includes('"generation":2')) break;
    }
    controller.abort();
    removeFault();
    const interrupted = await running;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/Interrupted after \d+ events\. Run the same command to resume/);
    const resumed = await audit("run3.ndjson");
    expect(resumed.code).toBe(0);
    expect((await eventIds("run3.ndjson")).sort()).toEqual(added.sort());
    const state = JSON.parse(await readFile(join(dir, "pool.state"), "utf8")) as { generation: number };
    expect(state.generation).toBe(3);
  });

  it("when the state cannot be written, says so; run again, it records the state without a new run", async () => {
    const added = addEvents(1);
    // The temporary file the state is written through, made a directory: the write fails.
    const blocker = join(dir, `pool.state.${process.pid}.tmp`);
    await mkdir(blocker);
    const failed = await audit("run4.ndjson");
    await rm(blocker, { recursive: true });
    expect(failed.code).toBe(255);
    expect(failed.stderr).toMatch(/--state pool\.state: cannot write it: EISDIR; the output is complete/);
    expect((await eventIds("run4.ndjson")).sort()).toEqual(added.sort());
    const again = await audit("run4.ndjson");
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/was complete; its state is now recorded in pool\.state/);
    expect(again.requests).toBe(0);
    // The output of the complete run is left as it was.
    expect((await eventIds("run4.ndjson")).sort()).toEqual(added.sort());
    const next = await audit("run5.ndjson");
    expect(next.code).toBe(0);
    expect(await eventIds("run5.ndjson")).toEqual([]);
  });

  it("needs --checkpoint", async () => {
    const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
    const code = await runCli(["audit", "--user-pool-id", POOL, "--state", "x.state"], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/^cognito-auth-events audit: error: argument --state: needs --checkpoint FILE/);
  });
});
