/**
 * The scenario against the TypeScript source as JSR serves it, from a project outside the repository: `deno run
 * --allow-net=127.0.0.1 --allow-env jsr.ts CONFIG [ENTRY]` in a project whose deno.json links the package's name to a
 * clean copy of the repository (`"links": [...]`), the way a user runs a clone's source. ENTRY `default` (the
 * default) or `lite`.
 */
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

const [config, entry] = Deno.args;
if (!config) throw new Error("usage: jsr.ts CONFIG [ENTRY]");
const pkg =
  entry === "lite"
    ? await import("jsr:@cognito-auth-events/cognito-auth-events/lite")
    : await import("jsr:@cognito-auth-events/cognito-auth-events");
const result = await runScenario(pkg, JSON.parse(config));
console.log(RESULT_MARKER + JSON.stringify(result));
