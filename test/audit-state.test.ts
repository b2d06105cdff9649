/**
 * Incremental audits (src/audit/state.ts): a run given the previous run's state yields only the events added since,
 * each exactly once, at about one request per user; users deleted, renamed or new between runs; an interrupted
 * incremental run resumed from its checkpoint.
 */
import { afterAll, describe, expect, it } from "vitest";
import { auditUserPool, type AuditRecord } from "../src/audit/audit.ts";
import type { AuditCheckpoint } from "../src/audit/checkpoint.ts";
import type { AuditOptions } from "../src/audit/options.ts";
import { AuditStateBuilder, type AuditState } from "../src/audit/state.ts";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { buildAuditData } from "../bench/audit/data.ts";

const POOL = "us-east-1_auditState";
const FAST = { adminListUserAuthEvents: 2000, listUsers: 2000, perUser: 2000 };
const emulators: RunningEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulator(): Promise<RunningEmulator> {
  const data = buildAuditData({ users: 30, maxEvents: 300, seed: 11, poolId: POOL });
  const running = await startEmulator({ data, requestLogSize: 100_000 });
  emulators.push(running);
  return running;
}

function client(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
    maxAttempts: 1,
  });
}

/** One run: its records, the next state, and the requests it made. */
async function run(e: RunningEmulator, options: Partial<AuditOptions> = {}, builder?: AuditStateBuilder) {
  const next = builder ?? new AuditStateBuilder(POOL, options.filter);
  const before = e.core.requestLog.length;
  const records: AuditRecord[] = [];
  const audit = auditUserPool({
    client: client(e.url),
    userPoolId: POOL,
    maxRps: FAST,
    onUserDone: (user, _events, mark) => next.set(user, mark),
    ...options,
  });
  for await (const record of audit) records.push(record);
  const log = e.core.requestLog.slice(before);
  return {
    records,
    state: JSON.parse(JSON.stringify(next.toJSON())) as AuditState,
    eventRequests: log.filter((r) => r.operation === "AdminListUserAuthEvents").length,
  };
}

/** Adds `count` events to every third user (plus one new user's), newest last; their ids. */
function addEvents(e: RunningEmulator, count: number): string[] {
  const ids: string[] = [];
  const users = e.core.exportData().pools[0]!.users!;
  users.forEach((user, i) => {
    if (i % 3 !== 0) return;
    for (let n = 0; n < count; n++)
      ids.push(e.core.addEvent(POOL, user.username, { EventType: "SignIn", EventResponse: "Pass" }).EventId!);
  });
  return ids;
}

const ids = (records: readonly AuditRecord[]) => records.map((r) => r.event.EventId!).sort();

describe("an audit given the previous run's state", () => {
  it("yields only the events added since, each once, with far fewer requests", async () => {
    const e = await emulator();
    const first = await run(e);
    const users = e.core.exportData().pools[0]!.users!;
    expect(Object.keys(first.state.users)).toHaveLength(users.filter((u) => (u.events?.length ?? 0) > 0).length);

    const added = addEvents(e, 3);
    const second = await run(e, { state: first.state });
    expect(ids(second.records)).toEqual([...added].sort());
    // One page per user: the newest events and the mark fit in it.
    expect(second.eventRequests).toBe(users.length);
    expect(second.eventRequests).toBeLessThan(first.eventRequests / 2);

    // Nothing new: nothing yielded, and the state stays as it was.
    const third = await run(e, { state: second.state });
    expect(third.records).toEqual([]);
    expect(third.state).toEqual(second.state);
  });

  it("reads a user deleted since not at all, a renamed user (same sub) from its mark, a new one from the top", async () => {
    const e = await emulator();
    const first = await run(e);
    const users = e.core.exportData().pools[0]!.users!;
    const [gone, renamed, replaced] = users.filter((u) => (u.events?.length ?? 0) > 5);
    e.core.deleteUser(POOL, gone!.username);
    // A rename: the same sub and events under another username.
    e.core.deleteUser(POOL, renamed!.username);
    e.core.addUser(POOL, { ...renamed!, username: `${renamed!.username}-renamed` });
    const renamedNew = e.core.addEvent(POOL, `${renamed!.username}-renamed`, { EventType: "SignIn" }).EventId!;
    // Another user under a deleted user's username: another sub, so all of its events are new.
    e.core.deleteUser(POOL, replaced!.username);
    // (A sub of its own: the emulator derives a missing one from the username, which would be the old user's.)
    e.core.addUser(POOL, {
      username: replaced!.username,
      sub: "0b6f5b4e-2c1d-4f7e-9a3b-5d8c7e6f1a2b",
      events: [{ EventId: "fresh-1", CreationDate: 1_700_000_000 }],
    });

    const second = await run(e, { state: first.state });
    expect(ids(second.records)).toEqual([renamedNew, "fresh-1"].sort());
    expect(second.records.find((r) => r.event.EventId === renamedNew)?.user.Username).toBe(
      `${renamed!.username}-renamed`,
    );
    const keys = Object.keys(second.state.users);
    expect(keys).not.toContain(`sub:${gone!.sub}`);
    expect(keys).toContain(`sub:${renamed!.sub}`);
    expect(second.state.users[`sub:${renamed!.sub}`]?.eventId).toBe(renamedNew);
  });

  it("resumed after an interruption, yields the new events exactly once across both parts", async () => {
    const e = await emulator();
    const first = await run(e);
    const added = addEvents(e, 4);
    const next = new AuditStateBuilder(POOL);
    const controller = new AbortController();
    const part1: AuditRecord[] = [];
    const audit = auditUserPool({
      client: client(e.url),
      userPoolId: POOL,
      maxRps: { adminListUserAuthEvents: 30, perUser: 10 },
      concurrency: 3,
      state: first.state,
      abortSignal: controller.signal,
      onUserDone: (user, _events, mark) => next.set(user, mark),
    });
    await expect(
      (async () => {
        for await (const record of audit) {
          part1.push(record);
          if (part1.length === 10) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    const checkpoint = JSON.parse(JSON.stringify(audit.checkpoint())) as AuditCheckpoint;
    const part2 = await run(e, { state: first.state, checkpoint }, next);
    expect(ids([...part1, ...part2.records])).toEqual([...added].sort());
    // The state built over both parts is the state of an uninterrupted run.
    const uninterrupted = await run(e, { state: first.state });
    expect(part2.state).toEqual(uninterrupted.state);
  });

  it("stops at an older event when the marked one is gone (by its date)", async () => {
    const e = await emulator();
    const user = e.core.exportData().pools[0]!.users!.find((u) => (u.events?.length ?? 0) > 10)!;
    const events = e.core.getEvents(POOL, user.username)!;
    const state: AuditState = {
      version: 1,
      kind: "cognito-auth-events/audit-state",
      userPoolId: POOL,
      users: {},
    };
    // Marked: an event that no longer exists, dated between the 3rd and 4th newest.
    const third = Number(events[2]!.CreationDate) * 1000;
    const fourth = Number(events[3]!.CreationDate) * 1000;
    state.users[`sub:${user.sub}`] = { eventId: "expired", creationDate: (third + fourth) / 2 };
    const { records } = await run(e, { state, filter: undefined });
    const mine = records.filter((r) => r.user.Username === user.username);
    expect(mine.map((r) => r.event.EventId)).toEqual(events.slice(0, 3).map((ev) => ev.EventId));
  });

  it("refuses a state made for another pool or with another filter", async () => {
    const e = await emulator();
    const state: AuditState = { version: 1, kind: "cognito-auth-events/audit-state", userPoolId: POOL, users: {} };
    const base = { client: client(e.url), userPoolId: POOL };
    expect(() => auditUserPool({ ...base, userPoolId: "us-east-1_other", state })).toThrow(/state: it belongs to pool/);
    expect(() => auditUserPool({ ...base, state, filter: { riskLevels: ["High"] } })).toThrow(/another filter/);
    expect(() =>
      auditUserPool({
        ...base,
        state: { ...state, filter: { riskLevels: ["HIGH"] } },
        filter: { riskLevels: ["high"] },
      }),
    ).not.toThrow();
    expect(() => auditUserPool({ ...base, state: { ...state, kind: "x" } as never })).toThrow(/not an audit state/);
    expect(() => auditUserPool({ ...base, state: { ...state, users: { "sub:x": {} } } })).toThrow(
      /state\.users\["sub:x"\]: expected an eventId or a creationDate/,
    );
  });
});
