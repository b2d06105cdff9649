/**
 * The audit's pacing (src/audit/pacer.ts and the audit on top of it), on a fake clock: what requests go out when,
 * counted against a service that throttles above its quotas in any sliding second. No wall time is measured: the
 * fake clock only moves when every task waits for a timer, so the figures are the pacing's own, on any machine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auditUserPool, type AuditRecord } from "../src/audit/audit.ts";
import { QuotaPacer } from "../src/audit/pacer.ts";
import type { PaginationClient } from "../src/paginate.ts";
import type { AuthEventType } from "../generated/types.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  vi.setSystemTime(Date.UTC(2026, 10, 1));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the fake clock until the promise settles. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = promise.finally(() => {
    settled = true;
  });
  while (!settled) await vi.advanceTimersByTimeAsync(5);
  return done;
}

class TooManyRequestsException extends Error {
  override readonly name = "TooManyRequestsException";
  readonly $metadata = { httpStatusCode: 400 };
}

interface Sent {
  operation: string;
  username?: string;
  time: number;
}

/**
 * An in-memory user pool answering ListUsers and AdminListUserAuthEvents as the service pages them, and throttling
 * as the service does: more than `quota` requests of an operation (or `perUser` for one user) in the last second.
 */
function fakeService(users: number, quotas: { events: number; listUsers: number; perUser: number }) {
  const events = new Map<string, AuthEventType[]>();
  for (let u = 0; u < users; u++) {
    const username = `user-${String(u).padStart(3, "0")}`;
    const count = (u * 37) % 150;
    events.set(
      username,
      Array.from({ length: count }, (_, i) => ({
        EventId: `${username}-${i}`,
        EventType: "SignIn" as const,
        CreationDate: new Date(Date.UTC(2026, 9, 1) - i * 60_000),
      })),
    );
  }
  const sent: Sent[] = [];
  const accepted: Sent[] = [];
  const throttled: Sent[] = [];
  const recent = (filter: (s: Sent) => boolean, now: number) =>
    accepted.filter((s) => filter(s) && s.time > now - 1000).length;
  const client: PaginationClient = {
    async send(command) {
      const operation = (command as unknown as { schema: { name: string } }).schema.name;
      const input = command.input as Record<string, string | number | undefined>;
      const now = Date.now();
      const request: Sent = { operation, time: now, ...(input["Username"] && { username: String(input["Username"]) }) };
      sent.push(request);
      const over =
        operation === "ListUsers"
          ? recent((s) => s.operation === "ListUsers", now) >= quotas.listUsers
          : recent((s) => s.operation !== "ListUsers", now) >= quotas.events ||
            recent((s) => s.username === request.username, now) >= quotas.perUser;
      if (over) {
        throttled.push(request);
        throw new TooManyRequestsException("Rate exceeded");
      }
      accepted.push(request);
      if (operation === "ListUsers") {
        const from = Number(input["PaginationToken"] ?? 0);
        const names = [...events.keys()].slice(from, from + Number(input["Limit"] ?? 60));
        const next = from + names.length < events.size ? String(from + names.length) : undefined;
        return { Users: names.map((Username) => ({ Username })), ...(next && { PaginationToken: next }) };
      }
      const all = events.get(String(input["Username"]))!;
      const from = Number(input["NextToken"] ?? 0);
      const page = all.slice(from, from + Number(input["MaxResults"] ?? 60));
      const next = from + page.length < all.length ? String(from + page.length) : undefined;
      return { AuthEvents: page, ...(next && { NextToken: next }) };
    },
  };
  return { client, events, sent, throttled };
}

/** The most requests sent in any one second (a window opening at each send time). */
function busiestSecond(times: readonly number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
}

describe("the audit's pacing, on a fake clock", () => {
  const quotas = { events: 25, listUsers: 5, perUser: 5 };

  async function run(concurrency: number) {
    const service = fakeService(60, quotas);
    const audit = auditUserPool({
      client: service.client,
      userPoolId: "us-east-1_pacing",
      concurrency,
      maxRps: { adminListUserAuthEvents: quotas.events, listUsers: quotas.listUsers, perUser: quotas.perUser },
    });
    const records: AuditRecord[] = [];
    await settle(
      (async () => {
        for await (const record of audit) records.push(record);
      })(),
    );
    return { service, audit, records };
  }

  it("reads every event once and is never throttled by a service that counts requests in a sliding second", async () => {
    const { service, audit, records } = await run(10);
    const byUser = new Map<string, string[]>();
    for (const { user, event } of records)
      byUser.set(user.Username, [...(byUser.get(user.Username) ?? []), event.EventId!]);
    for (const [username, events] of service.events)
      expect(byUser.get(username) ?? [], username).toEqual(events.map((e) => e.EventId));
    expect(service.throttled).toEqual([]);
    expect(audit.counts.requests).toBe(service.sent.length);
  });

  it("never sends more than each quota in any second: per category and per user", async () => {
    const { service } = await run(10);
    const times = (filter: (s: Sent) => boolean) => service.sent.filter(filter).map((s) => s.time);
    expect(busiestSecond(times((s) => s.operation === "AdminListUserAuthEvents"))).toBeLessThanOrEqual(quotas.events);
    expect(busiestSecond(times((s) => s.operation === "ListUsers"))).toBeLessThanOrEqual(quotas.listUsers);
    for (const username of service.events.keys())
      expect(busiestSecond(times((s) => s.username === username)), username).toBeLessThanOrEqual(quotas.perUser);
  });

  it("keeps the pace of the quota less the headroom from the first request to the last", async () => {
    const { service } = await run(10);
    const times = service.sent.filter((s) => s.operation === "AdminListUserAuthEvents").map((s) => s.time);
    const spanSeconds = (times.at(-1)! - times[0]!) / 1000;
    const paced = (times.length - 1) / (quotas.events * (1 - 0.03));
    expect(spanSeconds).toBeGreaterThanOrEqual(paced * 0.999);
    expect(spanSeconds).toBeLessThan(paced * 1.02);
  });

  it("holds a user with many pages to the per-user quota, however fast the category may go", async () => {
    const service = fakeService(1, { events: 1000, listUsers: 5, perUser: 5 });
    service.events.set(
      "user-000",
      Array.from({ length: 1000 }, (_, i) => ({ EventId: `e-${i}`, CreationDate: new Date(Date.UTC(2026, 9, 1) - i) })),
    );
    const audit = auditUserPool({
      client: service.client,
      userPoolId: "us-east-1_pacing",
      maxRps: { adminListUserAuthEvents: 1000, listUsers: 5, perUser: 5 },
    });
    let read = 0;
    await settle(
      (async () => {
        for await (const _ of audit) read++;
      })(),
    );
    const times = service.sent.filter((s) => s.operation === "AdminListUserAuthEvents").map((s) => s.time);
    expect(read).toBe(1000);
    expect(times).toHaveLength(17);
    expect(service.throttled).toEqual([]);
    expect(busiestSecond(times)).toBe(5);
  });
});

describe("QuotaPacer, on a fake clock", () => {
  async function sendTimes(pacer: QuotaPacer, count: number): Promise<number[]> {
    return settle(Promise.all(Array.from({ length: count }, () => pacer.acquire())));
  }

  it("spaces requests evenly at the rate less the headroom", async () => {
    const times = await sendTimes(new QuotaPacer(100, { headroom: 0.05 }), 21);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(1000 / 95, 0);
  });

  it("never lets more than the rate through in any window, even after a stalled caller", async () => {
    const pacer = new QuotaPacer(40, { headroom: 0.05 });
    const first = await sendTimes(pacer, 5);
    // A stalled caller: its missed slots must not go out in a burst.
    await vi.advanceTimersByTimeAsync(300);
    const rest = await sendTimes(pacer, 40);
    expect(busiestSecond([...first, ...rest])).toBeLessThanOrEqual(40);
  });
});
