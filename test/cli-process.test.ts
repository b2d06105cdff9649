/**
 * The CLI as a real process (`node --import tsx src/cli/main.ts`, what the bin runs): the README's
 * main job on the emulator (a table, then resumed with --starting-token), exit codes, Ctrl+C.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { emulatorEnv } from "./fixtures/cli/env.ts";

const root = new URL("..", import.meta.url).pathname;
let emulator: RunningEmulator;
let home: string;

/** The CLI's environment: the emulator's credentials and a temporary HOME, nothing of this machine's. */
const cliEnv = () => ({ PATH: process.env["PATH"], ...emulatorEnv(home) });

function run(
  args: string[],
  onStart?: (child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: cliEnv(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  onStart?.(child);
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

beforeAll(async () => {
  emulator = await startEmulator({
    seed: "cli-process",
    users: 3,
    events: 12,
    faults: [{ kind: "slow", username: "slowpoke", delayMs: 10_000 }],
  });
  home = mkdtempSync(join(tmpdir(), "cae-cli-process-"));
});
afterAll(async () => {
  await emulator?.close();
  rmSync(home, { recursive: true, force: true });
});

describe("cognito-auth-events as a process", () => {
  it("lists the demo user's events as a table, then resumes with --starting-token", async () => {
    const base = [
      "admin-list-user-auth-events",
      "--endpoint-url",
      emulator.url,
      "--user-pool-id",
      "us-east-1_demoPlus",
      "--username",
      "alice",
    ];
    const first = await run([...base, "--output", "table", "--max-items", "5"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^-+\n\|\s+AdminListUserAuthEvents\s+\|\n/);
    const token = /\|\s+NextToken\s*\|\s+(\S+)\s+\|/.exec(first.stdout)?.[1];
    expect(token).toMatch(/^eyJ/);
    const rest = await run([...base, "--output", "json", "--starting-token", token!]);
    expect(rest.code).toBe(0);
    const events = (JSON.parse(rest.stdout) as { AuthEvents: unknown[]; NextToken?: string }).AuthEvents;
    expect(events).toHaveLength(7);
  }, 20_000);

  it("exits 2 with the usage on a missing --username, 255 on a service error", async () => {
    const [usage, service] = await Promise.all([
      run(["admin-list-user-auth-events", "--user-pool-id", "us-east-1_demoPlus"]),
      run([
        "admin-list-user-auth-events",
        "--endpoint-url",
        emulator.url,
        "--user-pool-id",
        "us-east-1_demoPlus",
        "--username",
        "nobody",
      ]),
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/cognito-auth-events: error: the following arguments are required: --username\n$/);
    expect(service).toMatchObject({
      code: 255,
      stdout: "",
      stderr:
        "\nAn error occurred (UserNotFoundException) when calling the AdminListUserAuthEvents operation: User does not exist.\n",
    });
  }, 20_000);

  it("Ctrl+C during a call: a newline on stdout, exit 130", async () => {
    const result = await run(
      [
        "admin-list-user-auth-events",
        "--endpoint-url",
        emulator.url,
        "--user-pool-id",
        "us-east-1_demoPlus",
        "--username",
        "slowpoke",
      ],
      (child) => {
        // The emulator holds the answer 10 s: interrupt once the process has had time to send the request.
        setTimeout(() => child.kill("SIGINT"), 2500);
      },
    );
    expect(result).toMatchObject({ code: 130, stdout: "\n", stderr: "" });
  }, 20_000);
});

describe("a closed pipe", () => {
  it("`... | head -c 100` ends the CLI quietly instead of crashing on EPIPE", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    // Enough events that the output overflows the pipe's buffer after `head` has gone.
    const big = await startEmulator({ seed: "epipe", users: 1, events: 3000 });
    // Asynchronous: the emulator runs in this process and must keep answering.
    const result = await promisify(execFile)(
      "bash",
      [
        "-c",
        `node --import tsx src/cli/main.ts admin-list-user-auth-events --endpoint-url ${big.url} --user-pool-id us-east-1_demoPlus --username alice --output text | head -c 100 > /dev/null; echo "status=\${PIPESTATUS[0]}"`,
      ],
      {
        cwd: root,
        env: cliEnv(),
      },
    ).finally(() => big.close());
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.stdout.trim()).toBe("status=0");
  });
});
