/**
 * Where the CLI sends its requests when no `--endpoint-url` says, compared with the installed AWS CLI v1 byte for
 * byte (harness: test/fixtures/cli/harness.ts): AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL, the
 * profile's `services` section and `endpoint_url`, and what turns them off. In each case the source that should win
 * names the emulator and the others a port where nothing listens, so a wrong choice shows as a failed connection.
 * Then the commands aws has no twin of (`audit`, `feedback`) and `--debug`, which names where the endpoint came from.
 */

import { writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { emulatorEnv } from "./fixtures/cli/env.ts";
import { type Case, compareWithAws, list, type Run } from "./fixtures/cli/harness.ts";

/** An http URL on 127.0.0.1 where nothing listens (a port the system gave out, then closed). */
async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let dead: string;
beforeAll(async () => {
  dead = await unusedUrl();
});

/**
 * A region whose endpoint does not resolve, and one attempt: where a run goes when configured endpoints are off,
 * without leaving the machine.
 */
const NOWHERE = { AWS_DEFAULT_REGION: "local-test-1", AWS_MAX_ATTEMPTS: "1" };

interface EndpointCase {
  title: string;
  /** Environment; EMULATOR and DEAD stand for the emulator's URL and one where nothing listens. */
  env?: Record<string, string>;
  /** The shared config file and the credentials file, with the same stand-ins. */
  config?: string;
  credentials?: string;
  /** With `--endpoint-url` (the emulator's). */
  endpointUrl?: true;
  expected?: (aws: Run) => Run;
}

/** The harness's case: the case's files written under the harness's directory, the stand-ins filled in. */
function endpointCase(c: EndpointCase, index: number): Case {
  return {
    title: c.title,
    args: list("--max-items", "1"),
    ...(c.endpointUrl === undefined && { endpointUrl: false }),
    ...(c.expected && { expected: c.expected }),
    setup: ({ url, dir }) => {
      const fill = (text: string) => text.replaceAll("EMULATOR", url).replaceAll("DEAD", dead);
      const config = join(dir, `endpoint-${index}.config`);
      const credentials = join(dir, `endpoint-${index}.credentials`);
      writeFileSync(config, fill(c.config ?? ""));
      writeFileSync(credentials, fill(c.credentials ?? ""));
      const env: Record<string, string> = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
      for (const [key, value] of Object.entries(c.env ?? {})) env[key] = fill(value);
      return env;
    },
  };
}

const services = (block: string) => `[services local]\n${block}\n`;
const ours = (block: string) => `cognito_identity_provider =\n  ${block}`;

const cases: EndpointCase[] = [
  { title: "AWS_ENDPOINT_URL", env: { AWS_ENDPOINT_URL: "EMULATOR" } },
  {
    title: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER over AWS_ENDPOINT_URL",
    env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "EMULATOR", AWS_ENDPOINT_URL: "DEAD" },
  },
  {
    title: "an empty AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER is no value",
    env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "", AWS_ENDPOINT_URL: "EMULATOR" },
  },
  {
    title: "--endpoint-url over the environment and the profile",
    endpointUrl: true,
    env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "DEAD", AWS_ENDPOINT_URL: "DEAD" },
    config: "[default]\nendpoint_url = DEAD\n",
  },
  {
    title: "the environment over the profile",
    env: { AWS_ENDPOINT_URL: "EMULATOR" },
    config: `[default]\nendpoint_url = DEAD\nservices = local\n${services(ours("endpoint_url = DEAD"))}`,
  },
  {
    title: "the profile's services section over its endpoint_url",
    config: `[default]\nendpoint_url = DEAD\nservices = local\n${services(ours("endpoint_url = EMULATOR"))}`,
  },
  {
    title: "a services section without this service: the profile's endpoint_url",
    config: `[default]\nendpoint_url = EMULATOR\nservices = local\n${services("s3 =\n  endpoint_url = DEAD")}`,
  },
  {
    title: "a services section's keys match as written: Endpoint_URL is not endpoint_url",
    config: `[default]\nendpoint_url = EMULATOR\nservices = local\n${services(ours("Endpoint_URL = DEAD"))}`,
  },
  {
    title: "the endpoint_url of AWS_PROFILE's profile",
    env: { AWS_PROFILE: "local" },
    config: "[default]\nendpoint_url = DEAD\n[profile local]\nendpoint_url = EMULATOR\n",
  },
  {
    title: "the credentials file's endpoint_url over the config file's",
    config: "[default]\nendpoint_url = DEAD\n",
    credentials: "[default]\nendpoint_url = EMULATOR\n",
  },
  {
    title: "a services section the config file lacks: botocore's error",
    config: "[default]\nendpoint_url = EMULATOR\nservices = elsewhere\n",
  },
  {
    title: "an empty services section is a missing one",
    config: `[default]\nendpoint_url = EMULATOR\nservices = local\n[services local]\n`,
  },
  {
    title: "an empty services setting names the section ''",
    config: "[default]\nendpoint_url = EMULATOR\nservices =\n",
  },
  {
    title: "a missing services section does not matter when the environment gives the endpoint",
    env: { AWS_ENDPOINT_URL: "EMULATOR" },
    config: "[default]\nservices = elsewhere\n",
  },
  {
    title: "--endpoint-url over a missing services section",
    endpointUrl: true,
    config: "[default]\nservices = elsewhere\n",
  },
  {
    title: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: the region's endpoint",
    env: { ...NOWHERE, AWS_ENDPOINT_URL: "DEAD", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
    config: "[default]\nendpoint_url = DEAD\nservices = elsewhere\n",
  },
  {
    title: "ignore_configured_endpoint_urls = TRUE in the profile (any case): the region's endpoint",
    env: { ...NOWHERE, AWS_ENDPOINT_URL: "DEAD" },
    config: "[default]\nignore_configured_endpoint_urls = TRUE\nendpoint_url = DEAD\n",
  },
  {
    title: "ignore_configured_endpoint_urls = yes is not true",
    config: "[default]\nignore_configured_endpoint_urls = yes\nendpoint_url = EMULATOR\n",
  },
  {
    title: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false over the profile's true",
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" },
    config: "[default]\nignore_configured_endpoint_urls = true\nendpoint_url = EMULATOR\n",
  },
  {
    title: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS set but empty is false, over the profile's true",
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "" },
    config: "[default]\nignore_configured_endpoint_urls = true\nendpoint_url = EMULATOR\n",
  },
  {
    title: "the credentials file's ignore_configured_endpoint_urls counts",
    env: NOWHERE,
    config: "[default]\nendpoint_url = DEAD\n",
    credentials: "[default]\nignore_configured_endpoint_urls = true\n",
  },
  {
    title: "--endpoint-url even when configured endpoints are ignored",
    endpointUrl: true,
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
  },
  {
    // Deliberate difference: aws does not say where the value came from.
    title: "a configured endpoint that is not a URL: the error names where it came from",
    env: { AWS_ENDPOINT_URL: "127.0.0.1:4566" },
    expected: (aws) => {
      expect(aws.stderr).toBe("\nInvalid endpoint: 127.0.0.1:4566\n");
      return {
        ...aws,
        stderr:
          '\nInvalid endpoint from AWS_ENDPOINT_URL: endpoint must be an absolute http(s) URL such as "http://127.0.0.1:9229"\n',
      };
    },
  },
];

compareWithAws("the endpoint configured outside the command line, as aws takes it", cases.map(endpointCase));

describe("audit, feedback and --debug take the configured endpoint", () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator({ users: 2, events: 3, seed: "endpoint" });
    dir = await mkdtemp(join(tmpdir(), "cae-endpoint-"));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function cli(args: string[], env: Record<string, string>, config = "") {
    await writeFile(join(dir, "config"), config.replaceAll("EMULATOR", emulator.url));
    const io = memoryIO({ env: { ...emulatorEnv(dir), ...env }, cwd: dir });
    const code = await runCli(args, io);
    return { code, stdout: io.out(), stderr: io.err() };
  }
  const pool = () => emulator.core.demo!.poolId;

  it("audit: AWS_ENDPOINT_URL", async () => {
    const run = await cli(["audit", "--user-pool-id", pool(), "--output", "summary-json"], {
      AWS_ENDPOINT_URL: emulator.url,
    });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(run.stdout) as { users: { audited: number } }).users.audited).toBe(2);
  });

  it("feedback: the profile's endpoint_url", async () => {
    const audit = await cli(
      ["audit", "--user-pool-id", pool(), "--output", "ndjson"],
      {},
      "[default]\nendpoint_url = EMULATOR\n",
    );
    expect(audit.code).toBe(0);
    await writeFile(join(dir, "events.ndjson"), audit.stdout);
    const run = await cli(
      ["feedback", "--user-pool-id", pool(), "--input", "events.ndjson", "--value", "Valid", "--output", "json"],
      {},
      "[default]\nendpoint_url = EMULATOR\n",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const events = audit.stdout.trimEnd().split("\n").length;
    expect(events).toBeGreaterThan(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ updated: events, failed: 0 });
  });

  it.each([
    ["--endpoint-url", { AWS_ENDPOINT_URL: "http://127.0.0.1:9" }, "", "from --endpoint-url"],
    ["AWS_ENDPOINT_URL", { AWS_ENDPOINT_URL: "EMULATOR" }, "", "from AWS_ENDPOINT_URL"],
    [
      "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
      { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "EMULATOR" },
      "",
      "from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    ],
    [
      "the services section",
      { AWS_PROFILE: "dev" },
      "[profile dev]\nservices = local\n[services local]\ncognito_identity_provider =\n  endpoint_url = EMULATOR\n",
      'from the services section "local" of profile dev',
    ],
    ["the profile's endpoint_url", {}, "[default]\nendpoint_url = EMULATOR\n", "from endpoint_url of profile default"],
  ])("--debug names the endpoint and where it came from: %s", async (source, env, config, says) => {
    const filled = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace("EMULATOR", emulator.url)]));
    const endpointUrl = source === "--endpoint-url" ? ["--endpoint-url", emulator.url] : [];
    for (const command of [
      ["list-users", "--user-pool-id", pool(), "--max-items", "1"],
      ["audit", "--user-pool-id", pool(), "--output", "summary-json"],
    ]) {
      const run = await cli(["--debug", ...command, ...endpointUrl], filled, config);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`, endpoint ${emulator.url}/ (${says}), profile `);
    }
  });

  it("--debug says when the configured endpoints are ignored", async () => {
    const run = await cli(["--debug", "list-users", "--user-pool-id", pool()], {
      ...NOWHERE,
      AWS_ENDPOINT_URL: emulator.url,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    });
    expect(run.code).toBe(255);
    expect(run.stderr).toContain(
      ", endpoint https://cognito-idp.local-test-1.amazonaws.com/ (the region's; configured endpoints ignored), ",
    );
  });
});
