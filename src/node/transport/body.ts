/**
 * The ways a response body is read: whole (what the client reads, `ResponseLike.text()`, and a `Response`'s `text()`,
 * `json()`, `arrayBuffer()`, `bytes()`), or as the web `ReadableStream` of a `Response`, with backpressure. All take
 * their chunks from the exchange's one body.
 */
import type { BodySink, ResponseBody } from "./exchange.ts";

const utf8 = new TextDecoder();

/** A web stream of a response body holds this much before the socket waits for its reader, as undici's. */
const HIGH_WATER_MARK = 65_536;

/** All the chunks of a body, once it has ended; rejects as the body stream would. */
function readAll(take: (sink: BodySink) => void): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    take({ chunk: (data) => chunks.push(data), end: () => resolve(chunks), error: reject });
  });
}

/** Chunks decoded as `Response.text()` does: UTF-8, a leading BOM dropped, bad sequences replaced. */
export const decodeText = (chunks: Buffer[]): string =>
  utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));

/** Chunks as one `Uint8Array` of their own (not a view of a shared buffer), copied once, as `Response.bytes()`. */
export function joinBytes(chunks: Buffer[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The whole body as text, decoded as `Response.text()` does; rejects as the body stream would (the signal's reason on
 * abort, `TypeError("terminated")` when cut short or stalled).
 */
export function readText(body: ResponseBody): Promise<string> {
  return readAll((sink) => body.read(sink)).then(decodeText);
}

/**
 * A `Response`'s body, read from the moment the response exists, as a web `Response`'s stream is: its chunks are held
 * until one reader takes them (the socket waits once 64 KiB are held), so a response read whole never needs a stream,
 * and one read late or never still frees its connection when its body is small. `onWait` is called the first time the
 * socket waits for a reader (not called again, nor kept).
 */
export class HeldBody {
  readonly #body: ResponseBody;
  #chunks: Buffer[] = [];
  #held = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  /** The reader, once one has taken the body, until the body is over. */
  #reader: BodySink | undefined;
  #taken = false;
  #onWait: (() => void) | undefined;

  constructor(body: ResponseBody, onWait?: () => void) {
    this.#body = body;
    this.#onWait = onWait;
    body.read({
      chunk: (data) => {
        if (this.#reader) return this.#reader.chunk(data);
        this.#chunks.push(data);
        this.#held += data.byteLength;
        if (this.#held < HIGH_WATER_MARK) return;
        body.pause();
        const onWait = this.#onWait;
        this.#onWait = undefined;
        onWait?.();
      },
      end: () => {
        this.#ended = true;
        this.#over()?.end();
      },
      error: (error) => {
        this.#failure = { error };
        this.#over()?.error(error);
      },
    });
  }

  /**
   * No reader took the body: drop the rest of it, and the connection with it (the response was collected unread). A
   * body already over has nothing left to drop (the exchange ignores it).
   */
  dropUntaken(): void {
    if (!this.#taken) this.#body.cancel(new Error("response collected unread"));
  }

  /** All the chunks, once the body has ended. */
  chunks(): Promise<Buffer[]> {
    return readAll((sink) => {
      this.#take(sink);
      this.#body.resume();
    });
  }

  /** The body as a web stream, with backpressure: the socket waits while the reader is behind. */
  stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const body = this.#body;
    return new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        start: (controller) => {
          this.#take({
            chunk(data) {
              controller.enqueue(new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
              if ((controller.desiredSize ?? 0) <= 0) body.pause();
            },
            end: () => controller.close(),
            error: (error) => controller.error(error),
          });
        },
        pull() {
          body.resume();
        },
        cancel(reason) {
          body.cancel(reason instanceof Error ? reason : new Error("body cancelled"));
        },
      },
      { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
  }

  /** The body is over: the reader, let go (what it gathered must not live as long as this body does). */
  #over(): BodySink | undefined {
    const reader = this.#reader;
    this.#reader = undefined;
    this.#onWait = undefined;
    return reader;
  }

  /** Hands `sink` the chunks held so far, then the rest as they come. */
  #take(sink: BodySink): void {
    this.#taken = true;
    this.#onWait = undefined;
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#held = 0;
    for (const chunk of chunks) sink.chunk(chunk);
    if (this.#failure) sink.error(this.#failure.error);
    else if (this.#ended) sink.end();
    else this.#reader = sink;
  }
}
