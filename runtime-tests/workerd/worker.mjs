// @ts-check
/**
 * The scenario as a workerd test (`workerd test config.capnp`): the harness bundles this module with the package
 * (installed from the tarball, or the TypeScript source) and passes the scenario's config as the SCENARIO text
 * binding. A thrown error fails `workerd test`.
 */
import * as pkg from "cognito-auth-events";
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

export default {
  /** @param {unknown} _controller @param {{ SCENARIO: string }} env */
  async test(_controller, env) {
    const result = await runScenario(pkg, JSON.parse(env.SCENARIO));
    console.log(RESULT_MARKER + JSON.stringify(result));
  },
};
