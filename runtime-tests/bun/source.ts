/**
 * The scenario against the TypeScript source, in Bun: `CAE_SCENARIO='<config JSON>' bun run runtime-tests/bun/source.ts`.
 */
import * as pkg from "../../src/index.ts";
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

const config = process.env.CAE_SCENARIO;
if (!config) throw new Error("CAE_SCENARIO (the scenario's config as JSON) is not set");
console.log(RESULT_MARKER + JSON.stringify(await runScenario(pkg, JSON.parse(config))));
