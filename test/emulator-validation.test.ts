import { describe, expect, it } from "vitest";
import { EmulatorCore } from "../src/emulator/core.ts";
import { call, NOW, POOL } from "./fixtures/emulator/helpers.ts";

const core = new EmulatorCore({ now: () => NOW, users: 3, events: 3 });

async function error(operation: string, input: unknown, unsigned = false) {
  const { response, json } = await call(core, operation, input, { unsigned });
  expect(response.status).toBe(400);
  return json as { __type: string; message: string };
}

describe("validation", () => {
  it("names a missing required member", async () => {
    expect(await error("AdminListUserAuthEvents", { Username: "alice" })).toEqual({
      __type: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    });
  });

  it("quotes the pattern without anchors, as the service does", async () => {
    expect((await error("AdminListUserAuthEvents", { UserPoolId: "x", Username: "alice" })).message).toBe(
      "1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  it("reports MaxResults out of range", async () => {
    expect(
      (await error("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 61 })).message,
    ).toBe(
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    expect((await error("ListUsers", { UserPoolId: POOL, Limit: -1 })).message).toContain(
      "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
  });

  it("counts several errors and joins them with semicolons", async () => {
    expect(
      (await error("AdminListUserAuthEvents", { UserPoolId: "", Username: "alice", NextToken: "a b" })).message,
    ).toBe(
      "2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'a b' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    );
  });

  it("never quotes a sensitive member's value (Username, FeedbackToken)", async () => {
    const long = "ü".repeat(129);
    const message = (await error("AdminListUserAuthEvents", { UserPoolId: POOL, Username: long })).message;
    expect(message).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    const input = {
      UserPoolId: POOL,
      Username: "a b",
      EventId: "e",
      FeedbackToken: "secret token!",
      FeedbackValue: "Valid",
    };
    const feedback = (await error("UpdateAuthEventFeedback", input, true)).message;
    expect(feedback).toContain(
      "Value at 'feedbackToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
    );
    expect(feedback).not.toContain("secret token!");
    expect(feedback).not.toContain("a b");
  });

  it("checks enums, event ids, filter length and list members", async () => {
    const base = { UserPoolId: POOL, Username: "alice", EventId: "bad id!", FeedbackValue: "valid" };
    expect((await error("AdminUpdateAuthEventFeedback", base)).message).toBe(
      "2 validation errors detected: Value 'bad id!' at 'eventId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+-]+; " +
        "Value 'valid' at 'feedbackValue' failed to satisfy constraint: Member must satisfy enum value set: [Valid, Invalid]",
    );
    expect((await error("ListUsers", { UserPoolId: POOL, Filter: "x".repeat(257) })).message).toContain(
      "at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    expect((await error("ListUsers", { UserPoolId: POOL, AttributesToGet: ["email", ""] })).message).toBe(
      "1 validation error detected: Value '' at 'attributesToGet.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("answers SerializationException for a member of the wrong JSON type", async () => {
    const cases: Array<[unknown, string]> = [
      [{ UserPoolId: POOL, Username: "alice", MaxResults: "5" }, "STRING_VALUE can not be converted to an Integer"],
      [{ UserPoolId: 5, Username: "alice" }, "NUMBER_VALUE can not be converted to a String"],
      [{ UserPoolId: POOL, Username: { a: 1 } }, "Start of structure or map found where not expected."],
      [{ UserPoolId: POOL, Username: ["a"] }, "Start of list found where not expected"],
      [
        { UserPoolId: POOL, Username: "alice", MaxResults: 2.5 },
        "NUMBER_VALUE with a fraction can not be converted to an Integer",
      ],
    ];
    for (const [input, message] of cases) {
      const json = await error("AdminListUserAuthEvents", input);
      expect(json).toEqual({ __type: "SerializationException", message });
    }
  });

  it("treats null members as absent and ignores members the model does not have", async () => {
    const { response } = await call(core, "AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: null,
      NextToken: null,
      Extra: 1,
    });
    expect(response.status).toBe(200);
  });
});
