import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EmulatorCore } from "../src/emulator/core.ts";
import { INPUT_SPECS } from "../src/emulator/validate.ts";
import { call, NOW, POOL } from "./fixtures/emulator/helpers.ts";

const core = new EmulatorCore({ now: () => NOW, users: 3, events: 3 });
const NS = "com.amazonaws.cognitoidentityprovider#";

async function error(operation: string, input: unknown, unsigned = false) {
  const { response, json } = await call(core, operation, input, { unsigned });
  expect(response.status).toBe(400);
  return json as { __type: string; message: string };
}

describe("validation", () => {
  it("uses the constraints of the Smithy model for every input member", () => {
    const spec = JSON.parse(readFileSync(new URL("../spec/cognito-identity-provider-2016-04-18.json", import.meta.url), "utf8")) as {
      shapes: Record<string, { members?: Record<string, { target: string; traits?: Record<string, unknown> }>; member?: { target: string }; type: string; traits?: Record<string, any> }>;
    };
    for (const [operation, members] of Object.entries(INPUT_SPECS)) {
      const input = spec.shapes[`${NS}${operation}Request`];
      expect(Object.keys(members)).toEqual(Object.keys(input?.members ?? {}));
      for (const [name, mine] of Object.entries(members)) {
        const member = input?.members?.[name];
        expect(mine.required ?? false, `${operation}.${name} required`).toBe(member?.traits?.["smithy.api#required"] !== undefined);
        let shape = spec.shapes[member?.target ?? ""];
        let checked: typeof mine | Record<string, unknown> = mine;
        if (mine.kind === "list") {
          shape = spec.shapes[shape?.member?.target ?? ""];
          checked = mine.member;
        }
        const traits = shape?.traits ?? {};
        const c = checked as { min?: number; max?: number; pattern?: string; sensitive?: boolean; enum?: string[] };
        if (shape?.type === "enum") {
          expect(c.enum).toEqual(Object.values(shape.members ?? {}).map((m) => m.traits?.["smithy.api#enumValue"]));
          continue;
        }
        const bounds = traits["smithy.api#length"] ?? traits["smithy.api#range"] ?? {};
        expect([c.min, c.max], `${operation}.${name} bounds`).toEqual([bounds.min, bounds.max]);
        expect(c.pattern, `${operation}.${name} pattern`).toBe(traits["smithy.api#pattern"]);
        expect(c.sensitive ?? false, `${operation}.${name} sensitive`).toBe(traits["smithy.api#sensitive"] !== undefined);
      }
    }
  });

  it("names a missing required member", async () => {
    expect(await error("AdminListUserAuthEvents", { Username: "alice" })).toEqual({
      __type: "InvalidParameterException",
      message: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    });
  });

  it("quotes the pattern without anchors, as the service does", async () => {
    expect((await error("AdminListUserAuthEvents", { UserPoolId: "x", Username: "alice" })).message).toBe(
      "1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  it("reports MaxResults out of range", async () => {
    expect((await error("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 61 })).message).toBe(
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    expect((await error("ListUsers", { UserPoolId: POOL, Limit: -1 })).message).toContain("Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0");
  });

  it("counts several errors and joins them with semicolons", async () => {
    expect((await error("AdminListUserAuthEvents", { UserPoolId: "", Username: "alice", NextToken: "a b" })).message).toBe(
      "2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'a b' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    );
  });

  it("never quotes a sensitive member's value (Username, FeedbackToken)", async () => {
    const long = "ü".repeat(129);
    const message = (await error("AdminListUserAuthEvents", { UserPoolId: POOL, Username: long })).message;
    expect(message).toBe("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128");
    const input = { UserPoolId: POOL, Username: "a b", EventId: "e", FeedbackToken: "secret token!", FeedbackValue: "Valid" };
    const feedback = (await error("UpdateAuthEventFeedback", input, true)).message;
    expect(feedback).toContain("Value at 'feedbackToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+");
    expect(feedback).not.toContain("secret token!");
    expect(feedback).not.toContain("a b");
  });

  it("checks enums, event ids, filter length and list members", async () => {
    const base = { UserPoolId: POOL, Username: "alice", EventId: "bad id!", FeedbackValue: "valid" };
    expect((await error("AdminUpdateAuthEventFeedback", base)).message).toBe(
      "2 validation errors detected: Value 'bad id!' at 'eventId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+-]+; " +
        "Value 'valid' at 'feedbackValue' failed to satisfy constraint: Member must satisfy enum value set: [Valid, Invalid]",
    );
    expect((await error("ListUsers", { UserPoolId: POOL, Filter: "x".repeat(257) })).message).toContain("at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256");
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
      [{ UserPoolId: POOL, Username: "alice", MaxResults: 2.5 }, "NUMBER_VALUE with a fraction can not be converted to an Integer"],
    ];
    for (const [input, message] of cases) {
      const json = await error("AdminListUserAuthEvents", input);
      expect(json).toEqual({ __type: "SerializationException", message });
    }
  });

  it("treats null members as absent and ignores members the model does not have", async () => {
    const { response } = await call(core, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: null, NextToken: null, Extra: 1 });
    expect(response.status).toBe(200);
  });
});
