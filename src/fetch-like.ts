/**
 * What the clients send their requests with: `fetch`, or any function that takes the request the clients make and
 * answers with the part of a `Response` they read. A web `fetch` is one as it is; a transport with no web `Response`
 * at hand (the Node transport's `exchange`, `cognito-auth-events/node`) answers with just that part, and does not
 * pretend to be a `Response`.
 *
 * Web-standard globals only.
 *
 * @module
 */

/** The request the clients make: a `POST` of a JSON text with plain-object headers, and an abort signal when any. */
export interface FetchLikeInit {
  /** Always `"POST"`. */
  method: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: string;
  /** Aborts the request, and the reading of its body. */
  signal?: AbortSignal;
  /**
   * `"manual"` from the default entry's client: a redirect is the answer (a 3xx fails the call), never followed. The
   * lite client leaves it out (fetch's default, `"follow"`).
   */
  redirect?: "manual";
}

/** The part of a `Response` the clients read: a web `Response` has it. */
export interface ResponseLike {
  /** The response's HTTP status, 200 to 599 (a 3xx when the request said `redirect: "manual"`). */
  readonly status: number;
  /** A header's value (names in any case, repeated headers joined with `", "`), `null` when absent. */
  readonly headers: { get(name: string): string | null };
  /** The body as text (UTF-8, a leading BOM dropped); rejects when the body cannot be read in full. */
  text(): Promise<string>;
}

/**
 * A function that sends the clients' requests: the `fetch` option. A web `fetch` is one; so is any function taking
 * the same two arguments and answering with a {@link ResponseLike}.
 * @example
 * // Node: the node:http transport, answering without building a web Response
 * import { createNodeFetch } from "cognito-auth-events/node";
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: createNodeFetch().exchange });
 * @example
 * // A fetch that records what is sent
 * const fetch: FetchLike = (url, init) => { console.log(init.headers["x-amz-target"]); return globalThis.fetch(url, init); };
 */
export type FetchLike = (url: string, init: FetchLikeInit) => Promise<ResponseLike>;
