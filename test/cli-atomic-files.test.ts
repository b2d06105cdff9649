/**
 * The files the CLI replaces whole (checkpoints, the audit's state, reports) are written through a temporary file
 * beside them, created exclusively and renamed over them once complete: a symbolic link planted at the temporary
 * file's name is removed, never written through; a report replaces the previous one only once it is complete, so a
 * failed audit leaves the previous report as it was.
 */
import { link, mkdtemp, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv, NO_FILES } from "./fixtures/cli/env.ts";

const POOL = "us-east-1_atomicFiles";
let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({
    data: { pools: [{ id: POOL, threatProtection: "ENFORCED", users: [{ username: "alice", events: [] }] }] },
  });
  for (let i = 0; i < 3; i++) emulator.core.addEvent(POOL, "alice", { EventType: "SignIn", EventResponse: "Pass" });
  dir = await mkdtemp(join(tmpdir(), "cae-atomic-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
const audit = (...args: string[]) => cli("audit", "--endpoint-url", emulator.url, "--user-pool-id", POOL, ...args);

/** A file of the user's, and a link to it planted where the CLI will write `file` through (this process's id). */
async function plant(file: string): Promise<string> {
  const victim = join(dir, `${file}.victim`);
  await writeFile(victim, "the user's data\n");
  await symlink(victim, join(dir, `${file}.${process.pid}.tmp`));
  return victim;
}

describe("a symbolic link planted at the temporary file's name", () => {
  it("is not followed by the checkpoint, nor the state", async () => {
    const checkpointVictim = await plant("planted.checkpoint");
    const stateVictim = await plant("planted.state");
    const run = await audit(
      "--output-file",
      "planted.ndjson",
      "--checkpoint",
      "planted.checkpoint",
      "--state",
      "planted.state",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await readFile(checkpointVictim, "utf8")).toBe("the user's data\n");
    expect(await readFile(stateVictim, "utf8")).toBe("the user's data\n");
    // The files are files of their own, not links to the victims.
    await expect(readlink(join(dir, "planted.checkpoint"))).rejects.toMatchObject({ code: "EINVAL" });
    expect(JSON.parse(await readFile(join(dir, "planted.checkpoint"), "utf8"))).toMatchObject({ complete: true });
    expect(JSON.parse(await readFile(join(dir, "planted.state"), "utf8"))).toMatchObject({ generation: 1 });
  });

  it("is not followed by report --output", async () => {
    expect((await audit("--output-file", "saved.ndjson")).code).toBe(0);
    const victim = await plant("planted.html");
    const run = await cli("report", "--input", "saved.ndjson", "--output", "planted.html");
    expect(run.code).toBe(0);
    expect(await readFile(victim, "utf8")).toBe("the user's data\n");
    expect(await readFile(join(dir, "planted.html"), "utf8")).toMatch(/^<!doctype html>/i);
  });
});

describe("a report file", () => {
  it("audit --output html --output-file: a failed audit leaves the previous report; a complete one replaces it", async () => {
    expect((await audit("--output", "html", "--output-file", "r.html")).code).toBe(0);
    const previous = await readFile(join(dir, "r.html"), "utf8");
    expect(previous).toMatch(/^<!doctype html>/i);
    const remove = emulator.core.addFault({ kind: "error", operation: "AdminListUserAuthEvents", status: 500 });
    const failed = await audit("--output", "html", "--output-file", "r.html");
    remove();
    expect(failed.code).toBe(255);
    expect(await readFile(join(dir, "r.html"), "utf8")).toBe(previous);
    emulator.core.addEvent(POOL, "alice", { EventType: "SignIn", EventResponse: "Pass" });
    expect((await audit("--output", "html", "--output-file", "r.html")).code).toBe(0);
    expect(await readFile(join(dir, "r.html"), "utf8")).not.toBe(previous);
  });

  it("report --output replaces the file, leaving a hard link to the previous one as it was", async () => {
    expect((await audit("--output-file", "audit.ndjson")).code).toBe(0);
    await writeFile(join(dir, "report.html"), "the previous report\n");
    await link(join(dir, "report.html"), join(dir, "kept.html"));
    const run = await cli("report", "--input", "audit.ndjson", "--output", "report.html");
    expect(run.code).toBe(0);
    expect(await readFile(join(dir, "report.html"), "utf8")).toMatch(/^<!doctype html>/i);
    expect(await readFile(join(dir, "kept.html"), "utf8")).toBe("the previous report\n");
  });
});
