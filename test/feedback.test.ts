/**
 * Bulk feedback (src/feedback/) against the emulator over HTTP with its quotas on: every event
 * gets the feedback once, paced at the feedback quota; idempotent (input and service); per-event
 * failures reported while the run goes on; credential and permission errors stop it at once; an
 * interrupted run resumes without repeating or skipping an event.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { UpdateAuthEventFeedbackCommand } from "../generated/commands.ts";
import { paginateAdminListUserAuthEvents } from "../generated/paginators.ts";
import { auditUserPool } from "../src/audit/audit.ts";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData, QuotaOptions } from "../src/emulator/types.ts";
import { type FeedbackOutcome, sendBulkFeedback, type BulkFeedbackOptions } from "../src/feedback/bulk.ts";
import type { FeedbackCheckpoint } from "../src/feedback/checkpoint.ts";
import { createNodeFetch } from "../src/node/transport.ts";
import { IndexHeap } from "../src/feedback/index-heap.ts";
import { FeedbackInputError, type FeedbackTarget, readFeedbackTargets } from "../src/feedback/input.ts";
import { POOL, poolData } from "./fixtures/feedback/pool.ts";

const emulators: RunningEmulator[] = [];
async function emulator(data: EmulatorData, quotas: boolean | QuotaOptions = true): Promise<RunningEmulator> {
  const running = await startEmulator({ data, quotas, requestLogSize: 100_000 });
  emulators.push(running);
  return running;
}
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

/** A client for the run, and how many times each event's feedback was recorded (answered 200). */
function client(url: string, secret = "emulator-secret") {
  const feedbackRequests = new Map<string, number>();
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const target = new Headers(init?.headers).get("x-amz-target") ?? "";
    if (target.endsWith("AdminUpdateAuthEventFeedback") && response.status === 200) {
      const { EventId } = JSON.parse(String(init?.body)) as { EventId: string };
      feedbackRequests.set(EventId, (feedbackRequests.get(EventId) ?? 0) + 1);
    }
    return response;
  };
  const c = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: secret },
    maxAttempts: 1,
    fetch: counting,
  });
  return { client: c, feedbackRequests };
}

/** The targets as the audit reads them: every event of the pool, with the user and the feedback it had. */
async function auditTargets(e: RunningEmulator): Promise<FeedbackTarget[]> {
  const targets: FeedbackTarget[] = [];
  const audit = auditUserPool({ client: client(e.url).client, userPoolId: POOL, maxRps: 1000 });
  for await (const { user, event } of audit) {
    const target: FeedbackTarget = {
      username: user.Username,
      eventId: event.EventId!,
      creationDate: event.CreationDate!,
    };
    if (event.EventFeedback?.FeedbackValue) target.feedbackValue = event.EventFeedback.FeedbackValue;
    targets.push(target);
  }
  return targets;
}

/** Every event's feedback as the service lists it (AdminListUserAuthEvents, the client's paginator). */
async function serviceFeedback(e: RunningEmulator): Promise<Map<string, { value?: string; provider?: string }>> {
  const out = new Map<string, { value?: string; provider?: string }>();
  const { client: c } = client(e.url);
  for (const user of e.core.exportData().pools[0]!.users!) {
    const pages = paginateAdminListUserAuthEvents({ client: c }, { UserPoolId: POOL, Username: user.username });
    for await (const page of pages)
      for (const event of page.AuthEvents ?? []) {
        const feedback: { value?: string; provider?: string } = {};
        if (event.EventFeedback?.FeedbackValue) feedback.value = event.EventFeedback.FeedbackValue;
        if (event.EventFeedback?.Provider) feedback.provider = event.EventFeedback.Provider;
        out.set(event.EventId!, feedback);
      }
  }
  return out;
}

async function collect<T extends FeedbackTarget>(options: BulkFeedbackOptions<T>) {
  const run = sendBulkFeedback(options);
  const outcomes: FeedbackOutcome<T>[] = [];
  for await (const outcome of run) outcomes.push(outcome);
  return { run, outcomes };
}

const throttledIn = (log: RunningEmulator["core"]["requestLog"], operation: string) =>
  log.filter((r) => r.operation === operation && r.errorType === "TooManyRequestsException").length;

describe("sendBulkFeedback, 500 events at the service's quotas", () => {
  let e: RunningEmulator;
  let targets: FeedbackTarget[];
  let first: Awaited<ReturnType<typeof collect>>;
  let counted: Map<string, number>;
  let changedAtService: Set<string>;

  it("gives every event the feedback once, paced at 25 requests per second, and the service lists it", async ({
    annotate,
  }) => {
    e = await emulator(poolData(25, 20));
    targets = await auditTargets(e);
    expect(targets).toHaveLength(500);
    // Feedback given since the input was read: the service's answer, not the input, says to skip these.
    changedAtService = new Set(
      targets.filter((_, i) => i % 37 === 5 && !targets[i]!.feedbackValue).map((t) => t.eventId),
    );
    // Recorded as the user would, through the service's own operation.
    const setup = client(e.url).client;
    for (const eventId of changedAtService) {
      const { username } = targets.find((t) => t.eventId === eventId)!;
      const FeedbackToken = e.core.getFeedbackToken(POOL, username, eventId)!;
      const input = { UserPoolId: POOL, Username: username, EventId: eventId, FeedbackToken, FeedbackValue: "Invalid" };
      await setup.send(new UpdateAuthEventFeedbackCommand(input as never));
    }
    const setupRequests = e.core.requestLog.length;
    // The setup read at full speed: let the quota windows empty, so the run's figures are its own.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const { client: c, feedbackRequests } = client(e.url);
    counted = feedbackRequests;
    const started = performance.now();
    first = await collect({ client: c, userPoolId: POOL, value: "Invalid", targets });
    const seconds = (performance.now() - started) / 1000;

    const inInput = targets.filter((t) => t.feedbackValue === "Invalid").length;
    const summary = first.run.summary();
    expect(summary.skippedInInput).toBe(inInput);
    expect(summary.skippedAtService).toBe(changedAtService.size);
    expect(summary.updated).toBe(500 - inInput - changedAtService.size);
    expect(summary.failed).toBe(0);
    expect(first.outcomes.map((o) => o.index).sort((a, b) => a - b)).toEqual([...Array(500).keys()]);
    // Exactly one request per updated event, none for a skipped one.
    for (const outcome of first.outcomes)
      expect(counted.get(outcome.target.eventId) ?? 0, outcome.target.eventId).toBe(
        outcome.result === "updated" ? 1 : 0,
      );
    const log = e.core.requestLog.slice(setupRequests);
    const throttled = throttledIn(log, "AdminUpdateAuthEventFeedback") + throttledIn(log, "AdminListUserAuthEvents");
    expect(summary.throttles).toBe(throttled);
    expect(summary.feedbackRequests).toBe(log.filter((r) => r.operation === "AdminUpdateAuthEventFeedback").length);
    expect(summary.listRequests).toBe(log.filter((r) => r.operation === "AdminListUserAuthEvents").length);
    // Paced: the requests cannot have gone out faster than 25 per second.
    expect(seconds).toBeGreaterThan((summary.updated - 25) / 25);
    // A test annotation: the verbose reporter shows it, the default one only when the test fails.
    await annotate(
      `bulk feedback, 500 events (quotas on): ${summary.updated} updated, ${summary.skipped} skipped, ` +
        `${summary.feedbackRequests} feedback + ${summary.listRequests} list requests, ` +
        `${summary.throttles} throttled (${throttledIn(log, "AdminUpdateAuthEventFeedback")} feedback), ${seconds.toFixed(1)} s`,
    );

    const listed = await serviceFeedback(e);
    for (const outcome of first.outcomes) {
      const feedback = listed.get(outcome.target.eventId);
      expect(feedback?.value, outcome.target.eventId).toBe("Invalid");
      if (outcome.result === "updated") expect(feedback?.provider).toBe("Admin");
    }
  }, 90_000);

  it("run again on the same input, skips every event as the service answers, with no feedback request", async () => {
    const { client: c, feedbackRequests } = client(e.url);
    const { run } = await collect({ client: c, userPoolId: POOL, value: "Invalid", targets });
    const summary = run.summary();
    expect(summary.updated).toBe(0);
    expect(summary.skippedInInput + summary.skippedAtService).toBe(500);
    expect(summary.feedbackRequests).toBe(0);
    expect(feedbackRequests.size).toBe(0);
    // One lookup per user, each stopping at the oldest wanted event: a page or two per user.
    expect(summary.listRequests).toBeLessThanOrEqual(25 * 2);
  }, 60_000);
});

describe("an interrupted run", () => {
  const QUICK: QuotaOptions = { feedback: 100, adminListUserAuthEvents: 100, perUserReads: 20 };
  const RATES = { feedback: 100, adminListUserAuthEvents: 100, perUser: 20 };

  it("resumes from its checkpoint without repeating or skipping an event", async () => {
    const e = await emulator(poolData(20, 25), QUICK);
    const targets = await auditTargets(e);
    const { client: c, feedbackRequests } = client(e.url);
    const controller = new AbortController();
    const run = sendBulkFeedback({
      client: c,
      userPoolId: POOL,
      value: "Valid",
      targets,
      maxRps: RATES,
      abortSignal: controller.signal,
    });
    const before: FeedbackOutcome[] = [];
    let saved: string | undefined;
    await expect(
      (async () => {
        for await (const outcome of run) {
          before.push(outcome);
          if (before.length === 150) saved = JSON.stringify(run.checkpoint());
          if (before.length === 200) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    const atAbort = JSON.parse(JSON.stringify(run.checkpoint())) as FeedbackCheckpoint;

    // Resumed from the checkpoint taken at the interruption: the rest, each once.
    const { outcomes: after, run: resumed } = await collect({
      client: c,
      userPoolId: POOL,
      value: "Valid",
      targets,
      maxRps: RATES,
      checkpoint: atAbort,
    });
    const indices = [...before, ...after].map((o) => o.index).sort((a, b) => a - b);
    expect(indices).toEqual([...Array(500).keys()]);
    expect(resumed.summary().settled).toBe(500);
    for (const [eventId, count] of feedbackRequests) expect(count, eventId).toBe(1);
    const listed = await serviceFeedback(e);
    expect([...listed.values()].every((f) => f.value === "Valid")).toBe(true);

    // Resumed from an older checkpoint (a crash lost the last 50 outcomes): those 50 come again,
    // found at the service with their feedback, and no event gets a second request.
    const { outcomes: again } = await collect({
      client: c,
      userPoolId: POOL,
      value: "Valid",
      targets,
      maxRps: RATES,
      checkpoint: JSON.parse(saved!) as FeedbackCheckpoint,
    });
    const repeated = new Set(before.slice(150).map((o) => o.index));
    expect(again.filter((o) => repeated.has(o.index)).every((o) => o.result === "skipped")).toBe(true);
    expect(again.map((o) => o.index).sort((a, b) => a - b)).toEqual(
      [...Array(500).keys()].filter((i) => !before.slice(0, 150).some((o) => o.index === i)),
    );
    for (const [eventId, count] of feedbackRequests) expect(count, eventId).toBe(1);
  }, 60_000);

  it("refuses a checkpoint of another run or another input", async () => {
    const e = await emulator(poolData(2, 5), false);
    const targets = await auditTargets(e);
    const { client: c } = client(e.url);
    const controller = new AbortController();
    const run = sendBulkFeedback({
      client: c,
      userPoolId: POOL,
      value: "Valid",
      targets,
      abortSignal: controller.signal,
    });
    await expect(
      (async () => {
        for await (const _ of run) controller.abort();
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    const checkpoint = run.checkpoint();
    expect(checkpoint.next).toBeGreaterThan(0);
    const resume = (options: Partial<BulkFeedbackOptions>) =>
      collect({ client: c, userPoolId: POOL, value: "Valid", targets, checkpoint, ...options });
    await expect(resume({ value: "Invalid" })).rejects.toThrow(/different value/);
    await expect(resume({ userPoolId: "us-east-1_other" })).rejects.toThrow(/different userPoolId/);
    await expect(resume({ dryRun: true })).rejects.toThrow(/different dryRun/);
    const shuffled = [...targets].reverse();
    await expect(resume({ targets: shuffled })).rejects.toThrow(/resume with the same input/);
    await expect(resume({ targets: targets.slice(0, checkpoint.next - 1) })).rejects.toThrow(/targets end/);
    await expect(resume({ checkpoint: { ...checkpoint, kind: "x" } as never })).rejects.toThrow(/not a feedback/);
    await expect(resume({ checkpoint: { ...checkpoint, settled: [[0, 1]] } })).rejects.toThrow(/settled\[0\]/);
  });
});

describe("failures", () => {
  it("reports events and users that are gone, and the run goes on", async () => {
    const e = await emulator(poolData(4, 5));
    const targets = await auditTargets(e);
    e.core.deleteUser(POOL, "user2");
    const extra: FeedbackTarget[] = [
      { username: "user1", eventId: "evt-made-up" },
      { username: "nobody", eventId: "evt-0-1" },
      { username: "user1", eventId: "evt-1-1" }, // a repeat of an event already in the input
    ];
    const { client: c } = client(e.url);
    const { run, outcomes } = await collect({
      client: c,
      userPoolId: POOL,
      value: "Valid",
      targets: [...targets, ...extra],
    });
    const failed = outcomes.filter((o) => o.result === "failed");
    const byEvent = new Map(failed.map((o) => [`${o.target.username}/${o.target.eventId}`, o.error?.name]));
    expect(byEvent.get("user1/evt-made-up")).toBe("ResourceNotFoundException");
    expect(byEvent.get("nobody/evt-0-1")).toBe("UserNotFoundException");
    for (const t of targets.filter((t) => t.username === "user2"))
      expect(byEvent.get(`user2/${t.eventId}`)).toBe("UserNotFoundException");
    expect(failed).toHaveLength(2 + 5);
    const summary = run.summary();
    expect(summary.failed).toBe(7);
    expect(summary.skippedDuplicates).toBe(1);
    expect(summary.settled).toBe(targets.length + extra.length);
    expect(summary.updated).toBe(
      15 - targets.filter((t) => t.username !== "user2" && t.feedbackValue === "Valid").length,
    );
  });

  it("stops at once on a credential error", async () => {
    const e = await emulator(poolData(30, 5));
    const targets = await auditTargets(e);
    const before = e.core.requestLog.length;
    const { client: c } = client(e.url, "wrong-secret");
    await expect(collect({ client: c, userPoolId: POOL, value: "Valid", targets })).rejects.toMatchObject({
      name: "InvalidSignatureException",
    });
    // The lookups in flight when the first answer came, no more.
    expect(e.core.requestLog.length - before).toBeLessThanOrEqual(4);
  });

  it("stops at once on a permission error, with the checkpoint at the last outcome handed out", async () => {
    const e = await emulator(poolData(10, 10), false);
    const targets = await auditTargets(e);
    e.core.addFault({
      kind: "error",
      operation: "AdminUpdateAuthEventFeedback",
      after: 20,
      errorType: "AccessDeniedException",
      message: "not allowed",
    });
    const { client: c } = client(e.url);
    const run = sendBulkFeedback({ client: c, userPoolId: POOL, value: "Invalid", targets, concurrency: 4 });
    const outcomes: FeedbackOutcome[] = [];
    await expect(
      (async () => {
        for await (const outcome of run) outcomes.push(outcome);
      })(),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    const sent = e.core.requestLog.filter((r) => r.operation === "AdminUpdateAuthEventFeedback").length;
    expect(sent).toBeLessThanOrEqual(20 + 4);
    expect(run.checkpoint().counts.updated).toBe(outcomes.filter((o) => o.result === "updated").length);
  });

  it("retries throttled requests until they pass, and counts them", async () => {
    const e = await emulator(poolData(3, 20), false);
    const targets = await auditTargets(e);
    e.core.addFault({ kind: "throttle", operation: "AdminUpdateAuthEventFeedback", every: 2, times: 15 });
    e.core.addFault({ kind: "throttle-429", operation: "AdminListUserAuthEvents", times: 2 });
    const { client: c } = client(e.url);
    const { run } = await collect({ client: c, userPoolId: POOL, value: "Invalid", targets, maxRps: 200 });
    const summary = run.summary();
    expect(summary.failed).toBe(0);
    expect(summary.throttles).toBe(17);
    expect(summary.updated).toBe(60 - targets.filter((t) => t.feedbackValue === "Invalid").length);
  });
});

describe("many workers", () => {
  it("leave no runtime warning about listeners piling up on one abort signal", async () => {
    const e = await emulator(poolData(10, 10), false);
    const targets = await auditTargets(e);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      // The CLI's transport: it listens to each request's signal.
      const c = new CognitoIdentityProviderClient({
        region: "us-east-1",
        endpoint: e.url,
        credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
        maxAttempts: 1,
        fetch: createNodeFetch() as typeof fetch,
      });
      const abortSignal = new AbortController().signal;
      // Slow answers keep every worker waiting on its request at once.
      e.core.addFault({ kind: "slow", delayMs: 50 });
      const { run } = await collect({
        client: c,
        userPoolId: POOL,
        value: "Valid",
        targets,
        abortSignal,
        concurrency: 24,
        maxRps: 1000,
      });
      expect(run.summary().settled).toBe(100);
      // Node emits warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});

describe("a dry run", () => {
  it("reads but sends no feedback, and says what it would update and skip", async () => {
    const e = await emulator(poolData(5, 10));
    const targets = await auditTargets(e);
    const { client: c, feedbackRequests } = client(e.url);
    const { run } = await collect({ client: c, userPoolId: POOL, value: "Valid", targets, dryRun: true });
    expect(feedbackRequests.size).toBe(0);
    const summary = run.summary();
    expect(summary.dryRun).toBe(true);
    expect(summary.updated).toBe(50 - targets.filter((t) => t.feedbackValue === "Valid").length);
    expect(summary.listRequests).toBeGreaterThan(0);
  });
});

describe("readFeedbackTargets", () => {
  it("reads the audit's lines and a listing's lines (with the user given), skipping blank lines", async () => {
    const lines = [
      '{"user":{"Username":"zoë","sub":"s"},"event":{"EventId":"e1","CreationDate":"2026-11-01T00:00:00.000Z","EventFeedback":{"FeedbackValue":"Valid"}}}',
      "",
      '{"EventId":"e2","CreationDate":1.7E9}',
      '{"EventId":"e3","CreationDate":"1700000000.5"}\r',
    ];
    const targets = [];
    for await (const t of readFeedbackTargets(lines, { username: "alice" })) targets.push(t);
    expect(targets).toEqual([
      {
        username: "zoë",
        eventId: "e1",
        feedbackValue: "Valid",
        creationDate: new Date("2026-11-01T00:00:00Z"),
        line: 1,
      },
      { username: "alice", eventId: "e2", creationDate: new Date(1.7e12), line: 3 },
      { username: "alice", eventId: "e3", creationDate: new Date(1_700_000_000_500), line: 4 },
    ]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["not JSON", "EventId,EventType", /^line 1: not JSON/],
    ["a JSON array", '[{"EventId":"e"}]', /^line 1: a JSON array.*--output ndjson/],
    ["not an object", '"e1"', /^line 1: expected a JSON object/],
    ["no EventId", '{"user":{"Username":"secret-name"},"event":{}}', /^line 1: the event has no EventId/],
    ["a listing line without --username", '{"EventId":"e"}', /^line 1: the event has no user.*--username/],
    ["a user without a username", '{"user":{"sub":"s"},"event":{"EventId":"e"}}', /^line 1: user\.Username/],
  ];
  for (const [title, line, message] of bad) {
    it(`refuses ${title}, naming the line and never the username`, async () => {
      const read = async () => {
        for await (const _ of readFeedbackTargets([line])) void _;
      };
      await expect(read()).rejects.toThrow(FeedbackInputError);
      await expect(read()).rejects.toThrow(message);
      await expect(read()).rejects.not.toThrow(/secret-name/);
    });
  }
});

describe("options", () => {
  const base = { client: { send: async () => ({}) }, userPoolId: POOL, value: "Valid" as const, targets: [] };
  it("are checked, naming the option", () => {
    expect(() => sendBulkFeedback({ ...base, value: "Maybe" as never })).toThrow(/value must be Valid or Invalid/);
    expect(() => sendBulkFeedback({ ...base, userPoolId: "nope" })).toThrow(/userPoolId/);
    expect(() => sendBulkFeedback({ ...base, maxRps: 0 })).toThrow(/maxRps/);
    expect(() => sendBulkFeedback({ ...base, maxRps: { listUsers: 5 } as never })).toThrow(/maxRps\.listUsers/);
    expect(() => sendBulkFeedback({ ...base, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => sendBulkFeedback({ ...base, targets: 5 as never })).toThrow(/targets/);
    expect(sendBulkFeedback({ ...base, value: "invalid" }).value).toBe("Invalid");
  });

  it("a target without a username or event id stops the run with an error naming it", async () => {
    const targets = [
      { username: "u", eventId: "e" },
      { username: "", eventId: "e" },
    ];
    const run = sendBulkFeedback({ ...base, targets, dryRun: true });
    await expect(
      (async () => {
        for await (const _ of run) void _;
      })(),
    ).rejects.toThrow(/targets\[1\]\.username/);
  });
});

describe("IndexHeap", () => {
  it("hands out items lowest index first, whatever the order they came in (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000)), fc.array(fc.boolean()), (indices, pops) => {
        const heap = new IndexHeap<{ index: number }>();
        const model: number[] = [];
        const out: number[] = [];
        const expected: number[] = [];
        indices.forEach((index, i) => {
          heap.push({ index });
          model.push(index);
          if (pops[i]) {
            model.sort((a, b) => a - b);
            expected.push(model.shift()!);
            out.push(heap.pop()!.index);
          }
        });
        expect(out).toEqual(expected);
        expect(heap.size).toBe(model.length);
      }),
      { seed: 19 },
    );
  });
});
