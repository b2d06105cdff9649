/**
 * The scenario against the TypeScript source, in Bun: `CAE_SCENARIO='<config JSON>' [CAE_ENTRY=lite] bun run
 * runtime-tests/bun/source.ts` (CAE_ENTRY=lite: cognito-auth-events/lite's source).
 */
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

const config = process.env.CAE_SCENARIO;
if (!config) throw new Error("CAE_SCENARIO (the scenario's config as JSON) is not set");
const pkg =
  process.env.CAE_ENTRY === "lite" ? await import("../../src/lite/index.ts") : await import("../../src/index.ts");
console.log(RESULT_MARKER + JSON.stringify(await runScenario(pkg, JSON.parse(config))));
