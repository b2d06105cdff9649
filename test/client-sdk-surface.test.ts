/**
 * The parts of the AWS SDK v3's client surface that code moved from the SDK uses, on the default (edge) entry:
 * every SDK option honoured or refused by name, `send(command, callback)`, `client.config`'s fields, the aggregated
 * `CognitoIdentityProvider`, an SDK command sent by mistake, `middlewareStack`, and errors that read as the SDK's
 * (`JSON.stringify`, abort), each compared with the installed SDK answering the same MSW handler.
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { operations } from "../generated/operations.ts";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProvider,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  ListUsersCommand,
  UserNotFoundException,
} from "../src/index.ts";

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key" };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const answer = (status: number, body: object) =>
  server.use(
    http.post(ENDPOINT, () =>
      HttpResponse.json(body, {
        status,
        headers: { "x-amzn-requestid": "req-1", "content-type": "application/x-amz-json-1.1" },
      }),
    ),
  );
const ours = (config: Record<string, unknown> = {}) =>
  new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, ...config });
const sdk = () => new Sdk.CognitoIdentityProviderClient({ region: "eu-west-1", credentials });

/** Every option of the AWS SDK's client (its `CognitoIdentityProviderClientConfig`; the type test keeps it whole). */
const SDK_OPTIONS = [
  "requestHandler", "cacheMiddleware", "protocol", "protocolSettings", "apiVersion", "sha256", "urlParser",
  "bodyLengthChecker", "streamCollector", "base64Decoder", "base64Encoder", "utf8Decoder", "utf8Encoder", "runtime",
  "disableHostPrefix", "serviceId", "useDualstackEndpoint", "useFipsEndpoint", "region", "profile",
  "defaultUserAgentProvider", "credentialDefaultProvider", "maxAttempts", "retryMode", "logger", "extensions",
  "defaultsMode", "customUserAgent", "userAgentAppId", "retryStrategy", "endpoint", "endpointProvider", "tls",
  "ignoreConfiguredEndpointUrls", "serviceConfiguredEndpoint", "authSchemePreference", "httpAuthSchemes",
  "httpAuthSchemeProvider", "credentials", "signer", "signingEscapePath", "systemClockOffset", "signingRegion",
  "signerConstructor", "disableClockSkewCorrection",
] as const; // biome-ignore format: a table

/** The SDK options this client honours everywhere, with a value to give each. */
const HONOURED: Record<string, unknown> = {
  region: "eu-west-1",
  credentials,
  endpoint: "http://127.0.0.1:9",
  ignoreConfiguredEndpointUrls: true,
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  maxAttempts: 2,
  // "adaptive" is honoured by the Node, Deno and Bun build (test/retry.test.ts); this is the edge build.
  retryMode: "standard",
  logger: console,
  systemClockOffset: 0,
  disableClockSkewCorrection: true,
  credentialDefaultProvider: () => async () => credentials,
  apiVersion: "2016-04-18",
  serviceId: "Cognito Identity Provider",
};
/** Honoured on Node and Deno only (the shared files; the SDK's handlers): refused on the edge entry. */
const NODE_ONLY = ["profile", "requestHandler"];

describe("AWS SDK client options", () => {
  it("the table lists every option of the SDK's client", () => {
    expectTypeOf<(typeof SDK_OPTIONS)[number]>().toEqualTypeOf<keyof Sdk.CognitoIdentityProviderClientConfig>();
    expect(new Set(SDK_OPTIONS).size).toBe(SDK_OPTIONS.length);
  });

  it.each(SDK_OPTIONS.filter((name) => !(name in HONOURED)))(
    "%s is refused with a TypeError that names it and says what to do instead",
    (name) => {
      const create = () => new CognitoIdentityProviderClient({ region: "eu-west-1", [name]: {} } as never);
      expect(create).toThrow(TypeError);
      expect(create).toThrow(new RegExp(`^${name}\\b.*: \\w+`));
      if (!NODE_ONLY.includes(name)) expect(create).toThrow(/AWS SDK option that cognito-auth-events does not support/);
    },
  );

  it.each(Object.entries(HONOURED))("%s is accepted", (name, value) => {
    expect(() => new CognitoIdentityProviderClient({ region: "eu-west-1", [name]: value } as never)).not.toThrow();
  });

  it("an unknown option is refused by name; an option set to undefined counts as not given", () => {
    expect(() => ours({ maxAttempt: 5 })).toThrow("maxAttempt is not an option of CognitoIdentityProviderClient");
    expect(() => ours({ customUserAgent: undefined })).not.toThrow();
  });

  it("apiVersion and serviceId other than this service's are refused", () => {
    expect(() => ours({ apiVersion: "2014-06-30" })).toThrow('apiVersion must be "2016-04-18"');
    expect(() => ours({ serviceId: "S3" })).toThrow('serviceId must be "Cognito Identity Provider"');
  });

  it("region, maxAttempts, retryMode, useFipsEndpoint and endpoint may be async providers, read at the first request", async () => {
    answer(200, { Users: [] });
    const c = ours({
      region: async () => "eu-west-1",
      maxAttempts: async () => 5,
      retryMode: async () => "standard",
      useFipsEndpoint: async () => false,
      endpoint: async () => ({ protocol: "https:", hostname: "cognito-idp.eu-west-1.amazonaws.com", path: "/" }),
    });
    await c.send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }));
    expect([await c.config.maxAttempts(), await c.config.retryMode(), await c.config.useFipsEndpoint()]).toEqual([
      5,
      "standard",
      false,
    ]);
    // A mode this build does not carry, from a provider: refused at the first request, by name.
    const adaptive = ours({ retryMode: async () => "adaptive" });
    await expect(adaptive.send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }))).rejects.toThrow(
      /^retryMode "adaptive" is in the Node, Deno and Bun build/,
    );
  });

  it("credentialDefaultProvider supplies the credentials when none are given, called with the client's config", async () => {
    const seen: unknown[] = [];
    const c = ours({
      credentials: undefined,
      credentialDefaultProvider: (input: unknown) => {
        seen.push(input);
        return async () => ({ accessKeyId: "AKIDDEFAULT", secretAccessKey: "s" });
      },
    });
    expect(seen).toEqual([c.config]);
    expect((await c.config.credentials()).accessKeyId).toBe("AKIDDEFAULT");
  });

  it("a credentials provider is called with { callerClientConfig }, as the SDK calls it", async () => {
    const provider = vi.fn(async () => credentials);
    const c = ours({ credentials: provider });
    await c.config.credentials();
    expect(provider).toHaveBeenCalledWith({ callerClientConfig: c.config });
  });

  it("disableClockSkewCorrection keeps systemClockOffset after a clock-skew error", async () => {
    const date = new Date(Date.now() + 3_600_000).toUTCString();
    server.use(
      http.post(ENDPOINT, () =>
        HttpResponse.json(
          { __type: "InvalidSignatureException", message: "Signature expired" },
          { status: 400, headers: { date } },
        ),
      ),
    );
    const c = ours({ disableClockSkewCorrection: true });
    await expect(c.send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { attempts: 1 },
    });
    expect(c.config.systemClockOffset).toBe(0);
  });

  it("requestHandler and profile say they need the Node, Deno and Bun build on the edge entry", () => {
    expect(() => ours({ requestHandler: { handle: async () => ({}) } })).toThrow(
      "requestHandler (an AWS SDK handler) is in the Node, Deno and Bun build of cognito-auth-events, not this one: " +
        "here pass fetch",
    );
    expect(() => ours({ profile: "dev" })).toThrow(
      "profile (the shared config files) is in the Node, Deno and Bun build of cognito-auth-events, not this one: " +
        "pass region and credentials",
    );
  });
});

describe("client.config", () => {
  it("has the SDK's fields, as functions where the SDK's are", async () => {
    const c = ours({ endpoint: "http://127.0.0.1:9/base" });
    expect(await c.config.region()).toBe("eu-west-1");
    expect(await c.config.endpoint?.()).toEqual({ protocol: "http:", hostname: "127.0.0.1", port: 9, path: "/base" });
    expect((await c.config.endpointUrl()).href).toBe("http://127.0.0.1:9/base");
    expect(await c.config.maxAttempts()).toBe(3);
    expect(await c.config.retryMode()).toBe("standard");
    expect(await c.config.useFipsEndpoint()).toBe(false);
    expect(await c.config.useDualstackEndpoint()).toBe(false);
    expect(await c.config.credentials()).toMatchObject({ accessKeyId: "AKIDTEST" });
    expect(c.config).toMatchObject({
      serviceId: "Cognito Identity Provider",
      apiVersion: "2016-04-18",
      systemClockOffset: 0,
    });
    // The SDK's config has no endpoint without the option, and the same shapes with it.
    expect(ours().config.endpoint).toBeUndefined();
    const theirs = new Sdk.CognitoIdentityProviderClient({ region: "eu-west-1", endpoint: "http://127.0.0.1:9/base" });
    expect(await theirs.config.endpoint!()).toMatchObject(await c.config.endpoint!());
    expect(await theirs.config.region()).toBe(await c.config.region());
  });
});

describe("send(command, callback)", () => {
  it("calls back (null, output) and returns undefined, as the SDK", async () => {
    answer(200, { Users: [] });
    const results = await Promise.all([
      new Promise((resolve) => {
        const returned = ours().send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }), (err, data) =>
          resolve({ returned, err, users: data?.Users }),
        );
      }),
      new Promise((resolve) => {
        const returned = sdk().send(new Sdk.ListUsersCommand({ UserPoolId: "eu-west-1_x" }), (err, data) =>
          resolve({ returned, err, users: data?.Users }),
        );
      }),
    ]);
    expect(results[0]).toEqual({ returned: undefined, err: null, users: [] });
    expect(results[0]).toEqual(results[1]);
  });

  it("calls back (error) with the modelled class, and takes (command, options, callback)", async () => {
    answer(400, { __type: "UserNotFoundException", message: "User does not exist." });
    const err = await new Promise((resolve) =>
      ours().send(new AdminListUserAuthEventsCommand({ UserPoolId: "eu-west-1_x", Username: "u" }), {}, resolve),
    );
    expect(err).toBeInstanceOf(UserNotFoundException);
  });

  it("swallows an exception thrown by the callback, as the SDK does (no unhandled rejection)", async () => {
    answer(200, { Users: [] });
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      let called = 0;
      ours().send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }), () => {
        called++;
        throw new Error("bug in the callback");
      });
      await vi.waitFor(() => expect(called).toBe(1));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("refuses a callback that is not a function", () => {
    expect(() => ours().send(new ListUsersCommand({ UserPoolId: "x" }), {}, "cb" as never)).toThrow(
      "the callback of send must be a function",
    );
  });
});

describe("what stays unsupported, said so", () => {
  it("an AWS SDK command sent by this client fails naming the import to change", async () => {
    const err = (await ours()
      .send(new Sdk.ListUsersCommand({ UserPoolId: "eu-west-1_x" }) as never)
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe(
      'ListUsersCommand is the AWS SDK\'s: import it from "cognito-auth-events" to send it with this client',
    );
  });

  it("anything else that is not a command fails naming what was given", async () => {
    await expect(ours().send({ input: {} } as never)).rejects.toThrow(
      "send takes a command of cognito-auth-events, got Object",
    );
  });

  it("middlewareStack throws a TypeError saying what to use instead", () => {
    expect(() => ours().middlewareStack).toThrow(
      /^middlewareStack is not supported by cognito-auth-events: wrap the fetch option/,
    );
  });
});

describe("errors as catch blocks see them", () => {
  it("a service error's JSON.stringify shows the SDK's keys, values and order", async () => {
    answer(400, { __type: "InvalidParameterException", message: "1 validation error detected" });
    const input = { UserPoolId: "eu-west-1_x", Limit: 100 };
    const [mine, theirs] = await Promise.all([
      ours()
        .send(new ListUsersCommand(input))
        .catch((e: unknown) => e as Error),
      sdk()
        .send(new Sdk.ListUsersCommand(input))
        .catch((e: unknown) => e as Error),
    ]);
    expect(mine).toBeInstanceOf(InvalidParameterException);
    expect(mine).toBeInstanceOf(Sdk.InvalidParameterException);
    expect(theirs).toBeInstanceOf(InvalidParameterException);
    expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
    expect(JSON.parse(JSON.stringify(mine))).toMatchObject({
      message: "1 validation error detected",
      $fault: "client",
    });
  });

  it("an aborted call reads as the SDK's: AbortError, 'Request aborted', JSON with its name only", async () => {
    answer(200, {});
    const controller = new AbortController();
    controller.abort(new Error("user left"));
    const [mine, theirs] = (await Promise.all([
      ours()
        .send(new ListUsersCommand({ UserPoolId: "eu-west-1_x" }), { abortSignal: controller.signal })
        .catch((e: unknown) => e),
      sdk()
        .send(new Sdk.ListUsersCommand({ UserPoolId: "eu-west-1_x" }), { abortSignal: controller.signal })
        .catch((e: unknown) => e),
    ])) as [Error, Error];
    expect([mine.name, mine.message, JSON.stringify(mine)]).toEqual([
      theirs.name,
      theirs.message,
      JSON.stringify(theirs),
    ]);
    expect(mine.cause).toEqual(new Error("user left"));
    expect((mine as { $metadata?: object }).$metadata).toEqual({ attempts: 0, totalRetryDelay: 0 });
  });
});

describe("the aggregated CognitoIdentityProvider", () => {
  it("has a method per operation and a paginateX per paginated operation, as the SDK's", () => {
    const methods = Object.keys(operations).map((name) => name[0]!.toLowerCase() + name.slice(1));
    const c = new CognitoIdentityProvider({ region: "eu-west-1", credentials });
    for (const method of methods) expect(typeof (c as unknown as Record<string, unknown>)[method]).toBe("function");
    const sdkMethods = new Set(Object.getOwnPropertyNames(Sdk.CognitoIdentityProvider.prototype));
    // Every operation of our model is a method of the SDK's class too, under the same name.
    expect(methods.filter((m) => !sdkMethods.has(m))).toEqual([]);
    expect(c).toBeInstanceOf(CognitoIdentityProviderClient);
  });

  it("sends with await, with a callback, and pages with paginateX", async () => {
    let calls = 0;
    server.use(
      http.post(ENDPOINT, () => {
        calls++;
        return HttpResponse.json(
          calls === 1 ? { Users: [{ Username: "a" }], PaginationToken: "t" } : { Users: [{ Username: "b" }] },
        );
      }),
    );
    const c = new CognitoIdentityProvider({ region: "eu-west-1", credentials });
    expect((await c.listUsers({ UserPoolId: "eu-west-1_x" })).Users).toEqual([{ Username: "a" }]);
    const viaCallback = await new Promise((resolve) =>
      c.listUsers({ UserPoolId: "eu-west-1_x" }, (_err, data) => resolve(data?.Users)),
    );
    expect(viaCallback).toEqual([{ Username: "b" }]);
    calls = 0;
    const names: string[] = [];
    for await (const page of c.paginateListUsers({ UserPoolId: "eu-west-1_x" }, { pageSize: 1 }))
      names.push(...(page.Users ?? []).map((u) => u.Username!));
    expect(names).toEqual(["a", "b"]);
  });
});
