// @ts-check
/**
 * The scenario against the installed package, as a user's script imports it: `node run.mjs CONFIG [ENTRY]`,
 * `deno run run.mjs CONFIG [ENTRY]`, `bun run.mjs CONFIG [ENTRY]`, ENTRY `default` (the default) or `lite`
 * (cognito-auth-events/lite). The harness copies this folder and scenario.mjs into a temporary project where the
 * packed tarball is installed, so "cognito-auth-events" resolves from its node_modules.
 */
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

/** @type {any} */
const g = globalThis;
const [config, entry] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const pkg = entry === "lite" ? await import("cognito-auth-events/lite") : await import("cognito-auth-events");
const result = await runScenario(pkg, JSON.parse(config));
console.log(RESULT_MARKER + JSON.stringify(result));
