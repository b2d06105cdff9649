/**
 * Hostile input: CR/LF and control characters in every value that reaches a header, oversized
 * members, invalid UTF-16 (lone surrogates), and prototype-pollution keys (`__proto__`,
 * `constructor`) in responses. Each is rejected with an error naming what is wrong (never echoing a
 * secret), or handled without effect; nothing is injected on the wire and nothing is polluted.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  InvalidParameterException,
  ListUsersCommand,
  UserNotFoundException,
  ValidationError,
  paginateAdminListUserAuthEvents,
} from "../src/index.ts";
// The Node, Deno and Bun build's client: the one that can validate inputs before sending them.
import { CognitoIdentityProviderClient } from "../src/node/client.ts";
import {
  EMULATOR_CREDENTIALS,
  POOL,
  REGION,
  captureRequests,
  describeError,
  httpTransport,
  isTyped,
  rejection,
  within,
  type CapturedRequest,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

let t: Transport;
let captured: CapturedRequest[];
beforeAll(async () => {
  t = await httpTransport({ seed: "hostile", users: 3, events: 30 });
  captured = captureRequests(t.core).captured;
});
afterAll(() => t.close());
afterEach(() => {
  captured.length = 0;
});

const INPUT = { UserPoolId: POOL, Username: "alice", MaxResults: 5 };
const injectedHeaderSeen = () =>
  captured.some((r) => Object.keys(r.headers).some((name) => name.startsWith("x-injected")));

/** Builds a client and sends one call; returns what went wrong where (construction or the call). */
async function attempt(config: ConstructorParameters<typeof CognitoIdentityProviderClient>[0], input: object = INPUT) {
  let client: CognitoIdentityProviderClient;
  try {
    client = new CognitoIdentityProviderClient(config);
  } catch (error) {
    return { at: "construction" as const, error };
  }
  try {
    const output = await within(client.send(new AdminListUserAuthEventsCommand(input as typeof INPUT)), 10_000);
    return { at: "success" as const, output };
  } catch (error) {
    return { at: "send" as const, error };
  }
}

// ---------------------------------------------------------------- values that reach headers

const BAD_HEADER_VALUES: Array<[string, string]> = [
  ["CR LF and a header", "\r\nX-Injected: 1"],
  ["a bare LF", "abc\ndef"],
  ["a bare CR", "abc\rdef"],
  ["NUL", "abc\u0000def"],
  ["DEL", "abc\u007fdef"],
  ["a character beyond Latin-1", "abc\u0100def"],
  ["a lone surrogate", "abc\uD800def"],
];

describe("credentials with characters that cannot go in a header", () => {
  const SECRET_TOKEN = "SessionTokenMarker";
  it.each(BAD_HEADER_VALUES)(
    "refuses a session token with %s, naming sessionToken, without echoing it or sending anything",
    async (_, bad) => {
      const sessionToken = `${SECRET_TOKEN}${bad}`;
      for (const credentials of [
        { ...EMULATOR_CREDENTIALS, sessionToken },
        async () => ({ ...EMULATOR_CREDENTIALS, sessionToken }),
      ]) {
        const result = await attempt({ region: REGION, endpoint: t.endpoint, credentials, maxAttempts: 3 });
        expect(result.at).not.toBe("success");
        const error = result.error as Error;
        expect(error.name).toMatch(/^(TypeError|CredentialsProviderError)$/);
        expect(error.message).toMatch(/sessionToken/);
        expect(String(error.message) + String((error.cause as Error | undefined)?.message ?? "")).not.toContain(
          SECRET_TOKEN,
        );
        expect(captured).toHaveLength(0);
      }
    },
  );

  it.each(BAD_HEADER_VALUES)(
    "refuses an access key id with %s, naming accessKeyId, before sending anything",
    async (_, bad) => {
      const result = await attempt({
        region: REGION,
        endpoint: t.endpoint,
        credentials: { accessKeyId: `AKIDEMULATOR${bad}`, secretAccessKey: "emulator-secret" },
      });
      expect(result.at).not.toBe("success");
      const error = result.error as Error;
      expect(error.name).toMatch(/^(TypeError|CredentialsProviderError)$/);
      expect(error.message).toMatch(/accessKeyId/);
      expect(captured).toHaveLength(0);
      expect(injectedHeaderSeen()).toBe(false);
    },
  );
});

describe("endpoints and regions with control characters", () => {
  it.each(["\r\nX-Injected: 1", "/\r\nX-Injected: 1", "\tX-Injected:1", "/%0d%0aX-Injected:%201"])(
    "never turns CR/LF/tab in the endpoint %j into a header",
    async (suffix) => {
      const result = await attempt({
        region: REGION,
        endpoint: `${t.endpoint}${suffix}`,
        credentials: EMULATOR_CREDENTIALS,
        maxAttempts: 1,
      });
      expect(injectedHeaderSeen()).toBe(false);
      if (result.at === "construction") expect((result.error as Error).message).toMatch(/endpoint/);
      else if (result.at === "send") expect(isTyped(result.error)).toBe(true);
      // The URL parser drops CR, LF and tab: what reaches the wire is a path, never a header line.
      for (const request of captured)
        for (const value of Object.values(request.headers)) expect(value).not.toMatch(/[\r\n]/);
    },
  );

  it.each([
    "http://127.0.0.1\u0000:1/",
    "http://exa mple.com/",
    "http://[::1/",
    "javascript:alert(1)",
    "file:///etc/passwd",
  ])("refuses the endpoint %j with a TypeError naming endpoint", async (endpoint) => {
    const result = await attempt({ region: REGION, endpoint, credentials: EMULATOR_CREDENTIALS });
    expect(result.at).toBe("construction");
    expect(result.error).toBeInstanceOf(TypeError);
    expect((result.error as Error).message).toMatch(/^endpoint/);
  });

  it.each(["us-east-1\r\nX-Injected: 1", "us-east-1\u0000", "US-EAST-1", "us-east-1.evil.com/"])(
    "refuses the region %j with a TypeError naming region",
    async (region) => {
      const result = await attempt({ region, credentials: EMULATOR_CREDENTIALS });
      expect(result.at).toBe("construction");
      expect(result.error).toBeInstanceOf(TypeError);
      expect((result.error as Error).message).toMatch(/^region/);
    },
  );
});

describe("input members with control characters", () => {
  it("rejects a Username with CR/LF locally, naming it without showing it", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: true },
      { ...INPUT, Username: "alice\r\nX-Injected: 1" },
    );
    expect(result.at).toBe("send");
    expect(result.error).toBeInstanceOf(ValidationError);
    const error = result.error as ValidationError;
    expect(error.issues.map((i) => [i.path, i.rule])).toEqual([["Username", "pattern"]]);
    expect(error.message).not.toContain("alice");
    expect(captured).toHaveLength(0);
  });

  it("shows a non-sensitive member's bad value escaped on one line", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: true },
      { ...INPUT, UserPoolId: "us-east-1_x\r\nX-Injected: 1" },
    );
    const error = result.error as ValidationError;
    expect(error.issues.map((i) => i.path)).toEqual(["UserPoolId"]);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain("\\r\\n");
  });

  it("carries control characters only inside the JSON body when validation is off, where the service refuses them", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: false },
      { ...INPUT, Username: "alice\r\nX-Injected: 1\u0000" },
    );
    expect(result.at).toBe("send");
    expect(result.error).toBeInstanceOf(InvalidParameterException);
    expect(injectedHeaderSeen()).toBe(false);
    expect(captured[0]!.body).toContain("alice\\r\\nX-Injected: 1\\u0000");
  });
});

// ---------------------------------------------------------------- oversized members

describe("oversized members", () => {
  it.each([
    ["Username", { ...INPUT, Username: "a".repeat(129) }, "length 129"],
    ["Username", { ...INPUT, Username: "😀".repeat(129) }, "length 129"],
    ["UserPoolId", { ...INPUT, UserPoolId: `us-east-1_${"a".repeat(50)}` }, "length 60"],
    ["NextToken", { ...INPUT, NextToken: "t".repeat(131_073) }, "length 131073"],
    ["MaxResults", { ...INPUT, MaxResults: 61 }, "<= 60"],
    ["MaxResults", { ...INPUT, MaxResults: Number.MAX_VALUE }, "<= 60"],
  ] as const)("rejects an oversized %s locally, naming the member and its size", async (member, input, detail) => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: true },
      input,
    );
    expect(result.error).toBeInstanceOf(ValidationError);
    const error = result.error as ValidationError;
    expect(error.issues.map((i) => i.path)).toEqual([member]);
    expect(error.message).toContain(detail);
    expect(error.message.length).toBeLessThan(600);
    expect(captured).toHaveLength(0);
  });

  it("lets the service refuse an oversized Username when validation is off: a typed error, one attempt", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: false, maxAttempts: 3 },
      { ...INPUT, Username: "u".repeat(10_000) },
    );
    expect(result.error).toBeInstanceOf(InvalidParameterException);
    expect(describeError(result.error)).toMatchObject({ typed: true, attempts: 1 });
    expect((result.error as Error).message).not.toContain("u".repeat(100));
  });

  it("fails with a typed error, without hanging, when a request body is larger than the server accepts", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: false, maxAttempts: 2 },
      { ...INPUT, NextToken: "t".repeat(2 * 1024 * 1024) },
    );
    expect(result.at).toBe("send");
    expect(isTyped(result.error)).toBe(true);
    expect((result.error as Error).message.length).toBeLessThan(600);
  });

  it("parses a large answer with an oversized member (8 MB) intact", async () => {
    const city = `${"🏙️".repeat(1000)}${"x".repeat(4 * 1024 * 1024)}`;
    const events = Array.from({ length: 5000 }, (_, i) => ({
      EventId: `e${i}`,
      CreationDate: 1.7e9 + i,
      EventContextData: { City: i === 0 ? city : "Zürich" },
    }));
    const body = JSON.stringify({ AuthEvents: events });
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
      fetch: (async () =>
        new Response(body, { status: 200, headers: { "content-type": "application/x-amz-json-1.1" } })) as typeof fetch,
    });
    const out = await within(client.send(new AdminListUserAuthEventsCommand(INPUT)), 10_000);
    expect(out.AuthEvents).toHaveLength(5000);
    expect(out.AuthEvents![0]!.EventContextData!.City).toBe(city);
    expect(out.AuthEvents![4999]!.CreationDate).toEqual(new Date((1.7e9 + 4999) * 1000));
  });
});

// ---------------------------------------------------------------- lone surrogates

describe("invalid UTF-16 (lone surrogates)", () => {
  it("rejects a Username with a lone surrogate locally (it matches no character class of the pattern)", async () => {
    const result = await attempt(
      { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: true },
      { ...INPUT, Username: "al\uD800ice" },
    );
    expect(result.error).toBeInstanceOf(ValidationError);
    expect((result.error as ValidationError).issues.map((i) => i.path)).toEqual(["Username"]);
  });

  it("signs what it sends when validation is off: the service judges the member, not the signature", async () => {
    for (const Username of ["al\uD800ice", "\uDC00", "x\uDBFF"]) {
      const result = await attempt(
        { region: REGION, endpoint: t.endpoint, credentials: EMULATOR_CREDENTIALS, validateInput: false },
        { ...INPUT, Username },
      );
      expect(result.at).toBe("send");
      expect(isTyped(result.error)).toBe(true);
      expect((result.error as Error).name).not.toMatch(/Signature/);
    }
    // JSON.stringify escapes lone surrogates, so the body is valid UTF-8 and what was signed.
    expect(captured.map((r) => /\\ud[89ab]|\\udc/i.test(r.body))).toEqual([true, true, true]);
  });

  it("keeps lone surrogates in answers as they are and still revives dates", async () => {
    const body = '{"AuthEvents":[{"EventId":"\\ud800","CreationDate":1.7E9,"EventContextData":{"City":"x\\udfff"}}]}';
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
      fetch: (async () => new Response(body, { status: 200 })) as typeof fetch,
    });
    const out = await client.send(new AdminListUserAuthEventsCommand(INPUT));
    expect(out.AuthEvents![0]!.EventId).toBe("\uD800");
    expect(out.AuthEvents![0]!.EventContextData!.City).toBe("x\uDFFF");
    expect(out.AuthEvents![0]!.CreationDate).toEqual(new Date(1.7e12));
  });

  it("decodes raw invalid UTF-8 in an answer to replacement characters, not a crash", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"AuthEvents":[{"EventId":"'),
      0xed,
      0xa0,
      0x80,
      0xff,
      ...new TextEncoder().encode('","CreationDate":1}]}'),
    ]);
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
      fetch: (async () => new Response(bytes, { status: 200 })) as typeof fetch,
    });
    const out = await client.send(new AdminListUserAuthEventsCommand(INPUT));
    expect(out.AuthEvents![0]!.EventId).toMatch(/^\uFFFD+$/);
  });

  it("passes a startingToken with a lone surrogate to the service as an opaque token, which refuses it", async () => {
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: t.endpoint,
      credentials: EMULATOR_CREDENTIALS,
    });
    const pages = paginateAdminListUserAuthEvents(
      { client, startingToken: "tok\uD800en" },
      { UserPoolId: POOL, Username: "alice" },
    );
    const error = await rejection(within(pages.next(), 5_000));
    expect(error).toBeInstanceOf(InvalidParameterException);
  });
});

// ---------------------------------------------------------------- prototype pollution

describe("prototype-pollution keys in answers", () => {
  const answering = (status: number, body: string, headers: Record<string, string> = {}) =>
    new CognitoIdentityProviderClient({
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 1,
      fetch: (async () =>
        new Response(body, {
          status,
          headers: { "content-type": "application/x-amz-json-1.1", ...headers },
        })) as typeof fetch,
    });
  const clean = () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).RiskDecision).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  };

  const HOSTILE_PAGE = JSON.stringify({
    AuthEvents: [
      {
        EventId: "e1",
        CreationDate: 1.7e9,
        EventRisk: { RiskLevel: "Low" },
        EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: 1.7e9 },
      },
    ],
    NextToken: "next",
  })
    .replace('"EventRisk":{', '"EventRisk":{"__proto__":{"RiskDecision":"Block"},')
    .replace(
      '{"EventId"',
      '{"__proto__":{"polluted":"event"},"constructor":{"prototype":{"polluted":"ctor"}},"EventId"',
    )
    .replace(
      '"NextToken"',
      '"__proto__":{"polluted":"page"},"constructor":{"prototype":{"polluted":"page"}},"NextToken"',
    );

  it("keeps __proto__ and constructor as inert data in an output, with normal prototypes", async () => {
    const out = (await answering(200, HOSTILE_PAGE).send(
      new AdminListUserAuthEventsCommand(INPUT),
    )) as unknown as Record<string, unknown>;
    clean();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const event = (out.AuthEvents as Array<Record<string, unknown>>)[0]!;
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(event.polluted).toBeUndefined();
    // A consumer checking the risk decision must not inherit "Block" from a planted prototype.
    expect((event.EventRisk as Record<string, unknown>).RiskDecision).toBeUndefined();
    expect(Object.getPrototypeOf(event.EventRisk)).toBe(Object.prototype);
    expect(event.CreationDate).toEqual(new Date(1.7e12));
    expect(out.NextToken).toBe("next");
  });

  it("keeps them inert through the paginator's pages, items and full result", async () => {
    const client = answering(200, HOSTILE_PAGE.replace('"NextToken":"next"', '"NextToken":""'));
    const full = await paginateAdminListUserAuthEvents.buildFullResult(
      { client, maxItems: 5 },
      { UserPoolId: POOL, Username: "alice" },
    );
    const items: unknown[] = [];
    for await (const item of paginateAdminListUserAuthEvents.items({ client }, { UserPoolId: POOL, Username: "alice" }))
      items.push(item);
    clean();
    expect(full.AuthEvents).toHaveLength(1);
    expect(items).toHaveLength(1);
    expect(Object.getPrototypeOf(items[0])).toBe(Object.prototype);
    expect((full.AuthEvents![0]!.EventRisk as Record<string, unknown>).RiskDecision).toBeUndefined();
  });

  it("keeps them out of an error's fields: $fault and the class come from the error name only", async () => {
    const body =
      '{"__type":"UserNotFoundException","message":"User does not exist.","__proto__":{"$fault":"server","polluted":"err"},"constructor":{"prototype":{"polluted":"err"}},"prototype":{"polluted":"err"}}';
    const error = await rejection(answering(400, body).send(new AdminListUserAuthEventsCommand(INPUT)));
    clean();
    expect(error).toBeInstanceOf(UserNotFoundException);
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "client", httpStatusCode: 400, attempts: 1 });
    expect((error as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(error)).toBe(UserNotFoundException.prototype);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"])(
    "turns an error named %j (body or header) into a typed error of that name, not an Object.prototype member",
    async (name) => {
      for (const [body, headers] of [
        [JSON.stringify({ __type: name, message: "m" }), {}],
        ['{"message":"m"}', { "x-amzn-ErrorType": `${name}:` }],
        [JSON.stringify({ code: `aws.cognito#${name}`, message: "m" }), {}],
      ] as const) {
        const error = await rejection(answering(400, body, headers).send(new AdminListUserAuthEventsCommand(INPUT)));
        clean();
        expect(
          isTyped(error),
          `got ${String((error as Error)?.constructor?.name)}: ${String((error as Error)?.message)}`,
        ).toBe(true);
        expect(describeError(error)).toMatchObject({ name, $fault: "client", httpStatusCode: 400, attempts: 1 });
      }
    },
  );

  it("sends an input's own __proto__ key as data, without polluting anything", async () => {
    const input = JSON.parse(
      '{"UserPoolId":"us-east-1_demoPlus","Username":"alice","__proto__":{"polluted":"input"}}',
    ) as typeof INPUT;
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: t.endpoint,
      credentials: EMULATOR_CREDENTIALS,
    });
    const result = await within(
      client.send(new AdminListUserAuthEventsCommand(input)).then(
        (output) => ({ output }),
        (error: unknown) => ({ error }),
      ),
      5_000,
    );
    clean();
    if ("error" in result) expect(isTyped(result.error)).toBe(true);
    else expect(result.output.AuthEvents).toHaveLength(30);
    const users = await client.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 1 }));
    expect(users.Users).toHaveLength(1);
  });
});
