/**
 * What a fetch answers with: a web `Response` (the fetch), or only what the client reads, a `ResponseLike` (the
 * exchange), built from the same response head.
 */
import type { ResponseLike } from "../../fetch-like.ts";
import { HeldBody, decodeText, joinBytes, readText } from "./body.ts";
import { fetchFailed } from "./errors.ts";
import type { ResponseBody, ResponseHead } from "./exchange.ts";

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

const immutable = (): never => {
  throw new TypeError("immutable");
};

/** A fetched response's headers: read-only, as the global fetch's (undici's guard "immutable"). */
class ResponseHeaders extends Headers {
  override append(): never {
    return immutable();
  }
  override set(): never {
    return immutable();
  }
  override delete(): never {
    return immutable();
  }
}

/** What a fetched response is made of, shared with its clones. */
interface Fetched {
  readonly status: number;
  readonly statusText: string;
  readonly rawHeaders: readonly string[];
  readonly url: string;
  readonly redirected: boolean;
}

/**
 * A response collected before anything took its body frees its connection, as undici's does. Registered only once the
 * socket waits for a reader (a body that arrives whole frees the connection by itself): registering every response
 * cost a small page about 10 % of its time. Once the body has been read, the registry keeps only the emptied
 * `HeldBody` (its reader is let go at the end). Unlike undici's, a body whose stream was asked for (`body`) and never
 * read is not freed when the response is collected: the stream has it.
 */
const unread = new FinalizationRegistry<HeldBody>((body) => body.dropUntaken());

/**
 * The fetch's `Response`: a web `Response` whose body is read whole without a `ReadableStream` unless one is asked
 * for. On Node 20 the stream and the body it makes cost more per small JSON page than the rest of the transport, and
 * most callers read `text()` or `json()`. `body`, `blob()`, `formData()`, `clone()` and any read after the first get a
 * web `Response` over the body's stream (or a used or null one) and answer from it, with the runtime's own behaviour
 * and messages. What differs from the global fetch's is in src/node/transport.ts.
 */
class NodeResponse extends Response {
  readonly #fetched: Fetched;
  #headers: Headers | undefined;
  /** The body, until it is read whole or streamed; undefined without one (HEAD, 204, 304). */
  #held: HeldBody | undefined;
  /** The body was read whole (text, json, arrayBuffer, bytes). */
  #used = false;
  /** The web Response that answers for the body once it is streamed, used, or null. */
  #web: Response | undefined;

  constructor(fetched: Fetched, body: ResponseBody | Response | undefined) {
    super(null, { status: fetched.status, statusText: fetched.statusText });
    this.#fetched = fetched;
    if (body instanceof Response) this.#web = body;
    else if (body !== undefined) {
      const held = new HeldBody(body, () => unread.register(this, held));
      this.#held = held;
    }
  }

  /** A fetched response's, as undici's ("default" is a constructed one's). */
  override get type(): ResponseType {
    return "basic";
  }
  override get url(): string {
    return this.#fetched.url;
  }
  override get redirected(): boolean {
    return this.#fetched.redirected;
  }
  override get headers(): Headers {
    if (this.#headers === undefined) {
      const raw = this.#fetched.rawHeaders;
      const pairs: [string, string][] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
      this.#headers = new ResponseHeaders(pairs);
    }
    return this.#headers;
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#webResponse().body;
  }
  override get bodyUsed(): boolean {
    return this.#web === undefined ? this.#used : this.#web.bodyUsed;
  }

  override text(): Promise<string> {
    return this.#whole()?.then(decodeText) ?? this.#webResponse().text();
  }
  override json(): Promise<unknown> {
    return this.#whole()?.then((chunks) => JSON.parse(decodeText(chunks))) ?? this.#webResponse().json();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#whole()?.then((chunks) => joinBytes(chunks).buffer) ?? this.#webResponse().arrayBuffer();
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#whole()?.then(joinBytes) ?? this.#webResponse().bytes();
  }
  override blob(): Promise<Blob> {
    return this.#webResponse().blob();
  }
  override formData(): Promise<FormData> {
    return this.#webResponse().formData();
  }
  override clone(): Response {
    // The web Response's clone tees its stream (or fails as the runtime's does once the body is used).
    return new NodeResponse(this.#fetched, this.#webResponse().clone());
  }

  /** The whole body, when it is still held: the first read that needs no stream. */
  #whole(): Promise<Buffer[]> | undefined {
    const held = this.#held;
    if (held === undefined) return undefined;
    this.#held = undefined;
    this.#used = true;
    return held.chunks();
  }

  /** The web Response that answers for the body: over its stream, or used (read whole already), or without one. */
  #webResponse(): Response {
    if (this.#web === undefined) {
      const init = { status: this.status, statusText: this.statusText, headers: this.headers };
      const held = this.#held;
      this.#held = undefined;
      if (held !== undefined) this.#web = new Response(held.stream(), init);
      else if (this.#used) {
        this.#web = new Response("", init);
        void this.#web.text();
      } else this.#web = new Response(null, init);
    }
    return this.#web;
  }
}
// Seen from outside as the global fetch's Response is: by its name and constructor.
Object.defineProperty(NodeResponse, "name", { value: "Response" });
Object.defineProperty(NodeResponse.prototype, "constructor", { value: Response, writable: true, configurable: true });

/** A web `Response` of `head`, with the `url` it came from (after `redirected`). */
export function toResponse(head: ResponseHead, url: URL, redirected: boolean): Response {
  try {
    const { status, statusText, rawHeaders, body } = head;
    const fetched = { status, statusText, rawHeaders, url: url.href, redirected };
    return new NodeResponse(fetched, body);
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
      if (used) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      used = true;
      return text;
    },
  };
}
