/**
 * What only cognito-auth-events/lite does: its option checks, its paginators (the AWS SDK's: the service's NextToken as
 * startingToken, no maxItems), and that its commands are the full entry's minus the validation rules. What both
 * clients promise is in test/client-contract.test.ts; its signer's contract is test/sigv4-lite.test.ts.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as full from "../src/index.ts";
import * as lite from "../src/lite/index.ts";
import { paginators } from "../generated/operations.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";

const { AbortError, AdminListUserAuthEventsCommand, CognitoIdentityProviderClient, PaginationError } = lite;
const { paginateAdminListUserAuthEvents } = lite;

// ---------------------------------------------------------------------------------------------------------------
describe("the lite paginator against the emulator (signatures checked)", () => {
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
});

// ---------------------------------------------------------------------------------------------------------------
describe("the lite client's options", () => {
  const credentials = {
    accessKeyId: "AKIDTEST",
    secretAccessKey: "test-secret-key",
    sessionToken: "test-session-token",
  };
  const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };
  const client = (extra: Partial<lite.LiteClientConfig> = {}) =>
    new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, ...extra });

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

  it("has every command: the full entry's very classes", () => {
    expect(commandNames.length).toBeGreaterThan(100);
    for (const name of commandNames)
      expect((lite as Record<string, unknown>)[name], name).toBe((full as Record<string, unknown>)[name]);
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
