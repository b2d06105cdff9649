/**
 * `cognito-auth-events feedback` (src/cli/feedback/), in-process against the emulator over HTTP
 * with its quotas on: the input the audit and the listing write, the feedback read back through
 * `admin-list-user-auth-events` and the AWS CLI, an interrupted run resumed, the error file, the
 * dry run, the summary and the exit codes.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { awsAvailable } from "./fixtures/cli/harness.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";
import { POOL, poolData } from "./fixtures/feedback/pool.ts";

/** The service's quotas scaled up, so the tests take seconds; the run is told the same rates. */
const QUOTAS = { feedback: 100, adminListUserAuthEvents: 100, perUserReads: 20 };
const RATE = ["--max-rps", "100"];
const USERS = 20;
const EVENTS = 25;

let dir: string;
const emulators: RunningEmulator[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cae-feedback-cli-"));
});
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  await rm(dir, { recursive: true, force: true });
});

async function emulator(): Promise<RunningEmulator> {
  const running = await startEmulator({ data: poolData(USERS, EVENTS), quotas: QUOTAS, requestLogSize: 100_000 });
  emulators.push(running);
  return running;
}

/** How many times each event's feedback was recorded (answered 200), through the CLI's fetch. */
function countingFetch() {
  const recorded = new Map<string, number>();
  const fetchAndCount: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const target = new Headers(init?.headers).get("x-amz-target") ?? "";
    if (target.endsWith("AdminUpdateAuthEventFeedback") && response.status === 200) {
      const { EventId } = JSON.parse(String(init?.body)) as { EventId: string };
      recorded.set(EventId, (recorded.get(EventId) ?? 0) + 1);
    }
    return response;
  };
  return { recorded, fetch: fetchAndCount };
}

async function cli(args: string[], options: { signal?: AbortSignal; fetch?: typeof fetch } = {}) {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir, ...options });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Every event's feedback as `admin-list-user-auth-events --output ndjson` prints it. */
async function listedFeedback(e: RunningEmulator): Promise<Map<string, { FeedbackValue?: string; Provider?: string }>> {
  const out = new Map<string, { FeedbackValue?: string; Provider?: string }>();
  for (const user of e.core.exportData().pools[0]!.users!) {
    const { code, stdout } = await cli([
      "admin-list-user-auth-events",
      "--endpoint-url",
      e.url,
      "--user-pool-id",
      POOL,
      "--username",
      user.username,
      "--output",
      "ndjson",
    ]);
    expect(code).toBe(0);
    for (const line of stdout.trimEnd().split("\n")) {
      const event = JSON.parse(line) as {
        EventId: string;
        EventFeedback?: { FeedbackValue?: string; Provider?: string };
      };
      out.set(event.EventId, event.EventFeedback ?? {});
    }
  }
  return out;
}

/** The start of a `feedback` command line against this emulator's pool. */
const feedback = (e: RunningEmulator) => ["feedback", "--endpoint-url", e.url, "--user-pool-id", POOL];

async function auditTo(e: RunningEmulator, file: string): Promise<string[]> {
  const audit = await cli(["audit", "--endpoint-url", e.url, "--user-pool-id", POOL, "--output-file", file]);
  expect(audit.code).toBe(0);
  return (await readFile(join(dir, file), "utf8")).trimEnd().split("\n");
}

describe("feedback on what the audit wrote", () => {
  let e: RunningEmulator;
  let lines: string[];
  beforeAll(async () => {
    e = await emulator();
    lines = await auditTo(e, "audit.ndjson");
    // The setup read at full speed: let the quota windows empty, so the run's figures are its own.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });

  it("gives every event the feedback, prints the summary, and the listing and the AWS CLI show it", async () => {
    expect(lines).toHaveLength(USERS * EVENTS);
    const counting = countingFetch();
    const args = [...feedback(e), "--input", "audit.ndjson"];
    const run = await cli([...args, "--value", "Invalid", ...RATE], { fetch: counting.fetch });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const already = lines.filter((l) => l.includes('"FeedbackValue":"Invalid"')).length;
    const updated = USERS * EVENTS - already;
    const expected = [
      `updated   ${updated}`,
      `skipped   ${already} (already given: ${already} in the input, 0 at the service; 0 repeated in the input)`,
      "failed    0",
      /^requests {2}\d+ \(\d+ AdminUpdateAuthEventFeedback, \d+ AdminListUserAuthEvents\), \d+ throttled$/,
      /^time {6}\d+\.\d s$/,
    ];
    const printed = run.stdout.trimEnd().split("\n");
    expect(printed).toHaveLength(expected.length);
    for (const [i, line] of expected.entries()) {
      if (typeof line === "string") expect(printed[i]).toBe(line);
      else expect(printed[i]).toMatch(line);
    }
    expect(counting.recorded.size).toBe(updated);
    expect([...counting.recorded.values()].every((n) => n === 1)).toBe(true);
    const listed = await listedFeedback(e);
    expect(listed.size).toBe(USERS * EVENTS);
    expect([...listed.values()].every((f) => f.FeedbackValue === "Invalid")).toBe(true);
    expect([...counting.recorded.keys()].every((id) => listed.get(id)?.Provider === "Admin")).toBe(true);
  }, 60_000);

  it.skipIf(!awsAvailable)(
    "the AWS CLI lists the feedback too",
    async () => {
      const env = { ...process.env, ...emulatorEnv(dir, NO_FILES) };
      for (const username of ["user0", 'ユーザー"3"']) {
        const { stdout } = await promisify(execFile)(
          "aws",
          [
            "cognito-idp",
            "admin-list-user-auth-events",
            "--endpoint-url",
            e.url,
            "--user-pool-id",
            POOL,
            "--username",
            username,
            "--query",
            "AuthEvents[].EventFeedback.FeedbackValue",
            "--output",
            "json",
          ],
          { env },
        );
        expect(JSON.parse(stdout)).toEqual(Array(EVENTS).fill("Invalid"));
      }
    },
    30_000,
  );

  it("run again, skips every event (the input is stale, the service answers) and says the run is done", async () => {
    const counting = countingFetch();
    const run = await cli([...feedback(e), "--input", "audit.ndjson", "--value", "invalid", "--output", "json"], {
      fetch: counting.fetch,
    });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ updated: 0, failed: 0, skipped: USERS * EVENTS, feedbackRequests: 0 });
    expect(counting.recorded.size).toBe(0);
  }, 30_000);
});

describe("an interrupted feedback run", () => {
  it("resumes from its checkpoint: every event once, failures in the error file once", async () => {
    const e = await emulator();
    const audited = await auditTo(e, "events.ndjson");
    // The deleted user's events that the input does not already show as Valid.
    const lines5 = audited.filter((l) => l.includes('"Username":"user5"') && !l.includes('"FeedbackValue":"Valid"'));
    // A user deleted after the audit: its events fail, and the run goes on.
    e.core.deleteUser(POOL, "user5");
    const counting = countingFetch();
    const args = [
      ...feedback(e),
      "--input",
      "events.ndjson",
      "--value",
      "Valid",
      "--checkpoint",
      "fb.checkpoint",
      "--errors",
      "failed.ndjson",
      ...RATE,
    ];
    const controller = new AbortController();
    const interrupted = cli(args, { signal: controller.signal, fetch: counting.fetch });
    // Interrupt once a checkpoint shows some progress.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const saved = await readFile(join(dir, "fb.checkpoint"), "utf8").catch(() => "");
      if (saved !== "" && (JSON.parse(saved) as { cursor: { next: number } }).cursor.next >= 150) break;
    }
    controller.abort();
    const first = await interrupted;
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(
      /^\nInterrupted after \d+ of 500 events\. Run the same command to resume \(checkpoint: fb\.checkpoint\)\.\n$/,
    );
    // What a crash would have left: the checkpoint before the last one, and more error lines than it accounts for.
    await copyFile(join(dir, "fb.checkpoint"), join(dir, "fb.checkpoint.at-abort"));

    const second = await cli(args, { fetch: counting.fetch });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(1);
    const failedEvents = lines5.length;
    expect(second.stdout).toContain(`failed    ${failedEvents} (see ${join(dir, "failed.ndjson")})`);
    for (const [eventId, count] of counting.recorded) expect(count, eventId).toBe(1);
    const listed = await listedFeedback(e);
    expect([...listed.values()].every((f) => f.FeedbackValue === "Valid")).toBe(true);
    const failed = (await readFile(join(dir, "failed.ndjson"), "utf8")).trimEnd().split("\n");
    expect(failed).toHaveLength(failedEvents);
    const first5 = JSON.parse(failed[0]!) as {
      line: number;
      user: { Username: string };
      event: { EventId: string };
      error: { name: string };
    };
    expect(first5.user.Username).toBe("user5");
    expect(first5.error.name).toBe("UserNotFoundException");
    expect(new Set(failed.map((l) => (JSON.parse(l) as { event: { EventId: string } }).event.EventId)).size).toBe(
      failedEvents,
    );

    // The finished run's checkpoint says so.
    const done = await cli(args);
    expect(done.code).toBe(1);
    expect(done.stderr).toBe("The feedback run saved in fb.checkpoint is complete; delete the file to run it again.\n");

    // Resumed from the older checkpoint: the events settled since are found with their feedback, none is
    // sent again, and the error file is cut back before its lines are written again.
    await copyFile(join(dir, "fb.checkpoint.at-abort"), join(dir, "fb.checkpoint"));
    const again = await cli(args, { fetch: counting.fetch });
    expect(again.code).toBe(1);
    for (const [eventId, count] of counting.recorded) expect(count, eventId).toBe(1);
    expect((await readFile(join(dir, "failed.ndjson"), "utf8")).trimEnd().split("\n")).toEqual(failed);
  }, 90_000);
});

describe("feedback on a listing's output", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator();
    const listing = await cli([
      "admin-list-user-auth-events",
      "--endpoint-url",
      e.url,
      "--user-pool-id",
      POOL,
      "--username",
      "user1",
      "--output",
      "ndjson",
    ]);
    await writeFile(join(dir, "user1.ndjson"), listing.stdout);
  });

  it("needs --username, and says so naming the line", async () => {
    const run = await cli([...feedback(e), "--input", "user1.ndjson", "--value", "Valid"]);
    expect(run.code).toBe(255);
    expect(run.stderr).toBe(
      `\n--input user1.ndjson: line 1: the event has no user (a listing's output): give the user whose events these are (--username)\n`,
    );
    expect(e.core.requestLog).toHaveLength(1);
  });

  it("with --dry-run, prints what it would do per event and sends no feedback", async () => {
    const counting = countingFetch();
    const run = await cli(
      [...feedback(e), "--input", "user1.ndjson", "--username", "user1", "--value", "Valid", "--dry-run"],
      { fetch: counting.fetch },
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    const valid = e.core.getEvents(POOL, "user1")!.filter((ev) => ev.EventFeedback?.FeedbackValue === "Valid");
    expect(lines.filter((l) => l.startsWith("would update line "))).toHaveLength(EVENTS - valid.length);
    for (const event of valid)
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^skip line \\d+ event "${event.EventId}": already Valid \\(in the input\\)$`),
        ),
      );
    expect(run.stdout).toContain(`would update  ${EVENTS - valid.length}\n`);
    expect(counting.recorded.size).toBe(0);
    expect(e.core.getEvents(POOL, "user1")!.filter((ev) => ev.EventFeedback?.FeedbackValue === "Valid")).toHaveLength(
      valid.length,
    );
  });

  it("with --username, gives the user's events the feedback", async () => {
    const run = await cli([
      ...feedback(e),
      "--input",
      "user1.ndjson",
      "--username",
      "user1",
      "--value",
      "Valid",
      ...RATE,
    ]);
    expect(run.code).toBe(0);
    expect(e.core.getEvents(POOL, "user1")!.every((ev) => ev.EventFeedback?.FeedbackValue === "Valid")).toBe(true);
  });
});

describe("feedback's errors", () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await emulator();
    await writeFile(join(dir, "one.ndjson"), '{"user":{"Username":"user1"},"event":{"EventId":"evt-1-1"}}\n');
  });
  const base = () => [...feedback(e), "--input", "one.ndjson"];

  const usage: Array<[string, string[], RegExp]> = [
    ["a missing --value", [], /^cognito-auth-events feedback: error: the following arguments are required: --value\n/],
    [
      "a --value that is neither Valid nor Invalid",
      ["--value", "Maybe"],
      /^cognito-auth-events feedback: error: argument --value: expected Valid or Invalid, got 'Maybe'\n/,
    ],
    [
      "--checkpoint with --dry-run",
      ["--value", "Valid", "--dry-run", "--checkpoint", "x"],
      /^cognito-auth-events feedback: error: argument --checkpoint: not with --dry-run/,
    ],
    [
      "an unknown option",
      ["--value", "Valid", "--frobnicate"],
      /^cognito-auth-events feedback: error: unrecognized arguments: --frobnicate\n/,
    ],
    [
      "an --output it has not",
      ["--value", "Valid", "--output", "csv"],
      /^cognito-auth-events feedback: error: argument --output: invalid choice: 'csv' \(choose from text, json\)\n/,
    ],
    [
      "--query",
      ["--value", "Valid", "--query", "x"],
      /^cognito-auth-events feedback: error: argument --query: not supported by feedback\n/,
    ],
  ];
  for (const [title, extra, message] of usage) {
    it(`refuses ${title} with its usage, exit status 2`, async () => {
      const run = await cli([...base(), ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /\nusage: cognito-auth-events feedback --user-pool-id ID --input FILE --value Valid\|Invalid \[options\] \(cognito-auth-events feedback --help for more\)\n$/,
      );
      expect(run.stderr).toMatch(message);
    });
  }

  it("keeps hostile values as data: the error file and the dry run's lines are JSON-escaped, one line each", async () => {
    const evil = 'evil"\n}{"name';
    const line = JSON.stringify({ user: { Username: evil }, event: { EventId: 'x"\n{' } });
    await writeFile(join(dir, "hostile.ndjson"), `${line}\n`);
    const args = [...feedback(e), "--input", "hostile.ndjson"];
    const run = await cli([...args, "--value", "Valid", "--errors", "hostile.errors"]);
    expect(run.code).toBe(1);
    const written = await readFile(join(dir, "hostile.errors"), "utf8");
    expect(written.split("\n")).toHaveLength(2);
    const failure = JSON.parse(written) as { user: { Username: string }; event: { EventId: string }; error: object };
    expect(failure.user.Username).toBe(evil);
    expect(failure.event.EventId).toBe('x"\n{');
    const dry = await cli([...args, "--value", "Valid", "--dry-run"]);
    expect(dry.stdout.split("\n")[0]).toMatch(
      /^would fail line 1 event "x\\"\\n\{": InvalidParameterException: [^\n]*$/,
    );
  });

  it("prints its help with --help", async () => {
    const run = await cli(["feedback", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^NAME\n {7}feedback - Gives one feedback/);
    expect(run.stdout).toContain("--dry-run");
  });

  it("stops at once on a credential error, with the AWS CLI's wording", async () => {
    const before = e.core.requestLog.length;
    const io = memoryIO({ env: { ...emulatorEnv(dir, NO_FILES), AWS_SECRET_ACCESS_KEY: "wrong" }, cwd: dir });
    const code = await runCli([...base(), "--value", "Valid"], io);
    expect(code).toBe(255);
    expect(io.err()).toMatch(
      /^\nAn error occurred \(InvalidSignatureException\) when calling the AdminListUserAuthEvents operation: The request signature we calculated does not match/,
    );
    expect(io.err()).toContain("Stopped after 0 of 1 events. Use --checkpoint FILE to make a run resumable.\n");
    expect(e.core.requestLog.length - before).toBe(1);
  });

  it("names a missing input file", async () => {
    const run = await cli([...feedback(e), "--input", "nope.ndjson", "--value", "Valid"]);
    expect(run.code).toBe(255);
    expect(run.stderr).toBe("\n--input nope.ndjson: cannot read it: ENOENT\n");
  });

  it("refuses a checkpoint made by another command or with other options", async () => {
    await writeFile(join(dir, "audit.checkpoint"), '{"version":1,"kind":"cognito-auth-events/audit-cli"}');
    const other = await cli([...base(), "--value", "Valid", "--checkpoint", "audit.checkpoint"]);
    expect(other.code).toBe(255);
    expect(other.stderr).toBe(
      `\n--checkpoint audit.checkpoint: not a feedback checkpoint of this CLI (delete it to start over)\n`,
    );
    expect((await cli([...base(), "--value", "Valid", "--checkpoint", "fb2.checkpoint", ...RATE])).code).toBe(0);
    const run = await cli([...base(), "--value", "Invalid", "--checkpoint", "fb2.checkpoint"]);
    expect(run.code).toBe(255);
    expect(run.stderr).toMatch(
      /it was made by a run with a different --value; run that command again to resume, or delete the file to start over/,
    );
  });
});
