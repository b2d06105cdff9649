import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { EmulatorCore } from "../src/emulator/core.ts";
import { seedData } from "../src/emulator/seed.ts";
import type { EmulatorData } from "../src/emulator/types.ts";
import { call, LITE_POOL, NOW, POOL } from "./fixtures/emulator/helpers.ts";

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/emulator/small-data.json", import.meta.url), "utf8"),
) as EmulatorData;

const newCore = (options: ConstructorParameters<typeof EmulatorCore>[0] = {}) =>
  new EmulatorCore({ now: () => NOW, ...options });

type Event = { EventId: string; CreationDate: number; [key: string]: unknown };

describe("AdminListUserAuthEvents", () => {
  it("lists a user's events newest first, 60 per page by default, with a NextToken", async () => {
    const core = newCore();
    const { response, json } = await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
    expect(response.status).toBe(200);
    const events = json.AuthEvents as Event[];
    expect(events).toHaveLength(60);
    const dates = events.map((e) => e.CreationDate);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(typeof json.NextToken).toBe("string");
  });

  it("pages through every event once with NextToken", async () => {
    const core = newCore();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const { json } = await call(core, "AdminListUserAuthEvents", {
        UserPoolId: POOL,
        Username: "alice",
        MaxResults: 20,
        NextToken: token,
      });
      seen.push(...(json.AuthEvents as Event[]).map((e) => e.EventId));
      token = json.NextToken as string | undefined;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(75);
    expect(new Set(seen).size).toBe(75);
    expect(seen).toEqual(core.getEvents(POOL, "alice")?.map((e) => e.EventId));
  });

  it("treats MaxResults 0 as 60", async () => {
    const { json } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: 0,
    });
    expect(json.AuthEvents).toHaveLength(60);
  });

  it("answers an empty list and no NextToken for a user without events", async () => {
    const { response, json } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "bob.nohistory",
    });
    expect(response.body).toBe('{"AuthEvents":[]}');
    expect(json.NextToken).toBeUndefined();
  });

  it("finds the user by sub, by email alias and case-insensitively in a case-insensitive pool", async () => {
    const core = newCore();
    const alice = core.exportData().pools[0]?.users?.[0];
    const expected = (
      await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 1 })
    ).json;
    for (const name of [alice?.sub, alice?.attributes?.email, "ALICE"]) {
      const { json } = await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: name, MaxResults: 1 });
      expect((json.AuthEvents as Event[])[0]?.EventId).toBe((expected.AuthEvents as Event[])[0]?.EventId);
    }
  });

  it("rejects a made-up, altered or another user's NextToken with InvalidParameterException", async () => {
    const core = newCore();
    const first = await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 5 });
    const token = first.json.NextToken as string;
    const altered = `${token.slice(0, 4)}${token[4] === "A" ? "B" : "A"}${token.slice(5)}`;
    const otherUser = core.exportData().pools[0]?.users?.[2]?.username as string;
    for (const [username, bad] of [
      ["alice", "garbage"],
      ["alice", altered],
      [otherUser, token],
    ] as const) {
      const { response, json } = await call(core, "AdminListUserAuthEvents", {
        UserPoolId: POOL,
        Username: username,
        NextToken: bad,
      });
      expect(response.status).toBe(400);
      expect(json).toEqual({ __type: "InvalidParameterException", message: "Invalid NextToken." });
    }
  });

  it("answers UserNotFoundException as Cognito does: HTTP 400, __type, message and headers", async () => {
    const { response, json } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "nobody",
    });
    expect(response.status).toBe(400);
    expect(json).toEqual({ __type: "UserNotFoundException", message: "User does not exist." });
    expect(response.headers["x-amzn-ErrorType"]).toBe("UserNotFoundException:");
    expect(response.headers["x-amzn-ErrorMessage"]).toBe("User does not exist.");
    expect(response.headers["Content-Type"]).toBe("application/x-amz-json-1.1");
  });

  it("answers ResourceNotFoundException naming an unknown pool", async () => {
    const { json } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: "us-east-1_nope",
      Username: "alice",
    });
    expect(json).toEqual({ __type: "ResourceNotFoundException", message: "User pool us-east-1_nope does not exist." });
  });

  it("answers UserPoolAddOnNotEnabledException for a pool without threat protection", async () => {
    const { response, json } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: LITE_POOL,
      Username: "alice",
    });
    expect(response.status).toBe(400);
    expect(json.__type).toBe("UserPoolAddOnNotEnabledException");
  });

  it("sends x-amzn-RequestId, Date and a Content-Length matching the body", async () => {
    const { response } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: 3,
    });
    expect(response.headers["x-amzn-RequestId"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(response.headers.Date).toBe(new Date(NOW).toUTCString());
    expect(Number(response.headers["Content-Length"])).toBe(new TextEncoder().encode(response.body).length);
  });

  it("writes timestamps as epoch-second numbers in every spelling the service uses", async () => {
    const { response } = await call(newCore(), "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: 60,
      NextToken: undefined,
    });
    const all = [response.body];
    const json = JSON.parse(response.body) as { NextToken: string };
    all.push(
      (
        await call(newCore(), "AdminListUserAuthEvents", {
          UserPoolId: POOL,
          Username: "alice",
          NextToken: json.NextToken,
        })
      ).response.body,
    );
    const text = all.join("\n");
    expect(text).toContain('"CreationDate":1.7E9');
    expect(text).toContain('"CreationDate":1700000000.123');
    expect(text).toMatch(/"CreationDate":1\.7\d+E9/);
    expect(text).toMatch(/"CreationDate":17\d{8}[,}]/);
  });

  it("serves adversarial content: unicode, emoji, quotes, missing members, empty lists", async () => {
    const events = (await call(newCore(), "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" })).json
      .AuthEvents as Array<{
      EventContextData?: { City?: string; DeviceName?: string };
      ChallengeResponses?: unknown[];
      EventRisk?: unknown;
    }>;
    const cities = events.map((e) => e.EventContextData?.City).filter((c) => c !== undefined);
    const devices = events.map((e) => e.EventContextData?.DeviceName).filter((d) => d !== undefined);
    expect(cities.some((c) => /[^\x00-\x7f]/.test(c))).toBe(true);
    expect(devices.some((d) => d.includes('"'))).toBe(true);
    expect(events.some((e) => Array.isArray(e.ChallengeResponses) && e.ChallengeResponses.length === 0)).toBe(true);
    expect(events.some((e) => e.ChallengeResponses === undefined)).toBe(true);
    expect(events.some((e) => e.EventRisk === undefined)).toBe(true);
    expect(events.some((e) => e.EventContextData === undefined)).toBe(true);
    expect(events.some((e) => e.EventContextData && e.EventContextData.City === undefined)).toBe(true);
  });
});

describe("feedback", () => {
  it("AdminUpdateAuthEventFeedback answers {} and the feedback shows in later listings", async () => {
    const core = newCore();
    const eventId = core.getEvents(POOL, "alice")?.[4]?.EventId as string;
    const { response } = await call(core, "AdminUpdateAuthEventFeedback", {
      UserPoolId: POOL,
      Username: "alice",
      EventId: eventId,
      FeedbackValue: "Valid",
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe("{}");
    const events = (await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 5 }))
      .json.AuthEvents as Event[];
    expect(events[4]?.EventFeedback).toEqual({ FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: NOW / 1000 });
  });

  it("UpdateAuthEventFeedback accepts the event's feedback token without a signature", async () => {
    const core = newCore();
    const event = core.getEvents(POOL, "alice")?.[0];
    const token = core.getFeedbackToken(POOL, "alice", event?.EventId as string);
    expect(token).toBe(event?.FeedbackToken);
    const input = {
      UserPoolId: POOL,
      Username: "alice",
      EventId: event?.EventId,
      FeedbackToken: token,
      FeedbackValue: "Invalid",
    };
    const { response } = await call(core, "UpdateAuthEventFeedback", input, { unsigned: true });
    expect(response.status).toBe(200);
    expect(core.getEvents(POOL, "alice")?.[0]?.EventFeedback).toEqual({
      FeedbackValue: "Invalid",
      Provider: "User",
      FeedbackDate: NOW / 1000,
    });
  });

  it("UpdateAuthEventFeedback refuses another event's token with NotAuthorizedException", async () => {
    const core = newCore();
    const [first, second] = core.getEvents(POOL, "alice") ?? [];
    const input = {
      UserPoolId: POOL,
      Username: "alice",
      EventId: first?.EventId,
      FeedbackToken: second?.FeedbackToken,
      FeedbackValue: "Valid",
    };
    const { response, json } = await call(core, "UpdateAuthEventFeedback", input, { unsigned: true });
    expect(response.status).toBe(400);
    expect(json.__type).toBe("NotAuthorizedException");
    expect(core.getEvents(POOL, "alice")?.[0]?.EventFeedback).toEqual(first?.EventFeedback);
  });

  it("answers ResourceNotFoundException for an unknown event and the pool errors for both operations", async () => {
    const core = newCore();
    const base = { UserPoolId: POOL, Username: "alice", EventId: "no-such-event", FeedbackValue: "Valid" };
    expect((await call(core, "AdminUpdateAuthEventFeedback", base)).json.__type).toBe("ResourceNotFoundException");
    expect(
      (await call(core, "UpdateAuthEventFeedback", { ...base, FeedbackToken: "abc" }, { unsigned: true })).json.__type,
    ).toBe("ResourceNotFoundException");
    expect((await call(core, "AdminUpdateAuthEventFeedback", { ...base, Username: "nobody" })).json.__type).toBe(
      "UserNotFoundException",
    );
    expect((await call(core, "AdminUpdateAuthEventFeedback", { ...base, UserPoolId: LITE_POOL })).json.__type).toBe(
      "UserPoolAddOnNotEnabledException",
    );
    expect(
      (
        await call(
          core,
          "UpdateAuthEventFeedback",
          { ...base, UserPoolId: "us-east-1_x", FeedbackToken: "a" },
          { unsigned: true },
        )
      ).json.__type,
    ).toBe("ResourceNotFoundException");
  });
});

describe("ListUsers", () => {
  it("pages with Limit and PaginationToken through every user once", async () => {
    const core = newCore({ users: 7 });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const { json } = await call(core, "ListUsers", { UserPoolId: POOL, Limit: 3, PaginationToken: token });
      names.push(...(json.Users as Array<{ Username: string }>).map((u) => u.Username));
      token = json.PaginationToken as string | undefined;
    } while (token);
    expect(names).toEqual(core.exportData().pools[0]?.users?.map((u) => u.username));
  });

  it("returns UserType members: sub first in Attributes, dates, Enabled, UserStatus", async () => {
    const { json } = await call(newCore(), "ListUsers", { UserPoolId: LITE_POOL, Limit: 1 });
    const [user] = json.Users as Array<{ Attributes: { Name: string }[]; Enabled: unknown; UserCreateDate: unknown }>;
    expect(Object.keys(user ?? {})).toEqual([
      "Username",
      "Attributes",
      "UserCreateDate",
      "UserLastModifiedDate",
      "Enabled",
      "UserStatus",
    ]);
    expect(user?.Attributes[0]?.Name).toBe("sub");
    expect(user?.Enabled).toBe(true);
    expect(typeof user?.UserCreateDate).toBe("number");
  });

  it("applies the documented filters: exact, prefix, quoted name, escapes, status, user status", async () => {
    const core = new EmulatorCore({ data: fixture, now: () => NOW });
    const find = async (Filter: string) =>
      (
        (await call(core, "ListUsers", { UserPoolId: "eu-west-1_Fixture1", Filter })).json.Users as Array<{
          Username: string;
        }>
      ).map((u) => u.Username);
    expect(await find('email = "carol@example.com"')).toEqual(["carol"]);
    expect(await find('"email"^="carol"')).toEqual(["carol"]);
    expect(await find('username ^= "d"')).toEqual(["dave"]);
    expect(await find('status = "Disabled"')).toEqual(["dave"]);
    expect(await find('cognito:user_status = "reset_required"')).toEqual(["dave"]);
    expect(await find('given_name = "Ca\\"rol"')).toEqual([]);
    expect(await find("")).toEqual(["carol", "dave"]);
  });

  it("answers InvalidParameterException for a filter it cannot parse or search", async () => {
    const core = newCore();
    for (const Filter of ["email = carol", 'custom:tier = "gold"', 'email ~ "a"', 'email = "a" extra']) {
      const { json } = await call(core, "ListUsers", { UserPoolId: POOL, Filter });
      expect(json).toEqual({ __type: "InvalidParameterException", message: "Error while parsing filter." });
    }
  });

  it("returns only the attributes in AttributesToGet", async () => {
    const { json } = await call(newCore(), "ListUsers", { UserPoolId: POOL, Limit: 1, AttributesToGet: ["email"] });
    expect((json.Users as Array<{ Attributes: Array<{ Name: string }> }>)[0]?.Attributes.map((a) => a.Name)).toEqual([
      "email",
    ]);
  });

  it("refuses a PaginationToken issued for another filter", async () => {
    const core = newCore();
    const { json } = await call(core, "ListUsers", { UserPoolId: POOL, Limit: 1 });
    const again = await call(core, "ListUsers", {
      UserPoolId: POOL,
      Filter: 'status = "Enabled"',
      PaginationToken: json.PaginationToken,
    });
    expect(again.json).toEqual({ __type: "InvalidParameterException", message: "Invalid PaginationToken." });
  });

  it("works on a pool without threat protection", async () => {
    const { response } = await call(newCore(), "ListUsers", { UserPoolId: LITE_POOL });
    expect(response.status).toBe(200);
  });
});

describe("replica pools (multi-region user pools)", () => {
  const REPLICA = "us-east-1_demoReplica";
  const operations: Array<[string, Record<string, unknown>]> = [
    ["AdminListUserAuthEvents", { UserPoolId: REPLICA, Username: "alice" }],
    ["AdminUpdateAuthEventFeedback", { UserPoolId: REPLICA, Username: "alice", EventId: "e1", FeedbackValue: "Valid" }],
    [
      "UpdateAuthEventFeedback",
      { UserPoolId: REPLICA, Username: "alice", EventId: "e1", FeedbackToken: "t", FeedbackValue: "Valid" },
    ],
    ["ListUsers", { UserPoolId: REPLICA }],
  ];

  it.each(operations)("%s on a secondary replica answers OperationNotEnabledException", async (operation, input) => {
    const { response, json } = await call(newCore(), operation, input);
    expect(response.status).toBe(400);
    expect(json).toEqual({
      __type: "OperationNotEnabledException",
      message:
        "This operation is not available on a secondary replica of the user pool; call it in the primary pool's region.",
    });
  });

  it("the seeded replica holds the primary's users, and the primary still answers", async () => {
    const core = newCore();
    const data = core.exportData();
    const [primary, replica] = [data.pools.find((p) => p.id === POOL)!, data.pools.find((p) => p.id === REPLICA)!];
    expect(replica.replicaRole).toBe("SECONDARY");
    expect(primary.replicaRole).toBeUndefined();
    expect(replica.users!.map((u) => u.username)).toEqual(primary.users!.map((u) => u.username));
    expect((await call(core, "ListUsers", { UserPoolId: POOL })).response.status).toBe(200);
  });

  it("replicaRole in a data file: SECONDARY refuses the operations, PRIMARY and absent do not, others are refused", async () => {
    const data = (replicaRole?: string): EmulatorData =>
      ({
        pools: [
          {
            id: "eu-west-1_r",
            threatProtection: "ENFORCED",
            ...(replicaRole ? { replicaRole } : {}),
            users: [{ username: "u" }],
          },
        ],
      }) as EmulatorData;
    const status = async (role?: string) =>
      (
        await call(newCore({ data: data(role) }), "AdminListUserAuthEvents", {
          UserPoolId: "eu-west-1_r",
          Username: "u",
        })
      ).json;
    expect(await status("SECONDARY")).toMatchObject({ __type: "OperationNotEnabledException" });
    expect(await status("PRIMARY")).toEqual({ AuthEvents: [] });
    expect(await status()).toEqual({ AuthEvents: [] });
    expect(() => newCore({ data: data("TERTIARY") })).toThrow(
      /pools\[0\]\.replicaRole: expected "PRIMARY" or "SECONDARY"/,
    );
    expect(newCore({ data: data("SECONDARY") }).exportData().pools[0]!.replicaRole).toBe("SECONDARY");
  });
});

describe("protocol", () => {
  it("answers UnknownOperationException for another target, a GET or another path", async () => {
    const core = newCore({ checkSignatures: false });
    const base = {
      method: "POST",
      url: "http://127.0.0.1/",
      headers: { "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminGetUser" },
      body: "{}",
    };
    for (const req of [
      base,
      { ...base, method: "GET" },
      {
        ...base,
        url: "http://127.0.0.1/x",
        headers: { "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers" },
      },
    ]) {
      const res = await core.handle(req);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).__type).toBe("UnknownOperationException");
    }
  });

  it("answers SerializationException for a body that is not a JSON object", async () => {
    const core = newCore();
    for (const body of ["{not json", "[1]"]) {
      const { response, json } = await call(core, "ListUsers", null, { body });
      expect(response.status).toBe(400);
      expect(json.__type).toBe("SerializationException");
    }
  });
});

describe("seeding and data", () => {
  it("gives identical data for the same seed and counts, and different data for another seed", () => {
    const a = new EmulatorCore({ seed: "s1", users: 5, events: 9 }).exportData();
    expect(new EmulatorCore({ seed: "s1", users: 5, events: 9 }).exportData()).toEqual(a);
    expect(JSON.stringify(seedData({ seed: "s1", users: 5, events: 9 }))).toBe(
      JSON.stringify(seedData({ seed: "s1", users: 5, events: 9 })),
    );
    expect(new EmulatorCore({ seed: "s2", users: 5, events: 9 }).exportData()).not.toEqual(a);
  });

  it("seeds the counts asked for: users per pool, events per user, none without threat protection", () => {
    const data = new EmulatorCore({ users: 6, events: 4 }).exportData();
    const [plus, lite] = data.pools;
    expect(plus?.threatProtection).toBe("ENFORCED");
    expect(lite?.threatProtection).toBe("OFF");
    expect(plus?.users?.map((u) => u.events?.length)).toEqual([4, 0, 4, 4, 4, 4]);
    expect(lite?.users).toHaveLength(6);
    expect(lite?.users?.every((u) => u.events?.length === 0)).toBe(true);
  });

  it("loads a JSON data file and serves it as given", async () => {
    const core = new EmulatorCore({ data: fixture, now: () => NOW });
    const { response, json } = await call(core, "AdminListUserAuthEvents", {
      UserPoolId: "eu-west-1_Fixture1",
      Username: "CAROL",
    });
    expect((json.AuthEvents as Event[]).map((e) => e.EventId)).toEqual(["evt-newest", "evt-newer", "evt-older"]);
    expect(response.body).toContain('"CreationDate":1.7E9');
    expect(response.body).toContain('"CreationDate":1700000000.123');
    expect(response.body).toContain('"EventType":"SomeFutureType"');
    expect(core.getFeedbackToken("eu-west-1_Fixture1", "carol", "evt-newer")).toBe("fixture-token-123");
    expect(core.demo).toBeUndefined();
    expect(
      (await call(core, "AdminListUserAuthEvents", { UserPoolId: "eu-west-1_Fixture2", Username: "erin" })).json.__type,
    ).toBe("UserPoolAddOnNotEnabledException");
  });

  it("exports data that loads back into the same answers", async () => {
    const core = newCore({ users: 3, events: 5 });
    const copy = new EmulatorCore({
      data: JSON.parse(JSON.stringify(core.exportData())) as EmulatorData,
      now: () => NOW,
    });
    const input = { UserPoolId: POOL, Username: "alice" };
    expect((await call(copy, "AdminListUserAuthEvents", input)).response.body).toBe(
      (await call(core, "AdminListUserAuthEvents", input)).response.body,
    );
    expect(copy.exportData()).toEqual(core.exportData());
  });

  it("rejects bad data with a TypeError naming the member", () => {
    const bad = (data: unknown) => () => new EmulatorCore({ data: data as EmulatorData });
    expect(bad({ pools: [{ id: "nounderscore" }] })).toThrow(/data\.pools\[0\]\.id/);
    expect(
      bad({ pools: [{ id: "a_b", users: [{ username: "u", events: [{ CreationDate: "yesterday" }] }] }] }),
    ).toThrow(/data\.pools\[0\]\.users\[0\]\.events\[0\]\.CreationDate/);
    expect(bad({ pools: [{ id: "a_b", users: [{ username: "u" }, { username: "u" }] }] })).toThrow(/duplicate/);
    expect(bad({ pools: [{ id: "a_b", threatProtection: "ON" }] })).toThrow(/threatProtection/);
    expect(bad({})).toThrow(/data\.pools: required/);
  });

  it("adds events at run time, newest first, with an id and a feedback token", async () => {
    const core = newCore();
    const added = core.addEvent(POOL, "alice", { EventType: "SignIn", EventResponse: "Pass" });
    const { json } = await call(core, "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: 1,
    });
    expect((json.AuthEvents as Event[])[0]).toEqual({
      EventId: added.EventId,
      EventType: "SignIn",
      CreationDate: NOW / 1000,
      EventResponse: "Pass",
    });
    expect(added.FeedbackToken).toMatch(/^[A-Za-z0-9-_=.]+$/);
    expect(() => core.addEvent(POOL, "nobody")).toThrow(TypeError);
  });

  it("deletes users at run time: their listing and feedback then answer UserNotFoundException", async () => {
    const core = newCore();
    const eventId = core.getEvents(POOL, "alice")![0]!.EventId;
    expect(core.deleteUser(POOL, "alice")).toBe(true);
    expect(core.deleteUser(POOL, "alice")).toBe(false);
    expect(core.deleteUser("us-east-1_nope", "bob.nohistory")).toBe(false);
    const list = await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
    expect(list.json.__type).toBe("UserNotFoundException");
    const fb = { UserPoolId: POOL, Username: "alice", EventId: eventId, FeedbackValue: "Valid" };
    expect((await call(core, "AdminUpdateAuthEventFeedback", fb)).json.__type).toBe("UserNotFoundException");
    const users = await call(core, "ListUsers", { UserPoolId: POOL });
    expect((users.json.Users as Array<{ Username: string }>).map((u) => u.Username)).not.toContain("alice");
  });

  it("keeps a request log with operation, status and error name", async () => {
    const core = newCore({ requestLogSize: 2 });
    await call(core, "ListUsers", { UserPoolId: POOL });
    await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "nobody" });
    await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
    expect(core.requestLog.map((e) => [e.operation, e.status, e.errorType])).toEqual([
      ["AdminListUserAuthEvents", 400, "UserNotFoundException"],
      ["AdminListUserAuthEvents", 200, undefined],
    ]);
  });

  it("describes the demo pools and user, with the default credentials only when they are in use", () => {
    expect(new EmulatorCore({ region: "eu-west-1" }).demo).toEqual({
      poolId: "eu-west-1_demoPlus",
      poolIdWithoutThreatProtection: "eu-west-1_demoLite",
      replicaPoolId: "eu-west-1_demoReplica",
      username: "alice",
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
    });
    const custom = new EmulatorCore({ credentials: [{ accessKeyId: "AKIDMINE", secretAccessKey: "mine-secret" }] });
    expect(custom.demo?.credentials).toBeUndefined();
    expect(JSON.stringify(custom)).not.toContain("mine-secret");
  });

  it("rejects bad options with a TypeError naming them", () => {
    expect(() => new EmulatorCore({ users: -1 })).toThrow(/users/);
    expect(() => new EmulatorCore({ credentials: [{ accessKeyId: "", secretAccessKey: "x" }] })).toThrow(
      /credentials\[0\]\.accessKeyId/,
    );
    expect(() => new EmulatorCore({ faults: [{ kind: "explode" as never }] })).toThrow(/faults\[0\]\.kind/);
    expect(() => new EmulatorCore({ quotas: { listUsers: -5 } })).toThrow(/quotas\.listUsers/);
  });
});

describe("runtime independence", () => {
  it("bundles the core and the MSW adapter without Node built-ins, Buffer or process", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("../src/emulator/msw.ts", import.meta.url))],
      bundle: true,
      write: false,
      platform: "neutral",
      format: "esm",
      external: ["msw"],
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).toMatch(/EmulatorCore = class/);
    expect(code).not.toMatch(/from "node:|require\(|\bBuffer\b|\bprocess\./);
  });
});
