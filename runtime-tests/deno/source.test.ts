/**
 * The scenario against the TypeScript source, in Deno: `deno test --allow-net=127.0.0.1 --allow-env --allow-read
 * runtime-tests/deno/source.test.ts`, with the emulator's scenario config in CAE_SCENARIO (JSON) and, for
 * cognito-auth-events/lite's source, CAE_ENTRY=lite.
 */
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

Deno.test("signed, paginated AdminListUserAuthEvents against the emulator, from the TypeScript source", async () => {
  const config = Deno.env.get("CAE_SCENARIO");
  if (!config) throw new Error("CAE_SCENARIO (the scenario's config as JSON) is not set");
  const pkg =
    Deno.env.get("CAE_ENTRY") === "lite" ? await import("../../src/lite/index.ts") : await import("../../src/index.ts");
  const result = await runScenario(pkg, JSON.parse(config));
  console.log(RESULT_MARKER + JSON.stringify(result));
});
