/**
 * The test run's output is the test results: what the tests load does not print warnings into it. The AWS SDK, which
 * the differential and compatibility tests run next to this package, warns on Node < 22 that its future versions
 * will need Node 22; vitest.config.ts turns that warning off (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) for
 * the test processes and the processes they start.
 */
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { run } from "../runtime-tests/harness.ts";

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
