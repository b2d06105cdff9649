// @ts-check
/**
 * The scenario in Vercel's edge runtime (@edge-runtime/vm's EdgeVM): the harness bundles this script (IIFE, with the
 * package from the tarball or the TypeScript source), evaluates it in the VM, then calls the global it defines.
 */
import * as pkg from "cognito-auth-events";
import { runScenario } from "../scenario.mjs";

/** @param {string} config the scenario's config as JSON @returns {Promise<string>} the result as JSON */
globalThis.__caeRunScenario = async (config) => JSON.stringify(await runScenario(pkg, JSON.parse(config)));
