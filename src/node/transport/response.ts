/**
 * What a fetch answers with: a web `Response` (the fetch), or only what the client reads, a `ResponseLike` (the
 * exchange), built from the same response head.
 */
import type { ResponseLike } from "../../fetch-like.ts";
import { HeldBody, decodeText, readText } from "./body.ts";
import { fetchFailed } from "./errors.ts";
import type { ResponseHead } from "./exchange.ts";

/** A header's value as `Headers.get` gives it: names compared case-insensitively, repeats joined with ", ". */
export function headerValue(rawHeaders: readonly string[], name: string): string | null {
  const wanted = name.toLowerCase();
  let value: string | null = null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === wanted)
      value = value === null ? rawHeaders[i + 1]! : `${value}, ${rawHeaders[i + 1]}`;
  }
  return value;
}

const unusable = (): Promise<never> => Promise.reject(new TypeError("Body is unusable: Body has already been read"));

/**
 * The fetch's `Response`: a web `Response` whose body is read whole without a `ReadableStream` unless one is asked
 * for. On Node 20 the stream and the body it makes cost more per small JSON page than the rest of the transport, and
 * most callers read `text()` or `json()`; `body`, `blob()`, `formData()` and `clone()` get a web `Response` over the
 * body's stream and answer from it, so every member behaves as undici's.
 */
class NodeResponse extends Response {
  readonly #rawHeaders: readonly string[];
  readonly #url: string;
  readonly #redirected: boolean;
  /** Undefined for a response without a body (HEAD, 204, 304). */
  readonly #body: HeldBody | undefined;
  #headers: Headers | undefined;
  /** The body was read whole (text, json, arrayBuffer, bytes). */
  #used = false;
  /** The web Response over the body's stream, once something asked for the stream. */
  #streamed: Response | undefined;

  constructor(head: ResponseHead, url: URL, redirected: boolean) {
    super(null, { status: head.status, statusText: head.statusText });
    this.#rawHeaders = head.rawHeaders;
    this.#url = url.href;
    this.#redirected = redirected;
    this.#body = head.body === undefined ? undefined : new HeldBody(head.body);
  }

  /** A fetched response's, as undici's ("default" is a constructed one's). */
  override get type(): ResponseType {
    return "basic";
  }
  override get url(): string {
    return this.#url;
  }
  override get redirected(): boolean {
    return this.#redirected;
  }
  override get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const raw = this.#rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#web().body;
  }
  override get bodyUsed(): boolean {
    return this.#streamed === undefined ? this.#used : this.#streamed.bodyUsed;
  }

  override text(): Promise<string> {
    return this.#streamed === undefined ? this.#bytes().then(decodeText) : this.#streamed.text();
  }
  override json(): Promise<unknown> {
    return this.#streamed === undefined ? this.text().then(JSON.parse) : this.#streamed.json();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#streamed !== undefined) return this.#streamed.arrayBuffer();
    return this.#bytes().then((bytes) => new Uint8Array(bytes).buffer as ArrayBuffer);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#streamed !== undefined) return this.#streamed.bytes();
    return this.#bytes().then((bytes) => new Uint8Array(bytes));
  }
  override blob(): Promise<Blob> {
    return this.#web().blob();
  }
  override formData(): Promise<FormData> {
    return this.#web().formData();
  }
  override clone(): Response {
    const clone = this.#web().clone();
    // As this response's: a constructed Response's are read-only, so defined as fetch sets them.
    for (const [name, value] of [
      ["type", "basic"],
      ["url", this.#url],
      ["redirected", this.#redirected],
    ] as const)
      Object.defineProperty(clone, name, { value, enumerable: true });
    return clone;
  }

  /** The whole body, once: a second read fails as undici's does. */
  #bytes(): Promise<Buffer> {
    if (this.#body === undefined) return Promise.resolve(Buffer.alloc(0));
    if (this.#used) return unusable();
    this.#used = true;
    return this.#body.bytes();
  }

  /** The web Response of this one, over the body's stream (a used one if the body was read whole). */
  #web(): Response {
    if (this.#streamed === undefined) {
      const init = { status: this.status, statusText: this.statusText, headers: this.headers };
      if (this.#body === undefined) this.#streamed = new Response(null, init);
      else if (!this.#used) this.#streamed = new Response(this.#body.stream(), init);
      else {
        // Read whole already: a body that is used, as undici's is after text().
        this.#streamed = new Response("", init);
        this.#streamed.text().catch(() => {});
      }
    }
    return this.#streamed;
  }
}

/** A web `Response` of `head`, with the `url` it came from (after `redirected`). */
export function toResponse(head: ResponseHead, url: URL, redirected: boolean): Response {
  try {
    return new NodeResponse(head, url, redirected);
  } catch (cause) {
    head.body?.cancel();
    throw fetchFailed(cause);
  }
}

/** The {@link ResponseLike} of `head`: its body read from now on, whether `text()` is called or not. */
export function toResponseLike(head: ResponseHead): ResponseLike {
  const text = head.body === undefined ? Promise.resolve("") : readText(head.body);
  // A body that fails unread is not an unhandled rejection; text() still rejects with it.
  text.catch(() => {});
  let used = false;
  return {
    status: head.status,
    headers: { get: (name) => headerValue(head.rawHeaders, name) },
    text() {
      if (used) return unusable();
      used = true;
      return text;
    },
  };
}
