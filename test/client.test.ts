import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  InvalidParameterException,
  ListUsersCommand,
  TooManyRequestsException,
  UpdateAuthEventFeedbackCommand,
  UserNotFoundException,
  UserPoolAddOnNotEnabledException,
  ValidationError,
  type FetchLike,
  type FetchLikeInit,
} from "../src/index.ts";
import { parseAuthorization } from "../src/emulator/auth.ts";

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key", sessionToken: "test-session-token" };
const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };

type Seen = { headers: Headers; body: unknown; url: string };
const seen: Seen[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Answers each request with the next response of the list (the last one repeats). */
function respond(...responses: Array<() => Response>) {
  let i = 0;
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      seen.push({ headers: request.headers, body: await request.json(), url: request.url });
      return responses[Math.min(i++, responses.length - 1)]!();
    }),
  );
}
const json =
  (body: unknown, init: ResponseInit = {}) =>
  () =>
    new HttpResponse(JSON.stringify(body), {
      status: 200,
      ...init,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": "req-1",
        ...(init.headers as object),
      },
    });
const awsError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  json({ __type: type, message }, { status, headers });

const client = (config: Partial<Sdk.CognitoIdentityProviderClientConfig> & Record<string, unknown> = {}) =>
  new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, ...config } as never);

describe("requests", () => {
  it("POSTs the awsJson1_1 request with the operation's X-Amz-Target and a SigV4 signature", async () => {
    respond(json({ AuthEvents: [] }));
    await client().send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 10 }));
    const [{ headers, body, url }] = seen as [Seen];
    expect(url).toBe(ENDPOINT);
    expect(headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(headers.get("x-amz-target")).toBe("AWSCognitoIdentityProviderService.AdminListUserAuthEvents");
    expect(headers.get("x-amz-security-token")).toBe("test-session-token");
    const auth = parseAuthorization(headers.get("authorization")!);
    expect(auth).toMatchObject({ accessKeyId: "AKIDTEST", region: "eu-west-1", service: "cognito-idp" });
    expect(auth!.signedHeaders).toEqual(
      expect.arrayContaining(["host", "x-amz-date", "x-amz-target", "content-type", "x-amz-security-token"]),
    );
    expect(body).toEqual({ ...input, MaxResults: 10 });
  });

  it("never mutates the caller's input", async () => {
    respond(json({}));
    // Deeply frozen: any write by the client throws (ES modules are strict), nested members included.
    const attributes = Object.freeze(["email", "sub"]);
    const frozen = Object.freeze({ UserPoolId: input.UserPoolId, AttributesToGet: attributes as string[] });
    await client().send(new ListUsersCommand(frozen));
    expect(seen[0]!.body).toEqual({ UserPoolId: input.UserPoolId, AttributesToGet: ["email", "sub"] });
  });

  it("sends the feedback operations and ListUsers with their targets", async () => {
    respond(json({}));
    const c = client();
    await c.send(new AdminUpdateAuthEventFeedbackCommand({ ...input, EventId: "e1", FeedbackValue: "Valid" }));
    await c.send(
      new UpdateAuthEventFeedbackCommand({ ...input, EventId: "e1", FeedbackToken: "tok", FeedbackValue: "Invalid" }),
    );
    await c.send(new ListUsersCommand({ UserPoolId: input.UserPoolId, Limit: 5, Filter: 'username = "alice"' }));
    expect(seen.map((s) => s.headers.get("x-amz-target"))).toEqual([
      "AWSCognitoIdentityProviderService.AdminUpdateAuthEventFeedback",
      "AWSCognitoIdentityProviderService.UpdateAuthEventFeedback",
      "AWSCognitoIdentityProviderService.ListUsers",
    ]);
    expect(seen[1]!.body).toMatchObject({ FeedbackValue: "Invalid", FeedbackToken: "tok" });
  });

  it("sends UpdateAuthEventFeedback unsigned (its FeedbackToken authorises it), so it needs no AWS credentials", async () => {
    respond(json({}));
    const noCredentials = new CognitoIdentityProviderClient({
      region: "eu-west-1",
      credentials: async () => Promise.reject(new Error("none")),
    });
    await noCredentials.send(
      new UpdateAuthEventFeedbackCommand({ ...input, EventId: "e1", FeedbackToken: "tok", FeedbackValue: "Valid" }),
    );
    expect(seen[0]!.headers.get("authorization")).toBeNull();
    expect(seen[0]!.headers.get("x-amz-target")).toBe("AWSCognitoIdentityProviderService.UpdateAuthEventFeedback");
  });
});

describe("responses", () => {
  it("turns epoch-second timestamps into Dates, scientific notation and fractions included", async () => {
    respond(
      json({
        AuthEvents: [
          {
            EventId: "a",
            CreationDate: 1.7e9,
            EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: 1700000000.123 },
          },
          { EventId: "b", CreationDate: 1700000001 },
        ],
        NextToken: "t",
      }),
    );
    const out = await client().send(new AdminListUserAuthEventsCommand(input));
    expect(out.AuthEvents?.[0]?.CreationDate).toEqual(new Date(1_700_000_000_000));
    expect(out.AuthEvents?.[0]?.EventFeedback?.FeedbackDate).toEqual(new Date(1_700_000_000_123));
    expect(out.AuthEvents?.[1]?.CreationDate).toEqual(new Date(1_700_000_001_000));
    expect(out.NextToken).toBe("t");
  });

  it("parses '1.7E9' written literally in the JSON text", async () => {
    server.use(
      http.post(ENDPOINT, () => new HttpResponse('{"AuthEvents":[{"CreationDate":1.7000000001E9}]}', { status: 200 })),
    );
    const out = await client().send(new AdminListUserAuthEventsCommand(input));
    expect(out.AuthEvents?.[0]?.CreationDate).toEqual(new Date(1_700_000_000_100));
  });

  it("keeps members the model does not have", async () => {
    respond(json({ AuthEvents: [{ EventId: "a", NewField: { x: 1 } }], Extra: true }));
    const out = (await client().send(new AdminListUserAuthEventsCommand(input))) as unknown as Record<string, any>;
    expect(out.Extra).toBe(true);
    expect(out.AuthEvents[0].NewField).toEqual({ x: 1 });
  });

  it("reports $metadata: status, request id, attempts and retry delay", async () => {
    respond(json({}));
    const out = await client().send(new AdminListUserAuthEventsCommand(input));
    expect(out.$metadata).toEqual({ httpStatusCode: 200, requestId: "req-1", attempts: 1, totalRetryDelay: 0 });
  });

  it("does not let a __proto__ key in a response change any prototype", async () => {
    server.use(
      http.post(ENDPOINT, () => new HttpResponse('{"__proto__":{"polluted":1},"AuthEvents":[{"__proto__":{"x":1}}]}')),
    );
    const out = await client().send(new AdminListUserAuthEventsCommand(input));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.AuthEvents![0])).toBe(Object.prototype);
  });
});

describe("errors", () => {
  const cases: Array<[string, number, new (...a: never[]) => Error, new (...a: never[]) => Error]> = [
    ["UserNotFoundException", 400, UserNotFoundException, Sdk.UserNotFoundException],
    ["UserPoolAddOnNotEnabledException", 400, UserPoolAddOnNotEnabledException, Sdk.UserPoolAddOnNotEnabledException],
    ["InvalidParameterException", 400, InvalidParameterException, Sdk.InvalidParameterException],
    ["ResourceNotFoundException", 400, Sdk.ResourceNotFoundException, Sdk.ResourceNotFoundException],
    ["NotAuthorizedException", 400, Sdk.NotAuthorizedException, Sdk.NotAuthorizedException],
  ];
  it.each(cases)(
    "%s becomes its class, an instance of this package's and the AWS SDK's",
    async (name, status, Ours, Theirs) => {
      respond(awsError(status, name, "boom"));
      const err = await client()
        .send(new AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Ours);
      expect(err).toBeInstanceOf(Theirs);
      expect(err).toBeInstanceOf(CognitoIdentityProviderServiceException);
      expect(err).toBeInstanceOf(Sdk.CognitoIdentityProviderServiceException);
      expect(err).toMatchObject({
        name,
        message: "boom",
        $fault: "client",
        $metadata: { httpStatusCode: status, requestId: "req-1", attempts: 1 },
      });
    },
  );

  it("an SDK error is an instance of this package's class too", () => {
    const sdkErr = new Sdk.UserNotFoundException({ message: "x", $metadata: {} });
    expect(sdkErr).toBeInstanceOf(UserNotFoundException);
    expect(sdkErr).not.toBeInstanceOf(TooManyRequestsException);
  });

  it("InternalErrorException is a server fault", async () => {
    respond(awsError(500, "InternalErrorException", "oops"));
    const err = await client({ maxAttempts: 1 })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Sdk.InternalErrorException);
    expect(err).toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });
  });

  it("reads the name from x-amzn-errortype, then code, then __type, dropping namespace and ':' suffix", async () => {
    const c = client();
    respond(
      json(
        { __type: "Other", message: "m" },
        { status: 400, headers: { "x-amzn-errortype": "UserNotFoundException:http://internal.amazon.com/" } },
      ),
    );
    await expect(c.send(new AdminListUserAuthEventsCommand(input))).rejects.toBeInstanceOf(UserNotFoundException);
    server.resetHandlers();
    respond(json({ code: "UserNotFoundException", __type: "Other" }, { status: 400 }));
    await expect(c.send(new AdminListUserAuthEventsCommand(input))).rejects.toBeInstanceOf(UserNotFoundException);
    server.resetHandlers();
    respond(
      json(
        { __type: "com.amazonaws.cognitoidentityprovider#UserNotFoundException", message: "User does not exist." },
        { status: 400 },
      ),
    );
    await expect(c.send(new AdminListUserAuthEventsCommand(input))).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("an unknown error name becomes a generic service error carrying the name", async () => {
    respond(awsError(400, "UnrecognizedClientException", "The security token included in the request is invalid."));
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(err).toMatchObject({
      name: "UnrecognizedClientException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("an HTML error page from a proxy becomes a typed error with the status and a short excerpt", async () => {
    server.use(
      http.post(
        ENDPOINT,
        () =>
          new HttpResponse("<html><body><h1>403 Forbidden</h1>Request blocked.</body></html>", {
            status: 403,
            headers: { "content-type": "text/html" },
          }),
      ),
    );
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(err).toMatchObject({
      name: "UnknownError",
      $fault: "client",
      $metadata: { httpStatusCode: 403, attempts: 1 },
    });
    expect((err as Error).message).toBe("HTTP 403: 403 Forbidden Request blocked.");
  });

  it("a large error body full of unclosed '<' is excerpted at once, not after seconds of regex backtracking", async () => {
    // 240 KB of "<a ": the former tag pattern (`<[^>]*>`) backtracked quadratically on it (13.7 s here).
    server.use(http.post(ENDPOINT, () => new HttpResponse("<a ".repeat(80_000), { status: 403 })));
    const started = performance.now();
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((err as Error).message).toMatch(/^HTTP 403: <a <a /);
    expect((err as Error).message.length).toBeLessThan(220);
  });

  it("an empty error body says so", async () => {
    server.use(http.post(ENDPOINT, () => new HttpResponse(null, { status: 404 })));
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe("HTTP 404 with an empty body");
  });
});

describe("input validation", () => {
  it("rejects a missing required member before sending, naming it", async () => {
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ UserPoolId: input.UserPoolId } as never))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain("Username is required");
    expect(seen).toHaveLength(0);
  });

  it("names the member, the pattern and the value of a non-sensitive member", async () => {
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ ...input, UserPoolId: "no-underscore" }))
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/UserPoolId must match the pattern .* \(length 13; value "no-underscore"\)/);
  });

  it("never echoes a sensitive member's value, only its length", async () => {
    const secretName = "x".repeat(129);
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ ...input, Username: secretName }))
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      "Username must have length <= 128 (length 129; value not shown: sensitive)",
    );
    expect((err as Error).message).not.toContain(secretName);
  });

  it("checks ranges and counts code points, not UTF-16 units", async () => {
    respond(json({}));
    await expect(client().send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 61 }))).rejects.toThrow(
      "MaxResults must be <= 60, got 61",
    );
    await expect(
      client().send(new AdminListUserAuthEventsCommand({ ...input, Username: "😀".repeat(128) })),
    ).resolves.toBeTruthy();
  });

  it("can be turned off", async () => {
    respond(json({}));
    await client({ validateInput: false }).send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 61 }));
    expect(seen[0]!.body).toMatchObject({ MaxResults: 61 });
  });
});

describe("configuration", () => {
  it("rejects bad options with a TypeError naming the option", () => {
    expect(() => client({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => client({ retryMode: "legacy" as never })).toThrow(/retryMode/);
    expect(() => client({ requestTimeout: -1 })).toThrow(/requestTimeout/);
  });

  it("without a region option or AWS_REGION/AWS_DEFAULT_REGION, says region is required", () => {
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    try {
      expect(() => new CognitoIdentityProviderClient({ credentials, endpoint: "http://127.0.0.1:9" })).toThrow(
        /region is required/,
      );
      vi.stubEnv("AWS_DEFAULT_REGION", "eu-central-1");
      expect(new CognitoIdentityProviderClient({ credentials }).config.region).toBe("eu-central-1");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("sends to the endpoint override", async () => {
    server.use(http.post("http://127.0.0.1:9/", () => HttpResponse.json({ AuthEvents: [] })));
    const out = await client({ endpoint: "http://127.0.0.1:9" }).send(new AdminListUserAuthEventsCommand(input));
    expect(out.AuthEvents).toEqual([]);
  });

  it("useDualstackEndpoint and useFipsEndpoint pick the hosts of the model's endpoint rules", () => {
    expect(client({ region: "cn-north-1", useDualstackEndpoint: true }).config.endpoint.href).toBe(
      "https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn/",
    );
    expect(
      client({ region: "us-gov-west-1", useDualstackEndpoint: true, useFipsEndpoint: true }).config.endpoint.href,
    ).toBe("https://cognito-idp-fips.us-gov-west-1.api.aws/");
    expect(() => client({ useDualstackEndpoint: true, endpoint: "http://127.0.0.1:9" })).toThrow(
      "useDualstackEndpoint cannot be combined with a custom endpoint",
    );
    expect(() => client({ useDualstackEndpoint: "yes" as never })).toThrow(TypeError);
  });

  it("sends with any function that answers with status, headers.get and text() (a ResponseLike), not only fetch", async () => {
    const sent: { url: string; init: FetchLikeInit }[] = [];
    const fetchLike: FetchLike = async (url, init) => {
      sent.push({ url, init });
      return {
        status: 200,
        headers: { get: (name) => (name.toLowerCase() === "x-amzn-requestid" ? "r" : null) },
        text: async () => '{"AuthEvents":[]}',
      };
    };
    const out = await client({ fetch: fetchLike }).send(new AdminListUserAuthEventsCommand(input));
    expect(out).toEqual({
      AuthEvents: [],
      $metadata: { httpStatusCode: 200, requestId: "r", attempts: 1, totalRetryDelay: 0 },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(ENDPOINT);
    expect(sent[0]!.init).toMatchObject({ method: "POST", body: JSON.stringify(input) });
    expect(sent[0]!.init.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.AdminListUserAuthEvents");
  });

  it("JSON.stringify of the client shows no credentials", () => {
    const text = JSON.stringify(client());
    expect(text).toContain("eu-west-1");
    expect(text).not.toContain("test-secret-key");
    expect(text).not.toContain("test-session-token");
  });

  it("logs requests to the logger with Authorization, the session token and sensitive members redacted", async () => {
    respond(json({}));
    const lines: string[] = [];
    const logger = { debug: (...a: unknown[]) => lines.push(JSON.stringify(a)), info() {}, warn() {}, error() {} };
    await client({ logger }).send(new AdminListUserAuthEventsCommand({ ...input, Username: "alice-the-user" }));
    const all = lines.join("\n");
    expect(all).toContain("AdminListUserAuthEvents attempt 1: POST https://cognito-idp.eu-west-1.amazonaws.com/");
    expect(all).toContain('"authorization":"***"');
    expect(all).toContain('"x-amz-security-token":"***"');
    expect(all).toContain('"x-amz-target":"AWSCognitoIdentityProviderService.AdminListUserAuthEvents"');
    expect(all).toContain('"Username":"***SensitiveInformation***"');
    expect(all).toContain('"UserPoolId":"eu-west-1_abc123"');
    expect(all).toContain("HTTP 200 req-1");
    expect(all).not.toMatch(/test-secret-key|test-session-token|alice-the-user|Signature=/);
  });
});

describe("clock skew", () => {
  it("corrects the offset from the server's Date after a 'Signature expired' error, retries, and keeps it", async () => {
    const serverNow = Date.now() + 60 * 60 * 1000;
    const dates: string[] = [];
    let calls = 0;
    server.use(
      http.post(ENDPOINT, ({ request }) => {
        dates.push(request.headers.get("x-amz-date")!);
        calls++;
        const date = new Date(serverNow).toUTCString();
        if (calls === 1) {
          return HttpResponse.json(
            {
              __type: "InvalidSignatureException",
              message: "Signature expired: 20240101T000000Z is now earlier than ...",
            },
            { status: 400, headers: { date } },
          );
        }
        return HttpResponse.json({}, { headers: { date } });
      }),
    );
    const c = client({ maxAttempts: 1 });
    const out = await c.send(new AdminListUserAuthEventsCommand(input));
    expect(out.$metadata.attempts).toBe(2);
    await c.send(new AdminListUserAuthEventsCommand(input));
    const toMs = (d: string) =>
      Date.parse(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
      );
    expect(Math.abs(toMs(dates[0]!) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(toMs(dates[1]!) - serverNow)).toBeLessThan(60_000);
    expect(Math.abs(toMs(dates[2]!) - serverNow)).toBeLessThan(60_000);
    expect(c.config.systemClockOffset).toBeGreaterThan(59 * 60 * 1000);
  });

  it("does not retry a signature error when the clocks agree", async () => {
    respond(
      awsError(400, "InvalidSignatureException", "The request signature we calculated does not match", {
        date: new Date().toUTCString(),
      }),
    );
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InvalidSignatureException", $metadata: { attempts: 1 } });
  });
});

describe("abort and timeout", () => {
  it("an abortSignal stops the request in flight with an AbortError", async () => {
    server.use(
      http.post(ENDPOINT, async () => {
        await new Promise((r) => setTimeout(r, 5_000));
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    const started = Date.now();
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input), { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AbortError" });
    expect((err as Error).cause).toEqual(new Error("user cancelled"));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("an already-aborted signal sends nothing", async () => {
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input), { abortSignal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AbortError" });
    expect(seen).toHaveLength(0);
  });

  it("requestTimeout abandons a slow attempt with a TimeoutError after the configured attempts", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    let calls = 0;
    server.use(
      http.post(ENDPOINT, async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 2_000));
        return HttpResponse.json({});
      }),
    );
    const err = await client({ requestTimeout: 50, maxAttempts: 2 })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(err).toMatchObject({ name: "TimeoutError", $metadata: { attempts: 2 } });
    expect(calls).toBe(2);
  });
});

describe("blobs", () => {
  it("a 128 KiB blob is sent as base64 and its length is validated in bytes", async () => {
    const { SetUICustomizationCommand } = await import("../src/index.ts");
    respond(json({}));
    const image = new Uint8Array(131_072).map((_, i) => i % 251);
    await client().send(new SetUICustomizationCommand({ UserPoolId: input.UserPoolId, ImageFile: image }));
    const sent = (seen[0]!.body as { ImageFile: string }).ImageFile;
    expect(Uint8Array.from(atob(sent), (c) => c.charCodeAt(0))).toEqual(image);
    const tooBig = client().send(
      new SetUICustomizationCommand({ UserPoolId: input.UserPoolId, ImageFile: new Uint8Array(131_073) }),
    );
    await expect(tooBig).rejects.toThrow("ImageFile must have length <= 131072 (131073 bytes)");
  });
});
