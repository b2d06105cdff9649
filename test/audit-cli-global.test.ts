/**
 * `audit` through the CLI's front door (runCli), with the global options before or after the
 * command: `--output summary` (which the operations' `--output` refuses), `--region`,
 * `--profile`, `--endpoint-url`, `--debug`, `--cli-read-timeout`, `--cli-connect-timeout`,
 * `--no-verify-ssl`, `--ca-bundle`: each honoured through the CLI's own transport and settings
 * chain (the global fetch could do neither the timeouts nor the TLS options).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { buildAuditData } from "../bench/audit/data.ts";
import {
  makeCertificates,
  opensslAvailable,
  startHttpsEmulator,
  startStallingProxy,
  type Certificates,
  type TestServer,
} from "./fixtures/cli/tls.ts";
import { emulatorEnv } from "./fixtures/cli/env.ts";

const withoutRegion = ({ AWS_DEFAULT_REGION: _, ...rest }: ReturnType<typeof emulatorEnv>) => rest;

const POOL = "eu-west-1_auditGlobal";
// Small: every test reads the whole pool.
const data = buildAuditData({ users: 12, maxEvents: 15, seed: 6, poolId: POOL });
const total = data.pools[0]!.users!.reduce((n, u) => n + (u.events?.length ?? 0), 0);
const slowUser = data.pools[0]!.users!.find((u) => (u.events?.length ?? 0) > 0)!.username;
const WARNING =
  "InsecureRequestWarning: Unverified HTTPS request is being made to host '127.0.0.1'. Adding certificate verification is strongly advised.\n";

let emulator: RunningEmulator;
let dir: string;
let certificates: Certificates | undefined;
let https: TestServer | undefined;

beforeAll(async () => {
  // Signatures must be scoped to eu-west-1: a region that is not honoured fails the call.
  emulator = await startEmulator({ data, signingRegion: "eu-west-1" });
  dir = await mkdtemp(join(tmpdir(), "cae-audit-global-"));
  await writeFile(join(dir, "config"), "[profile audit]\nregion = eu-west-1\n");
  await writeFile(
    join(dir, "credentials"),
    "[audit]\naws_access_key_id = AKIDEMULATOR\naws_secret_access_key = emulator-secret\n",
  );
  if (opensslAvailable) {
    certificates = makeCertificates(dir);
    https = await startHttpsEmulator(emulator.core, certificates);
  }
});
afterAll(async () => {
  await https?.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** runCli with the emulator's keys in the environment and no region (the tests give it). */
async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIO({
    env: {
      // No AWS_DEFAULT_REGION: these tests give the region themselves.
      ...withoutRegion(emulatorEnv(dir)),
      ...env,
    },
    cwd: dir,
  });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
const audit = (...more: string[]) => ["audit", "--user-pool-id", POOL, "--max-rps", "2000", ...more];
const lines = (stdout: string) => stdout.split("\n").filter((l) => l !== "");

describe("audit with the global options", () => {
  it("--output summary and summary-json pass the global parser, before or after the command", async () => {
    const after = await cli(["--region", "eu-west-1", ...audit("--endpoint-url", emulator.url, "--output", "summary")]);
    expect(after).toMatchObject({ code: 0, stderr: "" });
    expect(after.stdout).toContain("Users audited: 12");
    const before = await cli([
      "--output",
      "summary-json",
      "--endpoint-url",
      emulator.url,
      "--region",
      "eu-west-1",
      ...audit(),
    ]);
    expect(before.code).toBe(0);
    expect((JSON.parse(before.stdout) as { events: number }).events).toBe(total);
  });

  it("--region after the command is the signing region; without one the audit says so", async () => {
    const signed = await cli(audit("--endpoint-url", emulator.url, "--region", "eu-west-1"));
    expect(signed.code).toBe(0);
    expect(lines(signed.stdout)).toHaveLength(total);
    const other = await cli(audit("--endpoint-url", emulator.url, "--region", "us-east-1"));
    expect(other.code).toBe(255);
    expect(other.stderr).toMatch(/^\nAn error occurred \(\w+\) when calling the ListUsers operation/);
    const none = await cli(audit("--endpoint-url", emulator.url));
    expect(none).toEqual({
      code: 255,
      stdout: "",
      stderr:
        "You must specify a region: give --region, set AWS_REGION (or AWS_DEFAULT_REGION), or add region = ... to the profile in ~/.aws/config.\n",
    });
  });

  it("--profile, before or after the command, gives the credentials and the region (even a profile named audit)", async () => {
    const keyless = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" };
    for (const args of [
      ["--profile", "audit", ...audit("--endpoint-url", emulator.url)],
      audit("--endpoint-url", emulator.url, "--profile", "audit"),
    ]) {
      const run = await cli(args, keyless);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(lines(run.stdout)).toHaveLength(total);
    }
    expect(await cli(audit("--endpoint-url", emulator.url, "--profile", "nope"))).toEqual({
      code: 255,
      stdout: "",
      stderr: "\nThe config profile (nope) could not be found\n",
    });
    const anonymous = await cli(audit("--endpoint-url", emulator.url, "--region", "eu-west-1"), keyless);
    expect(anonymous.code).toBe(255);
    expect(anonymous.stderr).toBe(
      "\nUnable to locate credentials. Give them in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), choose a profile with --profile (or AWS_PROFILE), or add them to ~/.aws/credentials.\n",
    );
  });

  it("--debug logs every request and response, Authorization redacted and no secret", async () => {
    const run = await cli([
      "--debug",
      ...audit("--endpoint-url", emulator.url, "--region", "eu-west-1", "--output", "summary-json"),
    ]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { events: number }).events).toBe(total);
    expect(run.stderr).toContain(`DEBUG cognito-auth-events `);
    expect(run.stderr).toContain(
      `: audit, region eu-west-1, endpoint ${emulator.url}/ (from --endpoint-url), profile default, TLS verified\n`,
    );
    expect(run.stderr).toContain(`DEBUG ListUsers request: POST ${emulator.url}/\n`);
    expect(run.stderr).toContain("DEBUG AdminListUserAuthEvents response: HTTP 200\n");
    expect(run.stderr).toMatch(/^ {4}authorization: \*\*\*$/m);
    expect(run.stderr).not.toContain("emulator-secret");
    expect(run.stderr).not.toMatch(/Signature=/);
  });

  it("--cli-read-timeout: a response slower than that is abandoned and asked again", async () => {
    const remove = emulator.core.addFault({
      kind: "slow",
      operation: "AdminListUserAuthEvents",
      username: slowUser,
      delayMs: 5000,
      times: 1,
    });
    try {
      const run = await cli(
        audit("--endpoint-url", emulator.url, "--region", "eu-west-1", "--cli-read-timeout", "1", "--debug"),
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `DEBUG AdminListUserAuthEvents request: POST ${emulator.url}/ failed: Read timeout on endpoint URL: "${emulator.url}/"\n`,
      );
      expect(lines(run.stdout)).toHaveLength(total);
    } finally {
      remove();
    }
  });

  it("global options it has no use for are refused with the usage (exit 2)", async () => {
    for (const [flag, ...value] of [
      ["--query", "x"],
      ["--color", "on"],
      ["--no-paginate"],
      ["--cli-timestamp-format", "iso8601"],
      ["--no-sign-request"],
    ]) {
      const run = await cli(audit("--region", "eu-west-1", flag!, ...value));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`cognito-auth-events audit: error: argument ${flag}: not supported by audit\n`);
    }
    const bad = await cli(audit("--region", "eu-west-1", "--cli-read-timeout", "soon"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "cognito-auth-events audit: error: argument --cli-read-timeout: invalid int value: 'soon'\n",
    );
    const format = await cli(["--output", "table", ...audit()]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      "argument --output: invalid choice: 'table' (choose from ndjson, csv, json, ocsf, summary, summary-json, html, last-sign-in, last-sign-in-ndjson, last-sign-in-csv)",
    );
  });
});

describe.skipIf(!opensslAvailable)("audit over HTTPS", () => {
  it("refuses a certificate it cannot verify, with the AWS CLI's words", async () => {
    const run = await cli(audit("--endpoint-url", https!.url, "--region", "eu-west-1"));
    expect(run.code).toBe(255);
    expect(run.stderr).toMatch(
      new RegExp(
        `^\\nSSL validation failed for ${https!.url}/ \\[SSL: CERTIFICATE_VERIFY_FAILED\\] certificate verify failed: unable to get local issuer certificate\\n`,
      ),
    );
  });

  it("--no-verify-ssl: the whole pool, and the InsecureRequestWarning once (not once per request)", async () => {
    const run = await cli(audit("--endpoint-url", https!.url, "--region", "eu-west-1", "--no-verify-ssl"));
    expect(run).toMatchObject({ code: 0, stderr: WARNING });
    expect(lines(run.stdout)).toHaveLength(total);
  });

  it("--ca-bundle, AWS_CA_BUNDLE, ca_bundle: verified against that CA", async () => {
    const profile = join(dir, "config-ca");
    await writeFile(profile, `[default]\nca_bundle = ${certificates!.caFile}\n`);
    for (const [args, env] of [
      [["--ca-bundle", "ca.pem", ...audit()], {}],
      [audit(), { AWS_CA_BUNDLE: certificates!.caFile }],
      [audit(), { AWS_CONFIG_FILE: profile }],
    ] as const) {
      const run = await cli([...args, "--endpoint-url", https!.url, "--region", "eu-west-1"], env);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(lines(run.stdout)).toHaveLength(total);
    }
  });

  it("--cli-connect-timeout: a TLS handshake that hangs is abandoned and tried again", async () => {
    const proxy = await startStallingProxy(https!.port, 1);
    try {
      const run = await cli([
        "--cli-connect-timeout",
        "1",
        ...audit("--endpoint-url", proxy.url, "--region", "eu-west-1", "--ca-bundle", certificates!.caFile, "--debug"),
      ]);
      expect(run.code).toBe(0);
      // botocore's words for a handshake cut by the connect timeout (see http.ts).
      expect(run.stderr).toContain(
        `DEBUG ListUsers request: POST ${proxy.url}/ failed: Read timeout on endpoint URL: "${proxy.url}/"\n`,
      );
      expect(lines(run.stdout)).toHaveLength(total);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });
});
