/**
 * The test run's output is the test results: what the tests load does not print warnings into it. The AWS SDK, which
 * the differential and compatibility tests run next to this package, warns on Node < 22 that its future versions
 * will need Node 22; vitest.config.ts turns that warning off (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) for
 * the test processes and the processes they start. The linter's warnings (rules kept as warnings until the files they
 * flag are rewritten) are listed by `npm run lint`, not in every `npm test`.
 */
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { pkgJson, run } from "../runtime-tests/harness.ts";

const sdk = createRequire(import.meta.url).resolve("@aws-sdk/client-cognito-identity-provider");

it("the AWS SDK's client emits no NodeVersionSupportWarning in a test", async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on("warning", onWarning);
  try {
    const { CognitoIdentityProviderClient } = await import("@aws-sdk/client-cognito-identity-provider");
    new CognitoIdentityProviderClient({ region: "us-east-1" }).destroy();
    // process.emitWarning emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", onWarning);
  }
  expect(warnings).toEqual([]);
});

it("nor in a process a test starts", async () => {
  const script = `new (require(${JSON.stringify(sdk)}).CognitoIdentityProviderClient)({ region: "us-east-1" }).destroy();`;
  const result = await run(process.execPath, ["-e", script]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
});

it("npm test's lint step prints errors only (`npm run lint` lists the warnings still to fix)", async () => {
  const scripts = pkgJson.scripts as Record<string, string>;
  const step = scripts.test!.split("&&").find((part) => part.includes("lint"));
  expect(step, "npm test runs the linter").toBeDefined();
  const result = await run("sh", ["-c", step!], { timeout: 120_000 });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout + result.stderr).not.toMatch(/warning/i);
});
