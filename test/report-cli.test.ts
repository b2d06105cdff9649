/**
 * The report from the command line, in-process against the emulator's seeded pool over HTTP: `audit --output html`
 * and `last-sign-in` (table, NDJSON, CSV), checked against the emulator's own store, and `report --input` from a
 * saved audit, with its errors.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

const POOL = "us-east-1_demoPlus";
const UNTIL = "2025-01-01T00:00:00Z";
const FORMULA = '=HYPERLINK("http://x","y")';

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 11 });
  // One more user whose last sign-in came from a device whose name is a spreadsheet formula and a terminal escape.
  emulator.core.addUser(POOL, { username: "mallory", events: [] });
  emulator.core.addEvent(POOL, "mallory", {
    EventType: "SignIn",
    EventResponse: "Pass",
    CreationDate: Date.UTC(2024, 11, 31, 12) / 1000,
    EventContextData: { IpAddress: "203.0.113.9", DeviceName: `${FORMULA}\u001b[2J`, City: "-1.5", Country: "+01:00" },
  });
  dir = await mkdtemp(join(tmpdir(), "cae-report-cli-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], stdin?: string) {
  const io = memoryIO({
    env: emulatorEnv(dir, NO_FILES),
    cwd: dir,
    ...(stdin !== undefined && { stdin: () => [stdin] }),
  });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}
const audit = (...args: string[]) =>
  cli(["audit", "--endpoint-url", emulator.url, "--user-pool-id", POOL, "--max-rps", "2000", ...args]);

interface Expected {
  Username: string;
  LastSignIn: string | null;
  IpAddress: string | null;
  DeviceName: string | null;
  EventId: string | null;
  Events: number;
}

/** Every user's last successful sign-in, straight from the emulator's store (wire timestamps, as it keeps them). */
function fromStore(): Expected[] {
  const pool = emulator.core.exportData().pools.find((p) => p.id === POOL)!;
  return (pool.users ?? []).map((user) => {
    let best: { time: number; event: NonNullable<typeof user.events>[number] } | undefined;
    for (const event of user.events ?? []) {
      if (event.EventType !== "SignIn" || event.EventResponse !== "Pass") continue;
      const time = Math.round(Number(event.CreationDate) * 1000);
      if (best === undefined || time > best.time) best = { time, event };
    }
    return {
      Username: user.username,
      LastSignIn: best ? new Date(best.time).toISOString() : null,
      IpAddress: best?.event.EventContextData?.IpAddress ?? null,
      DeviceName: best?.event.EventContextData?.DeviceName ?? null,
      EventId: best?.event.EventId ?? null,
      Events: user.events?.length ?? 0,
    };
  });
}

const byName = (a: Expected, b: Expected) => (a.Username < b.Username ? -1 : a.Username > b.Username ? 1 : 0);
/** The documented order: users without a successful sign-in (by name), then from the longest ago (ties by name). */
function inactiveFirstThenLongestAgo(a: Expected, b: Expected): number {
  if (a.LastSignIn === null && b.LastSignIn === null) return byName(a, b);
  if (a.LastSignIn === null || b.LastSignIn === null) return a.LastSignIn === null ? -1 : 1;
  return a.LastSignIn < b.LastSignIn ? -1 : a.LastSignIn > b.LastSignIn ? 1 : byName(a, b);
}

describe("audit --output last-sign-in", () => {
  it("last-sign-in-ndjson: every user of the pool with the last successful sign-in the store holds, inactive users first", async () => {
    const { code, out, err } = await audit("--output", "last-sign-in-ndjson", "--until", UNTIL);
    expect(err).toBe("");
    expect(code).toBe(0);
    const rows = out
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = fromStore();
    expect(rows).toHaveLength(expected.length);
    expect(
      rows.map(({ Username, LastSignIn, IpAddress, DeviceName, EventId, Events }) => ({
        Username,
        LastSignIn,
        IpAddress,
        DeviceName,
        EventId,
        Events,
      })),
    ).toEqual(expected.sort(inactiveFirstThenLongestAgo));
    // The seeded user without history, and the day counts back from --until.
    expect(rows[0]).toMatchObject({
      Username: "bob.nohistory",
      LastSignIn: null,
      DaysBeforePeriodEnd: null,
      Events: 0,
    });
    for (const row of rows.filter((r) => r["LastSignIn"] !== null))
      expect(row["DaysBeforePeriodEnd"]).toBe(
        Math.floor((Date.parse(UNTIL) - Date.parse(row["LastSignIn"] as string)) / 86_400_000),
      );
    expect(Object.keys(rows[0]!)).toEqual([
      "Username",
      "sub",
      "LastSignIn",
      "DaysBeforePeriodEnd",
      "IpAddress",
      "City",
      "Country",
      "DeviceName",
      "EventId",
      "Events",
    ]);
  });

  it("last-sign-in-csv: the same rows as CSV, formulas defused, numbers and offsets kept", async () => {
    const ndjson = (await audit("--output", "last-sign-in-ndjson", "--until", UNTIL)).out.trimEnd().split("\n");
    const { code, out } = await audit("--output", "last-sign-in-csv", "--until", UNTIL);
    expect(code).toBe(0);
    const lines = out.split("\r\n");
    expect(lines[0]).toBe(
      "Username,sub,LastSignIn,DaysBeforePeriodEnd,IpAddress,City,Country,DeviceName,EventId,Events",
    );
    expect(lines).toHaveLength(ndjson.length + 2);
    expect(lines.at(-1)).toBe("");
    const mallory = lines.find((line) => line.startsWith("mallory,"))!;
    expect(mallory).toContain(`,-1.5,+01:00,"'=HYPERLINK(""http://x"",""y"")\u001b[2J",`);
    expect(lines[1]).toMatch(/^bob\.nohistory,[0-9a-f-]+,,,,,,,,0$/);
  });

  it("last-sign-in: a table for people, every user, control characters escaped", async () => {
    const { code, out } = await audit("--output", "last-sign-in", "--until", UNTIL);
    expect(code).toBe(0);
    for (const { Username } of fromStore()) expect(out).toContain(Username);
    expect(out).toMatch(/^bob\.nohistory +none in the period$/m);
    expect(out).not.toContain("\u001b");
    expect(out).toContain(`${FORMULA}\\u{1B}[2J`);
    expect(out).toMatch(
      /\n\d+ users, 1 without a successful sign-in in the period\.\nDays: whole days from the last successful sign-in to 2025-01-01T00:00:00\.000Z\.\n$/,
    );
  });
});

describe("audit --output html", () => {
  it("writes the report to --output-file: the pool, every user audited, inline and without script", async () => {
    const { code, err } = await audit("--output", "html", "--output-file", "audit.html");
    expect([code, err]).toEqual([0, ""]);
    const page = await readFile(join(dir, "audit.html"), "utf8");
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).toContain(`User pool ${POOL}`);
    expect(page).toContain(`<span class="big" data-figure="users-audited">${fromStore().length}</span>`);
    expect(page).not.toContain("<script");
  });

  it("refuses --checkpoint: the report is made from the whole audit, and says how to resume instead", async () => {
    const { code, err } = await audit("--output", "html", "--checkpoint", "cp.json");
    expect(code).toBe(2);
    expect(err).toContain("argument --checkpoint: not with --output html");
    expect(err).toContain("report --input FILE");
    await expect(stat(join(dir, "cp.json"))).rejects.toThrow();
  });
});

describe("report --input", () => {
  beforeAll(async () => {
    expect((await audit("--output", "ndjson", "--output-file", "audit.ndjson")).code).toBe(0);
  });

  it("renders a saved audit to --output, with the users that have events and their last sign-in", async () => {
    const { code, out, err } = await cli(["report", "--input", "audit.ndjson", "--output", "report.html"]);
    expect([code, out, err]).toEqual([0, "", ""]);
    const page = await readFile(join(dir, "report.html"), "utf8");
    const withEvents = fromStore().filter((u) => u.Events > 0);
    expect(page).toContain(`<span class="big" data-figure="users-with-events">${withEvents.length}</span>`);
    expect(page).toContain("From the audit file audit.ndjson");
    expect(page).not.toContain("bob.nohistory");
  });

  it("writes last-sign-in formats from the file too: the audit's rows but the users without events", async () => {
    const live = (await audit("--output", "last-sign-in-ndjson")).out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const { code, out } = await cli(["report", "--input", "audit.ndjson", "--format", "last-sign-in-ndjson"]);
    expect(code).toBe(0);
    const fromFile = out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const pick = (row: Record<string, unknown>) => [row["Username"], row["LastSignIn"], row["EventId"], row["Events"]];
    expect(fromFile.map(pick)).toEqual(live.filter((row) => row.Events > 0).map(pick));
  });

  it("reads standard input with --input -, and writes standard output without --output", async () => {
    const ndjson = await readFile(join(dir, "audit.ndjson"), "utf8");
    const { code, out } = await cli(["report", "--input", "-", "--format", "last-sign-in-csv"], ndjson);
    expect(code).toBe(0);
    expect(out.startsWith("Username,sub,LastSignIn,")).toBe(true);
  });

  it("names the line of a bad file, exits 255, and leaves the previous report as it was", async () => {
    await writeFile(join(dir, "kept.html"), "previous report");
    const good = (await readFile(join(dir, "audit.ndjson"), "utf8")).split("\n").slice(0, 3).join("\n");
    await writeFile(join(dir, "bad.ndjson"), `${good}\n{"user": {"Username": 5}}\n`);
    const { code, err } = await cli(["report", "--input", "bad.ndjson", "--output", "kept.html"]);
    expect(code).toBe(255);
    expect(err).toBe(
      "\ncognito-auth-events report: --input bad.ndjson: line 4: user.Username: expected a string (expected one audit record per line, as `audit --output ndjson` writes)\n",
    );
    expect(await readFile(join(dir, "kept.html"), "utf8")).toBe("previous report");
    expect((await cli(["report", "--input", "missing.ndjson"])).err).toBe(
      "\ncognito-auth-events report: --input missing.ndjson: no such file or directory\n",
    );
  });

  it.each([
    [["report"], "the following arguments are required: --input"],
    [["report", "--input", "a.ndjson", "--output", "html"], "argument --output: takes a file name"],
    [
      ["report", "--input", "a.ndjson", "--format", "pdf"],
      "argument --format: invalid choice: 'pdf' (choose from html,",
    ],
    [["report", "--input", "a.ndjson", "--top", "0"], "argument --top: expected a positive integer"],
    [["report", "--input", "a.ndjson", "--region", "us-east-1"], "argument --region: not supported by report"],
  ])("%j: exit 2, the error, then a one-line usage", async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err.startsWith(`cognito-auth-events report: error: ${message}`)).toBe(true);
    expect(err).toContain("\nusage: cognito-auth-events report --input FILE [--output FILE] [options]");
  });

  it("prints its help for --help, and the main help lists it", async () => {
    const help = await cli(["report", "--help"]);
    expect([help.code, help.out.startsWith("NAME\n       report - Renders a saved audit")]).toEqual([0, true]);
    expect((await cli(["help"])).out).toMatch(/\* report\n\s+Renders a saved audit/);
  });
});
