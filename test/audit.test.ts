/**
 * The pool audit (src/audit/) against the emulator over HTTP: every event exactly once,
 * quotas, throttling, filters, checkpoints and resumption.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditUserPool, type AuditRecord } from "../src/audit/audit.ts";
import type { AuditCheckpoint } from "../src/audit/checkpoint.ts";
import type { AuditOptions } from "../src/audit/options.ts";
import { QuotaPacer } from "../src/audit/pacer.ts";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData, QuotaOptions } from "../src/emulator/types.ts";
import { ResourceNotFoundException } from "../generated/errors.ts";
import { buildAuditData, expectedLoad } from "../bench/audit/data.ts";

const POOL = "us-east-1_auditTest";
/** Without quotas on the emulator, the tests need not wait for the service's. */
const FAST = { adminListUserAuthEvents: 2000, listUsers: 2000, perUser: 2000 };
const data: EmulatorData = buildAuditData({ users: 40, maxEvents: 130, seed: 7, poolId: POOL });
const emulators: RunningEmulator[] = [];

async function emulator(
  options: { quotas?: QuotaOptions; seed?: number; data?: EmulatorData } = {},
): Promise<RunningEmulator> {
  const running = await startEmulator({
    data: options.data ?? data,
    quotas: options.quotas ?? false,
    seed: options.seed ?? 1,
    requestLogSize: 100_000,
  });
  emulators.push(running);
  return running;
}
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

function client(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
    maxAttempts: 1,
  });
}

/** Every user's event ids in the emulator's order. */
function expectedIds(
  e: RunningEmulator,
  filter: (event: { CreationDate: number | string; EventRisk?: { RiskLevel?: string } }) => boolean = () => true,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const user of data.pools[0]!.users!) {
    out.set(
      user.username,
      (e.core.getEvents(POOL, user.username) ?? []).filter((ev) => filter(ev)).map((ev) => ev.EventId!),
    );
  }
  return out;
}

function byUser(records: readonly AuditRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const user of data.pools[0]!.users!) out.set(user.username, []);
  for (const { user, event } of records) out.get(user.Username)!.push(event.EventId!);
  return out;
}

/** Each user's records, in order, as JSON: what must match exactly. */
function contents(records: readonly AuditRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const record of records)
    out.set(record.user.Username, [...(out.get(record.user.Username) ?? []), JSON.stringify(record)]);
  return out;
}

async function collect(options: AuditOptions): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const record of auditUserPool(options)) records.push(record);
  return records;
}

let plain: RunningEmulator;
let full: AuditRecord[];
beforeAll(async () => {
  plain = await emulator();
  full = await collect({ client: client(plain.url), userPoolId: POOL, maxRps: FAST });
});

describe("auditUserPool", () => {
  it("yields every event of every user exactly once, in each user's listing order", () => {
    expect(byUser(full)).toEqual(expectedIds(plain));
    expect(full.length).toBe(expectedLoad(data).events);
  });

  it("gives each record its user's Username and sub and the event with dates as Date", () => {
    const { user, event } = full[0]!;
    const stored = data.pools[0]!.users!.find((u) => u.username === user.Username)!;
    expect(user.sub).toBe(plain.core.exportData().pools[0]!.users!.find((u) => u.username === stored.username)!.sub);
    expect(event.CreationDate).toBeInstanceOf(Date);
  });

  it("against the emulator enforcing the quotas: every event once, and every throttle it answered is counted", async () => {
    // Proportionally lower quotas than the service's, so the test takes seconds (the pacing itself is checked on a
    // fake clock in audit-pacing.test.ts).
    const quotas = { adminListUserAuthEvents: 25, listUsers: 5, perUserReads: 5 };
    const e = await emulator({ quotas });
    const audit = auditUserPool({
      client: client(e.url),
      userPoolId: POOL,
      maxRps: { adminListUserAuthEvents: 25, listUsers: 5, perUser: 5 },
    });
    const records: AuditRecord[] = [];
    for await (const record of audit) records.push(record);
    expect(byUser(records)).toEqual(expectedIds(e));
    const throttled = e.core.requestLog.filter((r) => r.errorType === "TooManyRequestsException").length;
    expect(audit.counts.throttles).toBe(throttled);
    expect(audit.counts.requests).toBe(e.core.requestLog.length);
  });

  it("retries throttled requests until they pass and slows its pace after a throttle", async () => {
    const e = await emulator();
    e.core.addFault({ kind: "throttle", operation: "AdminListUserAuthEvents", after: 10, every: 3, times: 12 });
    e.core.addFault({ kind: "throttle-429", operation: "ListUsers", times: 1 });
    const audit = auditUserPool({ client: client(e.url), userPoolId: POOL, maxRps: FAST });
    const records: AuditRecord[] = [];
    for await (const record of audit) records.push(record);
    expect(byUser(records)).toEqual(expectedIds(e));
    expect(audit.counts.throttles).toBe(13);
    expect(audit.progress().allowedRate).toBeLessThan(2000 * 0.97);
  });

  it("retries transient server errors", async () => {
    const e = await emulator();
    e.core.addFault({ kind: "http-503", operation: "AdminListUserAuthEvents", every: 7, times: 5 });
    e.core.addFault({ kind: "http-500", operation: "ListUsers", times: 1 });
    expect(byUser(await collect({ client: client(e.url), userPoolId: POOL, maxRps: FAST }))).toEqual(expectedIds(e));
  });

  it("skips a user deleted since ListUsers listed it and counts it", async () => {
    const e = await emulator();
    const gone = data.pools[0]!.users![3]!.username;
    e.core.addFault({
      kind: "error",
      errorType: "UserNotFoundException",
      message: "User does not exist.",
      username: gone,
    });
    const audit = auditUserPool({ client: client(e.url), userPoolId: POOL, maxRps: FAST });
    const records: AuditRecord[] = [];
    for await (const record of audit) records.push(record);
    const expected = expectedIds(e);
    expected.set(gone, []);
    expect(byUser(records)).toEqual(expected);
    expect(audit.counts.usersSkipped).toBe(1);
    expect(audit.counts.usersDone).toBe(40);
  });

  it("throws the service's error class and names the failed operation", async () => {
    const audit = auditUserPool({ client: client(plain.url), userPoolId: "us-east-1_nothere", maxRps: FAST });
    await expect(async () => {
      for await (const _ of audit) void _;
    }).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(audit.failure).toEqual({ operation: "ListUsers" });
  });

  it("ends at once for a pool without users", async () => {
    const e = await emulator({ data: { version: 1, pools: [{ id: POOL, threatProtection: "ENFORCED", users: [] }] } });
    const audit = auditUserPool({ client: client(e.url), userPoolId: POOL, maxRps: FAST });
    expect(await collect({ client: client(e.url), userPoolId: POOL, maxRps: FAST })).toEqual([]);
    for await (const _ of audit) void _;
    expect(audit.checkpoint().users.complete).toBe(true);
    expect(audit.summary().users.audited).toBe(0);
  });

  it("fails with UserPoolAddOnNotEnabledException on a pool without threat protection", async () => {
    const e = await emulator({
      data: { version: 1, pools: [{ id: POOL, threatProtection: "OFF", users: [{ username: "ann" }] }] },
    });
    const audit = auditUserPool({ client: client(e.url), userPoolId: POOL, maxRps: FAST });
    await expect(async () => {
      for await (const _ of audit) void _;
    }).rejects.toMatchObject({ name: "UserPoolAddOnNotEnabledException" });
    expect(audit.failure).toEqual({ operation: "AdminListUserAuthEvents" });
  });

  it("yields only events in [since, until) and stops each listing at the first older event", async () => {
    const all = full.map((r) => r.event.CreationDate!.getTime()).sort((a, b) => a - b);
    const since = new Date(all[Math.floor(all.length * 0.7)]!);
    const until = new Date(all[Math.floor(all.length * 0.9)]!);
    const e = await emulator();
    const audit = auditUserPool({
      client: client(e.url),
      userPoolId: POOL,
      maxRps: FAST,
      since,
      until: until.toISOString(),
    });
    const records: AuditRecord[] = [];
    for await (const record of audit) records.push(record);
    const ms = (ev: { CreationDate: number | string }) => new Date(Number(ev.CreationDate) * 1000).getTime();
    const inWindow = (ev: { CreationDate: number | string }) => ms(ev) >= since.getTime() && ms(ev) < until.getTime();
    expect(byUser(records)).toEqual(expectedIds(e, inWindow));
    expect(audit.counts.requests).toBeLessThan(expectedLoad(data).eventRequests);
    expect(audit.summary().window).toEqual({ since: since.toISOString(), until: until.toISOString() });
  });

  it("filters on risk level, response, event type and compromised credentials, case-insensitively", () => {
    const filtered = full.filter(
      ({ event }) =>
        event.EventRisk?.RiskLevel === "High" && event.EventResponse === "Fail" && event.EventType === "SignIn",
    );
    return collect({
      client: client(plain.url),
      userPoolId: POOL,
      maxRps: FAST,
      filter: { riskLevels: ["high"], responses: ["Fail"], eventTypes: ["SIGNIN"] },
    }).then((records) => {
      expect(records.map((r) => r.event.EventId).sort()).toEqual(filtered.map((r) => r.event.EventId).sort());
      expect(records.length).toBeGreaterThan(0);
    });
  });

  it("filters on compromised credentials", async () => {
    const records = await collect({
      client: client(plain.url),
      userPoolId: POOL,
      maxRps: FAST,
      filter: { compromisedCredentials: true },
    });
    expect(records.length).toBe(full.filter((r) => r.event.EventRisk?.CompromisedCredentialsDetected === true).length);
    expect(records.every((r) => r.event.EventRisk?.CompromisedCredentialsDetected === true)).toBe(true);
  });

  it("summarises what it yielded", async () => {
    const audit = auditUserPool({ client: client(plain.url), userPoolId: POOL, maxRps: FAST });
    for await (const _ of audit) void _;
    const summary = audit.summary();
    expect(summary.events).toBe(full.length);
    expect(summary.users.audited).toBe(40);
    expect(summary.users.withEvents).toBe(data.pools[0]!.users!.filter((u) => (u.events?.length ?? 0) > 0).length);
    expect(Object.values(summary.byEventType).reduce((a, b) => a + b, 0)).toBe(full.length);
  });
});

describe("checkpoints", () => {
  /** Runs the audit, stopping after each count in `stops` and resuming from a JSON copy of the checkpoint. */
  async function interrupted(
    url: string,
    stops: number[],
    options: Partial<AuditOptions> = {},
    between?: (cp: AuditCheckpoint) => void | Promise<void>,
  ) {
    const records: AuditRecord[] = [];
    let checkpoint: AuditCheckpoint | undefined;
    let last: ReturnType<typeof auditUserPool> | undefined;
    for (const stop of [...stops, Infinity]) {
      const audit = auditUserPool({
        client: client(url),
        userPoolId: POOL,
        maxRps: FAST,
        ...options,
        ...(checkpoint && { checkpoint }),
      });
      last = audit;
      for await (const record of audit) {
        records.push(record);
        if (records.length >= stop) break;
      }
      checkpoint = JSON.parse(JSON.stringify(audit.checkpoint())) as AuditCheckpoint;
      await between?.(checkpoint);
    }
    return { records, audit: last! };
  }

  it("resumes after the consumer stops, any number of times, without losing or repeating an event", async () => {
    const stops = [1, 59, 60, 61, 400, 1111, 1112, 2500];
    const { records, audit } = await interrupted(plain.url, stops);
    expect(contents(records)).toEqual(contents(full));
    expect(audit.counts.events).toBe(full.length);
  });

  it("resumes after an abort in the middle, with the same summary as an uninterrupted run", async () => {
    const controller = new AbortController();
    const first = auditUserPool({
      client: client(plain.url),
      userPoolId: POOL,
      maxRps: FAST,
      abortSignal: controller.signal,
    });
    const records: AuditRecord[] = [];
    await expect(async () => {
      for await (const record of first) {
        records.push(record);
        if (records.length === 1500) controller.abort(new Error("stop"));
      }
    }).rejects.toMatchObject({ name: "AbortError" });
    const checkpoint = JSON.parse(JSON.stringify(first.checkpoint())) as AuditCheckpoint;
    expect(checkpoint.inFlight.length).toBeGreaterThan(0);
    const second = auditUserPool({ client: client(plain.url), userPoolId: POOL, maxRps: FAST, checkpoint });
    for await (const record of second) records.push(record);
    expect(contents(records)).toEqual(contents(full));
    const reference = auditUserPool({ client: client(plain.url), userPoolId: POOL, maxRps: FAST });
    for await (const _ of reference) void _;
    expect(second.summary()).toEqual(reference.summary());
    expect(second.checkpoint().users.complete).toBe(true);
    expect(second.checkpoint().inFlight).toEqual([]);
  });

  it("resumes in the middle of a ListUsers listing of several pages", async () => {
    const many = buildAuditData({ users: 150, maxEvents: 3, seed: 5, poolId: POOL });
    const e = await emulator({ data: many });
    const expected = new Map(
      many.pools[0]!.users!.map((u) => [
        u.username,
        (e.core.getEvents(POOL, u.username) ?? []).map((ev) => ev.EventId!),
      ]),
    );
    const records: AuditRecord[] = [];
    let checkpoint: AuditCheckpoint | undefined;
    const pageTokens = new Set<string | null>();
    for (const stop of [40, 95, 150, 151, 230, Infinity]) {
      const audit = auditUserPool({
        client: client(e.url),
        userPoolId: POOL,
        maxRps: FAST,
        concurrency: 3,
        ...(checkpoint && { checkpoint }),
      });
      for await (const record of audit) {
        records.push(record);
        if (records.length >= stop) break;
      }
      checkpoint = JSON.parse(JSON.stringify(audit.checkpoint())) as AuditCheckpoint;
      pageTokens.add(checkpoint.users.pageToken);
    }
    const got = new Map(many.pools[0]!.users!.map((u) => [u.username, [] as string[]]));
    for (const { user, event } of records) got.get(user.Username)!.push(event.EventId!);
    expect(got).toEqual(expected);
    expect(pageTokens.size).toBeGreaterThan(2);
  });

  it("does not repeat events when new ones were added to users in flight before the resume", async () => {
    const e = await emulator();
    const before = expectedIds(e);
    let added = 0;
    const { records } = await interrupted(e.url, [700, 1900], {}, (cp) => {
      for (const position of cp.inFlight)
        e.core.addEvent(POOL, position.user.Username, { EventType: "SignIn", EventId: `new-${added++}` });
    });
    const got = byUser(records);
    for (const [user, ids] of before) {
      const mine = got.get(user)!.filter((id) => !id.startsWith("new-"));
      expect(mine, user).toEqual(ids);
    }
    expect(new Set(records.map((r) => r.event.EventId)).size).toBe(records.length);
  });

  it("reads a user again from the top, skipping what it handed out, when its saved token is refused", async () => {
    const first = await emulator();
    const records: AuditRecord[] = [];
    const audit = auditUserPool({ client: client(first.url), userPoolId: POOL, maxRps: FAST });
    for await (const record of audit) {
      records.push(record);
      if (records.length === 1234) break;
    }
    const checkpoint = JSON.parse(JSON.stringify(audit.checkpoint())) as AuditCheckpoint;
    expect(checkpoint.inFlight.some((p) => p.resumeToken !== null && JSON.parse(atob(p.resumeToken)).NextToken)).toBe(
      true,
    );
    // Another seed signs its tokens with another key: every saved token is refused.
    const second = await emulator({ seed: 2 });
    const resumed = auditUserPool({ client: client(second.url), userPoolId: POOL, maxRps: FAST, checkpoint });
    for await (const record of resumed) records.push(record);
    expect(byUser(records)).toEqual(byUser(full));
  });

  it("refuses a checkpoint of another query and names what differs", () => {
    const checkpoint = auditUserPool({
      client: client(plain.url),
      userPoolId: POOL,
      maxRps: FAST,
      since: "2026-01-01",
    }).checkpoint();
    expect(() => auditUserPool({ client: client(plain.url), userPoolId: POOL, maxRps: FAST, checkpoint })).toThrow(
      /its since is "2026-01-01T00:00:00.000Z", this run's is unset/,
    );
    expect(() =>
      auditUserPool({ client: client(plain.url), userPoolId: "us-east-1_other", since: "2026-01-01", checkpoint }),
    ).toThrow(/userPoolId/);
  });

  it("refuses a damaged checkpoint with the member's path", () => {
    const checkpoint = auditUserPool({ client: client(plain.url), userPoolId: POOL, maxRps: FAST }).checkpoint();
    const broken = JSON.parse(JSON.stringify(checkpoint)) as { inFlight: unknown[] };
    broken.inFlight = [{ user: { Username: 5 }, resumeToken: null, finished: false, events: 0 }];
    expect(() =>
      auditUserPool({
        client: client(plain.url),
        userPoolId: POOL,
        maxRps: FAST,
        checkpoint: broken as unknown as AuditCheckpoint,
      }),
    ).toThrow("checkpoint.inFlight[0].user.Username: expected a string");
    expect(() =>
      auditUserPool({
        client: client(plain.url),
        userPoolId: POOL,
        maxRps: FAST,
        checkpoint: { kind: "x" } as unknown as AuditCheckpoint,
      }),
    ).toThrow(/not an audit checkpoint/);
  });

  it("is plain JSON: the same after a JSON round trip", () => {
    const checkpoint = auditUserPool({
      client: client(plain.url),
      userPoolId: POOL,
      maxRps: FAST,
      filter: { riskLevels: ["High", "medium"] },
    }).checkpoint();
    expect(JSON.parse(JSON.stringify(checkpoint))).toEqual(checkpoint);
    expect(checkpoint.query.filter).toEqual({ riskLevels: ["high", "medium"] });
  });
});

describe("options", () => {
  const base = () => ({ client: client(plain.url), userPoolId: POOL, maxRps: FAST });
  it.each([
    [{ userPoolId: "nope" }, /userPoolId must match/],
    [{ since: "yesterday" }, /since must be a Date/],
    [{ since: "2026-02-01", until: "2026-01-01" }, /since \(2026-02-01T00:00:00.000Z\) must be before until/],
    [{ concurrency: 0 }, /concurrency must be an integer from 1 to 256, got 0/],
    [{ maxRps: -1 }, /maxRps must be a positive number/],
    [{ maxRps: { listUser: 3 } }, /maxRps.listUser is not a quota category/],
    [{ filter: { riskLevel: ["High"] } }, /filter.riskLevel is not a filter/],
    [{ filter: { riskLevels: "High" } }, /filter.riskLevels must be a list of non-empty strings/],
    [{ client: {} }, /client must be a client with a send method/],
  ])("rejects %j with a TypeError naming the option", (bad, message) => {
    expect(() => auditUserPool({ ...base(), ...(bad as object) } as AuditOptions)).toThrow(message);
    expect(() => auditUserPool({ ...base(), ...(bad as object) } as AuditOptions)).toThrow(TypeError);
  });

  it("can be iterated only once", () => {
    const audit = auditUserPool(base());
    audit[Symbol.asyncIterator]();
    expect(() => audit[Symbol.asyncIterator]()).toThrow(/only be iterated once/);
  });
});

describe("QuotaPacer", () => {
  it("cuts the rate by 10% on a throttle and climbs back to it along the cubic", () => {
    let now = 1_000_000;
    const pacer = new QuotaPacer(50, { headroom: 0, now: () => now });
    expect(pacer.rate).toBe(50);
    pacer.record(true, now);
    expect(pacer.rate).toBeCloseTo(45, 5);
    pacer.record(true, now + 10); // sent before the service's window moved on: no second cut
    expect(pacer.cuts).toBe(1);
    now += 1000;
    const midway = pacer.rate;
    expect(midway).toBeGreaterThan(45);
    expect(midway).toBeLessThan(50);
    now += Math.cbrt((50 * 0.1) / 0.4) * 1000 - 1000;
    expect(pacer.rate).toBeCloseTo(50, 5);
    now += 5000;
    expect(pacer.rate).toBe(50);
  });

  it("with adaptive: false, keeps its rate whatever the throttles", () => {
    let now = 1_000_000;
    const pacer = new QuotaPacer(50, { adaptive: false, headroom: 0, now: () => now });
    for (let i = 0; i < 5; i++) {
      pacer.record(true, now);
      now += 2000;
    }
    expect(pacer.cuts).toBe(0);
    expect(pacer.rate).toBe(50);
  });
});
