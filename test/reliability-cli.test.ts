/**
 * The CLI's share of the reliability suite, run in-process (runCli + memoryIO) against the emulator
 * over real HTTP, with the CLI's own transport:
 * - secrets: with a recognisable secret key and session token (environment, credentials file,
 *   credential_process), nothing on stdout or stderr shows either, with or without `--debug`, for
 *   successes, service errors, exhausted retries, network errors and credential failures;
 * - hostile input: `__proto__`/`constructor` keys in `--cli-input-json` are refused as the AWS CLI
 *   refuses them (and pollute nothing); hostile keys in answers print as nothing; control
 *   characters in values that reach headers fail cleanly.
 */

import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import {
  POOL,
  captureRequests,
  fastBackoff,
  httpTransport,
  type CapturedRequest,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

import {
  ACCESS_KEY_ID,
  CREDENTIALS,
  NEEDLES,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
} from "./fixtures/reliability/secrets.ts";

let t: Transport;
let dir: string;
let restoreRandom: () => void;
let captured: CapturedRequest[];

beforeAll(async () => {
  t = await httpTransport({ seed: "cli-secrets", users: 3, events: 12, credentials: [CREDENTIALS] });
  captured = captureRequests(t.core).captured;
  dir = await mkdtemp(join(tmpdir(), "cae-reliability-cli-"));
  restoreRandom = fastBackoff();
});
afterAll(async () => {
  restoreRandom();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  t.core.clearFaults();
  captured.length = 0;
});

/** An environment with no machine configuration: only what the test gives. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}
const ENV_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: SESSION_TOKEN,
};

async function cli(args: string[], environment: Record<string, string>) {
  const io = memoryIO({ env: environment, cwd: dir });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}
const list = (...extra: string[]) => [
  "admin-list-user-auth-events",
  "--endpoint-url",
  t.endpoint,
  "--user-pool-id",
  POOL,
  "--username",
  "alice",
  ...extra,
];

function expectNoSecret(label: string, text: string): void {
  for (const needle of NEEDLES) {
    const at = text.indexOf(needle);
    if (at >= 0)
      throw new Error(
        `${label}: a secret appears in ${JSON.stringify(text.slice(Math.max(0, at - 80), at + needle.length + 20))}`,
      );
  }
}

describe("CLI: secrets never in its output", () => {
  it.each([[[]], [["--debug"]]])(
    "a successful listing, %j: the debug output shows the exchange with credentials redacted",
    async (flags) => {
      const r = await cli([...list("--max-items", "3"), ...flags], env(ENV_CREDENTIALS));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).AuthEvents).toHaveLength(3);
      expectNoSecret("stdout", r.out);
      expectNoSecret("stderr", r.err);
      if (flags.length) {
        expect(r.err).toMatch(/authorization: \*\*\*/i);
        expect(r.err).toMatch(/x-amz-security-token: \*\*\*/i);
        expect(r.err).toContain("DEBUG AdminListUserAuthEvents request"); // the debug output is really there
      }
    },
  );

  const failures: Array<[string, () => void, () => string[], RegExp]> = [
    ["a service error", () => {}, () => list().map((a) => (a === "alice" ? "nobody" : a)), /UserNotFoundException/],
    [
      "exhausted retries (throttling)",
      () => void t.core.addFault({ kind: "throttle" }),
      () => list(),
      /TooManyRequestsException/,
    ],
    [
      "exhausted retries (HTTP 500)",
      () => void t.core.addFault({ kind: "http-500" }),
      () => list(),
      /InternalErrorException/,
    ],
    ["connection resets", () => void t.core.addFault({ kind: "reset" }), () => list(), /./],
    ["an HTML error page", () => void t.core.addFault({ kind: "html", status: 502 }), () => list(), /502/],
    ["a truncated answer", () => void t.core.addFault({ kind: "truncated-json" }), () => list(), /./],
    ["a rejected NextToken", () => {}, () => [...list(), "--starting-token", "bogus"], /InvalidParameterException/],
    ["a refused connection", () => {}, () => list().map((a) => (a === t.endpoint ? "http://127.0.0.1:9" : a)), /./],
  ];
  it.each(failures)("%s, with and without --debug: exit 255, no secret", async (_, inject, args, message) => {
    for (const flags of [[], ["--debug"]]) {
      t.core.clearFaults();
      inject();
      const r = await cli([...args(), ...flags], env(ENV_CREDENTIALS));
      expect(r.code).toBe(255);
      expect(r.err).toMatch(message);
      expectNoSecret(`stderr ${flags.join(" ")}`, r.err);
      expectNoSecret(`stdout ${flags.join(" ")}`, r.out);
    }
  });

  it("wrong credentials (signature mismatch, unknown token), with --debug: no secret", async () => {
    for (const extra of [
      { AWS_SECRET_ACCESS_KEY: `${SECRET_ACCESS_KEY}x` },
      { AWS_SESSION_TOKEN: `${SESSION_TOKEN}x` },
    ]) {
      const r = await cli([...list(), "--debug"], env({ ...ENV_CREDENTIALS, ...extra }));
      expect(r.code).toBe(255);
      expect(r.err).toMatch(/InvalidSignatureException|UnrecognizedClientException/);
      expectNoSecret("stderr", r.err);
    }
  });

  it("a session token with CR/LF in the environment: exit 255, nothing sent, no secret", async () => {
    for (const flags of [[], ["--debug"]]) {
      const r = await cli(
        [...list(), ...flags],
        env({ ...ENV_CREDENTIALS, AWS_SESSION_TOKEN: `${SESSION_TOKEN}\r\nX-Injected: 1` }),
      );
      expect(r.code).toBe(255);
      expectNoSecret(`stderr ${flags.join(" ")}`, r.err);
      expect(captured.some((c) => Object.keys(c.headers).some((h) => h.startsWith("x-injected")))).toBe(false);
    }
  });

  it("credentials from the shared credentials file, used and then broken: no secret", async () => {
    const file = join(dir, "credentials");
    await writeFile(
      file,
      `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\naws_session_token = ${SESSION_TOKEN}\n`,
    );
    const ok = await cli([...list("--max-items", "1"), "--debug"], env({ AWS_SHARED_CREDENTIALS_FILE: file }));
    expect(ok.code).toBe(0);
    expectNoSecret("stderr", ok.err);
    // A line the INI parser cannot read, holding the secret; a profile with a secret but no key id.
    for (const content of [
      `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\n${SECRET_ACCESS_KEY}\n`,
      `[default]\naws_secret_access_key = ${SECRET_ACCESS_KEY}\naws_session_token = ${SESSION_TOKEN}\n`,
      `[default\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET_ACCESS_KEY}\n`,
    ]) {
      await writeFile(file, content);
      const r = await cli([...list(), "--debug"], env({ AWS_SHARED_CREDENTIALS_FILE: file }));
      expect(r.code).toBe(255);
      expectNoSecret(`stderr for ${JSON.stringify(content.slice(0, 30))}`, r.err);
    }
  });

  it("credentials from credential_process, used and then malformed: no secret", async () => {
    const script = join(dir, "creds.cjs");
    const config = join(dir, "config");
    await writeFile(config, `[default]\ncredential_process = ${process.execPath} ${script}\n`);
    const good = JSON.stringify({
      Version: 1,
      AccessKeyId: ACCESS_KEY_ID,
      SecretAccessKey: SECRET_ACCESS_KEY,
      SessionToken: SESSION_TOKEN,
    });
    const outputs = [
      good,
      // Not JSON where the secret starts: a JSON.parse message would quote it.
      `{"Version": 1, "AccessKeyId": "${ACCESS_KEY_ID}", "SecretAccessKey": ${SECRET_ACCESS_KEY}, "SessionToken": "${SESSION_TOKEN}"}`,
      `{"Version": 2, "AccessKeyId": "${ACCESS_KEY_ID}", "SecretAccessKey": "${SECRET_ACCESS_KEY}", "SessionToken": "${SESSION_TOKEN}"}`,
      `{"Version": 1, "SecretAccessKey": "${SECRET_ACCESS_KEY}", "SessionToken": "${SESSION_TOKEN}"}`,
    ];
    for (const [i, output] of outputs.entries()) {
      await writeFile(script, `process.stdout.write(${JSON.stringify(output)});\n`);
      await chmod(script, 0o755);
      const r = await cli([...list("--max-items", "1"), "--debug"], env({ AWS_CONFIG_FILE: config }));
      expect(r.code).toBe(i === 0 ? 0 : 255);
      expectNoSecret(`credential_process output ${i}`, r.err + r.out);
    }
  });

  it("an endpoint URL with the secret as its password: refused without echoing it", async () => {
    const r = await cli(
      [...list(), "--debug"].map((a) =>
        a === t.endpoint
          ? `http://${ACCESS_KEY_ID}:${encodeURIComponent(SECRET_ACCESS_KEY)}@127.0.0.1:${new URL(t.endpoint).port}`
          : a,
      ),
      env(ENV_CREDENTIALS),
    );
    expect(r.code).toBe(255);
    expectNoSecret("stderr", r.err);
  });

  it("the leak check itself finds a secret where there is one", () => {
    expect(() => expectNoSecret("canary", `x ${SECRET_ACCESS_KEY.slice(0, 12)} y`)).toThrow(/canary/);
  });
});

describe("CLI: hostile input", () => {
  const pollutionFree = () => {
    expect(({} as Record<string, unknown>).MaxResults).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  };

  it.each([
    [
      '{"UserPoolId":"us-east-1_demoPlus","Username":"alice","__proto__":{"MaxResults":1}}',
      ['Unknown parameter in input: "__proto__"'],
    ],
    [
      '{"UserPoolId":"us-east-1_demoPlus","Username":"alice","constructor":{"prototype":{"x":1}}}',
      ['Unknown parameter in input: "constructor"'],
    ],
    ['{"UserPoolId":"us-east-1_demoPlus","Username":{"__proto__":"x"}}', ["Invalid type for parameter Username"]],
    [
      '{"__proto__":{"UserPoolId":"us-east-1_demoPlus","Username":"alice"}}',
      [
        'Missing required parameter in input: "UserPoolId"',
        'Missing required parameter in input: "Username"',
        'Unknown parameter in input: "__proto__"',
      ],
    ],
  ])(
    "--cli-input-json %s: refused as the AWS CLI refuses it, nothing sent, nothing polluted",
    async (json, messages) => {
      const r = await cli(
        ["admin-list-user-auth-events", "--endpoint-url", t.endpoint, "--cli-input-json", json],
        env(ENV_CREDENTIALS),
      );
      pollutionFree();
      expect(r.code).toBe(255);
      expect(r.err).toContain("Parameter validation failed:");
      for (const m of messages) expect(r.err).toContain(m);
      expect(captured).toHaveLength(0);
    },
  );

  it("--cli-input-json from a file with hostile keys in a nested list: refused, nothing polluted", async () => {
    const file = join(dir, "input.json");
    await writeFile(
      file,
      '{"UserPoolId":"us-east-1_demoPlus","AttributesToGet":["email",{"__proto__":{"polluted":1}}]}',
    );
    const r = await cli(
      ["list-users", "--endpoint-url", t.endpoint, "--cli-input-json", `file://${file}`],
      env(ENV_CREDENTIALS),
    );
    pollutionFree();
    expect(r.code).toBe(255);
    expect(r.err).toContain("Invalid type for parameter AttributesToGet[1]");
    expect(captured).toHaveLength(0);
  });

  it.each(["json", "text", "table", "ndjson", "csv"])(
    "prints an answer with __proto__/constructor keys as inert data (--output %s)",
    async (output) => {
      const body =
        '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"AuthEvents":[{"__proto__":{"polluted":1},"constructor":"x","EventId":"e1","CreationDate":1.7E9,"EventRisk":{"__proto__":{"RiskDecision":"Block"},"RiskLevel":"Low"}}]}';
      const io = memoryIO({
        env: env(ENV_CREDENTIALS),
        cwd: dir,
        fetch: (async () =>
          new Response(body, {
            status: 200,
            headers: { "content-type": "application/x-amz-json-1.1" },
          })) as typeof fetch,
      });
      const code = await runCli(
        ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "alice", "--output", output],
        io,
      );
      pollutionFree();
      expect(code).toBe(0);
      expect(io.out()).toContain("e1");
      expect(io.out()).not.toContain("Block");
      expect(io.out()).not.toContain("polluted");
    },
  );

  it("carries CR/LF in a parameter only inside the JSON body: the service refuses it, no header is injected", async () => {
    const r = await cli(
      list().map((a) => (a === "alice" ? "alice\r\nX-Injected: 1" : a)),
      env(ENV_CREDENTIALS),
    );
    expect(r.code).toBe(255);
    expect(r.err).toContain("InvalidParameterException");
    expect(captured.some((c) => Object.keys(c.headers).some((h) => h.startsWith("x-injected")))).toBe(false);
  });

  it("refuses a region with CR/LF with a message naming the region", async () => {
    const r = await cli([...list(), "--region", "us-east-1\r\nX-Injected: 1"], env(ENV_CREDENTIALS));
    expect(r.code).toBe(255);
    expect(r.err).toMatch(/region/i);
    expect(captured).toHaveLength(0);
  });
});
