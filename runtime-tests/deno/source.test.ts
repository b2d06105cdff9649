/**
 * The scenario against the TypeScript source, in Deno: `deno test --allow-net=127.0.0.1 --allow-env=CAE_SCENARIO
 * --allow-read runtime-tests/deno/source.test.ts`, with the emulator's scenario config in CAE_SCENARIO (JSON).
 */
import * as pkg from "../../src/index.ts";
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

Deno.test("signed, paginated AdminListUserAuthEvents against the emulator, from the TypeScript source", async () => {
  const config = Deno.env.get("CAE_SCENARIO");
  if (!config) throw new Error("CAE_SCENARIO (the scenario's config as JSON) is not set");
  const result = await runScenario(pkg, JSON.parse(config));
  console.log(RESULT_MARKER + JSON.stringify(result));
});
