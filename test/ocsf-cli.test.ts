/**
 * `--output ocsf` of `audit` and `admin-list-user-auth-events` (src/cli/audit/output/ocsf.ts,
 * src/cli/output/ocsf.ts), in-process against the emulator's seeded pools (unicode, emoji, quotes and
 * backslashes in device names and cities, missing members): one valid OCSF 1.8 Authentication event per event,
 * validated against the schema's files.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { OcsfAuthentication } from "../src/ocsf/authentication.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";
import { validateOcsfEvent } from "./fixtures/ocsf/validate.ts";

let emulator: RunningEmulator;
let dir: string;
let pool: string;
beforeAll(async () => {
  emulator = await startEmulator({ seed: "ocsf-cli", users: 8, events: 30 });
  pool = emulator.core.demo!.poolId;
  dir = await mkdtemp(join(tmpdir(), "cae-ocsf-cli-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
  const code = await runCli(["--endpoint-url", emulator.url, ...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Each line parsed and checked against the schema; the problems, by line. */
function validated(stdout: string): { events: OcsfAuthentication[]; problems: string[] } {
  const lines = stdout.split("\n").slice(0, -1);
  const events = lines.map((line) => JSON.parse(line) as OcsfAuthentication);
  const problems = events.flatMap((event, i) => validateOcsfEvent(event).map((p) => `line ${i + 1}: ${p}`));
  return { events, problems };
}

describe("audit --output ocsf", () => {
  it("writes one valid OCSF Authentication event per event of the pool, with each user's name and sub", async () => {
    const run = await cli(["audit", "--user-pool-id", pool, "--output", "ocsf"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const { events, problems } = validated(run.stdout);
    expect(problems).toEqual([]);
    const users = emulator.core.exportData().pools.find((p) => p.id === pool)!.users!;
    const expected = users.reduce((n, u) => n + (emulator.core.getEvents(pool, u.username)?.length ?? 0), 0);
    expect(events).toHaveLength(expected);
    for (const user of users) {
      const ids = (emulator.core.getEvents(pool, user.username) ?? []).map((e) => e.EventId);
      const mine = events.filter((e) => e.user.name === user.username);
      expect(mine.map((e) => e.metadata.uid)).toEqual(ids);
      expect(new Set(mine.map((e) => e.user.uid))).toEqual(new Set(ids.length > 0 ? [user.sub] : []));
    }
    expect(events.every((e) => e.cloud.region === "us-east-1" && e.service.uid === pool)).toBe(true);
  });

  it("is one of the audit's formats in its help", async () => {
    const run = await cli(["audit", "--help"]);
    expect(run.stdout).toMatch(/ocsf/);
  });
});

describe("admin-list-user-auth-events --output ocsf", () => {
  const list = (...extra: string[]) => [
    "admin-list-user-auth-events",
    "--user-pool-id",
    pool,
    "--username",
    "alice",
    "--output",
    "ocsf",
    ...extra,
  ];

  it("writes the user's events as valid OCSF events, whatever the timestamp format", async () => {
    const wire = await cli(list());
    expect(wire.code).toBe(0);
    const { events, problems } = validated(wire.stdout);
    expect(problems).toEqual([]);
    expect(events.map((e) => e.metadata.uid)).toEqual(emulator.core.getEvents(pool, "alice")!.map((e) => e.EventId));
    expect(events.every((e) => e.user.name === "alice")).toBe(true);
    const iso = await cli([...list(), "--cli-timestamp-format", "iso8601"]);
    expect(iso.code).toBe(0);
    expect(validated(iso.stdout).events.map((e) => e.time)).toEqual(events.map((e) => e.time));
  });

  it("pages with --max-items and prints the resume token on standard error, as ndjson does", async () => {
    const run = await cli(list("--max-items", "5"));
    expect(run.code).toBe(0);
    expect(validated(run.stdout).events).toHaveLength(5);
    expect(run.stderr).toMatch(/^NextToken: \S+\n$/);
  });

  it("refuses --query, and the operations that do not list auth events", async () => {
    const query = await cli(list("--query", "AuthEvents[0]"));
    expect(query.code).toBe(255);
    expect(query.stderr).toBe(
      "\n--output ocsf: writes whole events, so it does not take --query (filter its lines instead)\n",
    );
    const users = await cli(["list-users", "--user-pool-id", pool, "--output", "ocsf"]);
    expect(users.code).toBe(255);
    expect(users.stderr).toBe("\n--output ocsf: only admin-list-user-auth-events lists auth events\n");
  });
});
