/**
 * Runtime conformance, edge runtimes: Cloudflare's workerd (`workerd test`, no nodejs_compat, outbound fetch limited
 * to 127.0.0.0/8 by a network service) and Vercel's edge runtime (@edge-runtime/vm's EdgeVM). Each runs
 * runtime-tests/scenario.mjs against the emulator on loopback, bundled the way the platform's tooling bundles a
 * worker, on the packed tarball and on the TypeScript source, through the default entry and cognito-auth-events/lite.
 */
import { EdgeVM } from "@edge-runtime/vm";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectScenario } from "../runtime-tests/expect.ts";
import {
  assertOk,
  bundleFor,
  parseScenarioOutput,
  root,
  run,
  runtimeBinary,
  scenarioEmulator,
  workerdConfig,
  type ScenarioResult,
  useConsumerWorkspace,
} from "../runtime-tests/harness.ts";

const ws = useConsumerWorkspace();

/** Where runtime-tests/ is for a variant: the consumer's copy (imports resolve to the tarball) or the repository. */
const testsDir = (variant: "tarball" | "source") => join(variant === "tarball" ? ws.work : root, "runtime-tests");

const variants = [
  ["tarball", "default"],
  ["tarball", "lite"],
  ["source", "default"],
  ["source", "lite"],
] as const;

describe.each(variants)("workerd, %s, %s entry", (variant, entry) => {
  it("runs the scenario as a `workerd test` without nodejs_compat", async () => {
    const workerd = await runtimeBinary("workerd");
    const code = await bundleFor({
      entry: join(testsDir(variant), "workerd", "worker.mjs"),
      format: "esm",
      conditions: ["workerd", "worker", "browser"],
      source: variant === "source",
    });
    const em = await scenarioEmulator();
    const dir = mkdtempSync(join(ws.work, "workerd-"));
    try {
      writeFileSync(join(dir, "worker.js"), code);
      writeFileSync(
        join(dir, "config.capnp"),
        workerdConfig({ modules: ["worker.js"], bindings: { SCENARIO: JSON.stringify(em.config), ENTRY: entry } }),
      );
      const result = assertOk(
        await run(workerd, ["test", "--verbose", "config.capnp"], { cwd: dir, timeout: 60_000 }),
        "workerd test",
      );
      expect(result.stderr).toMatch(/\[ PASS \] main/);
      expectScenario(parseScenarioOutput(result.stdout + result.stderr), em, /^workerd$/, entry);
    } finally {
      await em.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(variants)("edge-runtime (EdgeVM), %s, %s entry", (variant, entry) => {
  it("runs the scenario in the edge runtime's VM", async () => {
    const code = await bundleFor({
      entry: join(testsDir(variant), "edge", "entry.mjs"),
      format: "iife",
      conditions: ["edge-light", "worker", "browser"],
      source: variant === "source",
    });
    const em = await scenarioEmulator();
    try {
      const vm = new EdgeVM();
      // The edge runtime has no Node globals: the bundle must not need them.
      expect(vm.evaluate<string>("[typeof process, typeof Buffer, typeof require].join()")).toBe(
        "undefined,undefined,undefined",
      );
      vm.evaluate(code);
      const runScenario =
        vm.evaluate<(config: string, entry: string) => Promise<string>>("globalThis.__caeRunScenario");
      const result = JSON.parse(await runScenario(JSON.stringify(em.config), entry)) as ScenarioResult;
      expectScenario(result, em, /^edge-runtime /, entry);
    } finally {
      await em.close();
    }
  });
});
