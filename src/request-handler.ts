/**
 * The AWS SDK's request handlers (`NodeHttpHandler`, `FetchHttpHandler`, or any object with their `handle()`), used
 * as this client's transport: a request goes through the handler's `handle()`, so its agents, proxies and timeouts
 * apply, and its answer is read into a web `Response`. Web-standard globals only.
 *
 * @module
 */

/** The request the AWS SDK's handlers take (`HttpRequest` of `@smithy/protocol-http`, as a plain object). */
export interface HandlerRequest {
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  query: Record<string, string>;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** What the handler resolves with (`{ response: HttpResponse }`); the body is a stream, bytes or a string. */
export interface HandlerResponse {
  response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body?: unknown };
}

/** An AWS SDK request handler: an object with `handle(request, { abortSignal })`. */
export interface HttpHandlerLike {
  handle(request: HandlerRequest, options?: { abortSignal?: AbortSignal }): Promise<HandlerResponse>;
}

/** Reads a handler's response body (a Node stream, a web stream, a Blob, bytes or a string) as text. */
async function readBody(body: unknown): Promise<string> {
  if (body == null) return "";
  if (typeof body === "string") return body;
  const decoder = new TextDecoder();
  if (body instanceof Uint8Array) return decoder.decode(body);
  const source = body as { text?: () => Promise<string>; [Symbol.asyncIterator]?: unknown };
  // A Blob (FetchHttpHandler in a browser) has text(); Node streams and web streams iterate.
  if (typeof source.text === "function" && !(Symbol.asyncIterator in source)) return source.text();
  let text = "";
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * A fetch that sends through `handler.handle()`: the shape the client calls (`fetch(url, { method, headers, body,
 * signal })`), answered with a `Response`.
 */
export function handlerFetch(handler: HttpHandlerLike): typeof fetch {
  return (async (input: string, init: RequestInit) => {
    const url = new URL(input);
    const { response } = await handler.handle(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        method: init.method ?? "GET",
        headers: { ...(init.headers as Record<string, string>) },
        body: init.body as string | undefined,
      },
      init.signal ? { abortSignal: init.signal } : {},
    );
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers ?? {}))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const text = await readBody(response.body);
    const { statusCode: status } = response;
    // A Response refuses a body with 204 and 304.
    return new Response(status === 204 || status === 304 ? null : text, { status, headers });
  }) as typeof fetch;
}

/** What the client takes from its `requestHandler` option. */
export interface RequestHandlerTransport {
  /** Sends through the handler (absent for a plain options object). */
  fetch?: typeof fetch;
  /** A plain options object's `requestTimeout`. */
  requestTimeout?: number;
}

/**
 * Reads the `requestHandler` option: an AWS SDK handler (any object with `handle()`) becomes the transport; a plain
 * options object may only hold `requestTimeout` (agents and socket settings need the handler itself). TypeError
 * naming what is wrong otherwise.
 */
export function requestHandlerTransport(requestHandler: unknown): RequestHandlerTransport {
  if (typeof (requestHandler as HttpHandlerLike)?.handle === "function")
    return { fetch: handlerFetch(requestHandler as HttpHandlerLike) };
  if (typeof requestHandler !== "object" || requestHandler === null)
    throw new TypeError("requestHandler must be an AWS SDK request handler (an object with handle())");
  for (const key of Object.keys(requestHandler))
    if (key !== "requestTimeout")
      throw new TypeError(
        `requestHandler.${key} needs the handler itself: pass requestHandler: new NodeHttpHandler({ ${key} }) (@smithy/node-http-handler)`,
      );
  const { requestTimeout } = requestHandler as { requestTimeout?: number };
  return requestTimeout === undefined ? {} : { requestTimeout };
}
