// @ts-check
/**
 * The scenario as a workerd test (`workerd test config.capnp`): the harness bundles this module with the package
 * (installed from the tarball, or the TypeScript source) and passes the scenario's config as the SCENARIO text
 * binding, and which entry to run as ENTRY (`default` or `lite`). A thrown error fails `workerd test`.
 */
import * as full from "cognito-auth-events";
import * as lite from "cognito-auth-events/lite";
import { RESULT_MARKER, runScenario } from "../scenario.mjs";

export default {
  /** @param {unknown} _controller @param {{ SCENARIO: string; ENTRY: string }} env */
  async test(_controller, env) {
    const result = await runScenario(env.ENTRY === "lite" ? lite : full, JSON.parse(env.SCENARIO));
    console.log(RESULT_MARKER + JSON.stringify(result));
  },
};
