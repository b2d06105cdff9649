import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createCredentialsProvider,
  CredentialsProviderError,
  ENV_VARS,
  fromEnv,
  REFRESH_WINDOW_MS,
  resolveCredentials,
  type AwsCredentialIdentity,
} from "../src/credentials.ts";

/** The credentials' fields, secret ones included (they are non-enumerable, so toEqual alone would not see them). */
function plain(c: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}) {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
  };
}

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
const NOW = new Date("2025-03-04T05:06:07Z");

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

function expectNoSecret(error: Error): void {
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(TOKEN);
}

beforeEach(() => {
  for (const name of Object.values(ENV_VARS)) vi.stubEnv(name, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("static credentials", () => {
  it("are validated and returned as a copy holding only the known fields", async () => {
    const input = { accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: TOKEN, extra: "x" };
    const provider = createCredentialsProvider(input);
    const credentials = await provider();
    expect(plain(credentials)).toEqual({ accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: TOKEN });
    expect(Object.isFrozen(credentials)).toBe(true);
    expect(await provider()).toBe(credentials);
  });

  it("drop an empty session token", async () => {
    expect(plain(await resolveCredentials({ accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: "" }))).toEqual(
      {
        accessKeyId: "AKID",
        secretAccessKey: SECRET,
      },
    );
  });

  it.each([
    [{ secretAccessKey: SECRET }, "credentials.accessKeyId must be a non-empty string, got undefined"],
    [{ accessKeyId: "AKID" }, "credentials.secretAccessKey must be a non-empty string, got undefined"],
    [{ accessKeyId: 12, secretAccessKey: SECRET }, "credentials.accessKeyId must be a non-empty string, got number"],
    [
      { accessKeyId: "AKID", secretAccessKey: "" },
      "credentials.secretAccessKey must be a non-empty string, got an empty string",
    ],
    [{ accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: 1 }, "credentials.sessionToken must be a string"],
    [
      { accessKeyId: "AKID", secretAccessKey: SECRET, expiration: "2025" },
      "credentials.expiration must be a valid Date",
    ],
    [
      { accessKeyId: "AKID", secretAccessKey: SECRET, expiration: new Date("x") },
      "credentials.expiration must be a valid Date",
    ],
  ])("throw a TypeError naming the bad field at once: %j", (input, message) => {
    let error: unknown;
    try {
      createCredentialsProvider(input as unknown as AwsCredentialIdentity);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(message);
    expectNoSecret(error as Error);
  });

  it("a secret of the wrong type is described by its type, not its value", () => {
    expect(() => createCredentialsProvider({ accessKeyId: SECRET, secretAccessKey: 5 } as never)).toThrow(
      "credentials.secretAccessKey must be a non-empty string, got number",
    );
  });

  it.each([null, 42, "AKID:SECRET", true])(
    "an input of the wrong kind (%j) is a TypeError naming credentials",
    (input) => {
      expect(() => createCredentialsProvider(input as never)).toThrow(
        /^credentials must be an object \{ accessKeyId, secretAccessKey, sessionToken\? \}, an async function/,
      );
    },
  );
});

describe("provider functions", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });

  const expiringIn = (ms: number) => new Date(Date.now() + ms);

  it("are called once and memoised when the credentials do not expire", async () => {
    const source = vi.fn(async () => ({ accessKeyId: "AKID", secretAccessKey: SECRET }));
    const provider = createCredentialsProvider(source);
    expect(source).not.toHaveBeenCalled(); // lazily, on first use
    expect(plain(await provider())).toEqual({ accessKeyId: "AKID", secretAccessKey: SECRET });
    vi.advanceTimersByTime(365 * 24 * 3600 * 1000);
    await provider();
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("are called again only once the credentials expire within 5 minutes", async () => {
    let n = 0;
    const source = vi.fn(async () => ({
      accessKeyId: `AKID${++n}`,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: expiringIn(60 * 60 * 1000),
    }));
    const provider = createCredentialsProvider(source);
    expect((await provider()).accessKeyId).toBe("AKID1");
    vi.advanceTimersByTime(60 * 60 * 1000 - REFRESH_WINDOW_MS - 1); // 5 min + 1 ms left
    expect((await provider()).accessKeyId).toBe("AKID1");
    expect(source).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2); // under 5 min left
    const refreshed = await provider();
    expect(refreshed.accessKeyId).toBe("AKID2");
    expect(refreshed.expiration?.getTime()).toBe(Date.now() + 60 * 60 * 1000);
    expect(source).toHaveBeenCalledTimes(2);
  });

  it("share one in-flight call between concurrent callers", async () => {
    let release: (c: AwsCredentialIdentity) => void = () => {};
    const source = vi.fn(
      () =>
        new Promise<AwsCredentialIdentity>((resolve) => {
          release = resolve;
        }),
    );
    const provider = createCredentialsProvider(source);
    const calls = [provider(), provider(), provider()];
    expect(source).toHaveBeenCalledTimes(1);
    release({ accessKeyId: "AKID", secretAccessKey: SECRET });
    const results = await Promise.all(calls);
    expect(plain(results[0]!)).toEqual({ accessKeyId: "AKID", secretAccessKey: SECRET });
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it("share one in-flight refresh when expiring credentials are requested concurrently", async () => {
    let n = 0;
    const source = vi.fn(async () => ({
      accessKeyId: `AKID${++n}`,
      secretAccessKey: SECRET,
      expiration: expiringIn(REFRESH_WINDOW_MS + 1000),
    }));
    const provider = createCredentialsProvider(source);
    await provider();
    vi.advanceTimersByTime(2000);
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.accessKeyId).toBe("AKID2");
    expect(b).toBe(a);
    expect(source).toHaveBeenCalledTimes(2);
  });

  it("do not cache a failure: the next call tries again", async () => {
    const source = vi
      .fn<() => Promise<AwsCredentialIdentity>>()
      .mockRejectedValueOnce(new Error("network down"))
      .mockResolvedValueOnce({ accessKeyId: "AKID", secretAccessKey: SECRET });
    const provider = createCredentialsProvider(source);
    const error = await rejection(provider());
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.name).toBe("CredentialsProviderError");
    expect(error.message).toBe("The credentials provider failed (Error); see cause.");
    expect((error.cause as Error).message).toBe("network down");
    expect((await provider()).accessKeyId).toBe("AKID");
    expect(source).toHaveBeenCalledTimes(2);
  });

  it("do not cache a failed refresh either", async () => {
    const source = vi
      .fn<() => Promise<AwsCredentialIdentity>>()
      .mockResolvedValueOnce({ accessKeyId: "OLD", secretAccessKey: SECRET, expiration: expiringIn(1000) })
      .mockRejectedValueOnce(new Error("sts down"))
      .mockResolvedValueOnce({ accessKeyId: "NEW", secretAccessKey: SECRET, expiration: expiringIn(3600_000) });
    const provider = createCredentialsProvider(source);
    expect((await provider()).accessKeyId).toBe("OLD");
    await rejection(provider());
    expect((await provider()).accessKeyId).toBe("NEW");
    expect((await provider()).accessKeyId).toBe("NEW");
    expect(source).toHaveBeenCalledTimes(3);
  });

  it("pass a CredentialsProviderError from the provider (ours or the SDK's) through unwrapped", async () => {
    class SdkCredentialsProviderError extends Error {
      override name = "CredentialsProviderError";
    }
    const original = new SdkCredentialsProviderError("Could not load credentials from any providers");
    const provider = createCredentialsProvider(async () => {
      throw original;
    });
    expect(await rejection(provider())).toBe(original);
  });

  it("reject a malformed result with a TypeError naming the field", async () => {
    const provider = createCredentialsProvider(async () => ({ accessKeyId: "AKID" }) as AwsCredentialIdentity);
    const error = await rejection(provider());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      "the credentials provider's result.secretAccessKey must be a non-empty string, got undefined",
    );
  });

  it("resolveCredentials calls a provider every time (no memo)", async () => {
    const source = vi.fn(async () => ({ accessKeyId: "AKID", secretAccessKey: SECRET }));
    await resolveCredentials(source);
    await resolveCredentials(source);
    expect(source).toHaveBeenCalledTimes(2);
  });
});

describe("environment credentials", () => {
  it("are read from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN via process.env", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDENV");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", SECRET);
    vi.stubEnv("AWS_SESSION_TOKEN", TOKEN);
    expect(plain(await createCredentialsProvider(undefined)())).toEqual({
      accessKeyId: "AKIDENV",
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
    });
  });

  it("take AWS_CREDENTIAL_EXPIRATION as the expiration and re-read the environment when it nears", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKID1");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", SECRET);
    vi.stubEnv("AWS_CREDENTIAL_EXPIRATION", new Date(NOW.getTime() + 3600_000).toISOString());
    const provider = createCredentialsProvider(undefined);
    expect(await provider()).toMatchObject({ accessKeyId: "AKID1", expiration: new Date(NOW.getTime() + 3600_000) });
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKID2");
    expect((await provider()).accessKeyId).toBe("AKID1"); // memoised
    vi.advanceTimersByTime(3600_000 - REFRESH_WINDOW_MS + 1);
    expect((await provider()).accessKeyId).toBe("AKID2");
  });

  it("reject a malformed AWS_CREDENTIAL_EXPIRATION, naming it", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKID");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", SECRET);
    vi.stubEnv("AWS_CREDENTIAL_EXPIRATION", "tomorrow");
    const error = await rejection(fromEnv()());
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.message).toBe('AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 date: "tomorrow".');
  });

  it("missing entirely is a CredentialsProviderError naming the variables to set", async () => {
    const error = await rejection(createCredentialsProvider(undefined)());
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.name).toBe("CredentialsProviderError");
    expect(error.message).toBe(
      "Could not find AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; pass `credentials` or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).",
    );
  });

  it("half set is a CredentialsProviderError naming the missing variable, never the secret", async () => {
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", SECRET);
    const error = await rejection(createCredentialsProvider(undefined)());
    expect(error.message).toMatch(/^Could not find AWS credentials: AWS_ACCESS_KEY_ID is not set;/);
    expectNoSecret(error);
  });

  it("an empty variable counts as missing", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKID");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    expect((await rejection(fromEnv()())).message).toMatch(/AWS_SECRET_ACCESS_KEY is not set/);
  });

  it("a failure is not cached: setting the variables later works", async () => {
    const provider = createCredentialsProvider(undefined);
    await rejection(provider());
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKID");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", SECRET);
    expect((await provider()).accessKeyId).toBe("AKID");
  });

  it("are read through Deno.env when Deno is present", async () => {
    const env: Record<string, string> = { AWS_ACCESS_KEY_ID: "AKIDDENO", AWS_SECRET_ACCESS_KEY: SECRET };
    vi.stubGlobal("Deno", { env: { get: (name: string) => env[name] } });
    expect(plain(await resolveCredentials(undefined))).toEqual({ accessKeyId: "AKIDDENO", secretAccessKey: SECRET });
  });

  it("Deno without --allow-env gives a CredentialsProviderError with the flag to use, not a crash", async () => {
    class NotCapable extends Error {
      override name = "NotCapable";
    }
    const denied = new NotCapable('Requires env access to "AWS_ACCESS_KEY_ID", run again with the --allow-env flag');
    vi.stubGlobal("Deno", {
      env: {
        get: () => {
          throw denied;
        },
      },
    });
    const error = await rejection(createCredentialsProvider(undefined)());
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.message).toBe(
      "Could not read AWS_ACCESS_KEY_ID from the environment (NotCapable). Under Deno, run with --allow-env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_CREDENTIAL_EXPIRATION, or pass `credentials` to the client.",
    );
    expect(error.cause).toBe(denied);
  });

  it("a runtime without any environment (an edge worker) gives a CredentialsProviderError", async () => {
    vi.stubGlobal("process", undefined);
    const error = await rejection(resolveCredentials(undefined));
    vi.unstubAllGlobals();
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.message).toMatch(/this runtime has no environment variables; pass `credentials`/);
  });
});

describe("secrets stay out of sight", () => {
  it("resolved credentials hide the secret and token from JSON.stringify and util.inspect, and still hand them to the signer by name", async () => {
    const { inspect } = await import("node:util");
    const c = await resolveCredentials({ accessKeyId: "AKID", secretAccessKey: SECRET, sessionToken: TOKEN });
    expect(JSON.stringify(c)).not.toContain(SECRET);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(inspect(c, { showHidden: false })).not.toContain(SECRET);
    expect(c.secretAccessKey).toBe(SECRET);
    expect(c.sessionToken).toBe(TOKEN);
  });

  it("a session token with CR/LF is refused with a TypeError naming the field, not the value", async () => {
    const err = await resolveCredentials({
      accessKeyId: "AKID",
      secretAccessKey: SECRET,
      sessionToken: "abc\r\nX-Evil: 1",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toContain("sessionToken");
    expect((err as Error).message).not.toContain("X-Evil");
  });
});
