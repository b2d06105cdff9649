/**
 * The drop-in promise, checked the way code moved from the AWS SDK meets it: small programs in the shapes real code
 * has (test/compat/*.mjs: module-level and injected clients, a Lambda handler, paginators, catch blocks by class and
 * by name, callbacks and the aggregated client, configuration from the environment or the shared files only, an MSW
 * test, aborts), each written against `@aws-sdk/client-cognito-identity-provider` and run twice under Node: as
 * written (the installed SDK), and with that import path replaced by `cognito-auth-events` (the packed tarball,
 * installed into a fresh project). Each run gets its own emulator with the same seed over HTTP on 127.0.0.1 (the
 * MSW program its own in-process one); their outputs and errors must be the same.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS, startEmulator } from "../src/emulator/index.ts";
import type { FaultRule } from "../src/emulator/types.ts";
import { packedPackage, root, run, runtimeBinary } from "../runtime-tests/harness.ts";
import { type StandIn, startStandIn } from "./fixtures/credentials/stand-in.ts";

const SDK = "@aws-sdk/client-cognito-identity-provider";
const programs = join(root, "test", "compat");
let work: string;

beforeAll(async () => {
  const packed = await packedPackage();
  // Inside the consumer project: `cognito-auth-events` and msw resolve to its node_modules (the tarball); the SDK
  // to the repository's, through a link in this folder's own node_modules.
  work = mkdtempSync(join(packed.consumer, "compat-"));
  mkdirSync(join(work, "node_modules", "@aws-sdk"), { recursive: true });
  symlinkSync(join(root, "node_modules", SDK), join(work, "node_modules", SDK), "dir");
  for (const variant of ["sdk", "ours"]) mkdirSync(join(work, variant));
  for (const name of readdirSync(programs).filter((f) => f.endsWith(".mjs"))) {
    const source = readFileSync(join(programs, name), "utf8");
    writeFileSync(join(work, "sdk", name), source);
    // The one difference: the import path.
    writeFileSync(join(work, "ours", name), source.replaceAll(`"${SDK}"`, '"cognito-auth-events"'));
  }
}, 300_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const POOL = "us-east-1_demoPlus";
const LITE_POOL = "us-east-1_demoLite";
const SLOW_POOL = "us-east-1_slow";

/**
 * How a program is configured: by the environment; by the shared files only; not at all; or with no keys anywhere,
 * the default chain finding temporary ones at a container credentials endpoint or an instance metadata service
 * (a local stand-in).
 */
type Setup = "env" | "files" | "none" | "container" | "imds";

interface Case {
  program: string;
  setup: Setup;
  faults?: FaultRule[];
}

/** The programs also run under Deno: the configuration and credential chain of its build (the `deno` condition). */
const DENO = [
  "module-client.mjs",
  "env-only.mjs",
  "catch-blocks.mjs",
  "callbacks.mjs",
  "no-region.mjs",
  "ecs-task.mjs",
];

const CASES: Case[] = [
  { program: "module-client.mjs", setup: "env" },
  { program: "injected-client.mjs", setup: "none" },
  { program: "lambda-handler.mjs", setup: "env" },
  { program: "paginators.mjs", setup: "env" },
  { program: "catch-blocks.mjs", setup: "env" },
  { program: "callbacks.mjs", setup: "env" },
  { program: "env-only.mjs", setup: "files" },
  { program: "no-region.mjs", setup: "none" },
  { program: "msw-test.mjs", setup: "none" },
  { program: "abort.mjs", setup: "env", faults: [{ kind: "slow", delayMs: 3_000, userPoolId: SLOW_POOL }] },
  { program: "ecs-task.mjs", setup: "container" },
  { program: "ecs-task.mjs", setup: "imds" },
];

/** The temporary credentials the stand-in serves as the task's (or instance's) role, which the emulator accepts. */
const ROLE = {
  accessKeyId: "ASIACOMPATROLE",
  secretAccessKey: "compat-role-secret",
  sessionToken: "compat-role-token",
  expiration: new Date(Date.now() + 3_600_000),
  accountId: "123456789012",
};

/**
 * Runs one variant of a program against its own emulator (and credentials stand-in), under Node or Deno; its parsed
 * output.
 */
async function runVariant(variant: "sdk" | "ours", c: Case, runtime: "node" | "deno" = "node"): Promise<unknown> {
  const emulator = await startEmulator({
    seed: "compat",
    credentials: [DEFAULT_CREDENTIALS, ROLE],
    ...(c.faults && { faults: c.faults }),
  });
  const standIn: StandIn | undefined =
    c.setup === "container" || c.setup === "imds" ? await startStandIn({ metadataCredentials: ROLE }) : undefined;
  const home = mkdtempSync(join(work, `home-${variant}-`));
  mkdirSync(join(home, ".aws"));
  try {
    const { accessKeyId, secretAccessKey } = DEFAULT_CREDENTIALS;
    const username = emulator.core.demo!.username;
    // Only what the case sets: no AWS_* from this process, no instance metadata lookups.
    const env: Record<string, string | undefined> = {
      PATH: process.env["PATH"],
      HOME: home,
      NODE_NO_WARNINGS: "1",
      // The AWS SDK's notice about its future Node versions (Deno's Node layer prints it despite NODE_NO_WARNINGS).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_EC2_METADATA_DISABLED: "true",
      COMPAT_POOL: POOL,
      COMPAT_LITE_POOL: LITE_POOL,
      COMPAT_SLOW_POOL: SLOW_POOL,
      COMPAT_USER: username,
      COMPAT_ENDPOINT: emulator.url,
      COMPAT_KEY: accessKeyId,
      COMPAT_SECRET: secretAccessKey,
    };
    if (c.setup === "env")
      Object.assign(env, {
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emulator.url,
      });
    if (c.setup === "container" || c.setup === "imds")
      Object.assign(env, {
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emulator.url,
        ...(c.setup === "container"
          ? { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${standIn!.url}/container/credentials` }
          : { AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: standIn!.url }),
      });
    if (c.setup === "files") {
      env["AWS_PROFILE"] = "compat";
      writeFileSync(
        join(home, ".aws", "config"),
        `[profile compat]\nregion = us-east-1\nmax_attempts = 4\nservices = local\n\n[services local]\ncognito_identity_provider =\n  endpoint_url = ${emulator.url}\n`,
      );
      writeFileSync(
        join(home, ".aws", "credentials"),
        `[compat]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`,
      );
    }
    const clean = Object.fromEntries(Object.entries(process.env).map(([key]) => [key, undefined]));
    const program = join(work, variant, c.program);
    const [command, args] =
      runtime === "node"
        ? [process.execPath, [program]]
        : [
            await runtimeBinary("deno"),
            ["run", "--quiet", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", program],
          ];
    const result = await run(command, args, { cwd: join(work, variant), env: { ...clean, ...env }, timeout: 60_000 });
    if (result.code !== 0)
      throw new Error(`${variant} ${c.program} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(result.stdout);
  } finally {
    await emulator.close();
    await standIn?.close();
  }
}

describe("programs written against the AWS SDK, run with it and with cognito-auth-events (only the import path differs)", () => {
  it.each(CASES)("$program ($setup)", async (c) => {
    const sdk = await runVariant("sdk", c);
    const ours = await runVariant("ours", c);
    expect(ours).toEqual(sdk);
  });

  it.each(CASES.filter((c) => DENO.includes(c.program)))(
    "$program ($setup) under Deno, from the same tarball, gives what the SDK gives under Node",
    async (c) => {
      const sdk = await runVariant("sdk", c);
      const ours = await runVariant("ours", c, "deno");
      expect(ours).toEqual(sdk);
    },
  );

  it("each program's copy differs from the SDK's in the import path only", () => {
    for (const { program } of CASES) {
      const sdk = readFileSync(join(work, "sdk", program), "utf8");
      const ours = readFileSync(join(work, "ours", program), "utf8");
      expect(ours).not.toContain(SDK);
      expect(ours).toBe(sdk.replaceAll(`"${SDK}"`, '"cognito-auth-events"'));
    }
    expect(
      readdirSync(programs)
        .filter((f) => f.endsWith(".mjs"))
        .sort(),
    ).toEqual([...new Set(CASES.map((c) => c.program))].sort());
  });
});
