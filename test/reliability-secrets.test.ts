/**
 * Secrets never leak: every public path of the library runs with a recognisable secret access key
 * and session token, and the test fails if either (or a recognisable piece, or its base64) appears
 * anywhere: errors thrown (message, stack, causes, every field, `JSON.stringify`, `util.inspect`
 * with hidden fields), logger output, and `JSON.stringify`/`util.inspect` of the client and of the
 * credentials objects the package hands out. (The CLI's paths are in reliability-cli.test.ts.)
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UpdateAuthEventFeedbackCommand,
  paginateAdminListUserAuthEvents,
  type CognitoIdentityProviderClientConfig,
} from "../src/index.ts";
import { EmulatorCore } from "../src/emulator/core.ts";
import { createCredentialsProvider, fromEnv, resolveCredentials } from "../src/credentials.ts";
import { loadSharedConfig } from "../src/node/config.ts";
import { fromAwsCliChain, fromCredentialProcess } from "../src/node/credentials.ts";
import { fromNodeProviderChain } from "../src/node/default-chain.ts";
import { loadSdkConfig } from "../src/node/sdk-config.ts";
import {
  POOL,
  REGION,
  coreFetch,
  fastBackoff,
  httpTransport,
  isTyped,
  rejection,
  within,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

import {
  ACCESS_KEY_ID,
  CREDENTIALS,
  NEEDLES,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
} from "./fixtures/reliability/secrets.ts";

/** Every rendering of a value a user or a log pipeline could produce. */
function renderings(value: unknown): string[] {
  const out = [
    String(safe(() => String(value))),
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    String(safe(() => JSON.stringify(value))),
  ];
  if (value instanceof Error) {
    out.push(String(value.stack), value.message);
    for (const key of Reflect.ownKeys(value))
      out.push(inspect((value as unknown as Record<PropertyKey, unknown>)[key], { showHidden: true, depth: Infinity }));
    if (value.cause !== undefined) out.push(...renderings(value.cause));
  }
  return out;
}
function safe<T>(f: () => T): T | string {
  try {
    return f();
  } catch (error) {
    return `(threw ${(error as Error)?.name})`;
  }
}

/** Fails naming where a secret showed up. */
function expectNoSecret(label: string, value: unknown): void {
  for (const text of renderings(value)) {
    for (const needle of NEEDLES) {
      if (text.includes(needle))
        throw new Error(
          `${label}: a secret appears in ${JSON.stringify(text.slice(Math.max(0, text.indexOf(needle) - 80), text.indexOf(needle) + needle.length + 20))}`,
        );
    }
  }
}

/** A logger keeping every call, as a log pipeline would. */
function recordingLogger() {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]) => void lines.push(args);
  return { lines, logger: { debug: record, info: record, warn: record, error: record } };
}

let t: Transport;
let restoreRandom: () => void;
const collected: Array<[string, unknown]> = [];
const log = recordingLogger();

beforeAll(async () => {
  t = await httpTransport({ seed: "secrets", users: 3, events: 12, credentials: [CREDENTIALS] });
  restoreRandom = fastBackoff();
});
afterAll(async () => {
  restoreRandom();
  await t.close();
});

const client = (config: Partial<CognitoIdentityProviderClientConfig> = {}) =>
  new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: t.endpoint,
    credentials: CREDENTIALS,
    logger: log.logger,
    maxAttempts: 2,
    ...config,
  });
const INPUT = { UserPoolId: POOL, Username: "alice", MaxResults: 5 };

/** Runs a scenario that must fail, keeps its error for the leak checks, and returns it. */
async function failing(label: string, run: () => Promise<unknown>): Promise<unknown> {
  // run() may throw before it returns a promise (a constructor refusing its options): same thing.
  const error = await rejection(within(Promise.resolve().then(run), 10_000, label));
  collected.push([label, error]);
  return error;
}

describe("every public path, with a recognisable secret key and session token", () => {
  it("succeeds with the secrets (so the paths below run for real) and logs without them", async () => {
    const c = client();
    const page = await c.send(new AdminListUserAuthEventsCommand(INPUT));
    expect(page.AuthEvents).toHaveLength(5);
    const eventId = page.AuthEvents![0]!.EventId!;
    await c.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: POOL,
        Username: "alice",
        EventId: eventId,
        FeedbackValue: "Valid",
      }),
    );
    await c.send(
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: POOL,
        Username: "alice",
        EventId: eventId,
        FeedbackValue: "Valid",
        FeedbackToken: t.core.getFeedbackToken(POOL, "alice", eventId)!,
      }),
    );
    await c.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 2 }));
    for await (const item of paginateAdminListUserAuthEvents.items(
      { client: c, pageSize: 4 },
      { UserPoolId: POOL, Username: "alice" },
    ))
      expect(item.EventId).toBeTypeOf("string");
    expect(log.lines.length).toBeGreaterThan(5);
    collected.push(["a page", page]);
  });

  it("collects the errors of every failure mode", async () => {
    // Service errors, modelled and not, with and without retries.
    await failing("UserNotFoundException", () =>
      client().send(new AdminListUserAuthEventsCommand({ ...INPUT, Username: "nobody" })),
    );
    await failing("InvalidParameterException (NextToken)", () =>
      client().send(new AdminListUserAuthEventsCommand({ ...INPUT, NextToken: "bogus" })),
    );
    t.core.addFault({ kind: "throttle" });
    await failing("TooManyRequestsException after retries", () =>
      client({ maxAttempts: 3 }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    t.core.clearFaults();
    t.core.addFault({ kind: "http-503" });
    await failing("unmodelled 503", () => client().send(new AdminListUserAuthEventsCommand(INPUT)));
    t.core.clearFaults();
    t.core.addFault({ kind: "html", status: 502 });
    await failing("HTML 502", () => client().send(new AdminListUserAuthEventsCommand(INPUT)));
    t.core.clearFaults();
    // Transport failures.
    t.core.addFault({ kind: "reset" });
    await failing("NetworkError (reset)", () => client().send(new AdminListUserAuthEventsCommand(INPUT)));
    t.core.clearFaults();
    t.core.addFault({ kind: "truncated-json" });
    await failing("NetworkError (truncated)", () => client().send(new AdminListUserAuthEventsCommand(INPUT)));
    t.core.clearFaults();
    t.core.addFault({ kind: "slow", delayMs: 1000 });
    await failing("TimeoutError", () =>
      client({ requestTimeout: 100 }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    await failing("AbortError", () =>
      client().send(new AdminListUserAuthEventsCommand(INPUT), { abortSignal: AbortSignal.timeout(50) }),
    );
    await failing("AbortError (paginator)", async () => {
      for await (const _ of paginateAdminListUserAuthEvents(
        { client: client(), abortSignal: AbortSignal.timeout(50) },
        { UserPoolId: POOL, Username: "alice" },
      ));
    });
    t.core.clearFaults();
    await failing("NetworkError (connection refused)", () =>
      client({ endpoint: "http://127.0.0.1:9/" }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    // Input and configuration errors.
    await failing("ValidationError", () =>
      client().send(new AdminListUserAuthEventsCommand({ ...INPUT, Username: "x".repeat(200) })),
    );
    await failing("TypeError: empty access key", async () =>
      client({ credentials: { accessKeyId: "", secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN } }),
    );
    await failing("TypeError: session token of the wrong type", async () =>
      client({
        credentials: {
          accessKeyId: ACCESS_KEY_ID,
          secretAccessKey: SECRET_ACCESS_KEY,
          sessionToken: 42 as unknown as string,
        },
      }),
    );
    await failing("TypeError: secret of the wrong type", async () =>
      client({
        credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: [SECRET_ACCESS_KEY] as unknown as string },
      }),
    );
    await failing("TypeError: endpoint with user info", async () =>
      client({ endpoint: `http://${ACCESS_KEY_ID}:${encodeURIComponent(SECRET_ACCESS_KEY)}@127.0.0.1/` }),
    );
    await failing("provider returning a bad object", () =>
      client({
        credentials: async () => ({
          accessKeyId: ACCESS_KEY_ID,
          secretAccessKey: SECRET_ACCESS_KEY,
          sessionToken: SESSION_TOKEN,
          expiration: SECRET_ACCESS_KEY as unknown as Date,
        }),
      }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    await failing("provider that throws", () =>
      client({
        credentials: async () => {
          throw new Error("credential endpoint unreachable");
        },
      }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    // A session token fetch refuses as a header value (control characters).
    await failing("session token with CR/LF", () =>
      client({ credentials: { ...CREDENTIALS, sessionToken: `${SESSION_TOKEN}\r\nX-Injected: 1` } }).send(
        new AdminListUserAuthEventsCommand(INPUT),
      ),
    );
    // Signature errors: wrong secret, wrong token, and a skewed server the client corrects for.
    const strict = new EmulatorCore({
      seed: "secrets",
      users: 2,
      events: 3,
      credentials: [{ ...CREDENTIALS, secretAccessKey: "another-secret" }],
    });
    await failing("InvalidSignatureException", () =>
      client({ endpoint: undefined, fetch: coreFetch(strict) }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    await failing("UnrecognizedClientException", () =>
      client({ credentials: { ...CREDENTIALS, sessionToken: "another-token" } }).send(
        new AdminListUserAuthEventsCommand(INPUT),
      ),
    );
    const skewed = new EmulatorCore({
      seed: "secrets",
      users: 2,
      events: 3,
      credentials: [CREDENTIALS],
      clockSkewSeconds: 3600,
      faults: [{ kind: "throttle" }],
    });
    await failing("throttled after a clock-skew correction", () =>
      client({ endpoint: undefined, fetch: coreFetch(skewed) }).send(new AdminListUserAuthEventsCommand(INPUT)),
    );
    // A service that repeats its token.
    const server = setupServer(
      http.post("https://cognito-idp.us-east-1.amazonaws.com/", () =>
        HttpResponse.json({ AuthEvents: [], NextToken: "same" }),
      ),
    );
    server.listen({ onUnhandledRequest: "error" });
    try {
      await failing("PaginationError", async () => {
        for await (const _ of paginateAdminListUserAuthEvents(
          { client: client({ endpoint: undefined }) },
          { UserPoolId: POOL, Username: "alice" },
        ));
      });
    } finally {
      server.close();
    }
    expect(collected.length).toBeGreaterThanOrEqual(20);
  });

  it("none of those errors is untyped, except the TypeErrors of bad options", () => {
    for (const [label, error] of collected) {
      if (label.startsWith("TypeError") || label === "a page") continue;
      expect(
        isTyped(error) || (error as Error).name === "CredentialsProviderError" || error instanceof TypeError,
        label,
      ).toBe(true);
    }
  });

  it.each([
    "UserNotFoundException",
    "TooManyRequestsException after retries",
    "NetworkError (reset)",
    "TimeoutError",
    "AbortError",
    "ValidationError",
    "TypeError: empty access key",
    "TypeError: session token of the wrong type",
    "TypeError: secret of the wrong type",
    "TypeError: endpoint with user info",
    "provider returning a bad object",
    "provider that throws",
    "session token with CR/LF",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "throttled after a clock-skew correction",
    "PaginationError",
    "NetworkError (connection refused)",
    "HTML 502",
    "a page",
  ])("no secret in: %s", (label) => {
    const found = collected.filter(([l]) => l === label);
    expect(found).toHaveLength(1);
    expectNoSecret(label, found[0]![1]);
  });

  it("no secret in any error collected above (the whole list)", () => {
    for (const [label, error] of collected) expectNoSecret(label, error);
  });

  it("no secret in the logger's output, over all of the above", () => {
    expect(log.lines.length).toBeGreaterThan(20);
    // Debug lines do show that a token was sent (redacted), so the check can fail if redaction breaks.
    expect(log.lines.some((args) => inspect(args).includes("x-amz-security-token"))).toBe(true);
    for (const [i, args] of log.lines.entries()) expectNoSecret(`log line ${i}`, args);
  });

  it("no secret in JSON.stringify or util.inspect of a client, before and after use, with static or provider credentials", async () => {
    for (const credentials of [CREDENTIALS, async () => CREDENTIALS]) {
      const c = client({ credentials });
      expectNoSecret("client before use", c);
      await c.send(new AdminListUserAuthEventsCommand(INPUT));
      expectNoSecret("client after use", c);
      expectNoSecret("client.config", c.config);
      expectNoSecret("the client's own enumerable values", Object.values(c));
      expect(JSON.stringify(c)).toContain(REGION);
    }
  });
});

describe("credentials objects the package hands out", () => {
  it("no secret in JSON.stringify or util.inspect of memoised credentials (static and provider)", async () => {
    for (const input of [CREDENTIALS, async () => ({ ...CREDENTIALS })]) {
      const resolved = await createCredentialsProvider(input)();
      expect(resolved.secretAccessKey).toBe(SECRET_ACCESS_KEY); // still usable for signing
      expect(resolved.sessionToken).toBe(SESSION_TOKEN);
      expectNoSecret("resolved credentials", resolved);
    }
  });

  it("no secret in JSON.stringify or util.inspect of credentials read from the environment", async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET_ACCESS_KEY;
    process.env.AWS_SESSION_TOKEN = SESSION_TOKEN;
    try {
      const fromEnvironment = await fromEnv()();
      expect(fromEnvironment.secretAccessKey).toBe(SECRET_ACCESS_KEY);
      expectNoSecret("environment credentials", fromEnvironment);
      expectNoSecret("resolveCredentials()", await resolveCredentials(undefined));
      const c = new CognitoIdentityProviderClient({ region: REGION, endpoint: t.endpoint });
      await c.send(new AdminListUserAuthEventsCommand(INPUT));
      expectNoSecret("a client on environment credentials", c);
    } finally {
      for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("no secret in credentials from credential_process (cognito-auth-events/node)", async () => {
    const good = JSON.stringify({
      Version: 1,
      AccessKeyId: ACCESS_KEY_ID,
      SecretAccessKey: SECRET_ACCESS_KEY,
      SessionToken: SESSION_TOKEN,
    });
    const fromProcess = await fromCredentialProcess("creds", {
      runProcess: async () => ({ stdout: good, stderr: "", code: 0 }),
    })();
    expect(fromProcess.secretAccessKey).toBe(SECRET_ACCESS_KEY);
    expectNoSecret("credential_process credentials", fromProcess);
  });

  describe("with a shared credentials file", () => {
    let dir: string;
    let shared: Awaited<ReturnType<typeof loadSharedConfig>>;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "cae-reliability-secrets-"));
      const file = join(dir, "credentials");
      await writeFile(
        file,
        `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\naws_session_token = ${SESSION_TOKEN}\n`,
      );
      shared = await loadSharedConfig({
        env: { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, "none") },
      });
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("no secret in credentials from the AWS CLI chain (cognito-auth-events/node)", async () => {
      const chained = await fromAwsCliChain(shared, { instanceMetadata: false })();
      expect(chained.secretAccessKey).toBe(SECRET_ACCESS_KEY);
      expectNoSecret("AWS CLI chain credentials", chained);
    });

    it("no secret in the loaded shared configuration (it holds the credentials file)", () => {
      expect(shared.credentials).toBeDefined();
      expectNoSecret("the loaded shared config", shared);
    });
  });

  it("no secret in the error for a credential_process whose output is not JSON where the secret starts", async () => {
    const bad = `{"Version": 1, "AccessKeyId": "${ACCESS_KEY_ID}", "SecretAccessKey": ${SECRET_ACCESS_KEY}, "SessionToken": "${SESSION_TOKEN}"}`;
    const provider = fromCredentialProcess("creds", { runProcess: async () => ({ stdout: bad, stderr: "", code: 0 }) });
    const error = await rejection(client({ credentials: provider }).send(new AdminListUserAuthEventsCommand(INPUT)));
    expect((error as Error).name).toBe("CredentialsProviderError");
    expect(((error as Error).cause as Error).name).toBe("CredentialRetrievalError");
    expectNoSecret("credential_process parse error", error);
  });

  it("every object holding secrets hides them the same ways (keys, entries, spread, structuredClone) and reads them by name", async () => {
    const output = JSON.stringify({
      Version: 1,
      AccessKeyId: ACCESS_KEY_ID,
      SecretAccessKey: SECRET_ACCESS_KEY,
      SessionToken: SESSION_TOKEN,
    });
    const section = `aws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\naws_session_token = ${SESSION_TOKEN}\n`;
    // A profile in both files, so its settings are the two sections merged.
    const shared = await loadSharedConfig({
      env: { AWS_CONFIG_FILE: "config", AWS_SHARED_CREDENTIALS_FILE: "credentials" },
      readFile: async (path) => (path === "config" ? `[default]\nregion = ${REGION}\n` : `[default]\n${section}`),
    });
    const holders: Record<string, object> = {
      "resolved credentials": await resolveCredentials(CREDENTIALS),
      "credential_process credentials": await fromCredentialProcess("creds", {
        runProcess: async () => ({ stdout: output, stderr: "", code: 0 }),
      })(),
      "AWS CLI chain credentials": await fromAwsCliChain(shared, { instanceMetadata: false })(),
      "a credentials file section": shared.credentials,
      "a profile's merged settings": shared.config,
    };
    expect(shared.config["region"]).toBe(REGION);
    for (const [label, holder] of Object.entries(holders)) {
      const h = holder as Record<string, unknown>;
      expect(
        [h["secretAccessKey"] ?? h["aws_secret_access_key"], h["sessionToken"] ?? h["aws_session_token"]],
        label,
      ).toEqual([SECRET_ACCESS_KEY, SESSION_TOKEN]);
      expectNoSecret(`${label}, Object.keys`, Object.keys(h));
      expectNoSecret(`${label}, Object.entries`, Object.entries(h));
      expectNoSecret(`${label}, a spread`, { ...h });
      expectNoSecret(`${label}, structuredClone`, structuredClone(h));
    }
  });

  it("every config object the Node default chain builds hides the secrets of both files, merged or not", async () => {
    const keys = (prefix: string) =>
      `aws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${prefix}${SECRET_ACCESS_KEY}\n` +
      `aws_session_token = ${prefix}${SESSION_TOKEN}\naws_security_token = ${prefix}${SESSION_TOKEN}\n`;
    // default and both: in both files (their settings are merged sections); config-only and credentials-only: in one.
    const files: Record<string, string> = {
      config: `[default]\nregion = ${REGION}\n${keys("c")}[profile both]\n${keys("c")}[profile config-only]\n${keys("")}`,
      credentials: `[default]\n${keys("")}[both]\nregion = ${REGION}\n[credentials-only]\n${keys("")}`,
    };
    const dir = await mkdtemp(join(tmpdir(), "cae-reliability-sdk-config-"));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const env = {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    try {
      for (const profile of ["default", "both", "config-only", "credentials-only"]) {
        const config = await loadSdkConfig({ env, profile });
        const holders: Record<string, object> = {
          "the settings": config.settings,
          "the region settings": config.regionSettings,
          ...Object.fromEntries([...config.profiles].map(([name, section]) => [`profile ${name}`, section])),
        };
        for (const [label, holder] of Object.entries(holders)) {
          const h = holder as Record<string, unknown>;
          const where = `${profile}: ${label}`;
          expect(h["aws_secret_access_key"], where).toMatch(SECRET_ACCESS_KEY);
          expect(h["aws_session_token"], where).toMatch(SESSION_TOKEN);
          expectNoSecret(where, h);
          expectNoSecret(`${where}, Object.keys`, Object.keys(h));
          expectNoSecret(`${where}, Object.entries`, Object.entries(h));
          expectNoSecret(`${where}, a spread`, { ...h });
          expectNoSecret(`${where}, structuredClone`, structuredClone(h));
        }
        expectNoSecret(`${profile}: the whole config`, config);
        const credentials = await fromNodeProviderChain({ profile, env })();
        expect(credentials.secretAccessKey).toMatch(SECRET_ACCESS_KEY);
        expectNoSecret(`${profile}: the chain's credentials`, credentials);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the leak check itself finds a secret where there is one", () => {
    expect(() => expectNoSecret("canary", new Error("oops", { cause: { token: SESSION_TOKEN } }))).toThrow(
      /canary: a secret appears/,
    );
    expect(() => expectNoSecret("canary", { nested: [{ k: btoa(SECRET_ACCESS_KEY) }] })).toThrow(/canary/);
  });
});
