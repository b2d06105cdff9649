/**
 * src/node/config.ts and src/node/credentials.ts: the shared files, profile selection, settings
 * precedence, and the AWS CLI's credential chain (botocore's order and messages).
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { inspect } from "node:util";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSharedConfig, parseIni, ProfileNotFoundError, profileSettings } from "../src/node/config.ts";
import {
  CredentialRetrievalError,
  fromAwsCliChain,
  MissingOptionalPackageError,
  NoCredentialsError,
  PartialCredentialsError,
  shellSplit,
} from "../src/node/credentials.ts";

let dir: string;
/** The readable parts of a credentials object (its secrets do not enumerate). */
const read = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }) => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
  ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
});
const files = (config: string, credentials = "") => {
  writeFileSync(join(dir, "config"), config);
  writeFileSync(join(dir, "credentials"), credentials);
  return { AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), HOME: dir };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cae-node-config-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseIni", () => {
  it("reads sections, case-insensitive keys, comments, both delimiters and nested blocks (their keys as written)", () => {
    const sections = parseIni(
      "# top\n[default]\nRegion = eu-west-1\n; note\noutput: text\ns3 =\n  max_concurrent_requests = 20\n  Addressing_Style = path\n[profile dev]\nregion=us-east-2\n",
    );
    expect(sections.get("default")).toEqual({
      region: "eu-west-1",
      output: "text",
      s3: { max_concurrent_requests: "20", Addressing_Style: "path" },
    });
    expect(sections.get("profile dev")).toEqual({ region: "us-east-2" });
  });
});

describe("loadSharedConfig", () => {
  it("selects --profile, else AWS_DEFAULT_PROFILE, else AWS_PROFILE, else default", async () => {
    const env = files("[default]\nregion = r0\n[profile a]\nregion = r1\n[profile b]\nregion = r2\n");
    expect((await loadSharedConfig({ env, profile: "a" })).profile).toBe("a");
    expect((await loadSharedConfig({ env: { ...env, AWS_DEFAULT_PROFILE: "b", AWS_PROFILE: "a" } })).profile).toBe("b");
    expect((await loadSharedConfig({ env: { ...env, AWS_PROFILE: "a" } })).config["region"]).toBe("r1");
    expect((await loadSharedConfig({ env })).config["region"]).toBe("r0");
  });

  it("an explicit profile that neither file has is an error; the default one may be missing", async () => {
    const env = files("[profile a]\n", "[c]\n");
    await expect(loadSharedConfig({ env, profile: "nope" })).rejects.toThrow(new ProfileNotFoundError("nope"));
    await expect(loadSharedConfig({ env, profile: "c" })).resolves.toMatchObject({ profile: "c" });
    await expect(loadSharedConfig({ env })).resolves.toMatchObject({ profile: "default", explicitProfile: false });
  });

  it("missing files are empty; the credentials file's settings count for the profile", async () => {
    const shared = await loadSharedConfig({
      env: { AWS_CONFIG_FILE: join(dir, "none"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none2"), HOME: dir },
    });
    expect(shared.config).toEqual({});
    const env = files("[profile x]\nregion = from-config\noutput = json\n", "[x]\nregion = from-credentials\n");
    expect((await loadSharedConfig({ env, profile: "x" })).config).toMatchObject({
      region: "from-credentials",
      output: "json",
    });
  });

  it("profileSettings: the environment wins over the profile", async () => {
    const env = files(
      "[default]\nregion = r0\noutput = table\nretry_mode = standard\nmax_attempts = 7\ncli_timestamp_format = iso8601\n",
    );
    expect(profileSettings(await loadSharedConfig({ env }))).toEqual({
      region: "r0",
      output: "table",
      retryMode: "standard",
      maxAttempts: "7",
      cliTimestampFormat: "iso8601",
    });
    const overridden = profileSettings(
      await loadSharedConfig({
        env: {
          ...env,
          AWS_DEFAULT_REGION: "r9",
          AWS_RETRY_MODE: "adaptive",
          AWS_MAX_ATTEMPTS: "2",
          AWS_DEFAULT_OUTPUT: "text",
        },
      }),
    );
    expect(overridden).toMatchObject({ region: "r9", retryMode: "adaptive", maxAttempts: "2", output: "text" });
  });
});

describe("fromAwsCliChain", () => {
  const keys = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "env-secret" };

  it("takes the environment first, with AWS_SESSION_TOKEN", async () => {
    const env = {
      ...files("", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"),
      ...keys,
      AWS_SESSION_TOKEN: "tok",
    };
    expect(read(await fromAwsCliChain(await loadSharedConfig({ env }))())).toEqual({
      accessKeyId: "AKIDENV",
      secretAccessKey: "env-secret",
      sessionToken: "tok",
    });
  });

  it("--profile skips the environment (botocore), reading the credentials file", async () => {
    const env = {
      ...files("", "[p]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\naws_session_token = t\n"),
      ...keys,
    };
    const credentials = await fromAwsCliChain(await loadSharedConfig({ env, profile: "p" }))();
    expect(read(credentials)).toEqual({ accessKeyId: "AKIDFILE", secretAccessKey: "file-secret", sessionToken: "t" });
    // The secrets read by name but do not show when inspected, serialised or spread.
    expect(inspect(credentials, { showHidden: true, getters: true })).not.toContain("file-secret");
    expect(JSON.stringify({ ...credentials })).toBe('{"accessKeyId":"AKIDFILE"}');
  });

  it("partial credentials name what is missing, as botocore does", async () => {
    const env = files("", "[p]\naws_access_key_id = AKIDFILE\n");
    await expect(fromAwsCliChain(await loadSharedConfig({ env, profile: "p" }))()).rejects.toThrow(
      new PartialCredentialsError("shared-credentials-file", "aws_secret_access_key"),
    );
    await expect(
      fromAwsCliChain(await loadSharedConfig({ env: { ...files(""), AWS_ACCESS_KEY_ID: "A" } }))(),
    ).rejects.toThrow("Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");
  });

  it("runs credential_process without a shell and reads its JSON", async () => {
    const script = join(dir, "creds.mjs");
    writeFileSync(
      script,
      `console.log(JSON.stringify({ Version: 1, AccessKeyId: "AKIDPROC", SecretAccessKey: process.argv[2], SessionToken: "s", Expiration: "2099-01-01T00:00:00Z" }));`,
    );
    const env = files(`[profile proc]\ncredential_process = "${process.execPath}" ${script} "proc secret"\n`);
    const credentials = await fromAwsCliChain(await loadSharedConfig({ env, profile: "proc" }))();
    expect(read(credentials)).toEqual({
      accessKeyId: "AKIDPROC",
      secretAccessKey: "proc secret",
      sessionToken: "s",
      expiration: new Date("2099-01-01T00:00:00Z"),
    });
  });

  it("a failing credential_process reports its stderr; a wrong Version is refused", async () => {
    const failing = join(dir, "fail.mjs");
    writeFileSync(failing, `process.stderr.write("no session"); process.exit(3);`);
    const env = files(
      `[profile f]\ncredential_process = ${process.execPath} ${failing}\n[profile v]\ncredential_process = ${process.execPath} -e "console.log(JSON.stringify({Version: 2}))"\n`,
    );
    await expect(fromAwsCliChain(await loadSharedConfig({ env, profile: "f" }))()).rejects.toThrow(
      new CredentialRetrievalError("custom-process", "no session"),
    );
    await expect(fromAwsCliChain(await loadSharedConfig({ env, profile: "v" }))()).rejects.toThrow(
      "Error when retrieving credentials from custom-process: Unsupported version '2' for credential process provider, supported versions: 1",
    );
  });

  it("assume role without @aws-sdk/credential-providers names the package; with it, delegates to fromIni", async () => {
    const env = files("[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n");
    const shared = await loadSharedConfig({ env, profile: "role" });
    const missing = fromAwsCliChain(shared, { importModule: () => Promise.reject(new Error("Cannot find package")) });
    await expect(missing()).rejects.toThrow(MissingOptionalPackageError);
    await expect(missing()).rejects.toThrow("npm install @aws-sdk/credential-providers");
    const calls: unknown[] = [];
    const present = fromAwsCliChain(shared, {
      importModule: async () => ({
        fromIni: (init: unknown) => {
          calls.push(init);
          return async () => ({ accessKeyId: "AKIDROLE", secretAccessKey: "role-secret" });
        },
      }),
    });
    expect(await present()).toEqual({ accessKeyId: "AKIDROLE", secretAccessKey: "role-secret" });
    expect(calls).toEqual([
      { profile: "role", filepath: join(dir, "credentials"), configFilepath: join(dir, "config") },
    ]);
  });

  it("a session token that would inject a header is refused, naming the variable, not quoting it", async () => {
    const env = { ...files(""), ...keys, AWS_SESSION_TOKEN: "tok\r\nX-Injected: 1" };
    const error = await fromAwsCliChain(await loadSharedConfig({ env }))().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(CredentialRetrievalError);
    expect((error as Error).message).toBe(
      "Error when retrieving credentials from env: AWS_SESSION_TOKEN holds characters that cannot be sent in an HTTP header",
    );
  });

  it("nothing anywhere: Unable to locate credentials", async () => {
    const env = { ...files(""), AWS_EC2_METADATA_DISABLED: "true" };
    await expect(fromAwsCliChain(await loadSharedConfig({ env }))()).rejects.toThrow(new NoCredentialsError());
  });

  it("shellSplit splits as Python's shlex.split", () => {
    expect(shellSplit(`/bin/x --a "b c" 'd e' f\\ g "h\\"i"`)).toEqual(["/bin/x", "--a", "b c", "d e", "f g", 'h"i']);
    expect(() => shellSplit(`x "open`)).toThrow("No closing quotation");
  });
});
