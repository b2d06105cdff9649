/**
 * cognito-auth-events/lite: its client and paginators against the emulator (signatures checked) and against MSW for
 * the failure paths, and that its commands are the full entry's minus the validation rules. Its signer has its own
 * contract test (test/sigv4-lite.test.ts).
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import * as full from "../src/index.ts";
import * as lite from "../src/lite/index.ts";
import { paginators } from "../generated/operations.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";

const {
  AbortError,
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  NetworkError,
  PaginationError,
  UpdateAuthEventFeedbackCommand,
  UserNotFoundException,
  paginateAdminListUserAuthEvents,
} = lite;

// ---------------------------------------------------------------------------------------------------------------
describe("the lite client and paginator against the emulator (signatures checked)", () => {
  let em: RunningEmulator;
  let config: {
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    input: { UserPoolId: string; Username: string };
  };
  beforeAll(async () => {
    em = await startEmulator({ seed: "lite" });
    const demo = em.core.demo!;
    config = {
      endpoint: em.url,
      credentials: demo.credentials!,
      input: { UserPoolId: demo.poolId, Username: demo.username },
    };
  });
  afterAll(() => em.close());
  const client = (extra: Partial<lite.LiteClientConfig> = {}) =>
    new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: config.endpoint,
      credentials: config.credentials,
      ...extra,
    });
  const ids = (events: { EventId?: string }[] | undefined) => (events ?? []).map((e) => e.EventId);

  it("lists every page of events as the full entry does, timestamps as Dates", async () => {
    const mine: unknown[] = [];
    const sizes: number[] = [];
    for await (const page of paginateAdminListUserAuthEvents({ client: client(), pageSize: 25 }, config.input)) {
      sizes.push(page.AuthEvents!.length);
      mine.push(...ids(page.AuthEvents));
      for (const event of page.AuthEvents!) expect(event.CreationDate).toBeInstanceOf(Date);
      expect(page.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    }
    const reference: unknown[] = [];
    const fullClient = new full.CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: config.endpoint,
      credentials: config.credentials,
    });
    for await (const page of full.paginateAdminListUserAuthEvents({ client: fullClient, pageSize: 25 }, config.input))
      reference.push(...ids(page.AuthEvents));
    expect(mine).toEqual(reference);
    expect(mine).toEqual(
      (em.core.getEvents(config.input.UserPoolId, config.input.Username) ?? []).map((e) => String(e.EventId)),
    );
    expect(sizes.length).toBeGreaterThan(1);
    expect(em.core.requestLog.filter((e) => e.status !== 200)).toEqual([]);
  });

  it("resumes from a page's NextToken given as startingToken (the SDK's semantics)", async () => {
    const c = client();
    const first = await c.send(new AdminListUserAuthEventsCommand({ ...config.input, MaxResults: 10 }));
    const rest: unknown[] = [];
    for await (const page of paginateAdminListUserAuthEvents(
      { client: c, pageSize: 10, startingToken: first.NextToken },
      config.input,
    ))
      rest.push(...ids(page.AuthEvents));
    const all = (em.core.getEvents(config.input.UserPoolId, config.input.Username) ?? []).map((e) => String(e.EventId));
    expect([...ids(first.AuthEvents), ...rest]).toEqual(all);
  });

  it("rejects with the modelled class, an instance of the SDK's class too", async () => {
    const error = await client()
      .send(new AdminListUserAuthEventsCommand({ ...config.input, Username: "no-such-user" }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNotFoundException);
    expect(error).toBeInstanceOf(full.UserNotFoundException);
    expect(error).toBeInstanceOf(Sdk.UserNotFoundException);
    expect(error).toBeInstanceOf(Sdk.CognitoIdentityProviderServiceException);
    expect(error).toMatchObject({
      name: "UserNotFoundException",
      $fault: "client",
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });

  it("retries a throttle (TooManyRequestsException with HTTP 400) after the throttling backoff", async () => {
    const remove = em.core.addFault({ kind: "throttle", operation: "AdminListUserAuthEvents", times: 1 });
    // Full jitter fixed at half: the first throttling retry waits 0.5 x 500 ms.
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      const page = await client().send(new AdminListUserAuthEventsCommand({ ...config.input, MaxResults: 5 }));
      expect(page.$metadata.attempts).toBe(2);
      expect(page.$metadata.totalRetryDelay).toBe(250);
      expect(page.AuthEvents).toHaveLength(5);
    } finally {
      random.mockRestore();
      remove();
    }
  });

  it("a wrong secret is refused by the emulator's signature check, not retried", async () => {
    const error = await client({ credentials: { ...config.credentials, secretAccessKey: "not-the-secret" } })
      .send(new AdminListUserAuthEventsCommand(config.input))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: expect.stringMatching(/Signature|NotAuthorized/), $metadata: { attempts: 1 } });
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("the lite client (MSW)", () => {
  const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
  const credentials = {
    accessKeyId: "AKIDTEST",
    secretAccessKey: "test-secret-key",
    sessionToken: "test-session-token",
  };
  const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };
  const seen: { headers: Headers; body: Record<string, unknown> }[] = [];
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
    vi.useRealTimers();
  });
  afterAll(() => server.close());
  const respond = (...responses: Array<() => Response>) => {
    let i = 0;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        seen.push({ headers: request.headers, body: (await request.json()) as Record<string, unknown> });
        return responses[Math.min(i++, responses.length - 1)]!();
      }),
    );
  };
  const json =
    (body: unknown, status = 200) =>
    () =>
      HttpResponse.json(body as object, { status, headers: { "x-amzn-requestid": "req-1" } });
  const client = (extra: Partial<lite.LiteClientConfig> = {}) =>
    new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, ...extra });

  it("POSTs the awsJson1_1 request to the region's endpoint with the target, the session token and a signature", async () => {
    respond(json({ AuthEvents: [{ EventId: "e1", CreationDate: 1.7000000001e9 }] }));
    const out = await client().send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 10 }));
    const { headers, body } = seen[0]!;
    expect(headers.get("x-amz-target")).toBe("AWSCognitoIdentityProviderService.AdminListUserAuthEvents");
    expect(headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(headers.get("x-amz-security-token")).toBe("test-session-token");
    expect(headers.get("authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(body).toEqual({ ...input, MaxResults: 10 });
    expect(out.AuthEvents![0]!.CreationDate).toEqual(new Date(1_700_000_000_100));
    expect(out.$metadata).toEqual({ httpStatusCode: 200, requestId: "req-1", attempts: 1, totalRetryDelay: 0 });
  });

  it("uses the .amazonaws.com.cn endpoint in China", () => {
    expect(client({ region: "cn-north-1" }).config.endpoint.href).toBe(
      "https://cognito-idp.cn-north-1.amazonaws.com.cn/",
    );
  });

  it("sends UpdateAuthEventFeedback unsigned, as the SDK does", async () => {
    respond(json({}));
    await client().send(
      new UpdateAuthEventFeedbackCommand({ ...input, EventId: "e1", FeedbackToken: "t", FeedbackValue: "Valid" }),
    );
    expect(seen[0]!.headers.get("authorization")).toBeNull();
  });

  it("retries 5xx up to maxAttempts, then rejects with the last error and its metadata", async () => {
    respond(json({ __type: "InternalErrorException", message: "boom" }, 500));
    const error = await client({ maxAttempts: 2 })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(lite.InternalErrorException);
    expect(error).toMatchObject({ $fault: "server", message: "boom", $metadata: { httpStatusCode: 500, attempts: 2 } });
  });

  it("does not retry a client error", async () => {
    respond(json({ __type: "InvalidParameterException", message: "bad", reasonCode: "X" }, 400));
    const error = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ name: "InvalidParameterException", reasonCode: "X" });
  });

  it("a network failure is a NetworkError, retried, with the cause", async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const error = await client({ maxAttempts: 2 })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ $metadata: { attempts: 2 } });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("a 2xx body that is not a JSON object is a NetworkError, not an output", async () => {
    respond(() => new HttpResponse("<html>ok</html>", { status: 200 }));
    const error = await client({ maxAttempts: 1 })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/not a JSON object/);
  });

  it("an abortSignal stops the wait between attempts with an AbortError; an aborted one sends nothing", async () => {
    respond(json({ __type: "TooManyRequestsException", message: "slow down" }, 400));
    // The longest jitter: the first retry waits ~495 ms, long enough to abort in.
    const random = vi.spyOn(Math, "random").mockReturnValue(0.99);
    onTestFinished(() => random.mockRestore());
    const controller = new AbortController();
    const pending = client({ maxAttempts: 5 }).send(new AdminListUserAuthEventsCommand(input), {
      abortSignal: controller.signal,
    });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    controller.abort(new Error("stop"));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).cause).toEqual(new Error("stop"));
    const again = await client()
      .send(new AdminListUserAuthEventsCommand(input), { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(1);
  });

  it("calls a credentials provider once, and again when what it gave expires within five minutes", async () => {
    respond(json({}));
    const provider = vi.fn(async () => ({ ...credentials, expiration: new Date(Date.now() + 60 * 60_000) }));
    const c = client({ credentials: provider });
    await c.send(new AdminListUserAuthEventsCommand(input));
    await c.send(new AdminListUserAuthEventsCommand(input));
    expect(provider).toHaveBeenCalledTimes(1);
    provider.mockImplementation(async () => ({ ...credentials, expiration: new Date(Date.now() + 60_000) }));
    const soon = client({ credentials: provider });
    await soon.send(new AdminListUserAuthEventsCommand(input));
    await soon.send(new AdminListUserAuthEventsCommand(input));
    expect(provider).toHaveBeenCalledTimes(3);
  });

  it("concurrent calls share one credentials provider call", async () => {
    respond(json({}));
    const provider = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { ...credentials, expiration: new Date(Date.now() + 60 * 60_000) };
    });
    const c = client({ credentials: provider });
    await Promise.all(Array.from({ length: 5 }, () => c.send(new AdminListUserAuthEventsCommand(input))));
    expect(provider).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(5);
  });

  it("a failed credentials provider call is not kept: the next call asks again", async () => {
    respond(json({}));
    const provider = vi.fn().mockRejectedValueOnce(new Error("sts down")).mockResolvedValue(credentials);
    const c = client({ credentials: provider });
    await expect(c.send(new AdminListUserAuthEventsCommand(input))).rejects.toThrow("sts down");
    await c.send(new AdminListUserAuthEventsCommand(input));
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("rejects bad options with a TypeError naming the option, never quoting a secret", async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ region: undefined }, /^region/],
      [{ region: "eu west 1" }, /^region/],
      [{ region: null }, /^region/],
      [{ region: "EU-WEST-1" }, /^region/],
      [{ maxAttempts: 0 }, /^maxAttempts/],
      [{ maxAttempts: Number.NaN }, /^maxAttempts/],
      [{ endpoint: "not a url" }, /^endpoint/],
      [{ endpoint: "ftp://127.0.0.1/" }, /^endpoint/],
      [{ endpoint: "http://127.0.0.1:9/?x=1" }, /^endpoint/],
      [{ endpoint: "http://127.0.0.1:9/a%20b" }, /^endpoint/],
      [{ endpoint: "http://user:top-secret@127.0.0.1:9/" }, /^endpoint/],
      [{ maxAttempts: "3" }, /^maxAttempts/],
      [{ fetch: null }, /^fetch/],
      [{ credentials: undefined }, /^credentials\.accessKeyId/],
      [{ credentials: { accessKeyId: "AKID" } }, /^credentials\.secretAccessKey/],
      [{ credentials: { ...credentials, secretAccessKey: "top\r\nsecret" } }, /^credentials\.secretAccessKey/],
      [{ credentials: { ...credentials, sessionToken: "tok\nen" } }, /^credentials\.sessionToken/],
    ];
    for (const [options, message] of bad) {
      const error = (() => {
        try {
          client(options as Partial<lite.LiteClientConfig>);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect(error!.message).toMatch(message);
      for (const secret of ["test-secret-key", "test-session-token", "top", "tok"])
        expect(error!.message).not.toContain(secret);
      expect(error!.message).not.toContain("top-secret");
    }
    // A provider's bad credentials are refused at the call, with the same message.
    const error = await client({ credentials: async () => ({ accessKeyId: "AK\nID", secretAccessKey: "s" }) })
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^credentials\.accessKeyId/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("the lite paginator (MSW)", () => {
  const ENDPOINT = "http://127.0.0.1:4566/";
  const bodies: Record<string, unknown>[] = [];
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    bodies.length = 0;
  });
  afterAll(() => server.close());
  /** Pages answered in turn, each `[items, NextToken]`. */
  const pages = (...list: [number, string | undefined][]) => {
    let i = 0;
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        bodies.push((await request.json()) as Record<string, unknown>);
        const [count, token] = list[Math.min(i++, list.length - 1)]!;
        return HttpResponse.json({
          AuthEvents: Array.from({ length: count }, (_, k) => ({ EventId: `${i}-${k}` })),
          NextToken: token,
        });
      }),
    );
  };
  // Built per test: MSW replaces the global fetch when it starts listening, and a client keeps the fetch it was given.
  const newClient = () =>
    new CognitoIdentityProviderClient({
      region: "eu-west-1",
      endpoint: ENDPOINT,
      credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
    });
  const input = Object.freeze({ UserPoolId: "eu-west-1_abc", Username: "alice" });
  const collect = async (config: Partial<lite.LitePaginationConfiguration> = {}) => {
    const out: number[] = [];
    for await (const page of paginateAdminListUserAuthEvents({ client: newClient(), ...config }, input))
      out.push(page.AuthEvents!.length);
    return out;
  };

  it("follows NextToken to the end, sending pageSize as MaxResults and never touching the input", async () => {
    pages([2, "t1"], [2, "t2"], [1, undefined]);
    expect(await collect({ pageSize: 2 })).toEqual([2, 2, 1]);
    expect(bodies).toEqual([
      { ...input, MaxResults: 2 },
      { ...input, MaxResults: 2, NextToken: "t1" },
      { ...input, MaxResults: 2, NextToken: "t2" },
    ]);
  });

  it("an empty token ends the listing", async () => {
    pages([1, ""]);
    expect(await collect()).toEqual([1]);
  });

  it("a token received twice in a row throws PaginationError after that page, instead of looping", async () => {
    pages([1, "same"]);
    const seen: number[] = [];
    const error = await (async () => {
      for await (const page of paginateAdminListUserAuthEvents({ client: newClient() }, input))
        seen.push(page.AuthEvents!.length);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toEqual([1, 1]);
  });

  it("stopOnSameToken ends quietly when the service repeats the token that fetched the page", async () => {
    pages([1, "t1"], [1, "t1"]);
    expect(await collect({ stopOnSameToken: true })).toEqual([1, 1]);
  });

  it("refuses maxItems, which needs the full entry's resume tokens", async () => {
    await expect(collect({ maxItems: 5 } as never)).rejects.toThrow(/maxItems needs the full entry/);
    expect(bodies).toEqual([]);
  });

  it("an abortSignal that fires between pages stops the listing with an AbortError before the next request", async () => {
    pages([1, "t1"], [1, "t2"], [1, undefined]);
    const controller = new AbortController();
    const error = await (async () => {
      for await (const page of paginateAdminListUserAuthEvents(
        { client: newClient(), abortSignal: controller.signal },
        input,
      )) {
        expect(page.AuthEvents).toHaveLength(1);
        controller.abort(new Error("enough"));
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).cause).toEqual(new Error("enough"));
    expect(bodies).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("what the lite entry shares with the full one", () => {
  const commandNames = Object.keys(full).filter((name) => name.endsWith("Command") && name !== "Command");

  it("has every command, with the full entry's schema minus the validation rules", () => {
    expect(commandNames.length).toBeGreaterThan(100);
    for (const name of commandNames) {
      const { rules, ...schema } = new (full as Record<string, any>)[name]({}).schema;
      const mine = new (lite as Record<string, any>)[name]({}).schema;
      expect(mine, name).toEqual(schema);
      expect(mine.rules, name).toBeUndefined();
      if (name === "AdminListUserAuthEventsCommand") expect(rules).toBeDefined();
    }
  });

  it("has a paginator for each of the full entry's, and every paginated operation has a page-size member", () => {
    for (const [operation, spec] of Object.entries(paginators)) {
      expect(typeof (lite as Record<string, unknown>)[`paginate${operation}`], operation).toBe("function");
      expect(spec.pageSize, operation).toEqual(expect.any(String));
    }
  });

  it("exports the same error classes and enums", () => {
    for (const name of Object.keys(full).filter(
      (n) => n.endsWith("Exception") || n === "EventType" || n === "RiskDecisionType",
    )) {
      expect((lite as Record<string, unknown>)[name], name).toBe((full as Record<string, unknown>)[name]);
    }
  });
});
