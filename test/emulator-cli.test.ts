import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { invokedAs, memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { POOL, send } from "./fixtures/emulator/helpers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixturePath = fileURLToPath(new URL("./fixtures/emulator/small-data.json", import.meta.url));

/** Runs `emulator ARGV` in-process, stopped by the CLI's abort signal (Ctrl+C); `whileRunning` gets its stdout once it listens. */
async function run(argv: string[], whileRunning?: (stdout: string) => Promise<void>) {
  const stop = new AbortController();
  let stdout = "";
  const io = {
    ...memoryIO({ signal: stop.signal }),
    stdout: (text: string) => {
      stdout += text;
      if (whileRunning) void whileRunning(stdout).finally(() => stop.abort());
      else stop.abort();
    },
  };
  const code = await runCli(["emulator", ...argv], io);
  return { code, stdout, stderr: io.err() };
}

const urlOf = (stdout: string): string => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? "";

/** Spawns src/cli/main.ts (through tsx) and collects its output. */
function spawnCli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

describe("emulator command", () => {
  it("prints its URL, the demo pools, a demo username and the credentials, and serves them", async () => {
    let status = 0;
    const result = await run(["--users", "3", "--events", "4", "--seed", "cli"], async (stdout) => {
      const res = await send(urlOf(stdout), "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
      status = res.status;
      expect(((await res.json()) as { AuthEvents: unknown[] }).AuthEvents).toHaveLength(4);
    });
    expect(result.code).toBe(0);
    expect(status).toBe(200);
    expect(result.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain("demo pool (threat protection): us-east-1_demoPlus");
    expect(result.stdout).toContain("demo pool (no threat protection): us-east-1_demoLite");
    expect(result.stdout).toContain("demo username: alice");
    expect(result.stdout).toContain("AWS_ACCESS_KEY_ID=AKIDEMULATOR AWS_SECRET_ACCESS_KEY=emulator-secret");
    expect(result.stderr).toContain("SIGINT, stopped.");
  });

  it("serves a --data file and lists its pools", async () => {
    const result = await run(["--data", fixturePath, "--no-signature-check"], async (stdout) => {
      const res = await send(urlOf(stdout), "ListUsers", { UserPoolId: "eu-west-1_Fixture1" }, { unsigned: true });
      expect(res.status).toBe(200);
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("pools: eu-west-1_Fixture1, eu-west-1_Fixture2");
    expect(result.stdout).toContain("signature checking: off");
  });

  it("exits 2 with a clear message for bad arguments", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--users", "many"], /^cognito-auth-events emulator: error: argument --users: expected an integer/],
      [
        ["--port", "99999"],
        /^cognito-auth-events emulator: error: argument --port: expected an integer from 0 to 65535/,
      ],
      [["--bogus"], /^cognito-auth-events emulator: error: unrecognized arguments: --bogus\n/],
      [
        ["--data", "does-not-exist.json"],
        /^cognito-auth-events emulator: error: argument --data: cannot read does-not-exist\.json: ENOENT/,
      ],
      [["--data", fixturePath, "--seed", "1"], /--data: cannot be combined with --seed/],
      [["--region", "us-east-1"], /argument --region: not supported by emulator/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/\nusage: cognito-auth-events emulator \[--port N\].*\n$/);
    }
  });

  it("prints its help for --help and -h", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("NAME\n       emulator - Runs a local Cognito auth-events emulator");
      expect(result.stdout).toContain("       --no-signature-check\n");
    }
  });

  it("suggests this CLI first, then the AWS CLI, with the URL, pool and user it serves", async () => {
    const result = await run(["--users", "1", "--events", "1"]);
    const url = urlOf(result.stdout);
    const args = "admin-list-user-auth-events --user-pool-id us-east-1_demoPlus --username alice --max-items 5";
    expect(result.stdout).toContain(
      `Try, in another terminal:\n  export AWS_ENDPOINT_URL=${url} AWS_ACCESS_KEY_ID=AKIDEMULATOR AWS_SECRET_ACCESS_KEY=emulator-secret AWS_DEFAULT_REGION=us-east-1\n  cognito-auth-events ${args} --output table\nor with the AWS CLI:\n  aws cognito-idp ${args}\n`,
    );
  });

  it("says when its events happened, from the data it holds: seeded events end on 2024-12-31", async () => {
    const seeded = await run(["--users", "2", "--events", "3"]);
    expect(seeded.stdout).toMatch(/\n {2}events dated \d{4}-\d\d-\d\d to 2024-12-31 \(UTC\): pick audit --since/);
    expect((await run(["--users", "2", "--events", "0"])).stdout).toContain("\n  events: none\n");
    const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
    try {
      const file = join(dir, "dated.json");
      const event = (id: string, date: string) => ({ EventId: id, CreationDate: Date.parse(date) / 1000 });
      const user = (username: string, ...events: object[]) => ({ username, events });
      await writeFile(
        file,
        JSON.stringify({
          pools: [
            { id: "eu-west-1_A", users: [user("a", event("a1", "2021-03-04T10:00:00Z"), event("a2", "2021-06-01Z"))] },
            { id: "eu-west-1_B", users: [user("b"), user("c", event("c1", "2019-12-31T23:59:59Z"))] },
          ],
        }),
      );
      const loaded = await run(["--data", file]);
      expect(loaded.stdout).toContain("\n  events dated 2019-12-31 to 2021-06-01 (UTC): ");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 naming the bad member when the data file is invalid", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
    try {
      const file = join(dir, "bad.json");
      await writeFile(
        file,
        JSON.stringify({ pools: [{ id: "eu-west-1_A", users: [{ username: "x", events: [{}] }] }] }),
      );
      const result = await run(["--data", file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("data.pools[0].users[0].events[0].CreationDate");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("invokedAs: the command line the CLI suggests, as the user ran it", () => {
  it.each([
    [
      "the source, from the clone's root",
      { script: "/r/cae/src/cli/main.ts", cwd: "/r/cae", env: {} },
      "npx tsx src/cli/main.ts",
    ],
    [
      "the source, from elsewhere",
      { script: "/r/my cae/src/cli/main.ts", cwd: "/r", env: {} },
      "npx tsx 'my cae/src/cli/main.ts'",
    ],
    [
      "the installed bin",
      { script: "/p/node_modules/.bin/cognito-auth-events", cwd: "/p", env: {} },
      "cognito-auth-events",
    ],
    [
      "the bin under npx",
      { script: "/c/_npx/x/node_modules/.bin/cognito-auth-events", cwd: "/p", env: { npm_command: "exec" } },
      "npx cognito-auth-events",
    ],
    ["an embedding program", { script: undefined, cwd: "/p", env: {} }, "cognito-auth-events"],
  ])("%s", (_name, run, expected) => {
    expect(invokedAs(run)).toBe(expected);
  });
});

describe("src/cli/main.ts", () => {
  it("runs the emulator until SIGTERM, then stops cleanly; prints --version; refuses an unknown command with a usage error", async () => {
    const [emulator, version, other] = await Promise.all([
      spawnCli(["emulator", "--users", "1", "--events", "1"], (stdout, child) => {
        if (stdout.includes("Press Ctrl+C")) child.kill("SIGTERM");
      }),
      spawnCli(["--version"]),
      spawnCli(["list-events"]),
    ]);
    expect(emulator.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    // Run from the source, as on a clone: the suggested command line is one that works there when pasted.
    expect(emulator.stdout).toContain("\n  npx tsx src/cli/main.ts admin-list-user-auth-events --user-pool-id ");
    expect(emulator.stderr).toContain("SIGTERM, stopped.");
    expect(emulator.code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.code).toBe(0);
    expect(other.stderr).toContain("cognito-auth-events: error: argument command: Invalid choice");
    expect(other.code).toBe(2);
  });
});
