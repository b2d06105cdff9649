/**
 * The OCSF export (src/ocsf/): every event it writes is a valid OCSF 1.8 Authentication event,
 * checked against the schema's own files (test/fixtures/ocsf-schema) by test/fixtures/ocsf/validate.ts;
 * the mapping table the README documents; hostile values stay data in the NDJSON.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthEventType } from "../generated/types.ts";
import { auditUserPool, type AuditRecord } from "../src/audit/audit.ts";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { type OcsfAuthentication, toOcsfAuthentication } from "../src/ocsf/authentication.ts";
import { countryCode } from "../src/ocsf/country-codes.ts";
import { ocsfNdjson, ocsfNdjsonLine } from "../src/ocsf/ndjson.ts";
import { validateOcsfEvent } from "./fixtures/ocsf/validate.ts";

const SCHEMA = join(import.meta.dirname, "fixtures", "ocsf-schema");
const POOL = "eu-west-1_AbCdEf123";
const USER = { Username: "alice", sub: "0b6f5b4e-2c1d-4f7e-9a3b-5d8c7e6f1a2b" };

/** An event with every member Cognito has. */
const FULL_EVENT: AuthEventType = {
  EventId: "evt-1",
  EventType: "SignIn",
  CreationDate: new Date("2026-11-02T08:00:00.250Z"),
  EventResponse: "Pass",
  EventRisk: { RiskDecision: "AccountTakeover", RiskLevel: "Medium", CompromisedCredentialsDetected: false },
  ChallengeResponses: [
    { ChallengeName: "Password", ChallengeResponse: "Success" },
    { ChallengeName: "Mfa", ChallengeResponse: "Success" },
  ],
  EventContextData: {
    IpAddress: "203.0.113.7",
    DeviceName: "Chrome 126, macOS 14.5",
    Timezone: "+01:00",
    City: "Zürich",
    Country: "Switzerland",
  },
  EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: new Date("2026-11-03T00:00:00Z") },
};

const map = (event: AuthEventType, extra: { accountId?: string; region?: string } = {}): OcsfAuthentication =>
  toOcsfAuthentication({ event, user: USER, userPoolId: POOL, ...extra });

describe("the vendored OCSF schema", () => {
  it("holds exactly the files its PROVENANCE lists, unchanged, with the schema's LICENSE and NOTICE", () => {
    const provenance = readFileSync(join(SCHEMA, "PROVENANCE.md"), "utf8");
    const rows = [...provenance.matchAll(/^\|\s*`([^`]+)`\s*\|\s*`([0-9a-f]{64})`\s*\|$/gm)];
    expect(rows.length).toBeGreaterThan(20);
    for (const [, file, sha256] of rows) {
      const actual = createHash("sha256")
        .update(readFileSync(join(SCHEMA, file!)))
        .digest("hex");
      expect(actual, file).toBe(sha256);
    }
    expect(JSON.parse(readFileSync(join(SCHEMA, "version.json"), "utf8"))).toEqual({ version: "1.8.0" });
    expect(readFileSync(join(SCHEMA, "LICENSE"), "utf8")).toContain("Apache License");
    expect(existsSync(join(SCHEMA, "NOTICE"))).toBe(true);
  });
});

/** An event as a test breaks it: any member, at any depth, set to anything. */
// biome-ignore lint/suspicious/noExplicitAny: the cases below write shapes no type describes, on purpose
type Breakable = Record<string, any>;

describe("the test's OCSF validator", () => {
  const valid = () => structuredClone(map(FULL_EVENT, { accountId: "123456789012" })) as unknown as Breakable;

  it("accepts a mapped event", () => {
    expect(validateOcsfEvent(valid())).toEqual([]);
  });

  // Each broken event must be refused for the reason given: the validator can fail.
  const cases: Array<[string, (e: Breakable) => void, RegExp]> = [
    ["a missing required attribute of the class", (e) => delete e.user, /^user: required/],
    ["a missing required attribute of the base event", (e) => delete e.severity_id, /^severity_id: required/],
    ["a missing required attribute of an object", (e) => delete e.metadata.product, /^metadata\.product: required/],
    ["a missing required attribute of a nested object", (e) => delete e.device.type_id, /^device\.type_id: required/],
    ["a value of the wrong type", (e) => (e.time = "2026-11-02"), /^time: expected timestamp_t/],
    ["a float where a long is due", (e) => (e.time = 1.5), /^time: expected timestamp_t/],
    ["an enum id outside the enum", (e) => (e.activity_id = 42), /^activity_id: 42 is not an id/],
    ["an enum id outside an object's enum", (e) => (e.user.type_id = 7), /^user\.type_id: 7 is not an id/],
    ["an attribute outside the schema", (e) => (e.cognito_user_pool = POOL), /^cognito_user_pool: not an attribute/],
    ["an attribute outside an object", (e) => (e.src_endpoint.city = "x"), /^src_endpoint\.city: not an attribute/],
    ["a profile attribute without its profile", (e) => (e.metadata.profiles = ["cloud"]), /^device: from the host/],
    [
      "a string that breaks its type's pattern",
      (e) => (e.src_endpoint.ip = "not-an-ip"),
      /src_endpoint\.ip: .*pattern/,
    ],
    ["an object missing all of its at_least_one", (e) => (e.user = { type_id: 1 }), /^user: needs at least one/],
    ["a sibling that is not the caption", (e) => (e.status = "Passed"), /^status: "Passed" is not the caption/],
    [
      "an Other without the source's value",
      (e) => {
        e.status_id = 99;
        delete e.status;
      },
      /^status: status_id is 99/,
    ],
    ["a wrong type_uid", (e) => (e.type_uid = 300201 + 1), /^type_uid: expected 300201/],
    ["a wrong class_uid", (e) => (e.class_uid = 3001), /^class_uid: expected 3002/],
    ["an array attribute given one value", (e) => (e.auth_factors = e.auth_factors[0]), /^auth_factors: expected/],
    ["a missing at_least_one of the class", (e) => delete e.service, /^authentication: needs at least one/],
  ];
  for (const [title, breakIt, problem] of cases) {
    it(`refuses ${title}`, () => {
      const event = valid();
      breakIt(event);
      const problems = validateOcsfEvent(event);
      expect(
        problems.some((p) => problem.test(p)),
        problems.join("\n"),
      ).toBe(true);
    });
  }

  it("accepts anything under unmapped", () => {
    const event = valid();
    event.unmapped = { anything: { nested: [1, "two", null] }, __proto__x: true };
    expect(validateOcsfEvent(event)).toEqual([]);
  });
});

describe("toOcsfAuthentication", () => {
  it("maps every member of a Cognito event as the README's table says", () => {
    expect(map(FULL_EVENT, { accountId: "123456789012" })).toEqual({
      activity_id: 1,
      activity_name: "Logon",
      category_uid: 3,
      category_name: "Identity & Access Management",
      class_uid: 3002,
      class_name: "Authentication",
      type_uid: 300201,
      type_name: "Authentication: Logon",
      time: Date.parse("2026-11-02T08:00:00.250Z"),
      severity_id: 3,
      severity: "Medium",
      status_id: 1,
      status: "Success",
      status_code: "Pass",
      metadata: {
        version: "1.8.0",
        product: { name: "Amazon Cognito", vendor_name: "AWS", feature: { name: "Threat protection" } },
        profiles: ["cloud", "host", "security_control"],
        uid: "evt-1",
        event_code: "SignIn",
      },
      cloud: {
        provider: "AWS",
        region: "eu-west-1",
        account: { uid: "123456789012", type_id: 10, type: "AWS Account" },
      },
      service: { name: "Amazon Cognito", uid: POOL },
      user: { name: "alice", uid: USER.sub, type_id: 1, type: "User" },
      src_endpoint: { ip: "203.0.113.7", location: { city: "Zürich", country: "CH" } },
      device: { name: "Chrome 126, macOS 14.5", type_id: 0, type: "Unknown" },
      auth_factors: [
        { factor_type_id: 11, factor_type: "Password" },
        { factor_type_id: 99, factor_type: "Mfa" },
      ],
      is_mfa: true,
      timezone_offset: 60,
      risk_level_id: 2,
      risk_level: "Medium",
      action_id: 3,
      action: "Observed",
      disposition_id: 15,
      disposition: "Detected",
      is_alert: true,
      unmapped: {
        EventRisk: { CompromisedCredentialsDetected: false },
        ChallengeResponses: [
          { ChallengeName: "Password", ChallengeResponse: "Success" },
          { ChallengeName: "Mfa", ChallengeResponse: "Success" },
        ],
        EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: "2026-11-03T00:00:00.000Z" },
      },
    });
  });

  it("maps the smallest event Cognito can send (an id, a type and a date) to a valid event", () => {
    const event = map({ EventId: "e", EventType: "SignUp", CreationDate: new Date(0) });
    expect(validateOcsfEvent(event)).toEqual([]);
    expect(event).toMatchObject({ activity_id: 99, activity_name: "SignUp", type_name: "Authentication: Other" });
    expect(event).not.toHaveProperty("unmapped");
    expect(event).not.toHaveProperty("src_endpoint");
  });

  const date = new Date("2026-01-01T00:00:00Z");
  const enumCases: Array<[string, AuthEventType, Partial<OcsfAuthentication>]> = [
    ["SignIn is a Logon", { EventType: "SignIn" }, { activity_id: 1, activity_name: "Logon", type_uid: 300201 }],
    [
      "the other types are Other",
      { EventType: "ForgotPassword" },
      { activity_id: 99, activity_name: "ForgotPassword" },
    ],
    ["no type is Unknown", {}, { activity_id: 0, activity_name: "Unknown", type_name: "Authentication: Unknown" }],
    ["a new type is Other", { EventType: "PasskeySignIn" as never }, { activity_id: 99, type_uid: 300299 }],
    ["Pass is Success", { EventResponse: "Pass" }, { status_id: 1, status: "Success", status_code: "Pass" }],
    ["Fail is Failure", { EventResponse: "Fail" }, { status_id: 2, status: "Failure", status_code: "Fail" }],
    ["InProgress is Other", { EventResponse: "InProgress" }, { status_id: 99, status: "InProgress" }],
    ["no risk is Informational", {}, { severity_id: 1, severity: "Informational" }],
    ["risk Low", { EventRisk: { RiskLevel: "Low" } }, { risk_level_id: 1, severity_id: 2, is_alert: false }],
    ["risk High", { EventRisk: { RiskLevel: "High" } }, { risk_level_id: 3, severity_id: 4, is_alert: true }],
    [
      "NoRisk is Allowed",
      { EventRisk: { RiskDecision: "NoRisk" } },
      { action_id: 1, action: "Allowed", disposition_id: 1, disposition: "Allowed", is_alert: false },
    ],
    [
      "Block is Denied, Blocked",
      { EventRisk: { RiskDecision: "Block" } },
      { action_id: 2, action: "Denied", disposition_id: 2, disposition: "Blocked", is_alert: true },
    ],
    [
      "a new decision is Other",
      { EventRisk: { RiskDecision: "Quarantine" as never } },
      { action_id: 99, action: "Quarantine", disposition_id: 99, disposition: "Quarantine" },
    ],
    [
      "compromised credentials are High and an alert",
      { EventRisk: { RiskLevel: "Low", CompromisedCredentialsDetected: true } },
      { severity_id: 4, severity: "High", is_alert: true },
    ],
    ["no challenges: no MFA", { ChallengeResponses: [] }, { is_mfa: false }],
    ["a password only: no MFA", { ChallengeResponses: [{ ChallengeName: "Password" }] }, { is_mfa: false }],
  ];
  for (const [title, members, expected] of enumCases) {
    it(`${title}, and the event is valid`, () => {
      const event = map({ EventId: "e", CreationDate: date, ...members });
      expect(event).toMatchObject(expected);
      expect(validateOcsfEvent(event)).toEqual([]);
    });
  }

  it("keeps what the schema cannot hold under unmapped, in Cognito's names", () => {
    const event = map({
      EventId: "e",
      CreationDate: date,
      EventContextData: { IpAddress: "203.0.113.9", City: "Atlantis", Country: "Atlantis", Timezone: "Europe/Paris" },
    });
    expect(event.src_endpoint).toEqual({ ip: "203.0.113.9", location: { city: "Atlantis" } });
    expect(event.unmapped).toEqual({ EventContextData: { Country: "Atlantis", Timezone: "Europe/Paris" } });
    expect(validateOcsfEvent(event)).toEqual([]);
  });

  it("keeps the location under unmapped when there is no valid IP address (OCSF's endpoint needs one)", () => {
    const event = map({
      EventId: "e",
      CreationDate: date,
      EventContextData: { IpAddress: "999.1.1.1", City: "Kraków", Country: "Poland" },
    });
    expect(event).not.toHaveProperty("src_endpoint");
    expect(event.unmapped).toEqual({ EventContextData: { IpAddress: "999.1.1.1", City: "Kraków", Country: "Poland" } });
    expect(validateOcsfEvent(event)).toEqual([]);
  });

  it("maps IPv6 addresses and refuses what is not one", () => {
    const ip = (IpAddress: string) =>
      map({ EventId: "e", CreationDate: date, EventContextData: { IpAddress } }).src_endpoint?.ip;
    expect(ip("2001:db8::1")).toBe("2001:db8::1");
    expect(ip("::ffff:192.0.2.1")).toBe("::ffff:192.0.2.1");
    for (const bad of ["2001:db8::1::2", "1.2.3", "localhost", "1.2.3.4\n", ":::", "[::1]"])
      expect(ip(bad)).toBeUndefined();
  });

  it("reads the time zone as minutes ahead of UTC, within OCSF's range", () => {
    const offset = (Timezone: string) =>
      map({ EventId: "e", CreationDate: date, EventContextData: { Timezone } }).timezone_offset;
    expect([offset("+05:30"), offset("-08:00"), offset("+0100"), offset("-3"), offset("+00:00")]).toEqual([
      330, -480, 60, -180, 0,
    ]);
    for (const bad of ["+19:00", "+01:75", "Europe/Paris", "", "1:00"]) expect(offset(bad)).toBeUndefined();
  });

  it("takes the region from the user pool id unless given, and omits the account when unknown", () => {
    expect(map({ CreationDate: date }).cloud).toEqual({ provider: "AWS", region: "eu-west-1" });
    expect(map({ CreationDate: date }, { region: "eu-central-1" }).cloud.region).toBe("eu-central-1");
  });

  it("refuses an event without a valid CreationDate, a user without a username, or no pool", () => {
    expect(() => map({ EventId: "e" })).toThrow(/CreationDate/);
    expect(() => map({ EventId: "e", CreationDate: new Date(Number.NaN) })).toThrow(/CreationDate/);
    expect(() =>
      toOcsfAuthentication({ event: { CreationDate: date }, user: { Username: "" }, userPoolId: POOL }),
    ).toThrow(/Username/);
    expect(() => toOcsfAuthentication({ event: { CreationDate: date }, user: USER, userPoolId: "" })).toThrow(
      /userPoolId/,
    );
  });
});

describe("countryCode", () => {
  it("knows Cognito's English names, their variants and the codes themselves", () => {
    const names: Array<[string, string]> = [
      ["United States", "US"],
      ["United States of America", "US"],
      ["Côte d'Ivoire", "CI"],
      ["Côte d’Ivoire", "CI"],
      ["Cote d'Ivoire", "CI"],
      ["Ivory Coast", "CI"],
      ["Korea, Republic of", "KR"],
      ["South Korea", "KR"],
      ["The Netherlands", "NL"],
      ["St. Lucia", "LC"],
      ["Saint Lucia", "LC"],
      ["Bosnia and Herzegovina", "BA"],
      ["Bosnia & Herzegovina", "BA"],
      ["Hong Kong", "HK"],
      ["Myanmar (Burma)", "MM"],
      ["Türkiye", "TR"],
      ["Turkey", "TR"],
      ["Czech Republic", "CZ"],
      ["  japan ", "JP"],
      ["de", "DE"],
      ["GB", "GB"],
    ];
    expect(names.map(([name]) => [name, countryCode(name)])).toEqual(names);
  });

  it("answers undefined for names it does not know, and for object keys", () => {
    for (const name of ["Atlantis", "XX", "", "constructor", "__proto__", "toString", "hasOwnProperty", "日本"])
      expect(countryCode(name), name).toBeUndefined();
  });
});

describe("hostile values", () => {
  const HOSTILE = [
    '", "class_uid": 1, "x": "',
    "line\nbreak\r\u2028\u2029",
    "</script><script>alert(1)</script>",
    "\\u0000 \u0000 \u001b[31m red",
    "\ud800 lone surrogate",
    '=HYPERLINK("http://x","y")',
    "__proto__",
    "constructor",
    '📱 Pixel 8 "Pro" \\ old',
  ];

  it("stay data: each NDJSON line is one JSON object giving back the exact strings, and the event stays valid", () => {
    for (const value of HOSTILE) {
      const event: AuthEventType = {
        EventId: "e",
        EventType: value as never,
        CreationDate: date0(),
        EventResponse: value as never,
        EventRisk: { RiskDecision: value as never, RiskLevel: value as never },
        ChallengeResponses: [{ ChallengeName: value as never, ChallengeResponse: value as never }],
        EventContextData: { IpAddress: value, DeviceName: value, City: value, Country: value, Timezone: value },
        EventFeedback: { FeedbackValue: value as never, Provider: value },
      };
      const line = ocsfNdjsonLine({ user: { Username: value, sub: value }, event }, { userPoolId: POOL });
      expect(line.indexOf("\n")).toBe(line.length - 1);
      expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u2028\u2029]/);
      const parsed = JSON.parse(line) as OcsfAuthentication;
      expect(parsed.class_uid).toBe(3002);
      expect(parsed.user.name).toBe(value);
      expect(parsed.device?.name).toBe(value);
      expect(Object.getPrototypeOf(parsed.unmapped)).toBe(Object.prototype);
      expect(validateOcsfEvent(parsed), value).toEqual([]);
    }
  });

  it("any event, whatever its strings, maps to a valid event and one NDJSON line (property)", () => {
    const str = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom(...HOSTILE, "SignIn", "Pass"));
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const event = fc.record(
      {
        EventId: maybe(str),
        EventType: maybe(fc.oneof(str, fc.constantFrom("SignIn", "SignUp", "ForgotPassword"))),
        CreationDate: fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }),
        EventResponse: maybe(fc.oneof(str, fc.constantFrom("Pass", "Fail", "InProgress"))),
        EventRisk: maybe(
          fc.record(
            {
              RiskDecision: maybe(fc.oneof(str, fc.constantFrom("NoRisk", "Block", "AccountTakeover"))),
              RiskLevel: maybe(fc.oneof(str, fc.constantFrom("Low", "Medium", "High"))),
              CompromisedCredentialsDetected: maybe(fc.boolean()),
            },
            { requiredKeys: [] },
          ),
        ),
        ChallengeResponses: maybe(
          fc.array(fc.record({ ChallengeName: maybe(fc.oneof(str, fc.constantFrom("Password", "Mfa"))) })),
        ),
        EventContextData: maybe(
          fc.record(
            {
              IpAddress: maybe(fc.oneof(str, fc.ipV4(), fc.ipV6())),
              DeviceName: maybe(str),
              City: maybe(str),
              Country: maybe(fc.oneof(str, fc.constantFrom("United States", "Japan"))),
              Timezone: maybe(fc.oneof(str, fc.constantFrom("+01:00", "-08:00"))),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: ["CreationDate"] },
    );
    fc.assert(
      fc.property(
        event,
        str.filter((s) => s !== ""),
        (e, username) => {
          const line = ocsfNdjsonLine(
            { user: { Username: username }, event: e as AuthEventType },
            { userPoolId: POOL },
          );
          expect(line.split("\n")).toHaveLength(2);
          expect(validateOcsfEvent(JSON.parse(line))).toEqual([]);
        },
      ),
      { seed: 19, numRuns: 500 },
    );
  });
});

function date0(): Date {
  return new Date("2026-11-02T08:00:00Z");
}

describe("the emulator's events, as the client reads them", () => {
  let emulator: RunningEmulator;
  let records: AuditRecord[];
  beforeAll(async () => {
    emulator = await startEmulator({ seed: "ocsf", users: 12, events: 40 });
    const client = new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
      maxAttempts: 1,
    });
    records = [];
    const poolId = emulator.core.demo!.poolId;
    for await (const record of auditUserPool({ client, userPoolId: poolId, maxRps: 1000 })) records.push(record);
  });
  afterAll(() => emulator.close());

  it("every one becomes a valid OCSF Authentication event, one NDJSON line each", async () => {
    const poolId = emulator.core.demo!.poolId;
    const lines: string[] = [];
    for await (const line of ocsfNdjson(records, { userPoolId: poolId, accountId: "123456789012" })) lines.push(line);
    expect(lines).toHaveLength(records.length);
    expect(records.length).toBeGreaterThan(300);
    const problems = lines.flatMap((line, i) => validateOcsfEvent(JSON.parse(line)).map((p) => `line ${i + 1}: ${p}`));
    expect(problems).toEqual([]);
    // The seeded data covers the branches: each shows up at least once.
    const events = lines.map((line) => JSON.parse(line) as OcsfAuthentication);
    const seen = (pick: (e: OcsfAuthentication) => unknown) => new Set(events.map(pick));
    expect(seen((e) => e.activity_id)).toEqual(new Set([1, 99]));
    expect(seen((e) => e.status_id)).toEqual(new Set([1, 2, 99]));
    expect(seen((e) => e.disposition_id)).toEqual(new Set([1, 2, 15, undefined]));
    expect(seen((e) => e.src_endpoint?.location?.country)).toContain("CI");
    expect(events.every((e) => e.user.uid === records[events.indexOf(e)]!.user.sub)).toBe(true);
  });
});
