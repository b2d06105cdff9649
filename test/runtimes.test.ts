/**
 * Runtime conformance, process runtimes: Node 20 (the machine's), Deno and Bun (npm devDependencies) each run
 * runtime-tests/scenario.mjs against the emulator on loopback, on the packed tarball installed in a fresh project,
 * and (Deno, Bun, Node via vitest) on the TypeScript source. A missing runtime binary fails; nothing is skipped.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as source from "../src/index.ts";
import * as liteSource from "../src/lite/index.ts";
import { expectScenario } from "../runtime-tests/expect.ts";
import {
  assertOk,
  parseScenarioOutput,
  pkgJson,
  root,
  run,
  runtimeBinary,
  runtimeVersion,
  scenarioEmulator,
  type RuntimeName,
  useConsumerWorkspace,
} from "../runtime-tests/harness.ts";
import { runScenario } from "../runtime-tests/scenario.mjs";

const ws = useConsumerWorkspace();

/** The package's entries the scenario runs through: the default one and cognito-auth-events/lite. */
const ENTRIES = ["default", "lite"] as const;
type Entry = (typeof ENTRIES)[number];

/** Runs the npm-build scenario script (runtime-tests/npm/run.mjs) with `command args...` in the consumer. */
async function runFromTarball(command: string, args: string[], runtime: RegExp, entry: Entry): Promise<void> {
  const em = await scenarioEmulator();
  try {
    const result = assertOk(
      await run(
        command,
        [...args, join(ws.work, "runtime-tests", "npm", "run.mjs"), JSON.stringify(em.config), entry],
        { cwd: join(ws.work, "runtime-tests", "npm"), timeout: 60_000 },
      ),
      command,
    );
    expectScenario(parseScenarioOutput(result.stdout), em, runtime, entry);
  } finally {
    await em.close();
  }
}

describe("runtime binaries from the npm registry", () => {
  it.each(["deno", "bun", "workerd"] as RuntimeName[])(
    "%s is installed at the pinned devDependency version",
    async (name) => {
      const pinned = pkgJson.devDependencies[name]!;
      const version = await runtimeVersion(name);
      // workerd prints its compatibility date (workerd 2026-10-23) for version 1.20261023.x.
      const expected = name === "workerd" ? pinned.replace(/^1\.(\d{4})(\d{2})(\d{2})\.\d+$/, "$1-$2-$3") : pinned;
      expect(version).toContain(expected);
    },
  );
});

describe("Node 20", () => {
  it.each(ENTRIES)("runs the scenario on the packed tarball, %s entry", async (entry) => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(20); // package.json engines: >=20
    await runFromTarball(process.execPath, [], /^node \d+\./, entry);
  });

  it.each(ENTRIES)("runs the scenario on the TypeScript source (in vitest), %s entry", async (entry) => {
    const em = await scenarioEmulator();
    try {
      expectScenario(await runScenario(entry === "lite" ? liteSource : source, em.config), em, /^node /, entry);
    } finally {
      await em.close();
    }
  });
});

describe("Deno", () => {
  it.each(ENTRIES)(
    "runs the scenario on the packed tarball (deno run, node_modules from npm), %s entry",
    async (entry) => {
      const deno = await runtimeBinary("deno");
      await runFromTarball(
        deno,
        ["run", "--quiet", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read", "--allow-env"],
        /^deno 2\.9\./,
        entry,
      );
    },
  );

  it.each(ENTRIES)("runs the scenario on the TypeScript source (deno test), %s entry", async (entry) => {
    const deno = await runtimeBinary("deno");
    const em = await scenarioEmulator();
    try {
      const result = assertOk(
        await run(
          deno,
          [
            "test",
            "--no-prompt",
            "--allow-net=127.0.0.1",
            "--allow-env",
            "--allow-read",
            "runtime-tests/deno/source.test.ts",
          ],
          {
            cwd: root,
            env: { CAE_SCENARIO: JSON.stringify(em.config), CAE_ENTRY: entry },
            timeout: 90_000,
          },
        ),
        "deno test",
      );
      expect(result.stdout).toMatch(/ok \| 1 passed \| 0 failed/);
      expectScenario(parseScenarioOutput(result.stdout), em, /^deno 2\.9\./, entry);
    } finally {
      await em.close();
    }
  });
});

describe("Bun", () => {
  it.each(ENTRIES)("runs the scenario on the packed tarball, %s entry", async (entry) => {
    const bun = await runtimeBinary("bun");
    await runFromTarball(bun, ["run"], /^bun 1\.4\./, entry);
  });

  it.each(ENTRIES)("runs the scenario on the TypeScript source, %s entry", async (entry) => {
    const bun = await runtimeBinary("bun");
    const em = await scenarioEmulator();
    try {
      const result = assertOk(
        await run(bun, ["run", "runtime-tests/bun/source.ts"], {
          cwd: root,
          env: { CAE_SCENARIO: JSON.stringify(em.config), CAE_ENTRY: entry },
          timeout: 60_000,
        }),
        "bun run",
      );
      expectScenario(parseScenarioOutput(result.stdout), em, /^bun 1\.4\./, entry);
    } finally {
      await em.close();
    }
  });
});
