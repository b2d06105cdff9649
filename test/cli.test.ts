/**
 * The CLI in-process (runCli with a memory CliIO) against the emulator over real HTTP: what the
 * AWS CLI lacks (ndjson, csv, --cli-timestamp-format, help, --debug redaction, interruption) and
 * the pieces under the formats (Python number repr, argparse rules, widths). The byte-for-byte
 * comparison with `aws` is in test/cli-awscli-*.test.ts.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROG, UsageError, closeMatches, invalidChoiceMessage, parseKnownArgs } from "../src/cli/args.ts";
import { textLength } from "../src/east-asian-width.ts";
import { memoryIO } from "../src/cli/io.ts";
import { PyFloat, type PyInt, parseJson, pyFloatRepr, pyJsonDumps, pyStr } from "../src/cli/pyjson.ts";
import type { CliCommand } from "../src/cli/command.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { runCli, runCommandLine } from "../src/cli/run.ts";
import { isoTimestamp } from "../src/cli/operation/shape.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData } from "../src/emulator/types.ts";
import { emulatorEnv } from "./fixtures/cli/env.ts";

const POOL = "us-east-1_cliTest";
let emulator: RunningEmulator;
let dir: string;
let env: Record<string, string>;

async function cli(args: string[], extra: { env?: Record<string, string>; signal?: AbortSignal } = {}) {
  const io = memoryIO({
    env: { ...env, ...extra.env },
    cwd: dir,
    isTTY: false,
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
const zoe = (...args: string[]) => [
  "admin-list-user-auth-events",
  "--user-pool-id",
  POOL,
  "--username",
  "zoë",
  "--endpoint-url",
  emulator.url,
  ...args,
];

beforeAll(async () => {
  const data = JSON.parse(readFileSync(new URL("./fixtures/cli/data.json", import.meta.url), "utf8")) as EmulatorData;
  emulator = await startEmulator({
    data,
    faults: [
      { kind: "http-500", username: "fault-500" },
      { kind: "slow", username: "fault-slow", delayMs: 3000 },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "cae-cli-unit-"));
  writeFileSync(join(dir, "config"), "[profile iso]\ncli_timestamp_format = iso8601\n");
  writeFileSync(
    join(dir, "credentials"),
    "[iso]\naws_access_key_id = AKIDEMULATOR\naws_secret_access_key = emulator-secret\n",
  );
  env = emulatorEnv(dir);
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Python number and string forms", () => {
  it.each([
    [1.7e9, "1700000000.0"],
    [1735684105.161, "1735684105.161"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [1e15, "1000000000000000.0"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [-0, "-0.0"],
    [123.456e-10, "1.23456e-08"],
    [1e100, "1e+100"],
  ])("repr(float(%s)) is %s", (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it("parseJson keeps ints, floats and integral floats apart", () => {
    const parsed = parseJson(
      '{"a": 1.7E9, "b": 1700000000, "c": 1.5, "d": 123456789012345678901234567890, "e": -0}',
    ) as Record<string, unknown>;
    expect(parsed["a"]).toBeInstanceOf(PyFloat);
    expect(pyStr(parsed["a"] as PyFloat)).toBe("1700000000.0");
    expect(parsed["b"]).toBe(1700000000);
    expect(parsed["c"]).toBe(1.5);
    expect((parsed["d"] as PyInt).digits).toBe("123456789012345678901234567890");
    expect(pyJsonDumps(parsed as never)).toBe(
      '{"a": 1700000000.0, "b": 1700000000, "c": 1.5, "d": 123456789012345678901234567890, "e": 0}',
    );
  });

  it("parseJson reports errors as Python words them", () => {
    expect(() => parseJson('{"UserPoolId": 1')).toThrow("Expecting ',' delimiter: line 1 column 17 (char 16)");
  });

  it("json.dumps with indent 4 and ensure_ascii False; True/False/None in str()", () => {
    expect(pyJsonDumps({ a: [], b: {}, c: ["東京", 'q"\\'] } as never, { indent: 4, ensureAscii: false })).toBe(
      '{\n    "a": [],\n    "b": {},\n    "c": [\n        "東京",\n        "q\\"\\\\"\n    ]\n}',
    );
    expect([pyStr(true), pyStr(false), pyStr(null)]).toEqual(["True", "False", "None"]);
  });

  it("ISO 8601 timestamps as datetime.isoformat() prints them", () => {
    expect(isoTimestamp(1700000000)).toBe("2023-11-14T22:13:20+00:00");
    expect(isoTimestamp(1699998000.123)).toBe("2023-11-14T21:40:00.123000+00:00");
    expect(isoTimestamp(1e-5)).toBe("1970-01-01T00:00:00.000010+00:00");
    expect(() => isoTimestamp(1e16)).toThrow("year 316889355 is out of range");
  });

  it("East Asian wide, fullwidth and ambiguous characters count 2 columns", () => {
    expect(textLength("東京")).toBe(4);
    expect(textLength("ｶﾀｶﾅ")).toBe(4);
    expect(textLength("ＦＵＬＬ")).toBe(8);
    expect(textLength("±§°")).toBe(6);
    expect(textLength("abc")).toBe(3);
  });
});

describe("argparse rules", () => {
  const options = [
    { flag: "--max-results", dest: "a", kind: "value" as const, int: true },
    { flag: "--max-items", dest: "b", kind: "value" as const, int: true },
    { flag: "--username", dest: "u", kind: "value" as const, required: true },
  ];

  it("takes --opt=value, unique abbreviations and negative numbers as values", () => {
    const parsed = parseKnownArgs(["--user=-x", "--max-i", "-3", "--other", "1"], { options });
    expect(parsed.values).toEqual({ u: "-x", b: -3 });
    expect(parsed.extras).toEqual(["--other", "1"]);
  });

  it("refuses ambiguous abbreviations, missing values and missing required options", () => {
    expect(() => parseKnownArgs(["--max", "1", "--username", "u"], { options })).toThrow(
      "ambiguous option: --max could match --max-results, --max-items",
    );
    expect(() => parseKnownArgs(["--username"], { options })).toThrow("argument --username: expected one argument");
    expect(() => parseKnownArgs([], { options })).toThrow(
      new UsageError("the following arguments are required: --username"),
    );
    expect(() => parseKnownArgs(["--username", "u", "--max-items", "x"], { options })).toThrow(
      "argument --max-items: invalid int value: 'x'",
    );
  });

  it("suggests close choices as difflib does", () => {
    expect(closeMatches("jsn", ["json", "text", "table"], 3, 0.8)).toEqual(["json"]);
    expect(invalidChoiceMessage("jsn", ["json", "text", "table"])).toBe(
      `Invalid choice, valid choices are:\n\n${"json".padEnd(40)} | ${"text".padEnd(40)}\n${"table".padEnd(40)}\n\n\nInvalid choice: 'jsn', maybe you meant:\n\n  * json`,
    );
  });
});

describe("ndjson and csv (not in the AWS CLI)", () => {
  it("--output ndjson writes one event per line, model key order, Python numbers", async () => {
    const run = await cli(zoe("--output", "ndjson", "--page-size", "3"));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(
      '{"EventId":"evt-wide","EventType":"SignIn","CreationDate":1700000000.0,"EventResponse":"Pass","EventRisk":{"RiskDecision":"NoRisk","RiskLevel":"Low","CompromisedCredentialsDetected":false},"ChallengeResponses":[{"ChallengeName":"Password","ChallengeResponse":"Success"},{"ChallengeName":"Mfa","ChallengeResponse":"Success"}],"EventContextData":{"IpAddress":"203.0.113.7","DeviceName":"Chrome \\"quoted\\" \\\\ back","Timezone":"+09:00","City":"東京","Country":"日本"}}',
    );
    expect(run.stderr).toBe("");
  });

  it("ndjson with --max-items puts the resume token on stderr, and it resumes", async () => {
    const first = await cli(zoe("--output", "ndjson", "--max-items", "2"));
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(2);
    const token = /^NextToken: (\S+)\n$/.exec(first.stderr)?.[1];
    expect(token).toBeDefined();
    const rest = await cli(zoe("--output", "ndjson", "--starting-token", token!));
    expect(
      rest.stdout
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { EventId: string }).EventId),
    ).toEqual(["evt-int", "evt-frac", "evt-missing", "evt-emoji", "evt-exp"]);
  });

  it("--output csv: header once from the model, flattened columns, RFC 4180 quoting, CRLF", async () => {
    const run = await cli(zoe("--output", "csv", "--page-size", "2"));
    expect(run.code).toBe(0);
    const records = run.stdout.split("\r\n");
    expect(records[0]).toBe(
      "EventId,EventType,CreationDate,EventResponse,EventRisk.RiskDecision,EventRisk.RiskLevel,EventRisk.CompromisedCredentialsDetected,ChallengeResponses,EventContextData.IpAddress,EventContextData.DeviceName,EventContextData.Timezone,EventContextData.City,EventContextData.Country,EventFeedback.FeedbackValue,EventFeedback.Provider,EventFeedback.FeedbackDate",
    );
    expect(records.filter((r) => r.startsWith("EventId,"))).toHaveLength(1);
    expect(records[2]).toBe(
      'evt-wide,SignIn,1700000000.0,Pass,NoRisk,Low,false,"[{""ChallengeName"":""Password"",""ChallengeResponse"":""Success""},{""ChallengeName"":""Mfa"",""ChallengeResponse"":""Success""}]",203.0.113.7,"Chrome ""quoted"" \\ back",+09:00,東京,日本,,,',
    );
    expect(run.stdout).toContain(
      'evt-missing,FutureEventType,1699997000.5,,,,,,192.0.2.1,"tab\there, comma",,Zürich,,,,',
    );
    expect(records.at(-1)).toBe("");
  });

  it("csv of an empty listing is its header; csv with --query takes the query's keys", async () => {
    const empty = await cli([
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "bob",
      "--endpoint-url",
      emulator.url,
      "--output",
      "csv",
    ]);
    expect(empty.stdout.split("\r\n")).toHaveLength(2);
    const queried = await cli(
      zoe("--output", "csv", "--query", "AuthEvents[].{id: EventId, city: EventContextData.City}", "--max-items", "2"),
    );
    expect(queried.stdout).toBe("id,city\r\nevt-big,ｶﾀｶﾅ and ＦＵＬＬ\r\nevt-wide,東京\r\n");
  });
});

describe("options of our own and process behaviour", () => {
  it("--cli-timestamp-format iso8601 prints what cli_timestamp_format = iso8601 prints", async () => {
    const tanaka = (...args: string[]) => [
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "田中",
      "--endpoint-url",
      emulator.url,
      ...args,
    ];
    const flag = await cli(tanaka("--cli-timestamp-format", "iso8601"));
    const profile = await cli(tanaka("--profile", "iso"));
    expect(flag.stdout).toContain('"CreationDate": "2020-09-13T12:26:40+00:00"');
    expect(flag.stdout).toContain('"CreationDate": "2017-07-14T02:40:00+00:00"');
    expect(flag).toEqual(profile);
  });

  it("--debug logs requests and responses with Authorization redacted and no secret anywhere", async () => {
    const run = await cli(zoe("--debug", "--max-items", "1"), {
      env: { AWS_SESSION_TOKEN: "very-secret-session-token" },
    });
    expect(run.stderr).toContain("DEBUG AdminListUserAuthEvents request: POST");
    expect(run.stderr).toContain("authorization: ***");
    expect(run.stderr).toContain("x-amz-security-token: ***");
    expect(run.stderr).toContain('"Username":"zoë"');
    expect(run.stderr).not.toContain("emulator-secret");
    expect(run.stderr).not.toContain("very-secret-session-token");
    expect(run.stderr).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  it("legacy retries: 5 attempts, (reached max retries: 4)", async () => {
    const run = await cli([
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "fault-500",
      "--endpoint-url",
      emulator.url,
    ]);
    expect(run).toEqual({
      code: 255,
      stdout: "",
      stderr:
        "\nAn error occurred (InternalErrorException) when calling the AdminListUserAuthEvents operation (reached max retries: 4): Internal server error.\n",
    });
  });

  it("an interrupted call exits 130 after a newline, as the AWS CLI does", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException("Interrupted", "AbortError")), 200);
    const run = await cli(
      [
        "admin-list-user-auth-events",
        "--user-pool-id",
        POOL,
        "--username",
        "fault-slow",
        "--endpoint-url",
        emulator.url,
      ],
      { signal: controller.signal },
    );
    expect(run).toEqual({ code: 130, stdout: "\n", stderr: "" });
  });

  it("a connection refused names the endpoint as botocore does", async () => {
    const run = await cli(
      [
        "admin-list-user-auth-events",
        "--user-pool-id",
        POOL,
        "--username",
        "x",
        "--endpoint-url",
        "http://127.0.0.1:9/",
      ],
      { env: { AWS_MAX_ATTEMPTS: "1" } },
    );
    expect(run).toEqual({
      code: 255,
      stdout: "",
      stderr: '\nCould not connect to the endpoint URL: "http://127.0.0.1:9/"\n',
    });
  });

  it("--ca-bundle naming no file does not matter to an http:// endpoint (as with the AWS CLI; https: test/cli-tls.test.ts)", async () => {
    const run = await cli(zoe("--ca-bundle", "nope.pem", "--max-items", "1"));
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(run.stdout) as { AuthEvents: unknown[] }).AuthEvents).toHaveLength(1);
  });

  it("help pages: the command's documentation and options", async () => {
    for (const args of [
      ["admin-list-user-auth-events", "help"],
      ["admin-list-user-auth-events", "--help"],
      ["help", "admin-list-user-auth-events"],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("NAME\n       admin-list-user-auth-events - Requests a history of user activity");
      expect(run.stdout).toContain("Requests a history of user activity and any risks detected");
      expect(run.stdout).toContain("       --username (string)");
      expect(run.stdout).toContain("is a paginated operation");
    }
    const feedback = await cli(["admin-update-auth-event-feedback", "help"]);
    expect(feedback.stdout).toContain("          * Valid\n          * Invalid");
    const main = await cli(["help"]);
    expect(main.stdout).toContain("* list-users");
  });

  it("--version prints the package version; an unknown command is a usage error", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const unknown = await cli(["list-user"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      new RegExp(
        `^usage: ${PROG} \\[options\\] <command> \\[parameters\\]\\n[\\s\\S]*${PROG}: error: argument command: Invalid choice, valid choices are:`,
      ),
    );
    expect(unknown.stderr).toContain("Invalid choice: 'list-user', maybe you meant:\n\n  * list-users");
  });

  it("finds the command wherever the global options put it, and gives it the global options' values", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const probe: CliCommand = {
      ...COMMANDS.find((c) => c.name === "audit")!,
      run: async ({ values, io }) => {
        seen.push({ ...values });
        await io.stdout("audited\n");
        return 0;
      },
    };
    const table = COMMANDS.map((c) => (c.name === "audit" ? probe : c));
    const run = async (args: string[]) => {
      const io = memoryIO({ env, cwd: dir });
      const code = await runCommandLine(args, io, table);
      return { code, stdout: io.out(), stderr: io.err() };
    };
    expect(await run(["--region", "eu-west-1", "audit", "--user-pool-id", POOL])).toEqual({
      code: 0,
      stdout: "audited\n",
      stderr: "",
    });
    // The audit's own --output formats, and a global option whose value is the command's name.
    expect(
      await run(["--profile", "audit", "--output", "summary", "audit", "--user-pool-id", POOL, "--debug"]),
    ).toEqual({
      code: 0,
      stdout: "audited\n",
      stderr: "",
    });
    expect(seen).toEqual([
      { region: "eu-west-1", user_pool_id: POOL },
      { profile: "audit", output: "summary", user_pool_id: POOL, debug: true },
    ]);
  });

  it("pyJsonDumps escapes as Python's ensure_ascii does for the skeleton", () => {
    expect(pyJsonDumps({ a: "é" } as never, { indent: 4 })).toBe('{\n    "a": "\\u00e9"\n}');
  });
});
