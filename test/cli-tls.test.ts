/**
 * `--no-verify-ssl`, `--ca-bundle`, `AWS_CA_BUNDLE` and `ca_bundle` against a real HTTPS server
 * (the emulator core behind a certificate for 127.0.0.1 signed by a throwaway CA, made with
 * `openssl`), each case run by the installed `aws` and by our CLI on a server of its own (so
 * that the handshakes each makes can be counted). Our output must be aws's, except for Python's
 * traces: the `(_ssl.c:NNNN)` source location after an SSL error, and the file, line and
 * urllib3 link around the InsecureRequestWarning.
 */

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sslReason } from "../src/cli/http.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { EmulatorCore, startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { AwsDriver, awsAvailable, type Run } from "./fixtures/cli/harness.ts";
import {
  makeCertificates,
  opensslAvailable,
  startHttpsEmulator,
  startStallingProxy,
  type TestServer,
} from "./fixtures/cli/tls.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";

interface Case {
  title: string;
  args: string[];
  env?: Record<string, string>;
  /**
   * The endpoint: the HTTPS emulator (default), `localhost` for it, the plain HTTP emulator as
   * `https://` (`http`) or as `http://` (`plain`), or a TLS handshake that hangs.
   */
  server?: "https" | "localhost" | "http" | "plain" | "stall";
  /** Compare the TLS handshakes the server saw fail (the attempts made). */
  countHandshakes?: boolean;
}

const WARNING =
  "InsecureRequestWarning: Unverified HTTPS request is being made to host '127.0.0.1'. Adding certificate verification is strongly advised.";
const LIST = ["admin-list-user-auth-events", "--user-pool-id", "us-east-1_demoPlus", "--username", "alice"];

const CASES: readonly Case[] = [
  {
    title: "without options the certificate is refused",
    args: [],
    env: { AWS_MAX_ATTEMPTS: "2" },
    countHandshakes: true,
  },
  { title: "--no-verify-ssl", args: ["--no-verify-ssl", "--max-items", "3", "--page-size", "2"] },
  { title: "--ca-bundle FILE, relative to the working directory", args: ["--ca-bundle", "ca.pem", "--max-items", "2"] },
  { title: "AWS_CA_BUNDLE", args: ["--max-items", "2"], env: { AWS_CA_BUNDLE: "ca.pem" } },
  { title: "ca_bundle in the profile", args: ["--max-items", "2"], env: { AWS_CONFIG_FILE: "CONFIG_CA" } },
  {
    title: "--ca-bundle wins over AWS_CA_BUNDLE",
    args: ["--ca-bundle", "ca.pem", "--max-items", "2"],
    env: { AWS_CA_BUNDLE: "missing.pem" },
  },
  {
    title: "a CA bundle that does not exist, on a plain HTTP endpoint",
    args: ["--ca-bundle", "missing.pem", "--max-items", "1"],
    server: "plain",
  },
  { title: "--ca-bundle naming no file", args: ["--ca-bundle", "missing.pem"], env: { AWS_MAX_ATTEMPTS: "1" } },
  {
    title: "a certificate for 127.0.0.1 reached as localhost",
    args: ["--ca-bundle", "ca.pem"],
    server: "localhost",
    env: { AWS_MAX_ATTEMPTS: "1" },
  },
  { title: "https:// to a plain HTTP server", args: [], server: "http", env: { AWS_MAX_ATTEMPTS: "1" } },
  {
    title: "a TLS handshake that never ends, with --cli-connect-timeout",
    args: ["--cli-connect-timeout", "1"],
    server: "stall",
    env: { AWS_MAX_ATTEMPTS: "1" },
  },
];

let dir: string;
let core: EmulatorCore;
let http: RunningEmulator;
let baseEnv: Record<string, string>;
let certificates: ReturnType<typeof makeCertificates>;
const servers: TestServer[] = [];
/** aws's run of each case, and the server it ran against. */
const recorded = new Map<string, { run: Run; server: TestServer }>();

async function serverFor(c: Case): Promise<{ server: TestServer; url: string }> {
  if (c.server === "http" || c.server === "plain") {
    const url = c.server === "plain" ? http.url : http.url.replace("http://", "https://");
    return { server: { url, port: http.port, failedHandshakes: 0, close: async () => {} }, url };
  }
  const https = await startHttpsEmulator(core, certificates);
  servers.push(https);
  if (c.server === "stall") {
    const proxy = await startStallingProxy(https.port, Infinity);
    servers.push(proxy);
    return { server: proxy, url: proxy.url };
  }
  return { server: https, url: c.server === "localhost" ? `https://localhost:${https.port}` : https.url };
}

function envFor(c: Case): Record<string, string> {
  const env = { ...baseEnv, ...c.env };
  // An absolute path: the in-process CLI's working directory is not the process's.
  if (env["AWS_CONFIG_FILE"] === "CONFIG_CA") env["AWS_CONFIG_FILE"] = join(dir, "config-ca");
  return env;
}

function runAws(driver: AwsDriver, c: Case, url: string): Promise<Run> {
  return driver.runArgs(["cognito-idp", ...LIST, ...c.args, "--endpoint-url", url], envFor(c), dir);
}

async function runOurs(c: Case, url: string): Promise<Run> {
  const io = memoryIO({ env: envFor(c), cwd: dir, isTTY: false });
  const code = await runCli([...LIST, ...c.args, "--endpoint-url", url], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** aws's output as ours should be: without Python's source locations and warning trimmings, the port as `PORT`. */
function awsExpected(run: Run, port: number): Run {
  const lines = run.stderr.split("\n");
  const stderr = lines
    .filter((line) => line !== "  warnings.warn(")
    .map((line) =>
      line.includes("InsecureRequestWarning: ")
        ? line.slice(line.indexOf("InsecureRequestWarning: ")).replace(/ See: https:\/\/urllib3\S*$/, "")
        : line,
    )
    .join("\n")
    .replace(/ \(_ssl\.c:\d+\)/g, "");
  return { code: run.code, stdout: run.stdout, stderr: stderr.replaceAll(`:${port}/`, ":PORT/") };
}

beforeAll(async () => {
  if (!opensslAvailable) return;
  dir = mkdtempSync(join(tmpdir(), "cae-cli-tls-"));
  certificates = makeCertificates(dir);
  writeFileSync(join(dir, "config-ca"), `[default]\nca_bundle = ${certificates.caFile}\n`);
  core = new EmulatorCore({});
  http = await startEmulator({ core });
  baseEnv = {
    PATH: process.env["PATH"] ?? "",
    LANG: process.env["LANG"] ?? "C.UTF-8",
    ...emulatorEnv(dir, NO_FILES),
    AWS_EC2_METADATA_DISABLED: "true",
  };
  if (!awsAvailable) return;
  // Two of awscli's drivers (one per core): see harness.ts; one test checks them against `aws` itself.
  const drivers = [new AwsDriver(), new AwsDriver()];
  let next = 0;
  const worker = async (driver: AwsDriver) => {
    while (next < CASES.length) {
      const c = CASES[next++]!;
      const { server, url } = await serverFor(c);
      recorded.set(c.title, { run: await runAws(driver, c, url), server });
    }
  };
  await Promise.all(drivers.map(worker)).finally(() => {
    for (const driver of drivers) driver.close();
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await http?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!opensslAvailable || !awsAvailable)("TLS options, compared with aws", () => {
  it("awscli's driver warns and fails as the aws executable does", async () => {
    const c = CASES[1]!;
    const { url } = await serverFor(c);
    const real = await new Promise<Run>((resolve) => {
      execFile(
        "aws",
        ["cognito-idp", ...LIST, ...c.args, "--endpoint-url", url],
        { env: envFor(c), cwd: dir, encoding: "utf8" },
        (error, stdout, stderr) => {
          const code = error ? (error as { code?: unknown }).code : 0;
          resolve({ code: typeof code === "number" ? code : -1, stdout, stderr });
        },
      );
    });
    expect(awsExpected(real, Number(new URL(url).port))).toEqual(
      awsExpected(recorded.get(c.title)!.run, recorded.get(c.title)!.server.port),
    );
  });

  for (const c of CASES) {
    it(`${c.title}: as aws`, async () => {
      const aws = recorded.get(c.title)!;
      const { server, url } = await serverFor(c);
      const ours = await runOurs(c, url);
      const port = server.port;
      expect({ ...ours, stderr: ours.stderr.replaceAll(`:${port}/`, ":PORT/") }).toEqual(
        awsExpected(aws.run, aws.server.port),
      );
      // The same number of attempts (aws retries a refused certificate like any connection error);
      // the server hears of the client's refusal a moment after the client gives up.
      if (c.countHandshakes) await vi.waitFor(() => expect(server.failedHandshakes).toBe(aws.server.failedHandshakes));
    });
  }
});

describe.skipIf(!opensslAvailable)("TLS options", () => {
  const run = async (c: Case) => runOurs(c, (await serverFor(c)).url);

  it("refuses an unknown CA with exit 255 and the AWS CLI's SSL wording, after the usual attempts", async () => {
    const c = CASES[0]!;
    const { server, url } = await serverFor(c);
    const result = await runOurs(c, url);
    expect(result).toEqual({
      code: 255,
      stdout: "",
      stderr: `\nSSL validation failed for ${url}/ [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate\n`,
    });
    await vi.waitFor(() => expect(server.failedHandshakes).toBe(2));
  });

  it("--no-verify-ssl lists the events, with one InsecureRequestWarning per HTTPS request", async () => {
    const result = await run(CASES[1]!);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { AuthEvents: unknown[] }).AuthEvents).toHaveLength(3);
    expect(result.stderr).toBe(`${WARNING}\n${WARNING}\n`);
  });

  it.each([
    ["--ca-bundle", CASES[2]!],
    ["AWS_CA_BUNDLE", CASES[3]!],
    ["ca_bundle in the profile", CASES[4]!],
    ["--ca-bundle over AWS_CA_BUNDLE", CASES[5]!],
  ])("%s: the certificate is verified against that CA", async (_, c) => {
    const result = await run(c);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(result.stdout) as { AuthEvents: unknown[] }).AuthEvents).toHaveLength(2);
  });

  it("a CA bundle that does not exist fails each HTTPS request as botocore's does, and is not needed for HTTP", async () => {
    const c = CASES.find((x) => x.title === "--ca-bundle naming no file")!;
    const { url } = await serverFor(c);
    expect(await runOurs(c, url)).toEqual({
      code: 255,
      stdout: "",
      stderr: `\nSSL validation failed for ${url}/ [Errno 2] No such file or directory\n`,
    });
    expect((await run(CASES.find((x) => x.server === "plain")!)).code).toBe(0);
  });

  it.each([
    [
      Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate",
    ],
    [
      Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }),
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired",
    ],
    [
      Object.assign(new Error("x"), {
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
        host: "h.example",
        cert: { subjectaltname: "DNS:a.example, IP Address:10.0.0.1" },
      }),
      "hostname 'h.example' doesn't match either of 'a.example', '10.0.0.1'",
    ],
    [
      Object.assign(
        new Error(
          "write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:",
        ),
        { code: "EPROTO" },
      ),
      "[SSL: WRONG_VERSION_NUMBER] wrong version number",
    ],
  ])("sslReason words %s as Python's ssl module does", (error, reason) => {
    expect(sslReason(error)).toBe(reason);
  });
});
