/**
 * The ways a response body is read: whole (what the client reads, `ResponseLike.text()`, and a `Response`'s `text()`,
 * `json()`, `arrayBuffer()`, `bytes()`), or as the web `ReadableStream` of a `Response`, with backpressure. All take
 * their chunks from the exchange's one body.
 */
import type { BodySink, ResponseBody } from "./exchange.ts";

const utf8 = new TextDecoder();

/** What a web stream of a response body holds before the socket waits for its reader, as undici's. */
const HIGH_WATER_MARK = 65_536;

/** The whole body in one buffer; rejects as the body stream would. */
function readAll(take: (sink: BodySink) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    take({
      chunk: (data) => chunks.push(data),
      end: () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
      error: reject,
    });
  });
}

/** Bytes decoded as `Response.text()` does: UTF-8, a leading BOM dropped, bad sequences replaced. */
export const decodeText = (bytes: Uint8Array): string => utf8.decode(bytes);

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
 * and one read late or never still frees its connection when its body is small.
 */
export class HeldBody {
  readonly #body: ResponseBody;
  #chunks: Buffer[] = [];
  #held = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  /** The reader, once one has taken the body. */
  #reader: BodySink | undefined;

  constructor(body: ResponseBody) {
    this.#body = body;
    body.read({
      chunk: (data) => {
        if (this.#reader) return this.#reader.chunk(data);
        this.#chunks.push(data);
        this.#held += data.byteLength;
        if (this.#held >= HIGH_WATER_MARK) body.pause();
      },
      end: () => {
        this.#ended = true;
        this.#reader?.end();
      },
      error: (error) => {
        this.#failure = { error };
        this.#reader?.error(error);
      },
    });
  }

  /** The whole body in one buffer. */
  bytes(): Promise<Buffer> {
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

  /** Hands `sink` the chunks held so far, then the rest as they come. */
  #take(sink: BodySink): void {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#held = 0;
    for (const chunk of chunks) sink.chunk(chunk);
    if (this.#failure) sink.error(this.#failure.error);
    else if (this.#ended) sink.end();
    else this.#reader = sink;
  }
}
