/**
 * The Node build's default credentials when the environment has keys: the chain's first link answers without the
 * rest of the chain being loaded (src/node/defaults.ts; the chain is another file of the Node build), with the AWS
 * SDK's `defaultProvider` (installed) as the reference for what comes back; a named profile (`profile`, AWS_PROFILE)
 * still skips the environment. Checked on the source, and on the packed tarball in a fresh process.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { nodeDefaults } from "../src/node/defaults.ts";
import { assertOk, type PackedPackage, packedPackage, run } from "../runtime-tests/harness.ts";

/** How many times the chain's module was loaded (vitest evaluates a mocked module's factory once per load). */
const loads = vi.hoisted(() => ({ chain: 0 }));
vi.mock("../src/node/lazy-chain.ts", async (original) => {
  loads.chain++;
  return original();
});

let home: string;
const saved = { ...process.env };
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "cae-env-credentials-"));
  writeFileSync(join(home, "config"), "");
  writeFileSync(
    join(home, "credentials"),
    "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
  );
});
afterAll(() => {
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

/** process.env with only these AWS settings, and the files of `home` as the shared files. */
function environment(env: Record<string, string>): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(saved).filter(([key]) => !key.startsWith("AWS_")));
  return {
    ...(kept as Record<string, string>),
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...env,
  };
}

const fields = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }) => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  sessionToken: c.sessionToken,
  expiration: c.expiration?.toISOString(),
});

const KEYS = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" };

describe("the client's default credentials, on the source", () => {
  it("come from the environment (token and expiration too) without loading the chain, as the SDK's", async () => {
    process.env = environment({
      ...KEYS,
      AWS_SESSION_TOKEN: "env-token",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-02T03:04:05Z",
    });
    const before = loads.chain;
    const ours = await nodeDefaults().credentials!();
    expect(loads.chain).toBe(before);
    expect(fields(ours)).toEqual(fields(await defaultProvider()()));
    expect(ours).toMatchObject({ accessKeyId: "AKIDENV", sessionToken: "env-token" });
    // Hidden as the chain's: the secret is not an enumerable member.
    expect(JSON.stringify(ours)).not.toContain("env-secret");
  });

  it("skip the environment when AWS_PROFILE or the profile option names a profile, as the SDK's", async () => {
    process.env = environment({ ...KEYS, AWS_PROFILE: "dev" });
    const theirs = fields(await defaultProvider()());
    expect(theirs.accessKeyId).toBe("AKIDPROFILE");
    expect(fields(await nodeDefaults().credentials!())).toEqual(theirs);
    expect(loads.chain).toBeGreaterThan(0);

    process.env = environment(KEYS);
    expect(fields(await nodeDefaults({ profile: "dev" }).credentials!())).toEqual(
      fields(await defaultProvider({ profile: "dev" })()),
    );
  });

  it("take an empty profile option as naming none, so AWS_PROFILE is not looked at, as the SDK's", async () => {
    process.env = environment({ ...KEYS, AWS_PROFILE: "dev" });
    const theirs = fields(await defaultProvider({ profile: "" })());
    expect(theirs.accessKeyId).toBe("AKIDENV");
    expect(fields(await nodeDefaults({ profile: "" }).credentials!())).toEqual(theirs);
  });

  it("go to the chain when the environment has only one of the two keys", async () => {
    process.env = environment({ AWS_ACCESS_KEY_ID: "AKIDENV" });
    const ours = nodeDefaults({ env: process.env, profile: undefined }).credentials!();
    await expect(ours).rejects.toThrow(/Could not load credentials from any providers/);
    await expect(defaultProvider()()).rejects.toThrow(/Could not load credentials from any providers/);
  });
});

describe("the packed package, in a fresh process", () => {
  let packed: PackedPackage;

  /**
   * A request signed with the default credentials to {@link server}; prints whether the process loaded
   * `node:child_process`, which of the Node build's files only the chain's imports (the server is this process's:
   * a listening server would load it too, through node:cluster).
   */
  const SCRIPT = `
    import { CognitoIdentityProviderClient, ListUsersCommand } from "cognito-auth-events";
    const client = new CognitoIdentityProviderClient({ region: "eu-west-1", endpoint: process.env.TEST_ENDPOINT });
    await client.send(new ListUsersCommand({ UserPoolId: "eu-west-1_a" }));
    console.log(JSON.stringify({ chainLoaded: process.moduleLoadList.includes("NativeModule child_process") }));
  `;
  /** The access key id of each request's signature. */
  const signedWith: string[] = [];
  const server = createServer((request, response) => {
    signedWith.push(/Credential=([^/]+)/.exec(request.headers.authorization ?? "")?.[1] ?? "none");
    request.resume().on("end", () => response.setHeader("content-type", "application/x-amz-json-1.1").end("{}"));
  });
  beforeAll(async () => {
    packed = await packedPackage();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  }, 300_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const runScript = async (env: Record<string, string>) => {
    const file = join(packed.consumer, `env-credentials-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, SCRIPT);
    const { port } = server.address() as AddressInfo;
    try {
      const result = assertOk(
        await run(process.execPath, [file], {
          cwd: packed.consumer,
          env: environment({ ...env, TEST_ENDPOINT: `http://127.0.0.1:${port}` }),
        }),
        "script",
      );
      return { ...(JSON.parse(result.stdout.trim()) as { chainLoaded: boolean }), signedWith: signedWith.pop() };
    } finally {
      rmSync(file, { force: true });
    }
  };

  it("signs with the environment's keys and never loads the chain; with AWS_PROFILE, the chain and the profile's", async () => {
    expect(await runScript(KEYS)).toEqual({ signedWith: "AKIDENV", chainLoaded: false });
    expect(await runScript({ ...KEYS, AWS_PROFILE: "dev" })).toEqual({ signedWith: "AKIDPROFILE", chainLoaded: true });
  }, 60_000);
});
