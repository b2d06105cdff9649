// @ts-check
/**
 * The scenario in Vercel's edge runtime (@edge-runtime/vm's EdgeVM): the harness bundles this script (IIFE, with the
 * package from the tarball or the TypeScript source), evaluates it in the VM, then calls the global it defines with
 * the scenario's config and the entry to run (`default` or `lite`).
 */
import * as full from "cognito-auth-events";
import * as lite from "cognito-auth-events/lite";
import { runScenario } from "../scenario.mjs";

/** @param {string} config the scenario's config as JSON @param {string} entry @returns {Promise<string>} the result as JSON */
globalThis.__caeRunScenario = async (config, entry) =>
  JSON.stringify(await runScenario(entry === "lite" ? lite : full, JSON.parse(config)));
