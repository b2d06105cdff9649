/**
 * The same CLI under Deno (`deno run -A src/cli/main.ts`, on the source): a subset of cases,
 * each compared with the Node run of the same arguments (which test/cli-awscli-*.test.ts
 * compares with `aws`). Skipped when the `deno` devDependency is not installed.
 */

import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import type { EmulatorData } from "../src/emulator/types.ts";
import { makeCertificates, opensslAvailable, startHttpsEmulator } from "./fixtures/cli/tls.ts";
import { emulatorEnv } from "./fixtures/cli/env.ts";

const root = new URL("..", import.meta.url).pathname;
const deno = join(root, "node_modules", ".bin", "deno");
const denoAvailable = (() => {
  try {
    execFileSync(deno, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let emulator: RunningEmulator;
let home: string;
let env: Record<string, string>;

function runDeno(args: string[], denoFlags: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      deno,
      ["run", "-A", ...denoFlags, "src/cli/main.ts", ...args],
      { cwd: root, env: { ...env, PATH: process.env["PATH"] ?? "" }, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        resolve({ code: typeof code === "number" ? code : -1, stdout, stderr });
      },
    );
  });
}

async function runNode(args: string[]) {
  const io = memoryIO({ env, cwd: root, isTTY: false });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe.skipIf(!denoAvailable)("the CLI under Deno", () => {
  beforeAll(async () => {
    const data = JSON.parse(readFileSync(new URL("./fixtures/cli/data.json", import.meta.url), "utf8")) as EmulatorData;
    emulator = await startEmulator({ data });
    home = mkdtempSync(join(tmpdir(), "cae-cli-deno-"));
    env = { ...emulatorEnv(home), NO_COLOR: "1" };
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const zoe = (...args: string[]) => [
    "admin-list-user-auth-events",
    "--endpoint-url",
    emulator.url,
    "--user-pool-id",
    "us-east-1_cliTest",
    "--username",
    "zoë",
    ...args,
  ];

  it("prints json, text and table as under Node, resume tokens included", async () => {
    for (const args of [
      zoe("--max-items", "3"),
      zoe("--output", "text", "--page-size", "2"),
      zoe("--output", "table", "--max-items", "2"),
    ]) {
      const [underDeno, underNode] = await Promise.all([runDeno(args), runNode(args)]);
      expect(underDeno).toEqual(underNode);
      expect(underDeno.code).toBe(0);
    }
  }, 20_000);

  it("fails as under Node: a usage error (2) and a service error (255)", async () => {
    for (const args of [
      ["admin-list-user-auth-events", "--user-pool-id", "us-east-1_cliTest"],
      zoe().map((a) => (a === "zoë" ? "nobody" : a)),
    ]) {
      const [underDeno, underNode] = await Promise.all([runDeno(args), runNode(args)]);
      expect(underDeno).toEqual(underNode);
      expect(underDeno.code).toBeGreaterThan(0);
    }
  }, 20_000);

  it.skipIf(!opensslAvailable)(
    "TLS: --ca-bundle is honoured; --no-verify-ssl says how Deno skips verification",
    async () => {
      const https = await startHttpsEmulator(emulator.core, makeCertificates(home));
      try {
        const list = [
          "admin-list-user-auth-events",
          "--endpoint-url",
          https.url,
          "--user-pool-id",
          "us-east-1_cliTest",
          "--username",
          "zoë",
          "--max-items",
          "2",
        ];
        const [trusted, refused, insecure] = await Promise.all([
          runDeno([...list, "--ca-bundle", join(home, "ca.pem")]),
          runDeno([...list, "--no-verify-ssl"]),
          runDeno([...list, "--no-verify-ssl"], ["--unsafely-ignore-certificate-errors=127.0.0.1"]),
        ]);
        const underNode = await runNode([...list, "--ca-bundle", join(home, "ca.pem")]);
        expect(trusted).toEqual(underNode);
        expect(trusted.code).toBe(0);
        expect(refused.code).toBe(255);
        expect(refused.stderr).toMatch(
          /^\nSSL validation failed for https:\/\/127\.0\.0\.1:\d+\/ \[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: invalid peer certificate/,
        );
        expect(refused.stderr).toContain(
          "under Deno, --no-verify-ssl cannot switch verification off: run deno with --unsafely-ignore-certificate-errors=127.0.0.1",
        );
        expect(insecure.stdout).toBe(underNode.stdout);
        expect(insecure.code).toBe(0);
      } finally {
        await https.close();
      }
    },
    20_000,
  );
});
