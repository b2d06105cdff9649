// @ts-check
/**
 * examples/cloudflare-worker as a workerd test: the harness bundles this module with the example (as wrangler
 * would) and passes the example's vars and secrets, plus USERNAME, as text bindings.
 */
import worker from "../../examples/cloudflare-worker/src/index.ts";
import { RESULT_MARKER } from "../scenario.mjs";

/** @param {Response} response */
const summary = async (response) => ({
  status: response.status,
  type: response.headers.get("content-type"),
  body: await response.json(),
});

export default {
  /** @param {unknown} _controller @param {any} env */
  async test(_controller, env) {
    const url = (/** @type {string} */ query) => new Request(`https://worker.example/${query}`);
    const result = {
      found: await summary(await worker.fetch(url(`?username=${encodeURIComponent(env.USERNAME)}`), env)),
      notFound: await summary(await worker.fetch(url("?username=no-such-user"), env)),
      noUsername: await summary(await worker.fetch(url(""), env)),
    };
    console.log(RESULT_MARKER + JSON.stringify(result));
  },
};
