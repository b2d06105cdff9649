/**
 * CSV output (src/csv.ts): RFC 4180 records with formula injection defused, in every CSV the package writes: the
 * listing commands' `--output csv` and the audit's `--output csv`, fed with device names and cities a signed-in
 * attacker chose.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField, csvRecord, defuseFormula } from "../src/csv.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData } from "../src/emulator/types.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

describe("the formula guard", () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ["@SUM(1)", "'@SUM(1)"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["-1+1", "'-1+1"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["\n=1+1", "'\n=1+1"],
    ["＝1+1", "'＝1+1"],
    ["＠SUM(1)", "'＠SUM(1)"],
    ["-", "'-"],
  ])("%j starts like a formula: it becomes %j", (input, output) => {
    expect(defuseFormula(input)).toBe(output);
  });

  it.each(["-1.5", "+3", "-2.5e-7", "1700000000.0", "-.5", "+01:00", "-08:00", "+0530", "Zürich", "a=b", ""])(
    "%j is data: it stays as it is",
    (input) => {
      expect(defuseFormula(input)).toBe(input);
    },
  );

  it("quotes a field as RFC 4180 does, after the guard", () => {
    expect(csvField('Spring "field", OR')).toBe('"Spring ""field"", OR"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvRecord(["alice", undefined, "+01:00", "@x"])).toBe("alice,,+01:00,'@x\r\n");
  });
});

/** A CSV parser (RFC 4180): the cells a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  expect(cell).toBe("");
  return rows;
}

const POOL = "us-east-1_csvGuard";
const HOSTILE = [
  { DeviceName: '=HYPERLINK("http://x","y")', City: "@SUM(1)", Timezone: "+01:00" },
  { DeviceName: "+cmd|' /C calc'!A0", City: "-2+3+cmd|' /C calc'!A0", Timezone: "-08:00" },
  { DeviceName: "\t=1+1", City: "\r=1+1", Timezone: "+00:00" },
];
const data: EmulatorData = {
  version: 1,
  pools: [
    {
      id: POOL,
      threatProtection: "ENFORCED",
      users: [
        {
          username: "mallory",
          events: HOSTILE.map((context, i) => ({
            EventId: `evt-${i}`,
            EventType: "SignIn",
            CreationDate: 1_700_000_000 - i * 60,
            EventResponse: "Pass",
            EventContextData: { IpAddress: "203.0.113.9", Country: "Chile", ...context },
          })),
        },
      ],
    },
  ],
};

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ data });
  dir = await mkdtemp(join(tmpdir(), "cae-csv-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function csvOf(args: string[]): Promise<Map<string, string>[]> {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
  expect(await runCli([...args, "--endpoint-url", emulator.url, "--output", "csv"], io)).toBe(0);
  expect(io.err()).toBe("");
  const [header, ...rows] = parseCsv(io.out());
  return rows.map((row) => new Map(header!.map((name, i) => [name, row[i]!])));
}

/** What each hostile cell must read as in a spreadsheet: the text, behind the guard. */
function expectGuarded(rows: Map<string, string>[], columns: { device: string; city: string; timezone: string }) {
  expect(rows).toHaveLength(HOSTILE.length);
  rows.forEach((row, i) => {
    expect(row.get(columns.device)).toBe(`'${HOSTILE[i]!.DeviceName}`);
    expect(row.get(columns.city)).toBe(`'${HOSTILE[i]!.City}`);
    expect(row.get(columns.timezone)).toBe(HOSTILE[i]!.Timezone);
  });
}

describe("CSV output with hostile event data", () => {
  it("admin-list-user-auth-events --output csv defuses device names and cities, keeps offsets", async () => {
    const rows = await csvOf(["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "mallory"]);
    expectGuarded(rows, {
      device: "EventContextData.DeviceName",
      city: "EventContextData.City",
      timezone: "EventContextData.Timezone",
    });
  });

  it("--output csv with --query defuses the cells the query picks", async () => {
    const rows = await csvOf([
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "mallory",
      "--query",
      "AuthEvents[].{device: EventContextData.DeviceName, city: EventContextData.City, tz: EventContextData.Timezone}",
    ]);
    expectGuarded(rows, { device: "device", city: "city", timezone: "tz" });
  });

  it("audit --output csv defuses device names and cities, keeps offsets", async () => {
    const rows = await csvOf(["audit", "--user-pool-id", POOL]);
    expectGuarded(rows, { device: "DeviceName", city: "City", timezone: "Timezone" });
  });
});
