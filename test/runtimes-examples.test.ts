/**
 * The examples, run as a user would run them, with the packed tarball installed in a fresh project and the emulator
 * on loopback: examples/node-esm (Node 20), examples/deno-script (Deno, `npm:` specifier served from node_modules),
 * examples/cloudflare-worker (workerd) and examples/vercel-edge (EdgeVM). The TypeScript ones are type-checked
 * against the package's published .d.ts.
 */
import { EdgeVM } from "@edge-runtime/vm";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  assertOk,
  bundleFor,
  parseScenarioOutput,
  root,
  run,
  runtimeBinary,
  scenarioEmulator,
  workerdConfig,
  type ScenarioEmulator,
  useConsumerWorkspace,
} from "../runtime-tests/harness.ts";

const ws = useConsumerWorkspace();

const examples = () => join(ws.work, "examples");

/** The AWS_* environment an example reads, pointed at the emulator. */
function awsEnv(em: ScenarioEmulator): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: em.config.accessKeyId,
    AWS_SECRET_ACCESS_KEY: em.config.secretAccessKey,
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    COGNITO_ENDPOINT: em.config.endpoint,
  };
}

async function withEmulator(fn: (em: ScenarioEmulator) => Promise<void>): Promise<void> {
  const em = await scenarioEmulator();
  try {
    await fn(em);
  } finally {
    await em.close();
  }
}

describe("examples/node-esm", () => {
  it("prints every event of the user as JSON lines, newest first", async () => {
    await withEmulator(async (em) => {
      const result = assertOk(
        await run(process.execPath, ["list-events.mjs", em.config.userPoolId, em.config.username], {
          cwd: join(examples(), "node-esm"),
          env: awsEnv(em),
        }),
        "node list-events.mjs",
      );
      const lines = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { EventId: string; CreationDate: string });
      expect(lines.map((l) => l.EventId)).toEqual(em.expectedIds);
      expect(lines[0]?.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    });
  });

  it("exits 1 with a message for an unknown user", async () => {
    await withEmulator(async (em) => {
      const result = await run(process.execPath, ["list-events.mjs", em.config.userPoolId, "no-such-user"], {
        cwd: join(examples(), "node-esm"),
        env: awsEnv(em),
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`No user no-such-user in ${em.config.userPoolId}`);
      expect(result.stdout).toBe("");
    });
  });
});

describe("examples/deno-script", () => {
  it("type-checks against the installed package", async () => {
    const deno = await runtimeBinary("deno");
    const result = await run(deno, ["check", "--quiet", "--node-modules-dir=manual", "main.ts"], {
      cwd: join(examples(), "deno-script"),
      timeout: 120_000,
    });
    expect(result.stderr + result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("prints a table of the user's latest 20 sign-ins", async () => {
    const deno = await runtimeBinary("deno");
    await withEmulator(async (em) => {
      // --node-modules-dir=manual serves the `npm:cognito-auth-events` import from the consumer's node_modules (the
      // tarball) instead of the registry.
      const result = assertOk(
        await run(
          deno,
          [
            "run",
            "--quiet",
            "--node-modules-dir=manual",
            "--allow-net=127.0.0.1",
            "--allow-env",
            "main.ts",
            em.config.userPoolId,
            em.config.username,
          ],
          {
            cwd: join(examples(), "deno-script"),
            env: awsEnv(em),
            timeout: 60_000,
          },
        ),
        "deno run main.ts",
      );
      const signIns = (em.emulator.core.getEvents(em.config.userPoolId, em.config.username) ?? []).filter(
        (e) => e.EventType === "SignIn",
      );
      const rows = result.stdout.split("\n").filter((line) => /^│\s+\d+\s+│/.test(line));
      expect(rows).toHaveLength(Math.min(20, signIns.length));
      expect(rows[0]).toMatch(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/);
    });
  });
});

describe("examples/cloudflare-worker", () => {
  it("answers with the user's events, 404 for an unknown user and 400 without a username, in workerd", async () => {
    const workerd = await runtimeBinary("workerd");
    const code = await bundleFor({
      entry: join(ws.work, "runtime-tests", "workerd", "example.test.mjs"),
      format: "esm",
      conditions: ["workerd", "worker", "browser"],
    });
    await withEmulator(async (em) => {
      const dir = mkdtempSync(join(ws.work, "workerd-example-"));
      writeFileSync(join(dir, "worker.js"), code);
      const env = awsEnv(em);
      const bindings = {
        AWS_REGION: env.AWS_REGION!,
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID!,
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY!,
        COGNITO_ENDPOINT: env.COGNITO_ENDPOINT!,
        USER_POOL_ID: em.config.userPoolId,
        USERNAME: em.config.username,
      };
      writeFileSync(join(dir, "config.capnp"), workerdConfig({ modules: ["worker.js"], bindings }));
      const result = assertOk(
        await run(workerd, ["test", "config.capnp"], { cwd: dir, timeout: 60_000 }),
        "workerd test",
      );
      const out = parseScenarioOutput<
        Record<
          string,
          { status: number; type: string; body: { blocked?: boolean; events?: { EventId: string }[]; error?: string } }
        >
      >(result.stdout + result.stderr);
      expect(out.found?.status).toBe(200);
      expect(out.found?.type).toMatch(/^application\/json/);
      expect(out.found?.body.events?.map((e) => e.EventId)).toEqual(em.expectedIds.slice(0, 50));
      const latest = em.emulator.core.getEvents(em.config.userPoolId, em.config.username)?.[0];
      expect(out.found?.body.blocked).toBe(latest?.EventRisk?.RiskDecision === "Block");
      expect(out.notFound).toMatchObject({ status: 404, body: { error: "no such user" } });
      expect(out.noUsername).toMatchObject({ status: 400, body: { error: "?username= is required" } });
    });
  });
});

describe("examples/vercel-edge", () => {
  it("answers with the latest event and its risk in the edge runtime, 404 for an unknown user", async () => {
    const code = await bundleFor({
      entry: join(ws.work, "runtime-tests", "edge", "example.mjs"),
      format: "iife",
      conditions: ["edge-light", "worker", "browser"],
    });
    await withEmulator(async (em) => {
      // Vercel's edge runtime exposes the project's environment variables as process.env, and nothing else of process.
      const env = { ...awsEnv(em), USER_POOL_ID: em.config.userPoolId };
      const vm = new EdgeVM({ extend: (context) => Object.assign(context, { process: { env } }) });
      vm.evaluate(code);
      const example = vm.evaluate<{ handler: (request: Request) => Promise<Response>; config: { runtime: string } }>(
        "globalThis.__caeExample",
      );
      expect(example.config).toEqual({ runtime: "edge" });
      const call = async (query: string) => {
        const request = vm.evaluate<(url: string) => Request>("(url) => new Request(url)")(
          `https://app.example/api/latest-sign-in${query}`,
        );
        const response = await example.handler(request);
        return {
          status: response.status,
          body: (await response.json()) as {
            latest?: { EventId: string } | null;
            risk?: string | null;
            error?: string;
          },
        };
      };
      const found = await call(`?username=${encodeURIComponent(em.config.username)}`);
      expect(found.status).toBe(200);
      const latest = em.emulator.core.getEvents(em.config.userPoolId, em.config.username)?.[0];
      expect(found.body.latest?.EventId).toBe(latest?.EventId);
      expect(found.body.risk).toBe(latest?.EventRisk?.RiskDecision ?? null);
      expect(await call("?username=no-such-user")).toEqual({ status: 404, body: { error: "no such user" } });
    });
  });
});

describe("TypeScript examples", () => {
  // skipLibCheck: the declarations themselves are checked by attw (test/package.test.ts); this checks the examples.
  it("type-check (strict) against the installed package's declarations", async () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const files = ["examples/cloudflare-worker/src/index.ts", "examples/vercel-edge/api/latest-sign-in.ts"];
    const result = await run(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--skipLibCheck",
        "--strict",
        "--target",
        "es2022",
        "--module",
        "esnext",
        "--moduleResolution",
        "bundler",
        "--lib",
        "es2022,dom",
        "--types",
        "node",
        "--typeRoots",
        join(root, "node_modules", "@types"),
        ...files,
      ],
      { cwd: ws.work, timeout: 120_000 },
    );
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});
