/**
 * A command whose files are one file is refused before any file is opened or request sent, naming both options:
 * `feedback --input f --errors f` (the error file emptied the input while it was read), `audit --output-file a
 * --checkpoint a` (the checkpoint replaced the events), `report --input x --output x`, the state and its journal,
 * and standard output redirected to one of them; the same file under another name too (a symbolic link, `..`, a
 * hard link).
 */
import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIO, memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv, NO_FILES } from "./fixtures/cli/env.ts";
import { redirectedStdout } from "./fixtures/cli/stdout-file.ts";

const POOL = "us-east-1_distinct";
let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({
    data: { pools: [{ id: POOL, threatProtection: "ENFORCED", users: [{ username: "alice", events: [] }] }] },
  });
  for (let i = 0; i < 3; i++) emulator.core.addEvent(POOL, "alice", { EventType: "SignIn" });
  dir = await mkdtemp(join(tmpdir(), "cae-distinct-"));
  await mkdir(join(dir, "sub"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** An audit file (what `audit --output ndjson` writes), as `feedback --input` and `report --input` read it. */
const INPUT = `${Array.from({ length: 50 }, (_, i) =>
  JSON.stringify({
    user: { Username: `ghost${i}` },
    event: { EventId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, EventType: "SignIn" },
  }),
).join("\n")}\n`;

/** Runs the CLI in `dir`; every file it names keeps its content when the run is refused. */
async function refused(args: string[], files: string[], io: Partial<CliIO> = {}) {
  for (const file of files) await writeFile(join(dir, file), INPUT);
  const before = emulator.core.requestLog.length;
  const run = { ...memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir }), ...io };
  const code = await runCli(args, run);
  expect(emulator.core.requestLog.length).toBe(before);
  for (const file of files) expect(await readFile(join(dir, file), "utf8"), file).toBe(INPUT);
  return { code, stderr: run.err() };
}

const audit = (...args: string[]) => ["audit", "--endpoint-url", emulator.url, "--user-pool-id", POOL, ...args];
const feedback = (...args: string[]) => [
  "feedback",
  "--endpoint-url",
  emulator.url,
  "--user-pool-id",
  POOL,
  "--value",
  "Invalid",
  ...args,
];
const usage = (command: string, message: string) =>
  new RegExp(`^cognito-auth-events ${command}: error: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\nusage: `);

describe("files that are one file", () => {
  it("feedback --input f --errors f", async () => {
    const run = await refused(feedback("--input", "f.ndjson", "--errors", "f.ndjson"), ["f.ndjson"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      usage(
        "feedback",
        "--input f.ndjson and --errors f.ndjson are the same file: give each a file of its own (writing one would destroy the other)",
      ),
    );
  });

  it("feedback --input f --checkpoint f, and its default error file given as the checkpoint", async () => {
    const same = await refused(feedback("--input", "g.ndjson", "--checkpoint", "g.ndjson"), ["g.ndjson"]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("--input g.ndjson and --checkpoint g.ndjson are the same file");
    const errors = await refused(feedback("--input", "h.ndjson", "--checkpoint", "h.ndjson.errors.ndjson"), [
      "h.ndjson",
      "h.ndjson.errors.ndjson",
    ]);
    expect(errors.stderr).toContain(
      "--errors h.ndjson.errors.ndjson and --checkpoint h.ndjson.errors.ndjson are the same file",
    );
  });

  it("audit --output-file a --checkpoint a, also through .. and a symbolic link", async () => {
    const same = await refused(audit("--output-file", "a.ndjson", "--checkpoint", "a.ndjson"), ["a.ndjson"]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(
      usage(
        "audit",
        "--output-file a.ndjson and --checkpoint a.ndjson are the same file: give each a file of its own (writing one would destroy the other)",
      ),
    );
    const dotted = await refused(audit("--output-file", "a.ndjson", "--checkpoint", "sub/../a.ndjson"), ["a.ndjson"]);
    expect(dotted.stderr).toContain("--output-file a.ndjson and --checkpoint sub/../a.ndjson are the same file");
    await symlink(join(dir, "b.ndjson"), join(dir, "b-link.ndjson"));
    const linked = await refused(audit("--output-file", "b.ndjson", "--checkpoint", "b-link.ndjson"), ["b.ndjson"]);
    expect(linked.stderr).toContain("--output-file b.ndjson and --checkpoint b-link.ndjson are the same file");
  });

  it("audit: a file not made yet, named twice through a linked directory", async () => {
    await symlink(join(dir, "sub"), join(dir, "sub-link"));
    const run = await refused(audit("--output-file", "sub/new.ndjson", "--checkpoint", "sub-link/new.ndjson"), []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--output-file sub/new.ndjson and --checkpoint sub-link/new.ndjson are the same file");
  });

  it("audit: the state and the checkpoint, the state's journal and the output", async () => {
    const state = await refused(audit("--state", "s.state", "--checkpoint", "s.state"), ["s.state"]);
    expect(state.stderr).toContain("--checkpoint s.state and --state s.state are the same file");
    const journal = await refused(
      audit("--state", "t.state", "--checkpoint", "t.checkpoint", "--output-file", "t.state.journal"),
      ["t.state.journal"],
    );
    expect(journal.stderr).toContain(
      "--output-file t.state.journal and the journal of --state t.state (t.state.journal) are the same file",
    );
  });

  it("report --input x --output x, also through a hard link", async () => {
    const same = await refused(["report", "--input", "x.ndjson", "--output", "x.ndjson"], ["x.ndjson"]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(
      usage(
        "report",
        "--input x.ndjson and --output x.ndjson are the same file: give each a file of its own (writing one would destroy the other)",
      ),
    );
    await writeFile(join(dir, "y.ndjson"), INPUT);
    await link(join(dir, "y.ndjson"), join(dir, "y-hard.ndjson"));
    const hard = await refused(["report", "--input", "y.ndjson", "--output", "y-hard.ndjson"], ["y.ndjson"]);
    expect(hard.stderr).toContain("--input y.ndjson and --output y-hard.ndjson are the same file");
  });

  it("standard output redirected to the checkpoint, or to the input", async () => {
    await writeFile(join(dir, "c.json"), INPUT);
    const out = redirectedStdout(join(dir, "c.json"));
    try {
      const checkpoint = await refused(audit("--checkpoint", "c.json"), ["c.json"], out);
      expect(checkpoint.code).toBe(2);
      expect(checkpoint.stderr).toMatch(
        usage(
          "audit",
          "standard output is --checkpoint c.json: write the output elsewhere (writing one would destroy the other)",
        ),
      );
      const input = await refused(["report", "--input", "c.json"], ["c.json"], out);
      expect(input.stderr).toContain("standard output is --input c.json");
    } finally {
      out.close();
    }
  });

  it("different files still run", async () => {
    const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
    expect(await runCli(audit("--output-file", "ok.ndjson", "--checkpoint", "ok.json"), io)).toBe(0);
    expect((await readFile(join(dir, "ok.ndjson"), "utf8")).trimEnd().split("\n")).toHaveLength(3);
  });
});
