/** The audit summary (src/audit/summary.ts, summary-table.ts): counts, top IPs, state round trips, the table. */
import { describe, expect, it } from "vitest";
import { AuditSummary, MISSING, type AuditSummaryState } from "../src/audit/summary.ts";
import { formatSummaryTable } from "../src/audit/summary-table.ts";
import { displayWidth } from "../src/east-asian-width.ts";
import type { AuthEventType } from "../generated/types.ts";

const ev = (over: Partial<AuthEventType> & { ip?: string; country?: string }): AuthEventType => {
  const { ip, country, ...rest } = over;
  return {
    EventId: "e",
    EventType: "SignIn",
    CreationDate: new Date("2026-11-01T00:00:00Z"),
    EventResponse: "Pass",
    EventRisk: { RiskDecision: "NoRisk", RiskLevel: "Low", CompromisedCredentialsDetected: false },
    EventContextData: { IpAddress: ip ?? "198.51.100.1", Country: country ?? "Chile" },
    ...rest,
  };
};

function sample(): AuditSummary {
  const s = new AuditSummary();
  s.add("ann", ev({ EventResponse: "Fail", ip: "203.0.113.9" }));
  s.add("ann", ev({ EventResponse: "Fail", ip: "203.0.113.9", CreationDate: new Date("2026-11-03T00:00:00Z") }));
  s.add("bob", ev({ EventResponse: "Fail", ip: "203.0.113.1" }));
  s.add("bob", ev({ EventType: "ForgotPassword", EventResponse: "Fail", ip: "203.0.113.5" }));
  s.add(
    "bob",
    ev({
      EventRisk: { RiskDecision: "Block", RiskLevel: "High", CompromisedCredentialsDetected: true },
      country: "日本",
    }),
  );
  s.add(
    "cy",
    ev({ EventRisk: undefined, EventContextData: undefined, CreationDate: new Date("2026-10-30T00:00:00Z") }),
  );
  s.add("cy", ev({ EventRisk: { RiskDecision: "AccountTakeover", CompromisedCredentialsDetected: true } }));
  s.userDone(true);
  s.userDone(true);
  s.userDone(true);
  s.userDone(false);
  return s;
}

describe("AuditSummary", () => {
  it("counts events by type, response, risk level, risk decision and country, labelling missing members", () => {
    const report = sample().toJSON();
    expect(report.events).toBe(7);
    expect(report.users).toEqual({ audited: 4, withEvents: 3 });
    expect(report.byEventType).toEqual({ SignIn: 6, ForgotPassword: 1 });
    expect(report.byResponse).toEqual({ Fail: 4, Pass: 3 });
    expect(report.byRiskLevel).toEqual({ Low: 4, [MISSING]: 2, High: 1 });
    expect(report.byRiskDecision).toEqual({ NoRisk: 4, AccountTakeover: 1, Block: 1, [MISSING]: 1 });
    expect(report.byCountry).toEqual({ Chile: 5, "(none)": 1, 日本: 1 });
  });

  it("sorts count tables by count, then label (code unit order)", () => {
    expect(Object.keys(sample().toJSON().byRiskDecision)).toEqual(["NoRisk", MISSING, "AccountTakeover", "Block"]);
  });

  it("lists each user with compromised credentials once, sorted", () => {
    expect(sample().toJSON().compromisedCredentials).toEqual({ events: 2, users: ["bob", "cy"] });
  });

  it("ranks IP addresses by failed sign-ins only (not other failed events), ties by address, cut to top", () => {
    const report = sample().toJSON({ top: 2 });
    expect(report.topFailedSignInIps).toEqual([
      { ip: "203.0.113.9", failedSignIns: 2 },
      { ip: "203.0.113.1", failedSignIns: 1 },
    ]);
  });

  it("cuts every list to top and says how many it left out", () => {
    const report = sample().toJSON({ top: 1 });
    expect(report.byRiskLevel).toEqual({ Low: 4 });
    expect(report.byCountry).toEqual({ Chile: 5 });
    expect(report.compromisedCredentials).toEqual({ events: 2, users: ["bob"] });
    expect(report.topFailedSignInIps).toEqual([{ ip: "203.0.113.9", failedSignIns: 2 }]);
    expect(report.more).toEqual({
      byEventType: 1,
      byResponse: 1,
      byRiskLevel: 2,
      byRiskDecision: 3,
      byCountry: 2,
      compromisedUsers: 1,
      failedSignInIps: 1,
    });
    expect(sample().toJSON().more).toBeUndefined();
  });

  it("does not rank failed sign-ins without an IP address among the addresses", () => {
    const s = sample();
    for (let i = 0; i < 5; i++) s.add("eve", ev({ EventResponse: "Fail", EventContextData: { Country: "Peru" } }));
    const report = s.toJSON({ top: 5 });
    expect(report.topFailedSignInIps.map(({ ip }) => ip)).toEqual(["203.0.113.9", "203.0.113.1"]);
    expect(report.failedSignInsWithoutIp).toBe(5);
    expect(formatSummaryTable(report)).toContain(
      "Top IP addresses by failed sign-ins\n  203.0.113.9  2\n  203.0.113.1  1\n  (5 failed sign-ins without an IP address)\n",
    );
  });

  it("records the oldest and newest event and the window", () => {
    const report = sample().toJSON({ since: new Date("2026-10-01T00:00:00Z") });
    expect(report.oldestEvent).toBe("2026-10-30T00:00:00.000Z");
    expect(report.newestEvent).toBe("2026-11-03T00:00:00.000Z");
    expect(report.window).toEqual({ since: "2026-10-01T00:00:00.000Z" });
  });

  it("continues from a saved state exactly as if it had never stopped", () => {
    const whole = sample();
    whole.add("dee", ev({ EventResponse: "Fail", ip: "203.0.113.1" }));
    const saved = JSON.parse(JSON.stringify(sample().state)) as AuditSummaryState;
    const resumed = new AuditSummary(saved);
    resumed.add("dee", ev({ EventResponse: "Fail", ip: "203.0.113.1" }));
    expect(resumed.toJSON()).toEqual(whole.toJSON());
    expect(resumed.state).toEqual(whole.state);
  });

  it("counts a country called __proto__ like any other", () => {
    const s = new AuditSummary();
    s.add("x", ev({ country: "__proto__" }));
    const report = s.toJSON();
    expect(Object.keys(report.byCountry)).toEqual(["__proto__"]);
    expect(JSON.parse(JSON.stringify(report)).byCountry).toEqual(JSON.parse('{"__proto__": 1}'));
    const restored = new AuditSummary(JSON.parse(JSON.stringify(s.state)) as AuditSummaryState).toJSON();
    expect(Object.entries(restored.byCountry)).toEqual([["__proto__", 1]]);
  });

  it("refuses a damaged state, naming the member", () => {
    const state = JSON.parse(JSON.stringify(sample().state)) as Record<string, unknown>;
    state["byCountry"] = { Chile: -1 };
    expect(() => new AuditSummary(state as unknown as AuditSummaryState)).toThrow(
      "checkpoint.summary.byCountry.Chile: expected a count",
    );
    expect(() => new AuditSummary({ ...(state as object), users: "3" } as unknown as AuditSummaryState)).toThrow(
      "checkpoint.summary.users",
    );
  });

  it("rejects a negative top", () => {
    expect(() => sample().toJSON({ top: -1 })).toThrow(TypeError);
  });
});

describe("formatSummaryTable", () => {
  const table = formatSummaryTable(sample().toJSON());

  it("prints every section with counts and shares", () => {
    expect(table).toContain("Users audited: 4 (3 with events)\nEvents: 7\n");
    expect(table).toContain("By risk level\n  Low     4   57.1%\n  (none)  2   28.6%\n  High    1   14.3%\n");
    expect(table).toContain("Compromised credentials: 2 events, 2 users\n  bob\n  cy\n");
    expect(table).toContain("Top IP addresses by failed sign-ins\n  203.0.113.9  2\n  203.0.113.1  1\n");
  });

  it("aligns columns counting East Asian wide characters as two", () => {
    expect(displayWidth("日本")).toBe(4);
    expect(displayWidth("Zürich")).toBe(6);
    expect(table).toContain("By country\n  Chile   5   71.4%\n  (none)  1   14.3%\n  日本    1   14.3%\n");
  });

  it("counts wide emoji (U+231A WATCH, U+2615 HOT BEVERAGE) as two columns and ambiguous characters as one", () => {
    expect([displayWidth("\u231a"), displayWidth("\u2615"), displayWidth("±§°")]).toEqual([2, 2, 3]);
    const s = new AuditSummary();
    for (const country of ["Peru", "Peru", "\u231a", "\u2615", "±"]) s.add("ann", ev({ country }));
    expect(formatSummaryTable(s.toJSON())).toContain(
      "By country\n  Peru  2   40.0%\n  ±     1   20.0%\n  \u231a    1   20.0%\n  \u2615    1   20.0%\n",
    );
  });

  it("ends each list cut by top with 'and N more'", () => {
    const cut = formatSummaryTable(sample().toJSON({ top: 1 }));
    expect(cut).toContain("By risk level\n  Low         4   57.1%\n  and 2 more  3   42.9%\n");
    expect(cut).toContain("Compromised credentials: 2 events, 2 users\n  bob\n  and 1 more\n");
    expect(cut).toContain("Top IP addresses by failed sign-ins\n  203.0.113.9  2\n  and 1 more\n");
  });

  it("says (none) for an empty section", () => {
    expect(formatSummaryTable(new AuditSummary().toJSON())).toContain(
      "Top IP addresses by failed sign-ins\n  (none)\n",
    );
  });
});
