/** Types of scenario.mjs for the TypeScript callers (the test files, the Bun and Deno source runs). */
import type { ScenarioConfig, ScenarioResult } from "./harness.ts";

export type { ScenarioConfig, ScenarioResult };
export declare const RESULT_MARKER: "CAE_SCENARIO_RESULT ";
export declare function runtimeName(): string;
/** Runs the scenario with `pkg`, the package's module namespace. */
export declare function runScenario(pkg: object, config: ScenarioConfig): Promise<ScenarioResult>;
