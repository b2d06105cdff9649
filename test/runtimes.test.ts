/**
 * Runtime conformance, process runtimes: Node 20 (the machine's), Deno and Bun (npm devDependencies) each run
 * runtime-tests/scenario.mjs against the emulator on loopback, on the packed tarball installed in a fresh project,
 * and (Deno, Bun, Node via vitest) on the TypeScript source. A missing runtime binary fails; nothing is skipped.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as source from "../src/index.ts";
import * as liteSource from "../src/lite/index.ts";
import { expectScenario } from "../runtime-tests/expect.ts";
import {
  assertOk,
  cleanCopy,
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
    // The Node the tests run on is one package.json's engines allows (^20.19.0 || >=22.12.0).
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
    expect(major === 20 ? minor >= 19 : major > 22 || (major === 22 && minor >= 12)).toBe(true);
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

describe("Deno, a project outside the repository using a clone's TypeScript source", () => {
  // A clean copy of the repository stands for the user's clone; the project links the package's JSR name to it, as
  // the README says. Deno fetches the source's npm dependencies itself (deno.json's "imports").
  const dirs = { clone: "", project: "" };
  beforeAll(() => {
    const scratch = mkdtempSync(join(tmpdir(), "cae-deno-outside-"));
    dirs.clone = cleanCopy(join(scratch, "cognito-auth-events"));
    dirs.project = join(scratch, "project");
    mkdirSync(join(dirs.project, "runtime-tests", "deno"), { recursive: true });
    cpSync(join(root, "runtime-tests", "scenario.mjs"), join(dirs.project, "runtime-tests", "scenario.mjs"));
    cpSync(join(root, "runtime-tests", "deno", "jsr.ts"), join(dirs.project, "runtime-tests", "deno", "jsr.ts"));
    writeFileSync(join(dirs.project, "deno.json"), JSON.stringify({ links: ["../cognito-auth-events"] }));
  });
  afterAll(() => {
    if (dirs.project) rmSync(join(dirs.project, ".."), { recursive: true, force: true });
  });

  it.each(ENTRIES)(
    "runs the scenario through jsr:@cognito-auth-events/cognito-auth-events, %s entry",
    async (entry) => {
      const deno = await runtimeBinary("deno");
      const em = await scenarioEmulator();
      try {
        const result = assertOk(
          await run(
            deno,
            [
              "run",
              "--quiet",
              "--no-prompt",
              "--allow-net=127.0.0.1",
              "--allow-env",
              "runtime-tests/deno/jsr.ts",
              JSON.stringify(em.config),
              entry,
            ],
            { cwd: dirs.project, timeout: 120_000 },
          ),
          "deno run jsr.ts",
        );
        expectScenario(parseScenarioOutput(result.stdout), em, /^deno 2\.9\./, entry);
      } finally {
        await em.close();
      }
    },
    180_000,
  );

  it("type-checks a script using both entries through the linked package", async () => {
    const deno = await runtimeBinary("deno");
    writeFileSync(
      join(dirs.project, "check.ts"),
      `import { CognitoIdentityProviderClient, AdminListUserAuthEventsCommand, UserNotFoundException } from "jsr:@cognito-auth-events/cognito-auth-events";
import * as lite from "jsr:@cognito-auth-events/cognito-auth-events/lite";
const credentials = { accessKeyId: "AKID", secretAccessKey: "secret" };
const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials });
export const liteClient: lite.CognitoIdentityProviderClient = new lite.CognitoIdentityProviderClient({ region: "eu-west-1", credentials });
export async function count(UserPoolId: string, Username: string): Promise<number | undefined> {
  try {
    return (await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username }))).AuthEvents?.length;
  } catch (error) {
    if (error instanceof UserNotFoundException) return undefined;
    throw error;
  }
}
`,
    );
    const result = await run(deno, ["check", "--quiet", "check.ts"], { cwd: dirs.project, timeout: 120_000 });
    expect(result.stderr + result.stdout).toBe("");
    expect(result.code).toBe(0);
  }, 180_000);

  it("runs the CLI from the clone's source (deno run -A path/to/clone/src/cli/main.ts)", async () => {
    const deno = await runtimeBinary("deno");
    const em = await scenarioEmulator();
    try {
      const result = assertOk(
        await run(
          deno,
          [
            "run",
            "-A",
            "../cognito-auth-events/src/cli/main.ts",
            "admin-list-user-auth-events",
            "--endpoint-url",
            em.config.endpoint,
            "--user-pool-id",
            em.config.userPoolId,
            "--username",
            em.config.username,
            "--max-items",
            "3",
          ],
          {
            cwd: dirs.project,
            timeout: 120_000,
            env: {
              AWS_ACCESS_KEY_ID: em.config.accessKeyId,
              AWS_SECRET_ACCESS_KEY: em.config.secretAccessKey,
              AWS_DEFAULT_REGION: "us-east-1",
              AWS_CONFIG_FILE: join(dirs.project, "no-config"),
              AWS_SHARED_CREDENTIALS_FILE: join(dirs.project, "no-credentials"),
            },
          },
        ),
        "deno run -A src/cli/main.ts",
      );
      const output = JSON.parse(result.stdout) as { AuthEvents: { EventId: string }[]; NextToken?: string };
      expect(output.AuthEvents.map((e) => e.EventId)).toEqual(em.expectedIds.slice(0, 3));
      expect(output.NextToken).toMatch(/^eyJ/);
    } finally {
      await em.close();
    }
  }, 180_000);
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
