/**
 * The report's figures (src/report/aggregate.ts), counted from streamed audit records: each figure checked against
 * the records it comes from, invariants over arbitrary records, and memory that does not hold the records.
 */
import fc from "fast-check";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { AuthEventType } from "../generated/types.ts";
import type { AuditRecord } from "../src/audit/audit.ts";
import { ReportAggregator } from "../src/report/aggregate.ts";
import { lastSignInRows } from "../src/report/last-sign-in.ts";

const at = (iso: string) => new Date(iso);
function record(username: string, event: AuthEventType): AuditRecord {
  return { user: { Username: username }, event };
}
function signIn(
  username: string,
  when: string,
  response: "Pass" | "Fail",
  ip?: string,
  extra: Partial<AuthEventType> = {},
) {
  return record(username, {
    EventType: "SignIn",
    EventResponse: response,
    CreationDate: at(when),
    ...(ip !== undefined && { EventContextData: { IpAddress: ip, City: "Zürich", Country: "Switzerland" } }),
    ...extra,
  });
}
function aggregate(records: readonly AuditRecord[]) {
  const aggregator = new ReportAggregator();
  for (const r of records) aggregator.add(r);
  return aggregator.result();
}

describe("ReportAggregator", () => {
  it("counts events per UTC hour, stacked by risk decision (others apart), with failed events", () => {
    const data = aggregate([
      signIn("a", "2024-05-01T10:05:00Z", "Pass", "192.0.2.1", { EventRisk: { RiskDecision: "NoRisk" } }),
      signIn("a", "2024-05-01T10:59:59.999Z", "Fail", "192.0.2.1", { EventRisk: { RiskDecision: "Block" } }),
      signIn("b", "2024-05-01T11:00:00Z", "Fail", "192.0.2.2", { EventRisk: { RiskDecision: "AccountTakeover" } }),
      signIn("b", "2024-05-01T11:30:00Z", "Pass"),
      record("b", {
        EventType: "SignUp",
        EventRisk: { RiskDecision: "Unheard-of" as never },
        CreationDate: at("2024-05-01T11:31:00Z"),
      }),
      record("c", { EventType: "SignIn", EventResponse: "Fail" }),
    ]);
    expect(data.timeline).toEqual([
      {
        start: Date.parse("2024-05-01T10:00:00Z"),
        counts: { NoRisk: 1, AccountTakeover: 0, Block: 1, other: 0 },
        failed: 1,
      },
      {
        start: Date.parse("2024-05-01T11:00:00Z"),
        counts: { NoRisk: 0, AccountTakeover: 1, Block: 0, other: 2 },
        failed: 1,
      },
    ]);
    expect(data.undatedEvents).toBe(1);
    expect(data.signIns).toEqual({ total: 5, failed: 3, failedWithoutAddress: 1 });
  });

  it("keeps each user's latest successful sign-in with where it came from, and nothing for users without one", () => {
    const data = aggregate([
      signIn("alice", "2024-05-01T10:00:00Z", "Pass", "192.0.2.1"),
      signIn("alice", "2024-05-03T10:00:00Z", "Pass", "192.0.2.3", { EventId: "e3" }),
      signIn("alice", "2024-05-04T10:00:00Z", "Fail", "192.0.2.4"),
      record("alice", { EventType: "ForgotPassword", EventResponse: "Pass", CreationDate: at("2024-05-05T00:00:00Z") }),
      signIn("alice", "2024-05-02T10:00:00Z", "Pass", "192.0.2.2"),
      signIn("bob", "2024-05-02T10:00:00Z", "Fail", "192.0.2.9"),
    ]);
    const alice = data.users.find((u) => u.username === "alice")!;
    expect(alice.lastSignIn).toEqual({
      time: Date.parse("2024-05-03T10:00:00Z"),
      eventId: "e3",
      ipAddress: "192.0.2.3",
      city: "Zürich",
      country: "Switzerland",
    });
    expect(data.users.find((u) => u.username === "bob")!.lastSignIn).toBeUndefined();
    // Days count back from the newest event (no window, no audit time).
    expect(lastSignInRows(data).map((r) => [r.Username, r.LastSignIn, r.DaysBeforePeriodEnd])).toEqual([
      ["bob", null, null],
      ["alice", "2024-05-03T10:00:00.000Z", 1],
    ]);
  });

  it("counts users without events once the audit reports them done; an audit file only knows users with events", () => {
    const listed = new ReportAggregator({ asOf: at("2024-06-01T00:00:00Z") });
    listed.add(signIn("alice", "2024-05-01T10:00:00Z", "Pass"));
    listed.userDone({ Username: "alice" });
    listed.userDone({ Username: "idle", sub: "sub-idle" });
    const data = listed.result();
    expect(data.usersListed).toBe(true);
    expect(data.summary.users).toEqual({ audited: 2, withEvents: 1 });
    expect(data.periodEnd).toEqual(at("2024-06-01T00:00:00Z"));
    expect(lastSignInRows(data)[0]).toMatchObject({ Username: "idle", sub: "sub-idle", LastSignIn: null, Events: 0 });
    expect(lastSignInRows(data)[1]).toMatchObject({ Username: "alice", DaysBeforePeriodEnd: 30 });

    const file = aggregate([
      signIn("alice", "2024-05-01T10:00:00Z", "Pass"),
      signIn("bob", "2024-05-01T11:00:00Z", "Fail"),
    ]);
    expect(file.usersListed).toBe(false);
    expect(file.summary.users).toEqual({ audited: 2, withEvents: 2 });
  });

  it("ranks IP addresses by failed sign-ins with the distinct users they failed against and their successes", () => {
    const data = aggregate([
      signIn("a", "2024-05-01T10:00:00Z", "Fail", "203.0.113.7"),
      signIn("a", "2024-05-01T10:01:00Z", "Fail", "203.0.113.7"),
      signIn("b", "2024-05-01T10:02:00Z", "Fail", "203.0.113.7"),
      signIn("c", "2024-05-01T10:03:00Z", "Pass", "203.0.113.7"),
      signIn("c", "2024-05-01T10:04:00Z", "Fail", "198.51.100.1"),
      signIn("d", "2024-05-01T10:05:00Z", "Pass", "198.51.100.2"),
      record("d", {
        EventType: "ForgotPassword",
        EventResponse: "Fail",
        EventContextData: { IpAddress: "198.51.100.2" },
      }),
    ]);
    expect(data.ips).toEqual([
      { ip: "203.0.113.7", failedSignIns: 3, passedSignIns: 1, usersWithFailures: 2 },
      { ip: "198.51.100.1", failedSignIns: 1, passedSignIns: 0, usersWithFailures: 1 },
    ]);
  });

  it("counts risky events by feedback, and per user the ones still waiting, with the latest one's id", () => {
    const risky = (when: string, decision: "Block" | "AccountTakeover", feedback?: string, id?: string) =>
      record("u", {
        EventType: "SignIn",
        EventResponse: "Fail",
        CreationDate: at(when),
        EventRisk: { RiskDecision: decision },
        ...(id !== undefined && { EventId: id }),
        ...(feedback !== undefined && { EventFeedback: { FeedbackValue: feedback as never, Provider: "Admin" } }),
      });
    const data = aggregate([
      risky("2024-05-01T00:00:00Z", "Block", "Valid"),
      risky("2024-05-02T00:00:00Z", "Block", undefined, "old"),
      risky("2024-05-04T00:00:00Z", "AccountTakeover", undefined, "newest"),
      risky("2024-05-03T00:00:00Z", "AccountTakeover", "Invalid"),
      risky("2024-05-03T00:00:00Z", "AccountTakeover", "Maybe"),
    ]);
    expect(data.feedback).toEqual({
      AccountTakeover: { Valid: 0, Invalid: 1, other: 1, none: 1 },
      Block: { Valid: 1, Invalid: 0, other: 0, none: 1 },
    });
    const user = data.users[0]!;
    expect([user.blocks, user.takeovers, user.awaitingFeedback]).toEqual([2, 3, 2]);
    expect(user.lastAwaiting).toEqual({ time: Date.parse("2024-05-04T00:00:00Z"), eventId: "newest" });
  });

  it("counts by country and city, absent ones as (none), most events first", () => {
    const place = (Country?: string, City?: string, response: "Pass" | "Fail" = "Pass") =>
      record("u", { EventType: "SignIn", EventResponse: response, EventContextData: { Country, City } });
    const data = aggregate([
      place("Japan", "東京"),
      place("Japan", "東京", "Fail"),
      place("Japan", "Osaka"),
      place(undefined, undefined),
      place("__proto__", "constructor"),
    ]);
    expect(data.countries).toEqual([
      { country: "Japan", events: 3, failed: 1 },
      { country: "(none)", events: 1, failed: 0 },
      { country: "__proto__", events: 1, failed: 0 },
    ]);
    expect(data.cities[0]).toEqual({ country: "Japan", city: "東京", events: 2, failed: 1 });
    expect(data.summary.byCountry).toEqual(
      Object.fromEntries([
        ["Japan", 3],
        ["(none)", 1],
        ["__proto__", 1],
      ]),
    );
  });

  it("adds up: timeline, countries, users and risk decisions each account for every event (any records)", () => {
    const text = fc.constantFrom(
      undefined,
      "",
      "x",
      "<b>",
      "Pass",
      "Fail",
      "SignIn",
      "Block",
      "AccountTakeover",
      "NoRisk",
    );
    const event = fc.record(
      {
        EventType: text,
        EventResponse: text,
        CreationDate: fc.option(fc.date({ min: at("2020-01-01"), max: at("2030-01-01"), noInvalidDate: true }), {
          nil: undefined,
        }),
        EventRisk: fc.option(fc.record({ RiskDecision: text, CompromisedCredentialsDetected: fc.boolean() }), {
          nil: undefined,
        }),
        EventContextData: fc.option(fc.record({ IpAddress: text, Country: text, City: text }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), event), { maxLength: 60 }), (items) => {
        const data = aggregate(items.map(([u, e]) => record(u, e as AuthEventType)));
        const n = items.length;
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        expect(sum(data.timeline.map((h) => sum(Object.values(h.counts)))) + data.undatedEvents).toBe(n);
        expect(sum(data.countries.map((c) => c.events))).toBe(n);
        expect(sum(data.cities.map((c) => c.events))).toBe(n);
        expect(sum(data.users.map((u) => u.events))).toBe(n);
        expect(sum(Object.values(data.summary.byRiskDecision))).toBe(n);
        const risky =
          (data.summary.byRiskDecision["Block"] ?? 0) + (data.summary.byRiskDecision["AccountTakeover"] ?? 0);
        expect(sum(Object.values(data.feedback).flatMap((f) => Object.values(f)))).toBe(risky);
        expect(sum(data.ips.map((ip) => ip.failedSignIns)) + data.signIns.failedWithoutAddress).toBe(
          data.signIns.failed,
        );
      }),
    );
  });
});

describe("ReportAggregator's memory", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;

  it("keeps no record alive: memory follows users and distinct keys, not events", async () => {
    const aggregator = new ReportAggregator();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 5_000; i++) {
      const event: AuthEventType = {
        EventId: `e${i}`,
        EventType: "SignIn",
        EventResponse: i % 3 === 0 ? "Fail" : "Pass",
        CreationDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
        EventRisk: { RiskDecision: i % 5 === 0 ? "Block" : "NoRisk", CompromisedCredentialsDetected: i % 7 === 0 },
        EventContextData: { IpAddress: `192.0.2.${i % 50}`, City: "Zürich", Country: "Switzerland", DeviceName: "d" },
      };
      const r = record(`user${i % 20}`, event);
      if (i % 100 === 0) refs.push(new WeakRef(r), new WeakRef(event), new WeakRef(event.EventContextData!));
      aggregator.add(r);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    gc();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(aggregator.result().users).toHaveLength(20);
  });
});
