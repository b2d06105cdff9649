/**
 * Property-based fuzzing (fast-check, fixed seeds so CI runs repeat):
 * - the response parser, fed arbitrary JSON, error shapes and raw bytes: a valid output or a typed
 *   error, nothing else;
 * - the SigV4 canonicaliser against @smithy/signature-v4 (what the AWS SDK v3 signs with), with
 *   arbitrary header names, values (whitespace, Unicode, lone surrogates) and bodies;
 * - resume tokens: what a listing hands out resumes it exactly; arbitrary strings are either
 *   opaque service tokens or rejected with an error naming `startingToken`/`NextToken`.
 */

import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4, getCanonicalHeaders, getPayloadHash } from "@smithy/signature-v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  ListUsersCommand,
  ValidationError,
  paginateAdminListUserAuthEvents,
} from "../src/index.ts";
import { EmulatorCore } from "../src/emulator/core.ts";
import { CognitoIdentityProviderClient as NodeClient } from "../src/node/client.ts";
import { StartingTokenError, parseStartingToken } from "../src/resume-token.ts";
import { canonicalString, isSignableHeader, SigV4Signer } from "../src/sigv4.ts";
import { EMULATOR_CREDENTIALS, POOL, coreFetch, isTyped, rejection } from "./fixtures/reliability/helpers.ts";

const SEED = 9_2025;

// ---------------------------------------------------------------- response parser

/** Names an error body or header may carry: modelled, unmodelled, namespaced, and Object.prototype's own keys. */
const errorName = fc.oneof(
  fc.constantFrom(
    "UserNotFoundException",
    "TooManyRequestsException",
    "InternalErrorException",
    "InvalidParameterException",
    "ServiceUnavailableException",
    "com.amazonaws.cognitoidentityprovider#UserNotFoundException",
    "UserNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/",
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "prototype",
    "",
    "#",
    ":",
  ),
  fc.string({ maxLength: 20 }),
);

/** Values of any JSON type, sometimes where the model wants a timestamp. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const timestampish = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom("1.7E9", "1700000000", "1700000000.123", "2024-05-01T12:00:00Z", "not a date", "", "1e400"),
  anyJson,
);
const authEvent = fc.dictionary(
  fc.constantFrom(
    "EventId",
    "EventType",
    "CreationDate",
    "EventResponse",
    "EventRisk",
    "EventFeedback",
    "ChallengeResponses",
    "__proto__",
    "constructor",
    "Unknown",
  ),
  fc.oneof(timestampish, fc.record({ FeedbackDate: timestampish, FeedbackValue: anyJson }, { requiredKeys: [] })),
  { maxKeys: 6 },
);
const body = fc.oneof(
  // Shaped like the operation's output, members of any type.
  fc
    .record(
      {
        AuthEvents: fc.oneof(fc.array(fc.oneof(authEvent, anyJson), { maxLength: 4 }), anyJson),
        NextToken: anyJson,
        __proto__: anyJson,
        constructor: anyJson,
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  // Shaped like an error.
  fc
    .record(
      { __type: errorName, code: errorName, message: anyJson, Message: anyJson, __proto__: anyJson },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  anyJson.map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom(
    "",
    " ",
    "{",
    '{"AuthEvents":[',
    "<html><body>502 Bad Gateway</body></html>",
    "null",
    "[]",
    '"x"',
    "1e999",
  ),
);
const responseArb = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 200, 200, 400, 403, 404, 413, 429, 500, 502, 503, 504),
    fc.integer({ min: 200, max: 599 }),
  ),
  body: fc.oneof(
    body.map((text): Uint8Array => new TextEncoder().encode(text)),
    fc.uint8Array({ maxLength: 200 }),
  ),
  errorType: fc.option(errorName, { nil: undefined }),
  contentType: fc.constantFrom("application/x-amz-json-1.1", "text/html", "application/json", "text/plain"),
});

/** A client whose fetch answers with the given response, whatever was asked. */
interface FakeResponse {
  status: number;
  body: Uint8Array;
  errorType: string | undefined;
  contentType: string;
}
function clientAnswering(r: FakeResponse) {
  const headers: Record<string, string> = { "content-type": r.contentType, "x-amzn-requestid": "fuzz" };
  if (r.errorType !== undefined) headers["x-amzn-errortype"] = r.errorType;
  // Responses with these statuses may not carry a body.
  const noBody = r.status === 204 || r.status === 205 || r.status === 304;
  const fetchImpl = (async () =>
    new Response(noBody ? null : (r.body as Uint8Array<ArrayBuffer>), { status: r.status, headers })) as typeof fetch;
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    credentials: EMULATOR_CREDENTIALS,
    fetch: fetchImpl,
    maxAttempts: 1,
  });
}

describe("response parser (property)", () => {
  it("turns any response into a valid output or a typed error, nothing else", async () => {
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    await fc.assert(
      fc.asyncProperty(responseArb, async (r) => {
        const client = clientAnswering(r);
        let output: Record<string, unknown> | undefined;
        let error: unknown;
        try {
          output = (await client.send(
            new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice" }),
          )) as never;
        } catch (e) {
          error = e;
        }
        if (error !== undefined) {
          expect(
            isTyped(error),
            `untyped ${String((error as Error)?.constructor?.name)}: ${String((error as Error)?.message)}`,
          ).toBe(true);
          expect((error as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(1);
          return;
        }
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(300);
        expect(typeof output === "object" && output !== null && !Array.isArray(output)).toBe(true);
        expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
        expect(output!.$metadata).toMatchObject({ httpStatusCode: r.status, attempts: 1 });
        // Numbers where the model has a timestamp became Dates; everything else stayed as parsed.
        const events = output!.AuthEvents;
        if (Array.isArray(events)) {
          for (const event of events) {
            if (event === null || typeof event !== "object" || Array.isArray(event)) continue;
            const date = (event as Record<string, unknown>).CreationDate;
            if (typeof date === "number") throw new Error("a numeric CreationDate was not revived");
            if (date instanceof Date) expect(typeof date.getTime()).toBe("number");
          }
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("parses an answer nested 100 000 levels deep without a stack overflow", async () => {
    const deep = `{"AuthEvents":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const client = clientAnswering({
      status: 200,
      body: new TextEncoder().encode(deep),
      errorType: undefined,
      contentType: "application/x-amz-json-1.1",
    });
    const out = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice" }));
    expect(Array.isArray(out.AuthEvents)).toBe(true);
  });
});

// ---------------------------------------------------------------- SigV4 canonicaliser

/** The hash @smithy/signature-v4 wants, over node:crypto. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}
function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** @smithy's signer with its canonical-request step made reachable. */
class ExposedSigner extends SignatureV4 {
  canonical(
    request: Parameters<SignatureV4["sign"]>[0] & { headers: Record<string, string> },
    payloadHash: string,
  ): string {
    return this.createCanonicalRequest(request as never, getCanonicalHeaders(request as never), payloadHash);
  }
}

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Any RFC 9110 token, plus names either signer treats specially. */
const headerName = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 16 }),
  fc.constantFrom(
    "x-amz-meta-a",
    "__proto__",
    "constructor",
    "User-Agent",
    "Proxy-X",
    "Sec-X",
    "X-Amzn-Trace-Id",
    "TE",
    "Expect",
  ),
);
const whitespace = fc.constantFrom(" ", "  ", "\t", " \t ", "\r\n", "\n ", "\r", "");
/** Header values as JS strings: whitespace anywhere, any Unicode, lone surrogates. */
const headerValue = fc
  .array(
    fc.tuple(
      whitespace,
      fc.oneof(
        fc.string({ unit: "grapheme", maxLength: 8 }),
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.constantFrom("\uD800", "\uDFFF", "é", "😀", "a b", "\u00a0", "\u2028", "\u0085"),
      ),
    ),
    { maxLength: 4 },
  )
  .chain((parts) => whitespace.map((tail) => parts.map(([ws, word]) => ws + word).join("") + tail));
const headers = fc
  .uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 8, selector: ([name]) => name.toLowerCase() })
  .map((pairs) =>
    pairs.filter(
      ([name]) =>
        !["host", "authorization", "x-amz-date", "date", "x-amz-content-sha256", "x-amz-security-token"].includes(
          name.toLowerCase(),
        ),
    ),
  );
const requestBody = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }),
);

/** Sets an own property even for `__proto__` (plain assignment would change the prototype instead). */
function put(target: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

describe("SigV4 canonicaliser vs @smithy/signature-v4 (property)", () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
  const smithy = new ExposedSigner({ credentials, region: "us-east-1", service: "cognito-idp", sha256: NodeSha256 });

  it("builds the same canonical request for arbitrary header names, values and bodies", async () => {
    await fc.assert(
      fc.asyncProperty(headers, requestBody, async (pairs, payload) => {
        const h: Record<string, string> = {
          host: "cognito-idp.us-east-1.amazonaws.com",
          "x-amz-date": "20250601T120000Z",
        };
        for (const [name, value] of pairs) put(h, name, value);
        // As the signer does: names lowercased (defined, so __proto__ stays a header), the signable ones signed.
        const lower = Object.fromEntries(Object.entries(h).map(([name, value]) => [name.toLowerCase(), value]));
        const ours = canonicalString({
          method: "POST",
          url: new URL("https://cognito-idp.us-east-1.amazonaws.com/"),
          headers: lower,
          signedHeaders: Object.keys(lower).filter(isSignableHeader).sort(),
          payloadHash: await new SigV4Signer().hash(payload),
        });
        const request = {
          method: "POST",
          protocol: "https:",
          hostname: "cognito-idp.us-east-1.amazonaws.com",
          path: "/",
          headers: h,
          body: payload,
        };
        const theirs = smithy.canonical(request, await getPayloadHash(request as never, NodeSha256));
        expect(ours).toBe(theirs);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("signs arbitrary header names, values and bodies with the same Authorization", async () => {
    await fc.assert(
      fc.asyncProperty(
        headers,
        requestBody,
        fc.option(fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 40 }), { nil: undefined }),
        async (pairs, payload, sessionToken) => {
          const creds = { ...credentials, ...(sessionToken === undefined ? {} : { sessionToken }) };
          const h: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
          for (const [name, value] of pairs) put(h, name, value);
          const date = new Date("2025-06-01T12:00:00Z");
          const ours = await new SigV4Signer().sign(
            { method: "POST", url: new URL("https://cognito-idp.us-east-1.amazonaws.com/"), headers: h, body: payload },
            { credentials: creds, region: "us-east-1", service: "cognito-idp", date },
          );
          const signer = new SignatureV4({
            credentials: creds,
            region: "us-east-1",
            service: "cognito-idp",
            sha256: NodeSha256,
          });
          const theirs = (await signer.sign(
            {
              method: "POST",
              protocol: "https:",
              hostname: "cognito-idp.us-east-1.amazonaws.com",
              path: "/",
              headers: { ...h, host: "cognito-idp.us-east-1.amazonaws.com" },
              body: payload,
            } as never,
            { signingDate: date },
          )) as unknown as { headers: Record<string, string> };
          expect(ours.authorization).toBe(theirs.headers.authorization);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("the client's own signing path vs @smithy/signature-v4 (property)", () => {
  it("sends what @smithy would sign, for arbitrary inputs, session tokens, endpoints and clock offsets", async () => {
    const endpoint = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 1, max: 65535 }).map((port) => `http://127.0.0.1:${port}`),
      fc.constantFrom(
        "https://cognito-idp.eu-west-1.amazonaws.com",
        "http://localhost:4566/",
        "https://proxy.example.com/cognito/",
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
        fc.option(fc.string({ unit: fc.constantFrom(..."ABCxyz019+/="), minLength: 1, maxLength: 300 }), {
          nil: undefined,
        }),
        fc.constantFrom("us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"),
        endpoint,
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        async (input, sessionToken, region, customEndpoint, systemClockOffset) => {
          const seen: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
          const fetchImpl = (async (url: string, init: RequestInit) => {
            seen.push({ url, headers: Object.fromEntries(new Headers(init.headers)), body: String(init.body) });
            return new Response("{}", { status: 200 });
          }) as unknown as typeof fetch;
          const credentials = {
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ...(sessionToken === undefined ? {} : { sessionToken }),
          };
          const client = new CognitoIdentityProviderClient({
            region,
            credentials,
            fetch: fetchImpl,
            validateInput: false,
            systemClockOffset,
            ...(customEndpoint === undefined ? {} : { endpoint: customEndpoint }),
          });
          await client.send(new AdminListUserAuthEventsCommand(input as never));
          const [request] = seen;
          const url = new URL(request!.url);
          const { authorization, ...headers } = request!.headers;
          const time = headers["x-amz-date"]!;
          const date = new Date(time.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
          expect(Math.abs(date.getTime() - (Date.now() + systemClockOffset))).toBeLessThan(60_000);
          const signer = new SignatureV4({ credentials, region, service: "cognito-idp", sha256: NodeSha256 });
          const theirs = (await signer.sign(
            {
              method: "POST",
              protocol: url.protocol,
              hostname: url.hostname,
              ...(url.port ? { port: Number(url.port) } : {}),
              path: url.pathname,
              headers: { ...headers, host: url.host },
              body: request!.body,
            } as never,
            { signingDate: date },
          )) as unknown as { headers: Record<string, string> };
          expect(authorization).toBe(theirs.headers.authorization);
          expect(request!.body).toBe(JSON.stringify(input));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------- resume tokens

describe("resume tokens (property, against the emulator core)", () => {
  const core = new EmulatorCore({ seed: "fuzz-tokens", users: 2, events: 23 });
  // The Node, Deno and Bun build's client: the one that validates inputs.
  const client = new NodeClient({
    region: "us-east-1",
    credentials: EMULATOR_CREDENTIALS,
    fetch: coreFetch(core),
    maxAttempts: 1,
    validateInput: true,
  });
  const input = { UserPoolId: POOL, Username: "alice" };
  const all = core.getEvents(POOL, "alice")!.map((e) => e.EventId);

  it("resumes exactly where any cut listing stopped, whatever the page size and item limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (pageSize, maxItems, resumePageSize) => {
          const first = await paginateAdminListUserAuthEvents.buildFullResult({ client, pageSize, maxItems }, input);
          const ids = (first.AuthEvents ?? []).map((e) => e.EventId);
          if (first.NextToken !== undefined) {
            const rest = await paginateAdminListUserAuthEvents.buildFullResult(
              { client, pageSize: resumePageSize, startingToken: first.NextToken },
              input,
            );
            ids.push(...(rest.AuthEvents ?? []).map((e) => e.EventId));
            expect(rest.NextToken).toBeUndefined();
          }
          // botocore's semantics: resuming with a different page size may repeat items, never skips one.
          if (resumePageSize === pageSize) expect(ids).toEqual(all);
          else expect(new Set(ids)).toEqual(new Set(all));
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("treats an arbitrary startingToken as an opaque token or rejects it clearly", async () => {
    const tokenArb = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.base64String({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => btoa(JSON.stringify(v) ?? "null")),
      fc
        .record(
          { NextToken: fc.jsonValue({ maxDepth: 1 }), boto_truncate_amount: fc.jsonValue({ maxDepth: 1 }) },
          { requiredKeys: [] },
        )
        .map((v) => btoa(JSON.stringify(v))),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 5 })).map(([a, b]) => `${a}___${b}`),
      fc.constantFrom("None", "None___0", "a___b___c", "\uD800", "  ", "\u0000"),
    );
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(tokenArb, async (startingToken) => {
        let parsed: ReturnType<typeof parseStartingToken> | undefined;
        try {
          parsed = parseStartingToken(startingToken, ["NextToken"]);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/^startingToken: /);
          outcomes.add("refused");
          return;
        }
        try {
          const result = await paginateAdminListUserAuthEvents.buildFullResult({ client, startingToken }, input);
          // Only a token that says "from the beginning" lists anything.
          expect(parsed.tokens.get("NextToken") ?? null).toBeNull();
          expect(result.AuthEvents?.length).toBeLessThanOrEqual(all.length);
          outcomes.add("listed");
        } catch (error) {
          if (error instanceof StartingTokenError) {
            // botocore sends every key as a parameter and its validation refuses names the input does not have.
            expect(error.botocoreMessage).toMatch(/^Parameter validation failed:\nUnknown parameter in input: "/);
            outcomes.add("refused");
          } else if (error instanceof ValidationError) {
            // The token's own parameters, as the client's validation sees them.
            for (const issue of error.issues) expect([...parsed.tokens.keys()]).toContain(issue.path.split(/[.[]/)[0]);
            outcomes.add("invalid locally");
          } else {
            expect(error).toBeInstanceOf(InvalidParameterException);
            expect((error as Error).message).toBe("Invalid NextToken.");
            outcomes.add("invalid at the service");
          }
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(outcomes).toEqual(new Set(["refused", "listed", "invalid locally", "invalid at the service"]));
  });

  it("rejects an arbitrary ListUsers PaginationToken with a typed error, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), async (token) => {
        const error = await rejection(client.send(new ListUsersCommand({ UserPoolId: POOL, PaginationToken: token })));
        expect(isTyped(error)).toBe(true);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
