/**
 * Reading a saved audit (src/report/records.ts): what `audit --output ndjson` and `--output json` write, in any
 * chunking, and a clear error naming the line for anything else.
 */
import { describe, expect, it } from "vitest";
import { AuditInputError, MAX_LINE_LENGTH, readAuditRecords } from "../src/report/records.ts";

const LINE = {
  user: { Username: "zoë", sub: "s-1" },
  event: {
    EventId: "e1",
    EventType: "SignIn",
    CreationDate: "2024-12-31T23:59:59.123Z",
    EventResponse: "Pass",
    EventRisk: { RiskDecision: "NoRisk", RiskLevel: "Low", CompromisedCredentialsDetected: false },
    ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
    EventContextData: {
      IpAddress: "192.0.2.1",
      DeviceName: "📱 Pixel",
      Timezone: "+01:00",
      City: "東京",
      Country: "Japan",
    },
    EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: "2025-01-01T00:00:00.000Z" },
  },
};
const text = `${JSON.stringify(LINE)}\n`;

async function read(chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>) {
  const out = [];
  for await (const record of readAuditRecords(chunks)) out.push(record);
  return out;
}
async function failure(chunks: Iterable<Uint8Array | string>): Promise<AuditInputError> {
  try {
    await read(chunks);
  } catch (error) {
    if (error instanceof AuditInputError) return error;
    throw error;
  }
  throw new Error("expected an AuditInputError");
}

describe("readAuditRecords", () => {
  it("reads audit --output ndjson: users, every member, dates as Date", async () => {
    const [record] = await read([text]);
    expect(record).toEqual({
      user: { Username: "zoë", sub: "s-1" },
      event: {
        ...LINE.event,
        CreationDate: new Date("2024-12-31T23:59:59.123Z"),
        EventFeedback: { ...LINE.event.EventFeedback, FeedbackDate: new Date("2025-01-01T00:00:00.000Z") },
      },
    });
  });

  it("reads the same records however the bytes are cut, multi-byte characters and CRLF included", async () => {
    const bytes = new TextEncoder().encode(`${text}${text.replace("\n", "\r\n")}\n${text.trimEnd()}`);
    const whole = await read([bytes]);
    expect(whole).toHaveLength(3);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await read(chunks)).toEqual(whole);
    }
  });

  it("reads audit --output json (records between [ and ], with commas) and an empty one", async () => {
    expect(await read([`[\n${text.trimEnd()},\n${text.trimEnd()}\n]\n`])).toHaveLength(2);
    expect(await read(["[]\n"])).toEqual([]);
  });

  it("leaves out members the model does not have, and nulls", async () => {
    const line = JSON.stringify({
      user: { Username: "u" },
      event: { EventType: "SignIn", Extra: "<x>", EventRisk: null },
    });
    expect(await read([line])).toEqual([{ user: { Username: "u" }, event: { EventType: "SignIn" } }]);
  });

  it.each([
    ["not JSON", "{", "line 2: not JSON (expected one audit record per line, as `audit --output ndjson` writes)"],
    ["a JSON value that is no record", "42", "line 2: not an audit record"],
    ["a record without a user", JSON.stringify({ event: {} }), "line 2: user.Username: expected a string"],
    [
      "a number where a string goes",
      JSON.stringify({ user: { Username: "u" }, event: { EventContextData: { City: 7 } } }),
      "line 2: event.EventContextData.City: expected a string",
    ],
    [
      "a date that is not one",
      JSON.stringify({ user: { Username: "u" }, event: { CreationDate: "yesterday" } }),
      "line 2: event.CreationDate: expected an ISO 8601 date",
    ],
    [
      "a list that is not one",
      JSON.stringify({ user: { Username: "u" }, event: { ChallengeResponses: {} } }),
      "line 2: event.ChallengeResponses: expected a list",
    ],
  ])("refuses %s, naming the line and the member", async (_, line, message) => {
    const error = await failure([text, `${line}\n`, text]);
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.line).toBe(2);
  });

  it("never quotes the line it refuses (it comes from whoever signed in)", async () => {
    const error = await failure([`{"user": {"Username": "<script>secret</script>"}, "event": 5}\n`]);
    expect(error.message).toBe("line 1: event: expected an object");
  });

  it("refuses bytes that are not UTF-8, and a line longer than any record, without reading on", async () => {
    expect((await failure([text, new Uint8Array([0xff, 0xfe, 0x0a])])).message).toBe("line 2: not UTF-8 text");
    let pulled = 0;
    const endless = {
      *[Symbol.iterator]() {
        for (;;) {
          pulled++;
          yield "x".repeat(64 * 1024);
        }
      },
    };
    const error = await failure(endless);
    expect(error.message).toMatch(/^line 1: longer than 1048576 characters/);
    expect(pulled * 64 * 1024).toBeLessThan(MAX_LINE_LENGTH + 128 * 1024);
  });
});
