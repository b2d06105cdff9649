/**
 * The default credential chain on Node (what `new CognitoIdentityProviderClient()` uses without `credentials`),
 * source by source, each against a local stand-in on 127.0.0.1 that the AWS SDK's own variables point at, and each
 * compared with the AWS SDK's `defaultProvider` (installed) given the same environment and files: same credentials,
 * or both failing.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { fromInstanceMetadata } from "@smithy/credential-provider-imds";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CredentialsProviderError } from "../src/credentials.ts";
import { fromNodeProviderChain } from "../src/node/default-chain.ts";
import { SERVED, type StandIn, type StandInOptions, startStandIn } from "./fixtures/credentials/stand-in.ts";

let standIn: StandIn;
const saved = { ...process.env };

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The temporary directories this file made, removed once it is done. */
const temporary: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterEach(() => {
  process.env = { ...saved };
  standIn.seen.length = 0;
});

interface Scenario {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** ~/.aws/config and ~/.aws/credentials. */
  config?: string;
  credentials?: string;
  /** Files under the temporary HOME, by relative path. */
  files?: Record<string, string>;
}

/**
 * A fresh HOME with the scenario's files, and process.env holding only the scenario's AWS settings (the SDK reads
 * process.env; its file cache is per path, so every scenario gets new paths).
 */
function setUp(scenario: Scenario, server: StandIn = standIn): string {
  const home = tempDir("cae-chain-");
  mkdirSync(join(home, ".aws"), { recursive: true });
  writeFileSync(join(home, ".aws", "config"), scenario.config ?? "");
  writeFileSync(join(home, ".aws", "credentials"), scenario.credentials ?? "");
  for (const [path, text] of Object.entries(scenario.files ?? {})) {
    mkdirSync(join(home, path, ".."), { recursive: true });
    writeFileSync(join(home, path), text);
  }
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(saved)) if (!key.startsWith("AWS_")) env[key] = value;
  process.env = {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK's notice about its future Node versions is test-output noise (vitest.config.ts).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    // The SDK's STS client warns when it falls back to us-east-1.
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_STS: server.url,
    AWS_ENDPOINT_URL_SSO: server.url,
    AWS_ENDPOINT_URL_SSO_OIDC: server.url,
    ...scenario.env,
  };
  for (const [key, value] of Object.entries(process.env)) if (value === "") delete process.env[key];
  return home;
}

/** The fields both providers return. */
const fields = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }) => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  sessionToken: c.sessionToken,
  expiration: c.expiration?.toISOString(),
});

/** Resolves the scenario with the SDK's chain and ours; expects equal credentials and returns ours. */
async function bothResolve(scenario: Scenario) {
  setUp(scenario);
  const theirs = await defaultProvider()();
  const seenBySdk = standIn.seen.splice(0);
  const ours = await fromNodeProviderChain()();
  expect(fields(ours)).toEqual(fields(theirs));
  return { ours, seenBySdk, seenByUs: standIn.seen.splice(0) };
}

const expiration = SERVED.imds.expiration.toISOString();
const served = (c: (typeof SERVED)[keyof typeof SERVED]) => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  sessionToken: c.sessionToken,
  expiration: c.expiration.toISOString(),
});

describe("the environment and the shared files", () => {
  it("takes AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION first", async () => {
    const { ours } = await bothResolve({
      env: {
        AWS_ACCESS_KEY_ID: "AKIDENV",
        AWS_SECRET_ACCESS_KEY: "env-secret",
        AWS_SESSION_TOKEN: "env-token",
        AWS_CREDENTIAL_EXPIRATION: expiration,
      },
      credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n",
    });
    expect(fields(ours)).toEqual({
      accessKeyId: "AKIDENV",
      secretAccessKey: "env-secret",
      sessionToken: "env-token",
      expiration,
    });
  });

  it("skips the environment's keys when AWS_PROFILE names a profile, as the SDK does", async () => {
    // The SDK warns about the two sources on the console, once per process.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { ours } = await bothResolve({
      env: { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_PROFILE: "dev" },
      credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n",
    });
    warn.mockRestore();
    expect(ours.accessKeyId).toBe("AKIDDEV");
  });

  it("reads static keys of the profile, the credentials file's over the config file's", async () => {
    const { ours } = await bothResolve({
      config: "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n",
      credentials:
        "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\naws_session_token = t\n",
    });
    expect(fields(ours)).toMatchObject({
      accessKeyId: "AKIDCREDS",
      secretAccessKey: "creds-secret",
      sessionToken: "t",
    });
  });

  it("runs credential_process and reads its JSON answer", async () => {
    const home = tempDir("cae-process-");
    const script = join(home, "creds.mjs");
    writeFileSync(
      script,
      `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC", SecretAccessKey: "proc-secret", SessionToken: "proc-token", Expiration: ${JSON.stringify(expiration)} }));`,
    );
    chmodSync(script, 0o755);
    const { ours } = await bothResolve({
      config: `[profile tool]\ncredential_process = ${process.execPath} ${script}\n`,
      env: { AWS_PROFILE: "tool" },
    });
    expect(fields(ours)).toEqual({
      accessKeyId: "AKIDPROC",
      secretAccessKey: "proc-secret",
      sessionToken: "proc-token",
      expiration,
    });
  });
});

describe("STS: web identity (EKS) and assumed roles", () => {
  it("exchanges AWS_WEB_IDENTITY_TOKEN_FILE's token for AWS_ROLE_ARN's credentials (AssumeRoleWithWebIdentity, unsigned)", async () => {
    const token = join(tempDir("cae-token-"), "token");
    writeFileSync(token, "web-identity-token");
    const { ours, seenBySdk, seenByUs } = await bothResolve({
      env: {
        AWS_WEB_IDENTITY_TOKEN_FILE: token,
        AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/web",
        AWS_ROLE_SESSION_NAME: "pod",
        AWS_REGION: "eu-west-1",
      },
    });
    expect(fields(ours)).toEqual(served(SERVED.webIdentity));
    for (const seen of [seenBySdk, seenByUs]) {
      const params = new URLSearchParams(seen[0]!.body);
      expect(Object.fromEntries(params)).toMatchObject({
        Action: "AssumeRoleWithWebIdentity",
        RoleArn: "arn:aws:iam::123456789012:role/web",
        RoleSessionName: "pod",
        WebIdentityToken: "web-identity-token",
      });
      expect(seen[0]!.headers.authorization).toBeUndefined();
    }
  });

  it("reads web_identity_token_file and role_arn from the profile", async () => {
    const token = join(tempDir("cae-token-"), "token");
    writeFileSync(token, "web-identity-token");
    const { ours } = await bothResolve({
      config: `[default]\nweb_identity_token_file = ${token}\nrole_arn = arn:aws:iam::123456789012:role/web\nrole_session_name = s\n`,
    });
    expect(ours.accessKeyId).toBe(SERVED.webIdentity.accessKeyId);
  });

  it("assumes role_arn with source_profile's keys (AssumeRole, signed with them)", async () => {
    const { ours, seenBySdk, seenByUs } = await bothResolve({
      config:
        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nrole_session_name = me\n",
      credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
      env: { AWS_PROFILE: "admin", AWS_REGION: "eu-west-1" },
    });
    expect(fields(ours)).toEqual(served(SERVED.assumeRole));
    for (const seen of [seenBySdk, seenByUs]) {
      expect(new URLSearchParams(seen[0]!.body).get("Action")).toBe("AssumeRole");
      expect(new URLSearchParams(seen[0]!.body).get("RoleArn")).toBe("arn:aws:iam::123456789012:role/admin");
      expect(String(seen[0]!.headers.authorization)).toMatch(
        /Credential=AKIDBASE\/\d{8}\/eu-west-1\/sts\/aws4_request/,
      );
    }
  });

  it("assumes a role with credential_source = Environment (the environment's keys sign AssumeRole)", async () => {
    const { ours, seenByUs } = await bothResolve({
      config: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\ncredential_source = Environment\n",
      // AWS_PROFILE skips the environment link: its keys serve only as the role's source.
      env: { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_PROFILE: "admin" },
    });
    expect(ours.accessKeyId).toBe(SERVED.assumeRole.accessKeyId);
    expect(String(seenByUs[0]!.headers.authorization)).toContain("Credential=AKIDENV/");
  });

  it("fails as the SDK does when STS refuses the token, naming the error", async () => {
    const token = join(tempDir("cae-token-"), "token");
    writeFileSync(token, "wrong-token");
    setUp({ env: { AWS_WEB_IDENTITY_TOKEN_FILE: token, AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/web" } });
    await expect(defaultProvider()()).rejects.toThrow(/token is not valid/);
    await expect(fromNodeProviderChain()()).rejects.toThrow(
      "STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: The token is not valid",
    );
  });
});

describe("IAM Identity Center (SSO)", () => {
  const session =
    "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n";
  const cachePath = (id: string) => `.aws/sso/cache/${createHash("sha1").update(id).digest("hex")}.json`;

  it("exchanges the cached token of the profile's sso-session for role credentials", async () => {
    const { ours, seenBySdk, seenByUs } = await bothResolve({
      config: session,
      env: { AWS_PROFILE: "sso" },
      files: {
        [cachePath("corp")]: JSON.stringify({
          accessToken: "sso-access-token",
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      },
    });
    expect(fields(ours)).toEqual(served(SERVED.sso));
    for (const seen of [seenBySdk, seenByUs]) {
      expect(seen[0]!.path).toBe("/federation/credentials?account_id=123456789012&role_name=Dev");
      expect(seen[0]!.headers["x-amz-sso_bearer_token"]).toBe("sso-access-token");
    }
  });

  it("refreshes a token about to expire through SSO OIDC and writes it back to the cache", async () => {
    const cached = {
      accessToken: "stale-token",
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      clientId: "client",
      clientSecret: "client-secret",
      refreshToken: "refresh-1",
    };
    const home = setUp({
      config: session,
      env: { AWS_PROFILE: "sso" },
      files: { [cachePath("corp")]: JSON.stringify(cached) },
    });
    const server = await startStandIn({ ssoToken: "sso-refreshed-token" });
    try {
      process.env["AWS_ENDPOINT_URL_SSO"] = server.url;
      process.env["AWS_ENDPOINT_URL_SSO_OIDC"] = server.url;
      const ours = await fromNodeProviderChain()();
      expect(ours.accessKeyId).toBe(SERVED.sso.accessKeyId);
      expect(server.seen.map((s) => s.path)).toEqual([
        "/token",
        "/federation/credentials?account_id=123456789012&role_name=Dev",
      ]);
      expect(JSON.parse(server.seen[0]!.body)).toEqual({
        clientId: "client",
        clientSecret: "client-secret",
        refreshToken: "refresh-1",
        grantType: "refresh_token",
      });
      const written = JSON.parse(readFileSync(join(home, cachePath("corp")), "utf8")) as Record<string, string>;
      expect(written).toMatchObject({
        accessToken: "sso-refreshed-token",
        refreshToken: "refresh-2",
        clientId: "client",
      });
      // The SDK, on a copy of the original cache, refreshes the same way.
      writeFileSync(join(home, cachePath("corp")), JSON.stringify(cached));
      server.seen.length = 0;
      expect((await defaultProvider()()).accessKeyId).toBe(SERVED.sso.accessKeyId);
      expect(server.seen.map((s) => s.path)[0]).toBe("/token");
    } finally {
      await server.close();
    }
  });

  it("reads a legacy profile (sso_start_url in the profile) from the token cached under the start URL", async () => {
    const { ours } = await bothResolve({
      config:
        "[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
      files: {
        [cachePath("https://legacy.awsapps.com/start")]: JSON.stringify({
          accessToken: "sso-access-token",
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      },
    });
    expect(ours.accessKeyId).toBe(SERVED.sso.accessKeyId);
  });

  it("fails when the session has expired and cannot be refreshed, saying to log in again", async () => {
    setUp({
      config: session,
      env: { AWS_PROFILE: "sso" },
      files: {
        [cachePath("corp")]: JSON.stringify({ accessToken: "x", expiresAt: new Date(Date.now() - 1000).toISOString() }),
      },
    });
    await expect(defaultProvider()()).rejects.toThrow(/aws sso login/);
    await expect(fromNodeProviderChain()()).rejects.toThrow(
      /has expired\. To refresh this SSO session, run aws sso login/,
    );
  });
});

describe("container credentials (ECS, EKS Pod Identity) and instance metadata (EC2)", () => {
  it("GETs AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN", async () => {
    const server = await startStandIn({ containerToken: "Bearer container-token" });
    try {
      setUp({
        env: {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/container/credentials`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: "Bearer container-token",
        },
      });
      const theirs = await defaultProvider()();
      const ours = await fromNodeProviderChain()();
      expect(fields(ours)).toEqual(fields(theirs));
      expect(fields(ours)).toEqual(served(SERVED.container));
      expect(server.seen.every((s) => s.headers.authorization === "Bearer container-token")).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("reads the authorization token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE at each call (EKS Pod Identity)", async () => {
    const server = await startStandIn({ containerToken: "pod-identity-token" });
    const file = join(tempDir("cae-pod-"), "token");
    writeFileSync(file, "pod-identity-token");
    try {
      setUp({
        env: {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/container/credentials`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
        },
      });
      const theirs = await defaultProvider()();
      const ours = await fromNodeProviderChain()();
      expect(fields(ours)).toEqual(fields(theirs));
      expect(ours.accessKeyId).toBe(SERVED.container.accessKeyId);
    } finally {
      await server.close();
    }
  });

  it("refuses a plain-HTTP full URI to a host other than loopback or the ECS and EKS hosts", async () => {
    setUp({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://192.0.2.1/creds" } });
    await expect(defaultProvider()()).rejects.toThrow();
    await expect(fromNodeProviderChain({ metadata: { retries: 0 } })()).rejects.toThrow(
      /AWS_CONTAINER_CREDENTIALS_FULL_URI is not accepted: it must use HTTPS/,
    );
  });

  it("gets the instance role's credentials from IMDSv2 (token, role name, credentials)", async () => {
    const { ours, seenByUs } = await bothResolve({
      env: { AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: standIn.url },
    });
    expect(fields(ours)).toEqual(served(SERVED.imds));
    expect(seenByUs.map((s) => `${s.method} ${s.path}`)).toEqual([
      "PUT /latest/api/token",
      "GET /latest/meta-data/iam/security-credentials/",
      "GET /latest/meta-data/iam/security-credentials/instance-role",
    ]);
    expect(seenByUs.slice(1).every((s) => s.headers["x-aws-ec2-metadata-token"] === "imds-session-token")).toBe(true);
  });

  it("falls back to IMDSv1 when the token request is refused with 403, unless AWS_EC2_METADATA_V1_DISABLED", async () => {
    const server = await startStandIn({ imdsTokenStatus: 403 });
    try {
      setUp({ env: { AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url } }, server);
      const theirs = await defaultProvider()();
      const ours = await fromNodeProviderChain()();
      expect(fields(ours)).toEqual(fields(theirs));
      expect(ours.accessKeyId).toBe(SERVED.imds.accessKeyId);
      process.env["AWS_EC2_METADATA_V1_DISABLED"] = "true";
      // The SDK reports only the chain's last words; ours says which source failed and why.
      await expect(defaultProvider()()).rejects.toThrow("Could not load credentials from any providers");
      await expect(fromNodeProviderChain()()).rejects.toThrow(/IMDSv1 fallback is disabled/);
    } finally {
      await server.close();
    }
  });
});

/** A logger for the SDK's providers, whose warnings are test-output noise here. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("instance metadata's static stability (the SDK's fromInstanceMetadata)", () => {
  /** Every field but the expiration, which each provider extends by its own random 5 to 10 minutes. */
  const extended = (c: Parameters<typeof fields>[0]) => {
    const { expiration, ...rest } = fields(c);
    const minutes = (Date.parse(expiration!) - Date.now()) / 60_000;
    return { ...rest, within5to10Minutes: minutes > 4.9 && minutes <= 10 };
  };
  const expected = { ...extended(SERVED.imds), within5to10Minutes: true };

  it("keeps signing with the last credentials, secret and token included, through an outage of the service", async () => {
    const options: StandInOptions = {};
    const server = await startStandIn(options);
    try {
      setUp({ env: { AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url } }, server);
      const theirs = fromInstanceMetadata({ logger: quiet });
      const ours = fromNodeProviderChain();
      expect(fields(await ours())).toEqual(fields(await theirs()));
      options.imdsOutageStatus = 500;
      expect(extended(await theirs())).toEqual(expected);
      expect(extended(await ours())).toEqual(expected);
      // And again, from the extended credentials.
      expect(extended(await ours())).toEqual(expected);
    } finally {
      await server.close();
    }
  });

  it("extends credentials the service serves already expired, secret and token included", async () => {
    const expired = { ...SERVED.imds, expiration: new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000) };
    const server = await startStandIn({ metadataCredentials: expired });
    try {
      setUp({ env: { AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url } }, server);
      expect(extended(await defaultProvider({ logger: quiet })())).toEqual(expected);
      expect(extended(await fromNodeProviderChain()())).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});

describe("a credential source answering with a redirect: refused, as the SDK's handlers never follow one", () => {
  const webIdentityToken = () => {
    const file = join(tempDir("cae-token-"), "token");
    writeFileSync(file, "web-identity-token");
    return file;
  };
  const sources: [string, (redirector: string) => Scenario][] = [
    [
      "container credentials",
      (redirector) => ({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${redirector}/container/credentials` } }),
    ],
    [
      "instance metadata",
      (redirector) => ({ env: { AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: redirector } }),
    ],
    [
      "STS",
      () => ({ env: { AWS_WEB_IDENTITY_TOKEN_FILE: webIdentityToken(), AWS_ROLE_ARN: "arn:aws:iam::1:role/web" } }),
    ],
    [
      "IAM Identity Center",
      () => ({
        config:
          "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n" +
          "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
        files: {
          [`.aws/sso/cache/${createHash("sha1").update("corp").digest("hex")}.json`]: JSON.stringify({
            accessToken: "sso-access-token",
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        },
      }),
    ],
  ];

  it.each(sources)("%s: the provider fails and the redirect's target gets no request", async (_source, scenario) => {
    const redirector = await startStandIn({ redirectTo: standIn.url });
    try {
      setUp(scenario(redirector.url), redirector);
      await expect(defaultProvider({ maxRetries: 0, logger: quiet })()).rejects.toThrow();
      const error = await fromNodeProviderChain({ metadata: { retries: 0 } })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsProviderError);
      expect((error as Error).message).toMatch(/127\.0\.0\.1:\d+ answered with a redirect \(HTTP 307\)/);
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(standIn.seen).toEqual([]);
    } finally {
      await redirector.close();
    }
  });
});

describe("nothing configured", () => {
  it("fails with the SDK's 'Could not load credentials from any providers', at call time", async () => {
    setUp({});
    await expect(defaultProvider()()).rejects.toThrow("Could not load credentials from any providers");
    const chain = fromNodeProviderChain();
    const error = (await chain().catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: "CredentialsProviderError" });
    expect(error.message).toMatch(/^Could not load credentials from any providers: /);
  });

  it("skips a profile that configures no credentials, as the SDK does", async () => {
    const { ours } = await bothResolve({
      config: "[default]\nregion = eu-west-1\n",
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${"http://127.0.0.1"}:${new URL(standIn.url).port}/container/credentials`,
      },
    });
    expect(ours.accessKeyId).toBe(SERVED.container.accessKeyId);
  });
});
