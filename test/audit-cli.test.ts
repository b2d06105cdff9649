/** `cognito-auth-events audit` (src/cli/audit/), in-process against the emulator over HTTP. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWhen } from "../src/cli/audit/arguments.ts";
import { type CliIO, memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData } from "../src/emulator/types.ts";
import { buildAuditData } from "../bench/audit/data.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

const POOL = "us-east-1_auditCli";
const data: EmulatorData = buildAuditData({ users: 30, maxEvents: 100, seed: 3, poolId: POOL });
// Hostile text where a spreadsheet would look for formulas, and CSV's own special characters.
const hostile = data.pools[0]!.users!.find((u) => (u.events?.length ?? 0) > 0)!.events![0]!;
hostile.EventContextData = {
  ...hostile.EventContextData,
  DeviceName: '=HYPERLINK("http://x")',
  City: 'Spring "field", OR',
};
const total = data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0);

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ data });
  dir = await mkdtemp(join(tmpdir(), "cae-audit-cli-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

function io(options: Partial<CliIO> = {}) {
  return memoryIO({
    env: emulatorEnv(dir, NO_FILES),
    cwd: dir,
    ...options,
  });
}
const base = () => ["--user-pool-id", POOL, "--endpoint-url", emulator.url, "--max-rps", "2000"];

/** `cognito-auth-events audit ARGS`. */
const audit = (args: string[], out: CliIO) => runCli(["audit", ...args], out);

/** Lines of NDJSON output by user, in order. */
function perUser(lines: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines) {
    const { user } = JSON.parse(line) as { user: { Username: string } };
    out.set(user.Username, [...(out.get(user.Username) ?? []), line]);
  }
  return out;
}

let reference: string[];
beforeAll(async () => {
  const out = io();
  expect(await audit(base(), out)).toBe(0);
  reference = out.out().trimEnd().split("\n");
});

describe("audit --output ndjson", () => {
  it("writes one line per event, every event of every user, in each user's listing order", () => {
    expect(reference).toHaveLength(total);
    for (const user of data.pools[0]!.users!) {
      const ids = (perUser(reference).get(user.username) ?? []).map(
        (l) => (JSON.parse(l) as { event: { EventId: string } }).event.EventId,
      );
      expect(ids).toEqual((emulator.core.getEvents(POOL, user.username) ?? []).map((e) => e.EventId));
    }
  });

  it("writes the user, then the event's members in the model's order with ISO 8601 dates", () => {
    const record = JSON.parse(reference[0]!) as { user: object; event: Record<string, unknown> };
    expect(Object.keys(record)).toEqual(["user", "event"]);
    expect(Object.keys(record.user)).toEqual(["Username", "sub"]);
    expect(Object.keys(record.event)).toEqual([
      "EventId",
      "EventType",
      "CreationDate",
      "EventResponse",
      "EventRisk",
      "ChallengeResponses",
      "EventContextData",
    ]);
    expect(record.event["CreationDate"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("is quiet on stderr when stderr is not a terminal", async () => {
    const out = io();
    expect(await audit([...base(), "--risk-level", "High"], out)).toBe(0);
    expect(out.err()).toBe("");
  });

  it("shows a progress line on stderr when stderr is a terminal", async () => {
    const out = io({ stderrIsTTY: true });
    expect(await audit([...base(), "--risk-level", "High"], out)).toBe(0);
    expect(out.err()).toMatch(/\r\x1b\[Kusers 30\/30 · events \d+ · [\d.]+ req\/s · throttled 0 · 0:0\d/);
    expect(out.out()).not.toContain("users 30");
  });
});

describe("audit --output csv, json, summary", () => {
  it("writes CSV with a header, one row per event, RFC 4180 quoting and formulas defused", async () => {
    const out = io();
    expect(await audit([...base(), "--output", "csv"], out)).toBe(0);
    const rows = out.out().split("\r\n");
    expect(rows[0]).toBe(
      "Username,sub,EventId,EventType,CreationDate,EventResponse,RiskDecision,RiskLevel,CompromisedCredentialsDetected,IpAddress,Country,City,DeviceName,Timezone,ChallengeResponses,FeedbackValue,FeedbackProvider,FeedbackDate",
    );
    expect(rows).toHaveLength(total + 2);
    const row = rows.find((r) => r.includes(`,${hostile.EventId},`))!;
    expect(row).toContain(`,"Spring ""field"", OR","'=HYPERLINK(""http://x"")",+00:00,Password:`);
  });

  it("writes JSON: an array of the same records as NDJSON", async () => {
    const out = io();
    expect(await audit([...base(), "--output", "json"], out)).toBe(0);
    const records = JSON.parse(out.out()) as unknown[];
    expect(perUser(records.map((r) => JSON.stringify(r)))).toEqual(perUser(reference));
  });

  it("writes an empty JSON array when nothing matches", async () => {
    const out = io();
    expect(await audit([...base(), "--output", "json", "--since", "2099-01-01"], out)).toBe(0);
    expect(JSON.parse(out.out())).toEqual([]);
  });

  it("prints the summary as a table, or as JSON", async () => {
    const table = io();
    expect(await audit([...base(), "--output", "summary", "--top", "3"], table)).toBe(0);
    expect(table.out()).toContain(`Users audited: 30`);
    expect(table.out()).toContain(`Events: ${total}\n`);
    const json = io();
    expect(await audit([...base(), "--output", "summary-json", "--top", "3", "--compromised"], json)).toBe(0);
    const report = JSON.parse(json.out()) as {
      events: number;
      topFailedSignInIps: unknown[];
      compromisedCredentials: { events: number };
    };
    expect(report.events).toBe(report.compromisedCredentials.events);
    expect(report.topFailedSignInIps.length).toBeLessThanOrEqual(3);
  });
});

describe("audit arguments and errors", () => {
  it.each([
    [[], /the following arguments are required: --user-pool-id/],
    [
      ["--user-pool-id", POOL, "--output", "xml"],
      /argument --output: invalid choice: 'xml' \(choose from ndjson, csv, json, ocsf, summary, summary-json, html, last-sign-in, last-sign-in-ndjson, last-sign-in-csv\)/,
    ],
    [
      ["--user-pool-id", POOL, "--risk-level", "High,Severe"],
      /argument --risk-level: invalid choice: 'Severe' \(choose from High, Low, Medium\)/,
    ],
    [["--user-pool-id", POOL, "--since", "last week"], /argument --since: expected a duration such as 7d/],
    [["--user-pool-id", POOL, "--since", "1d", "--until", "2d"], /--since \(.*\) must be before --until/],
    [["--user-pool-id", POOL, "--concurrency", "0"], /argument --concurrency: expected a positive integer, got '0'/],
    [["--user-pool-id", POOL, "--bogus"], /unrecognized arguments: --bogus/],
  ])("%j exits 2 with the usage and the problem", async (argv, message) => {
    const out = io();
    expect(await audit(argv, out)).toBe(2);
    expect(out.err()).toMatch(message);
    expect(out.err()).toContain("usage: cognito-auth-events audit --user-pool-id ID [options]");
    expect(out.out()).toBe("");
  });

  it("reads relative durations and dates", () => {
    const now = Date.UTC(2026, 10, 22, 12);
    expect(parseWhen("7d", "--since", now).toISOString()).toBe("2026-11-15T12:00:00.000Z");
    expect(parseWhen("90m", "--since", now).toISOString()).toBe("2026-11-22T10:30:00.000Z");
    expect(parseWhen("2026-11-01", "--since").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseWhen("2026-11-01T08:00:00+02:00", "--since").toISOString()).toBe("2026-11-01T06:00:00.000Z");
  });

  it("exits 255 with the AWS CLI's wording when the service refuses, without advice to resume (it would not help)", async () => {
    const out = io();
    expect(await audit(["--user-pool-id", "us-east-1_nothere", "--endpoint-url", emulator.url], out)).toBe(255);
    expect(out.err()).toBe(
      "\nAn error occurred (ResourceNotFoundException) when calling the ListUsers operation: User pool us-east-1_nothere does not exist.\n",
    );
  });

  it("never prints the secret key", async () => {
    const out = io();
    await audit(["--user-pool-id", "us-east-1_nothere", "--endpoint-url", emulator.url], out);
    expect(out.err() + out.out()).not.toContain("emulator-secret");
  });
});

describe("audit --checkpoint", () => {
  /** An io whose fetch aborts the run after `n` requests. */
  function abortingIO(n: number) {
    const controller = new AbortController();
    let requests = 0;
    return io({
      signal: controller.signal,
      fetch: async (input, init) => {
        if (++requests === n) controller.abort(new DOMException("Interrupted", "AbortError"));
        return fetch(input, init);
      },
    });
  }

  it("stops on the abort signal with exit 130, and a rerun completes the output exactly", async () => {
    const file = join(dir, "out-1.ndjson");
    const cp = join(dir, "cp-1.json");
    const argv = [...base(), "--checkpoint", cp, "--output-file", file, "--concurrency", "2"];
    const first = abortingIO(15);
    expect(await audit(argv, first)).toBe(130);
    expect(first.err()).toMatch(
      /^\nInterrupted after \d+ events\. Run the same command to resume \(checkpoint: .*cp-1\.json\)\.\n$/,
    );
    const partial = (await readFile(file, "utf8")).split("\n").length - 1;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(total);
    const second = io();
    expect(await audit(argv, second)).toBe(0);
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(perUser(lines)).toEqual(perUser(reference));
    const saved = JSON.parse(await readFile(cp, "utf8")) as { complete: boolean; output: { records: number } };
    expect(saved).toMatchObject({ complete: true, output: { records: total } });
  });

  it("keeps a JSON array valid across an interruption", async () => {
    const file = join(dir, "out-2.json");
    const argv = [
      ...base(),
      "--output",
      "json",
      "--checkpoint",
      join(dir, "cp-2.json"),
      "--output-file",
      file,
      "--concurrency",
      "2",
    ];
    expect(await audit(argv, abortingIO(20))).toBe(130);
    expect(await audit(argv, io())).toBe(0);
    const records = JSON.parse(await readFile(file, "utf8")) as unknown[];
    expect(perUser(records.map((r) => JSON.stringify(r)))).toEqual(perUser(reference));
  });

  it("cuts output written after the last checkpoint off the output file before resuming", async () => {
    const file = join(dir, "out-3.ndjson");
    const argv = [...base(), "--checkpoint", join(dir, "cp-3.json"), "--output-file", file, "--concurrency", "2"];
    expect(await audit(argv, abortingIO(15))).toBe(130);
    // As if the process had died after writing these and before saving the checkpoint.
    await writeFile(file, `${await readFile(file, "utf8")}{"half a rec`);
    expect(await audit(argv, io())).toBe(0);
    expect(perUser((await readFile(file, "utf8")).trimEnd().split("\n"))).toEqual(perUser(reference));
  });

  it("refuses to resume with other options, naming the flag", async () => {
    const cp = join(dir, "cp-4.json");
    expect(await audit([...base(), "--checkpoint", cp, "--since", "400d", "--output", "summary"], abortingIO(3))).toBe(
      130,
    );
    const out = io();
    expect(await audit([...base(), "--checkpoint", cp, "--since", "300d", "--output", "summary"], out)).toBe(255);
    expect(out.err()).toContain(
      "it was made by an audit with a different --since; run that command again to resume, or delete the file to start over",
    );
  });

  it("says a complete audit is complete, and prints its summary again", async () => {
    const cp = join(dir, "cp-5.json");
    const argv = [...base(), "--checkpoint", cp, "--output", "summary-json"];
    const first = io();
    expect(await audit(argv, first)).toBe(0);
    const again = io();
    expect(await audit(argv, again)).toBe(0);
    expect(again.err()).toContain(`is complete (${total} events); delete the file to run it again`);
    expect(JSON.parse(again.out())).toEqual(JSON.parse(first.out()));
  });

  it("refuses a file that is not a checkpoint", async () => {
    const cp = join(dir, "cp-6.json");
    await writeFile(cp, "{}");
    const out = io();
    expect(await audit([...base(), "--checkpoint", cp], out)).toBe(255);
    expect(out.err()).toContain("not an audit checkpoint of this CLI (delete it to start over)");
  });
});
