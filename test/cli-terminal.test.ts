/**
 * Service data at a terminal: device names, cities, countries, addresses and the service's own messages are written
 * by whoever controls them, and must never reach a person's terminal as escape sequences, carriage returns, bidi
 * overrides or invisible characters. Every output for a person shows them as `\u{XXXX}` (src/terminal-text.ts): the
 * audit's summary, progress line and last-sign-in table, error messages, `--debug`, the resume token on standard
 * error; `--output text` and `table` do so when standard output is a terminal, and stay byte-identical to the AWS
 * CLI's (raw) when piped (also compared with `aws` itself in test/cli-awscli-output.test.ts). Run in-process and in a
 * real pseudo-terminal (util-linux `script`).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditSummary } from "../src/audit/summary.ts";
import { formatSummaryTable } from "../src/audit/summary-table.ts";
import { type CliIO, memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv, NO_FILES } from "./fixtures/cli/env.ts";
import {
  fromTerminal,
  hostileEvents,
  inTerminal,
  rawControl,
  scriptAvailable,
  screen,
  TERMINAL_HOSTILE,
} from "./fixtures/cli/terminal.ts";

const POOL = "us-east-1_demoPlus";
const HOSTILE_MESSAGE = TERMINAL_HOSTILE.map(({ text }) => text).join(" ");
/** The progress line's own redraw: a carriage return and "erase to the end of the line". */
const PROGRESS_REDRAW = "\r\x1b[K";
/** What `--color on` draws tables with (colorama's styles and resets, as the AWS CLI). */
const TABLE_COLORS = ["\x1b[1m", "\x1b[34m", "\x1b[2m", "\x1b[33m", "\x1b[0m"];

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 5, users: 3, events: 4 });
  emulator.core.addUser(POOL, { username: "mallory", events: [] });
  for (const event of hostileEvents(Date.UTC(2024, 11, 31) / 1000)) emulator.core.addEvent(POOL, "mallory", event);
  emulator.core.addUser(POOL, { username: "fault-hostile", events: [] });
  dir = await mkdtemp(join(tmpdir(), "cae-cli-terminal-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const env = () => emulatorEnv(dir, NO_FILES);

/** Runs `body` while the service answers the user fault-hostile's events with an error whose message is hostile. */
async function withHostileError<T>(body: () => Promise<T>): Promise<T> {
  const remove = emulator.core.addFault({
    kind: "error",
    username: "fault-hostile",
    errorType: "InvalidParameterException",
    message: HOSTILE_MESSAGE,
  });
  try {
    return await body();
  } finally {
    remove();
  }
}

async function cli(args: string[], options: Partial<CliIO> = {}) {
  const io = memoryIO({ env: env(), cwd: dir, ...options });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const listing = (username: string, ...more: string[]) => [
  "admin-list-user-auth-events",
  "--endpoint-url",
  emulator.url,
  "--user-pool-id",
  POOL,
  "--username",
  username,
  ...more,
];
const audit = (...more: string[]) => ["audit", "--endpoint-url", emulator.url, "--user-pool-id", POOL, ...more];

/** Every hostile text the output was expected to show, shown as visible text. */
function expectShown(output: string, texts: readonly { shown: string }[] = TERMINAL_HOSTILE): void {
  for (const { shown } of texts) expect(output).toContain(shown);
}

describe("our own outputs show the service's control characters, always", () => {
  it("audit --output summary: countries and addresses", async () => {
    const run = await cli(audit("--output", "summary", "--top", "20"));
    expect(run.code).toBe(0);
    expect(rawControl(run.out)).toBeUndefined();
    expectShown(run.out);
  });

  it("the summary table: compromised users' names too", () => {
    const summary = new AuditSummary();
    for (const [i, { text }] of TERMINAL_HOSTILE.entries())
      summary.add(text, {
        EventId: `e${i}`,
        EventType: "SignIn",
        EventResponse: "Fail",
        EventRisk: { CompromisedCredentialsDetected: true },
        EventContextData: { IpAddress: text, Country: text },
      });
    const table = formatSummaryTable(summary.toJSON({ top: 20 }));
    expect(rawControl(table)).toBeUndefined();
    const compromised = table.slice(table.indexOf("Compromised credentials"), table.indexOf("Top IP addresses"));
    expectShown(compromised);
  });

  it("audit --output last-sign-in: devices, cities, countries, addresses", async () => {
    const run = await cli(audit("--output", "last-sign-in"));
    expect(run.code).toBe(0);
    expect(rawControl(run.out)).toBeUndefined();
    // Only the last successful sign-in is listed: its address, device, city and country.
    expect(run.out).toContain("mallory");
    expectShown(run.out, TERMINAL_HOSTILE.slice(0, 4));
  });

  it("a service error's message, for an operation and for the audit", async () => {
    for (const args of [listing("fault-hostile"), audit("--output", "summary")]) {
      const run = await withHostileError(() => cli(args));
      expect(run.code).toBe(255);
      expect(run.err).toContain("An error occurred (InvalidParameterException)");
      expect(rawControl(run.err)).toBeUndefined();
      expectShown(run.err);
    }
  });

  it("--debug's log of the exchanges, for an operation and for the audit", async () => {
    for (const args of [listing("mallory", "--debug"), audit("--output", "ndjson", "--debug")]) {
      const run = await cli(args);
      expect(run.err).toContain("DEBUG AdminListUserAuthEvents response: HTTP 200");
      expect(rawControl(run.err)).toBeUndefined();
      // The body is JSON, so C0 controls arrive as JSON escapes; C1 and bidi characters arrive raw.
      expect(run.err).toContain("csi\\u{9B}2J");
      expect(run.err).toContain("invoice\\u{202E}gnp.exe");
    }
  });

  it("the service's next token, written on standard error by --output ndjson and csv", async () => {
    const token = TERMINAL_HOSTILE.map(({ text }) => text).join("");
    const fetch = (async () =>
      new Response(JSON.stringify({ AuthEvents: [], NextToken: token }), {
        headers: { "content-type": "application/x-amz-json-1.1" },
      })) as typeof globalThis.fetch;
    for (const output of ["ndjson", "csv"]) {
      const run = await cli(listing("alice", "--no-paginate", "--output", output), { fetch });
      expect(run.code).toBe(0);
      expect(run.err.startsWith("NextToken: ")).toBe(true);
      expect(rawControl(run.err)).toBeUndefined();
      expectShown(run.err);
    }
  });

  it("an error quoting a file's text: emulator --data with a broken file", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, `{"pools": \x1b]52;c;Y3VybA==\x07\x1b[2J}`);
    const run = await cli(["emulator", "--data", file]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("is not valid JSON");
    expect(rawControl(run.err)).toBeUndefined();
    expect(run.err).toContain("\\u{1B}");
  });
});

describe("--output text and table: escaped on a terminal, as the AWS CLI's when piped", () => {
  it.each([
    ["text", ["\t"]],
    ["table", []],
  ] as const)("--output %s on a terminal shows every control character", async (output, own) => {
    const run = await cli(listing("mallory", "--output", output, "--color", "off"), { isTTY: true });
    expect(run.code).toBe(0);
    expect(rawControl(run.out, own)).toBeUndefined();
    expectShown(run.out);
  });

  it("--output table --color on, on a terminal: only the table's own colours are escape sequences", async () => {
    const run = await cli(listing("mallory", "--output", "table", "--color", "on"), { isTTY: true });
    expect(rawControl(run.out, TABLE_COLORS)).toBeUndefined();
    expectShown(run.out);
  });

  it.each(["text", "table"])("--output %s piped writes the data as it is, as the AWS CLI does", async (output) => {
    const run = await cli(listing("mallory", "--output", output), { isTTY: false });
    expect(run.code).toBe(0);
    for (const { text } of TERMINAL_HOSTILE) expect(run.out).toContain(text);
  });
});

describe.skipIf(!scriptAvailable)("in a pseudo-terminal", () => {
  const terminal = async (args: string[], own: readonly string[] = []) => {
    const run = await inTerminal(args, env());
    const output = fromTerminal(run.output);
    return { code: run.code, output, raw: rawControl(output, own), rows: screen(output) };
  };

  it("audit --output summary, with its progress line: nothing raw but the line's own redraw", async () => {
    const run = await terminal(audit("--output", "summary", "--top", "20", "--max-rps", "5"), [PROGRESS_REDRAW]);
    expect(run.code).toBe(0);
    expect(run.raw).toBeUndefined();
    expect(run.rows.some((row) => row.startsWith("Users audited: "))).toBe(true);
    expectShown(run.output);
  });

  it("audit --output last-sign-in", async () => {
    const run = await terminal(audit("--output", "last-sign-in"), [PROGRESS_REDRAW]);
    expect(run.code).toBe(0);
    expect(run.raw).toBeUndefined();
    expect(run.rows.some((row) => row.startsWith("mallory "))).toBe(true);
    expectShown(run.output, TERMINAL_HOSTILE.slice(0, 4));
  });

  it("--output text", async () => {
    const run = await terminal(listing("mallory", "--output", "text"), ["\t"]);
    expect(run.code).toBe(0);
    expect(run.raw).toBeUndefined();
    expectShown(run.output);
  });

  it("--output table (colours on, as on any terminal)", async () => {
    const run = await terminal(listing("mallory", "--output", "table"), TABLE_COLORS);
    expect(run.code).toBe(0);
    expect(run.output).toContain("\x1b[34m");
    expect(run.raw).toBeUndefined();
    expectShown(run.output);
  });

  it("a service error", async () => {
    const run = await withHostileError(() => terminal(listing("fault-hostile")));
    expect(run.code).toBe(255);
    expect(run.raw).toBeUndefined();
    expectShown(run.output);
  });
});
