/**
 * A `fetch` over `node:http`/`node:https` with keep-alive agents, for Node (and Deno's Node compatibility layer).
 *
 * Why: on Node the global `fetch` (undici) costs about twice what a plain `node:http` request does per call, which
 * dominates when paging through thousands of small JSON pages. This function keeps fetch's contract, so anything that
 * takes a fetch takes it:
 * - resolves with a standard `Response` once the headers arrive, its body read from then on (held up to 64 KiB, then
 *   the socket waits for the reader, as undici's stream); `text()`, `json()`, `arrayBuffer()` and `bytes()` read it
 *   whole without a `ReadableStream`, which is built only when `body`, `blob()`, `formData()` or `clone()` asks for it
 *   (on Node 20 a stream costs more per small page than the rest of the transport);
 * - rejects with `TypeError("fetch failed", { cause })` when the request cannot complete (connection refused or
 *   reset, timeouts), as undici does; a body cut short errors its stream with `TypeError("terminated", { cause })`;
 * - an `AbortSignal` (`init.signal` or a `Request`'s) rejects with the signal's reason, before or during the request,
 *   and errors a body still streaming;
 * - follows redirects (`redirect: "follow"`, at most 20; a header carrying a credential is dropped when one leaves the
 *   origin), or fails (`"error"`) or returns them (`"manual"`);
 * - decodes `gzip`, `deflate` and `br` bodies.
 *
 * Differences from undici's fetch: no default `accept`, `accept-language`, `sec-fetch-mode` or `user-agent` headers
 * are added, and `accept-encoding` is not sent unless you set it; no HTTP/2; no cookies, CORS or cache modes (they have
 * no meaning here either). The body stream is not a byte stream (no BYOB reader). `Response.prototype.text.call(r)`
 * and the like, the base class's methods called on the response directly, see an empty body: call its own. A signal
 * aborted once the whole body has arrived, before it is read, leaves it readable (undici's errors it).
 *
 * Its `exchange` sends the same requests and answers with only what the client reads (a `ResponseLike`: `status`,
 * `headers.get`, `text()`), without a web `Response` or its `Headers`. Give the client that.
 *
 * @example
 * import { createNodeFetch } from "cognito-auth-events/node";
 * const nodeFetch = createNodeFetch();
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: nodeFetch.exchange });
 * // ...
 * nodeFetch.close(); // optional: idle keep-alive sockets never keep the process alive
 *
 * @module
 */

import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { ResponseLike } from "../fetch-like.ts";
import { type ResponseHead, exchange } from "./transport/exchange.ts";
import { type NodeFetchOptions, resolveOptions } from "./transport/options.ts";
import { nextRequest } from "./transport/redirect.ts";
import { type PreparedRequest, prepareRequest } from "./transport/request.ts";
import { headerValue, toResponse, toResponseLike } from "./transport/response.ts";

export type { NodeFetchOptions, NodeFetchTlsOptions } from "./transport/options.ts";

/** A `fetch` over `node:http`, plus `exchange` and `close()`. */
export interface NodeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /**
   * The same request, answered with a {@link ResponseLike} (`status`, `headers.get`, `text()`) instead of a web
   * `Response`: no `Response` or `Headers` is built. What to give the client as its `fetch`. `text()` decodes as
   * `Response.text()` does (UTF-8, a leading BOM dropped), and fails as the body stream would: the signal's reason on
   * abort, `TypeError("terminated")` when the body is cut short or stalls past `bodyTimeout`. Unlike fetch, it answers
   * a redirect as it is rather than following it, unless `init.redirect` (or a `Request`) says otherwise: the AWS SDK
   * follows none, and the client takes a 3xx as an error.
   * @example
   * new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: createNodeFetch().exchange })
   */
  exchange(input: string | URL | Request, init?: RequestInit): Promise<ResponseLike>;
  /** Closes the keep-alive connections of the agents this function created. Requests after it still work. */
  close(): void;
}

/**
 * Creates a `fetch` over `node:http`/`node:https` with keep-alive agents, and its `exchange`.
 * @example
 * const client = new CognitoIdentityProviderClient({ region, fetch: createNodeFetch().exchange });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const settings = resolveOptions(options);
  const { keepAlive, maxSockets, tls, agents: given } = settings;
  const owned: Array<HttpAgent | HttpsAgent> = [];
  let httpAgent = given.http;
  let httpsAgent = given.https;
  const agentFor = (protocol: string): HttpAgent | HttpsAgent => {
    if (protocol === "https:") {
      if (!httpsAgent) {
        httpsAgent = new HttpsAgent({ keepAlive, maxSockets, ...tls });
        owned.push(httpsAgent);
      }
      return httpsAgent;
    }
    if (!httpAgent) {
      httpAgent = new HttpAgent({ keepAlive, maxSockets });
      owned.push(httpAgent);
    }
    return httpAgent;
  };
  const exchangeSettings = { ...settings, agentFor };

  /** The final response's head, redirects followed as `redirect` says, and the URL it came from. */
  const send = async (
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<{ head: ResponseHead; request: PreparedRequest; redirected: boolean }> => {
    let request = await prepareRequest(input, init);
    for (let followed = 0; ; followed++) {
      const head = await exchange(request, exchangeSettings);
      let next: PreparedRequest | undefined;
      try {
        next = nextRequest(
          request,
          { status: head.status, location: headerValue(head.rawHeaders, "location") },
          followed,
        );
      } catch (error) {
        head.body?.cancel();
        throw error;
      }
      if (next === undefined) return { head, request, redirected: followed > 0 };
      head.body?.cancel();
      request = next;
    }
  };

  const nodeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { head, request, redirected } = await send(input, init);
    return toResponse(head, request.url, redirected);
  };
  const exchangeOnly = async (input: string | URL | Request, init?: RequestInit): Promise<ResponseLike> => {
    // The client's path: a redirect is the answer (the client fails on a 3xx), as the AWS SDK's handlers never follow
    // one, rather than the signed request and its session token sent wherever the Location points.
    const manual = init?.redirect === undefined && !(input instanceof Request);
    return toResponseLike((await send(input, manual ? { ...init, redirect: "manual" } : init)).head);
  };
  const close = (): void => {
    for (const agent of owned) agent.destroy();
    owned.length = 0;
    if (given.http === undefined) httpAgent = undefined;
    if (given.https === undefined) httpsAgent = undefined;
  };
  return Object.assign(nodeFetch, { exchange: exchangeOnly, close });
}
