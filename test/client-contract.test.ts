/**
 * What both clients promise, the default entry's and `cognito-auth-events/lite`'s, run against each: the request on
 * the wire (signature verified), outputs, typed errors, retries, aborts, credentials providers and the `fetch`
 * option, against MSW for the edge cases and against the emulator for whole listings. What only one of them does is
 * tested in test/client.test.ts and test/lite.test.ts.
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { HttpResponse, http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, onTestFinished, vi } from "vitest";
import { parseAuthorization, verifySignature } from "../src/emulator/auth.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import * as full from "../src/index.ts";
import * as lite from "../src/lite/index.ts";
import type { NodeFetch } from "../src/node/index.ts";
import { SigV4Signer } from "../src/sigv4.ts";

/** What both entries export and the contract uses. */
type Entry = Pick<
  typeof full,
  | "AbortError"
  | "AdminListUserAuthEventsCommand"
  | "AdminUpdateAuthEventFeedbackCommand"
  | "CognitoIdentityProviderServiceException"
  | "InternalErrorException"
  | "InvalidParameterException"
  | "ListUsersCommand"
  | "NetworkError"
  | "UpdateAuthEventFeedbackCommand"
  | "UserNotFoundException"
  | "UserPoolAddOnNotEnabledException"
  | "paginateAdminListUserAuthEvents"
>;
/** The options both clients take. */
type Options = lite.LiteClientConfig;
type Client = InstanceType<typeof full.CognitoIdentityProviderClient>;

const CLIENTS: [string, Entry, (options: Options) => Client][] = [
  ["default entry", full, (options) => new full.CognitoIdentityProviderClient(options)],
  // The lite client has the same call shape: the contract calls both through the default entry's type.
  ["lite", lite as unknown as Entry, (options) => new lite.CognitoIdentityProviderClient(options) as unknown as Client],
];

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key", sessionToken: "test-session-token" };
const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };

type Seen = { headers: Record<string, string>; body: string; url: string };
const seen: Seen[] = [];
// The emulator, on 127.0.0.1, is reached for real; the rest is answered here.
const server = setupServer(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Answers each request with the next response of the list (the last one repeats), recording what was sent. */
function respond(...responses: Array<() => Response | Promise<Response>>) {
  let i = 0;
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      seen.push({ headers: Object.fromEntries(request.headers), body: await request.text(), url: request.url });
      return responses[Math.min(i++, responses.length - 1)]!();
    }),
  );
}
const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new HttpResponse(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-1", ...headers },
    });
const awsError = (status: number, type: string, message: string) => json({ __type: type, message }, status);

/** A promise the test resolves itself: a handler waiting on it never answers until then. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  onTestFinished(() => open());
  return { promise, open };
}

describe("the fetch option's type", () => {
  it("takes the global fetch, and createNodeFetch's fetch and exchange, as they are", () => {
    expectTypeOf(fetch).toExtend<full.FetchLike>();
    expectTypeOf<NodeFetch>().toExtend<full.FetchLike>();
    expectTypeOf<NodeFetch["exchange"]>().toExtend<full.FetchLike>();
    expectTypeOf<full.FetchLike>().toEqualTypeOf<lite.FetchLike>();
    // What a web Response has and the client does not need is not asked for.
    expectTypeOf<{
      status: number;
      headers: { get(n: string): string | null };
      text(): Promise<string>;
    }>().toExtend<full.ResponseLike>();
  });
});

describe.each(CLIENTS)("the %s client", (_, entry, newClient) => {
  const client = (options: Partial<Options> = {}) => newClient({ region: "eu-west-1", credentials, ...options });

  describe("requests", () => {
    it("POSTs the awsJson1_1 request to the region's endpoint with the target, the session token and a valid signature", async () => {
      respond(json({ AuthEvents: [] }));
      await client().send(new entry.AdminListUserAuthEventsCommand({ ...input, MaxResults: 10 }));
      const [{ headers, body, url }] = seen as [Seen];
      expect(url).toBe(ENDPOINT);
      expect(headers["content-type"]).toBe("application/x-amz-json-1.1");
      expect(headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.AdminListUserAuthEvents");
      expect(headers["x-amz-security-token"]).toBe("test-session-token");
      expect(JSON.parse(body)).toEqual({ ...input, MaxResults: 10 });
      const auth = parseAuthorization(headers.authorization ?? "");
      expect(auth).toMatchObject({ accessKeyId: "AKIDTEST", region: "eu-west-1", service: "cognito-idp" });
      expect(auth!.signedHeaders).toEqual(
        expect.arrayContaining(["host", "x-amz-date", "x-amz-target", "content-type"]),
      );
      // What the service does with it: the signature is the one these credentials give this request.
      const verify = (secretAccessKey: string) =>
        verifySignature(
          { method: "POST", url, headers, body },
          { signer: new SigV4Signer(), credentials: [{ ...credentials, secretAccessKey }], nowMs: Date.now() },
        );
      await expect(verify(credentials.secretAccessKey)).resolves.toBeUndefined();
      await expect(verify("another-secret")).rejects.toMatchObject({ errorType: "InvalidSignatureException" });
    });

    it("never mutates the caller's input", async () => {
      respond(json({}));
      // Deeply frozen: any write by the client throws (ES modules are strict), nested members included.
      const attributes = Object.freeze(["email", "sub"]);
      const frozen = Object.freeze({ UserPoolId: input.UserPoolId, AttributesToGet: attributes as string[] });
      await client().send(new entry.ListUsersCommand(frozen));
      expect(JSON.parse(seen[0]!.body)).toEqual({ UserPoolId: input.UserPoolId, AttributesToGet: ["email", "sub"] });
    });

    it("sends the feedback operations and ListUsers with their targets", async () => {
      respond(json({}));
      const c = client();
      await c.send(new entry.AdminUpdateAuthEventFeedbackCommand({ ...input, EventId: "e1", FeedbackValue: "Valid" }));
      await c.send(
        new entry.UpdateAuthEventFeedbackCommand({
          ...input,
          EventId: "e1",
          FeedbackToken: "tok",
          FeedbackValue: "Invalid",
        }),
      );
      await c.send(
        new entry.ListUsersCommand({ UserPoolId: input.UserPoolId, Limit: 5, Filter: 'username = "alice"' }),
      );
      expect(seen.map((s) => s.headers["x-amz-target"])).toEqual([
        "AWSCognitoIdentityProviderService.AdminUpdateAuthEventFeedback",
        "AWSCognitoIdentityProviderService.UpdateAuthEventFeedback",
        "AWSCognitoIdentityProviderService.ListUsers",
      ]);
      expect(JSON.parse(seen[1]!.body)).toMatchObject({ FeedbackValue: "Invalid", FeedbackToken: "tok" });
    });

    it("sends UpdateAuthEventFeedback unsigned (its FeedbackToken authorises it), without asking for credentials", async () => {
      respond(json({}));
      const provider = vi.fn(async () => Promise.reject(new Error("none")));
      await client({ credentials: provider }).send(
        new entry.UpdateAuthEventFeedbackCommand({
          ...input,
          EventId: "e1",
          FeedbackToken: "t",
          FeedbackValue: "Valid",
        }),
      );
      expect(seen[0]!.headers.authorization).toBeUndefined();
      expect(provider).not.toHaveBeenCalled();
    });

    it("sends to the endpoint option instead of the region's", async () => {
      server.use(http.post("http://127.0.0.1:9/", () => HttpResponse.json({ AuthEvents: [] })));
      const out = await client({ endpoint: "http://127.0.0.1:9" }).send(
        new entry.AdminListUserAuthEventsCommand(input),
      );
      expect(out.AuthEvents).toEqual([]);
    });

    it("uses the .amazonaws.com.cn endpoint in China", async () => {
      server.use(
        http.post("https://cognito-idp.cn-north-1.amazonaws.com.cn/", () => HttpResponse.json({ AuthEvents: [] })),
      );
      const out = await client({ region: "cn-north-1" }).send(new entry.AdminListUserAuthEventsCommand(input));
      expect(out.AuthEvents).toEqual([]);
    });
  });

  describe("the fetch option", () => {
    it("sends with any function that answers with status, headers.get and text() (a ResponseLike)", async () => {
      const sent: { url: string; init: full.FetchLikeInit }[] = [];
      const fetchLike: full.FetchLike = async (url, init) => {
        sent.push({ url, init });
        return {
          status: 200,
          headers: { get: (name) => (name.toLowerCase() === "x-amzn-requestid" ? "r" : null) },
          text: async () => '{"AuthEvents":[]}',
        };
      };
      const out = await client({ fetch: fetchLike }).send(new entry.AdminListUserAuthEventsCommand(input));
      expect(out).toEqual({
        AuthEvents: [],
        $metadata: { httpStatusCode: 200, requestId: "r", attempts: 1, totalRetryDelay: 0 },
      });
      expect(sent).toHaveLength(1);
      expect(sent[0]!.url).toBe(ENDPOINT);
      expect(sent[0]!.init).toMatchObject({ method: "POST", body: JSON.stringify(input) });
      expect(sent[0]!.init.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.AdminListUserAuthEvents");
    });

    it("refuses a fetch option that is not a function, naming it", () => {
      expect(() => client({ fetch: "fetch" as never })).toThrow(TypeError);
      expect(() => client({ fetch: "fetch" as never })).toThrow(/^fetch must be a function/);
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
      const out = await client().send(new entry.AdminListUserAuthEventsCommand(input));
      expect(out.AuthEvents?.[0]?.CreationDate).toEqual(new Date(1_700_000_000_000));
      expect(out.AuthEvents?.[0]?.EventFeedback?.FeedbackDate).toEqual(new Date(1_700_000_000_123));
      expect(out.AuthEvents?.[1]?.CreationDate).toEqual(new Date(1_700_000_001_000));
      expect(out.NextToken).toBe("t");
    });

    it("parses '1.7E9' written literally in the JSON text", async () => {
      server.use(
        http.post(
          ENDPOINT,
          () => new HttpResponse('{"AuthEvents":[{"CreationDate":1.7000000001E9}]}', { status: 200 }),
        ),
      );
      const out = await client().send(new entry.AdminListUserAuthEventsCommand(input));
      expect(out.AuthEvents?.[0]?.CreationDate).toEqual(new Date(1_700_000_000_100));
    });

    it("keeps members the model does not have", async () => {
      respond(json({ AuthEvents: [{ EventId: "a", NewField: { x: 1 } }], Extra: true }));
      const out = (await client().send(new entry.AdminListUserAuthEventsCommand(input))) as unknown as {
        Extra: boolean;
        AuthEvents: { NewField: unknown }[];
      };
      expect(out.Extra).toBe(true);
      expect(out.AuthEvents[0]!.NewField).toEqual({ x: 1 });
    });

    it("reports $metadata: status, request id, attempts and retry delay", async () => {
      respond(json({}));
      const out = await client().send(new entry.AdminListUserAuthEventsCommand(input));
      expect(out.$metadata).toEqual({ httpStatusCode: 200, requestId: "req-1", attempts: 1, totalRetryDelay: 0 });
    });

    it("does not let a __proto__ key in a response change any prototype", async () => {
      server.use(
        http.post(
          ENDPOINT,
          () => new HttpResponse('{"__proto__":{"polluted":1},"AuthEvents":[{"__proto__":{"x":1}}]}'),
        ),
      );
      const out = await client().send(new entry.AdminListUserAuthEventsCommand(input));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(out.AuthEvents![0])).toBe(Object.prototype);
    });

    it("a 2xx body that is not a JSON object is a NetworkError, not an output", async () => {
      respond(() => new HttpResponse("<html>ok</html>", { status: 200 }));
      const error = await client({ maxAttempts: 1 })
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(entry.NetworkError);
      expect((error as Error).message).toMatch(/not a JSON object/);
    });
  });

  describe("errors", () => {
    const cases: Array<[string, new (...a: never[]) => Error, new (...a: never[]) => Error]> = [
      ["UserNotFoundException", entry.UserNotFoundException, Sdk.UserNotFoundException],
      [
        "UserPoolAddOnNotEnabledException",
        entry.UserPoolAddOnNotEnabledException,
        Sdk.UserPoolAddOnNotEnabledException,
      ],
      ["InvalidParameterException", entry.InvalidParameterException, Sdk.InvalidParameterException],
      ["ResourceNotFoundException", Sdk.ResourceNotFoundException, Sdk.ResourceNotFoundException],
      ["NotAuthorizedException", Sdk.NotAuthorizedException, Sdk.NotAuthorizedException],
    ];
    it.each(cases)(
      "%s becomes its class, an instance of this package's and the AWS SDK's",
      async (name, Ours, Theirs) => {
        respond(awsError(400, name, "boom"));
        const err = await client()
          .send(new entry.AdminListUserAuthEventsCommand(input))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Ours);
        expect(err).toBeInstanceOf(Theirs);
        expect(err).toBeInstanceOf(entry.CognitoIdentityProviderServiceException);
        expect(err).toBeInstanceOf(Sdk.CognitoIdentityProviderServiceException);
        expect(err).toMatchObject({
          name,
          message: "boom",
          $fault: "client",
          $metadata: { httpStatusCode: 400, requestId: "req-1", attempts: 1 },
        });
      },
    );

    it("keeps the members of a modelled error's body", async () => {
      respond(json({ __type: "InvalidParameterException", message: "bad", reasonCode: "X" }, 400));
      const err = await client()
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "InvalidParameterException", reasonCode: "X" });
    });

    it("InternalErrorException is a server fault", async () => {
      respond(awsError(500, "InternalErrorException", "oops"));
      const err = await client({ maxAttempts: 1 })
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Sdk.InternalErrorException);
      expect(err).toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });
    });

    it("reads the name from x-amzn-errortype, then code, then __type, dropping namespace and ':' suffix", async () => {
      const c = client();
      respond(
        json({ __type: "Other", message: "m" }, 400, {
          "x-amzn-errortype": "UserNotFoundException:http://internal.amazon.com/",
        }),
      );
      await expect(c.send(new entry.AdminListUserAuthEventsCommand(input))).rejects.toBeInstanceOf(
        entry.UserNotFoundException,
      );
      server.resetHandlers();
      respond(json({ code: "UserNotFoundException", __type: "Other" }, 400));
      await expect(c.send(new entry.AdminListUserAuthEventsCommand(input))).rejects.toBeInstanceOf(
        entry.UserNotFoundException,
      );
      server.resetHandlers();
      respond(
        json(
          { __type: "com.amazonaws.cognitoidentityprovider#UserNotFoundException", message: "User does not exist." },
          400,
        ),
      );
      await expect(c.send(new entry.AdminListUserAuthEventsCommand(input))).rejects.toMatchObject({
        name: "UserNotFoundException",
        message: "User does not exist.",
      });
    });

    it("an unknown error name becomes a generic service error carrying the name", async () => {
      respond(awsError(400, "UnrecognizedClientException", "The security token included in the request is invalid."));
      const err = await client()
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(entry.CognitoIdentityProviderServiceException);
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
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(entry.CognitoIdentityProviderServiceException);
      expect(err).toMatchObject({
        name: "UnknownError",
        $fault: "client",
        $metadata: { httpStatusCode: 403, attempts: 1 },
      });
      expect((err as Error).message).toBe("HTTP 403: 403 Forbidden Request blocked.");
    });

    it("excerpts a large error body full of unclosed '<' (a quadratic scan of it would outlast the test's timeout)", async () => {
      server.use(http.post(ENDPOINT, () => new HttpResponse("<a ".repeat(80_000), { status: 403 })));
      const err = await client()
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/^HTTP 403: <a <a /);
      expect((err as Error).message.length).toBeLessThan(220);
    });

    it("an empty error body says so", async () => {
      server.use(http.post(ENDPOINT, () => new HttpResponse(null, { status: 404 })));
      const err = await client()
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe("HTTP 404 with an empty body");
    });
  });

  describe("retries", () => {
    it("retries 5xx up to maxAttempts, then rejects with the last error and its metadata", async () => {
      vi.spyOn(Math, "random").mockReturnValue(0);
      onTestFinished(() => {
        vi.restoreAllMocks();
      });
      respond(awsError(500, "InternalErrorException", "boom"));
      const error = await client({ maxAttempts: 2 })
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(seen).toHaveLength(2);
      expect(error).toBeInstanceOf(entry.InternalErrorException);
      expect(error).toMatchObject({
        $fault: "server",
        message: "boom",
        $metadata: { httpStatusCode: 500, attempts: 2 },
      });
    });

    it("retries a throttle (TooManyRequestsException with HTTP 400) after the throttling backoff", async () => {
      // Full jitter fixed at half: the first throttling retry waits 0.5 x 500 ms.
      vi.spyOn(Math, "random").mockReturnValue(0.5);
      onTestFinished(() => {
        vi.restoreAllMocks();
      });
      respond(awsError(400, "TooManyRequestsException", "Rate exceeded"), json({ AuthEvents: [] }));
      const page = await client().send(new entry.AdminListUserAuthEventsCommand(input));
      expect(page.$metadata).toMatchObject({ attempts: 2, totalRetryDelay: 250 });
      expect(seen).toHaveLength(2);
    });

    it("does not retry a client error", async () => {
      respond(awsError(400, "InvalidParameterException", "bad"));
      await client()
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(seen).toHaveLength(1);
    });

    it("a network failure is a NetworkError, retried, with the cause", async () => {
      vi.spyOn(Math, "random").mockReturnValue(0);
      onTestFinished(() => {
        vi.restoreAllMocks();
      });
      server.use(http.post(ENDPOINT, () => HttpResponse.error()));
      const error = await client({ maxAttempts: 2 })
        .send(new entry.AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(entry.NetworkError);
      expect(error).toMatchObject({ $metadata: { attempts: 2 } });
      expect((error as Error).cause).toBeInstanceOf(Error);
    });
  });

  describe("aborts", () => {
    it("an abortSignal stops the request in flight with an AbortError carrying the reason", async () => {
      const held = gate();
      respond(async () => {
        await held.promise;
        return HttpResponse.json({});
      });
      const controller = new AbortController();
      const pending = client().send(new entry.AdminListUserAuthEventsCommand(input), {
        abortSignal: controller.signal,
      });
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      controller.abort(new Error("user cancelled"));
      const err = await pending.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(entry.AbortError);
      expect((err as Error).cause).toEqual(new Error("user cancelled"));
    });

    it("an abortSignal stops the wait between attempts; an aborted one sends nothing", async () => {
      // The longest jitter: the first retry would wait about 495 ms; the abort comes as soon as the answer is out.
      vi.spyOn(Math, "random").mockReturnValue(0.99);
      onTestFinished(() => {
        vi.restoreAllMocks();
      });
      const controller = new AbortController();
      respond(() => {
        setTimeout(() => controller.abort(new Error("stop")), 0);
        return awsError(400, "TooManyRequestsException", "slow down")();
      });
      const error = await client({ maxAttempts: 5 })
        .send(new entry.AdminListUserAuthEventsCommand(input), { abortSignal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(entry.AbortError);
      expect((error as Error).cause).toEqual(new Error("stop"));
      const again = await client()
        .send(new entry.AdminListUserAuthEventsCommand(input), { abortSignal: controller.signal })
        .catch((e: unknown) => e);
      expect(again).toBeInstanceOf(entry.AbortError);
      expect(seen).toHaveLength(1);
    });
  });

  describe("credentials providers", () => {
    it("calls a provider once, and again when what it gave expires within five minutes", async () => {
      respond(json({}));
      const provider = vi.fn(async () => ({ ...credentials, expiration: new Date(Date.now() + 60 * 60_000) }));
      const c = client({ credentials: provider });
      await c.send(new entry.AdminListUserAuthEventsCommand(input));
      await c.send(new entry.AdminListUserAuthEventsCommand(input));
      expect(provider).toHaveBeenCalledTimes(1);
      provider.mockImplementation(async () => ({ ...credentials, expiration: new Date(Date.now() + 60_000) }));
      const soon = client({ credentials: provider });
      await soon.send(new entry.AdminListUserAuthEventsCommand(input));
      await soon.send(new entry.AdminListUserAuthEventsCommand(input));
      expect(provider).toHaveBeenCalledTimes(3);
    });

    it("concurrent calls share one provider call", async () => {
      respond(json({}));
      const held = gate();
      const provider = vi.fn(async () => {
        await held.promise;
        return { ...credentials, expiration: new Date(Date.now() + 60 * 60_000) };
      });
      const c = client({ credentials: provider });
      const calls = Array.from({ length: 5 }, () => c.send(new entry.AdminListUserAuthEventsCommand(input)));
      await vi.waitFor(() => expect(provider).toHaveBeenCalled());
      held.open();
      await Promise.all(calls);
      expect(provider).toHaveBeenCalledTimes(1);
      expect(seen).toHaveLength(5);
    });

    it("a failed provider call fails the call, with the provider's error, and is not kept: the next call asks again", async () => {
      respond(json({}));
      const failure = new Error("sts down");
      const provider = vi.fn().mockRejectedValueOnce(failure).mockResolvedValue(credentials);
      const c = client({ credentials: provider });
      const error = await c.send(new entry.AdminListUserAuthEventsCommand(input)).catch((e: unknown) => e);
      // The default entry wraps it (naming the provider), the lite entry passes it on.
      expect([error, (error as Error).cause]).toContain(failure);
      await c.send(new entry.AdminListUserAuthEventsCommand(input));
      expect(provider).toHaveBeenCalledTimes(2);
      expect(seen).toHaveLength(1);
    });

    it("JSON.stringify of the client, once it has sent, shows its region and no credentials", async () => {
      respond(json({}));
      const c = client();
      await c.send(new entry.AdminListUserAuthEventsCommand(input));
      const text = JSON.stringify(c);
      expect(text).toContain("eu-west-1");
      expect(text).not.toContain("test-secret-key");
      expect(text).not.toContain("test-session-token");
    });
  });

  describe("against the emulator (signatures checked)", () => {
    let em: RunningEmulator;
    let demo: { endpoint: string; credentials: Options["credentials"]; input: typeof input };
    beforeAll(async () => {
      em = await startEmulator({ seed: "contract" });
      const info = em.core.demo!;
      demo = {
        endpoint: em.url,
        credentials: info.credentials!,
        input: { UserPoolId: info.poolId, Username: info.username },
      };
    });
    afterAll(() => em.close());
    const emulated = (options: Partial<Options> = {}) =>
      newClient({ region: "us-east-1", endpoint: demo.endpoint, credentials: demo.credentials, ...options });

    it("lists every page of a user's events, in order, timestamps as Dates", async () => {
      const ids: string[] = [];
      let pages = 0;
      for await (const page of entry.paginateAdminListUserAuthEvents(
        { client: emulated(), pageSize: 25 },
        demo.input,
      )) {
        pages++;
        for (const event of page.AuthEvents!) {
          expect(event.CreationDate).toBeInstanceOf(Date);
          ids.push(event.EventId!);
        }
        expect(page.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
      }
      expect(pages).toBeGreaterThan(1);
      const stored = em.core.getEvents(demo.input.UserPoolId, demo.input.Username) ?? [];
      expect(ids).toEqual(stored.map((e) => String(e.EventId)));
      expect(em.core.requestLog.filter((e) => e.status !== 200)).toEqual([]);
    });

    it("rejects with the modelled class, an instance of the SDK's class too", async () => {
      const error = await emulated()
        .send(new entry.AdminListUserAuthEventsCommand({ ...demo.input, Username: "no-such-user" }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(entry.UserNotFoundException);
      expect(error).toBeInstanceOf(Sdk.UserNotFoundException);
      expect(error).toMatchObject({ $fault: "client", $metadata: { httpStatusCode: 400, attempts: 1 } });
    });

    it("a wrong secret is refused by the emulator's signature check, not retried", async () => {
      const wrong = { ...(demo.credentials as object), secretAccessKey: "not-the-secret" } as Options["credentials"];
      const error = await emulated({ credentials: wrong })
        .send(new entry.AdminListUserAuthEventsCommand(demo.input))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "InvalidSignatureException", $metadata: { attempts: 1 } });
    });
  });
});
