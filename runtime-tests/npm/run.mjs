// @ts-check
/**
 * The scenario against the installed package, as a user's script imports it: `node run.mjs CONFIG`,
 * `deno run run.mjs CONFIG`, `bun run.mjs CONFIG`. The harness copies this folder and scenario.mjs into a temporary
 * project where the packed tarball is installed, so "cognito-auth-events" resolves from its node_modules.
 */
import * as pkg from "cognito-auth-events";
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

/** @type {any} */
const g = globalThis;
const arg = g.Deno ? g.Deno.args[0] : g.process.argv[2];
const result = await runScenario(pkg, JSON.parse(arg));
console.log(RESULT_MARKER + JSON.stringify(result));
