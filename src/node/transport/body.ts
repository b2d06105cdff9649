/**
 * The two ways a response body is read: whole, as text (what the client reads: `ResponseLike.text()`), or as the web
 * `ReadableStream` of a `Response`, with backpressure. Both take their chunks from the exchange's one body.
 */
import type { ResponseBody } from "./exchange.ts";

const utf8 = new TextDecoder();

/**
 * The whole body as text, decoded as `Response.text()` does (UTF-8, a leading BOM dropped); rejects as the body
 * stream would (the signal's reason on abort, `TypeError("terminated")` when cut short or stalled).
 */
export function readText(body: ResponseBody): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.read({
      chunk: (data) => chunks.push(data),
      end: () => resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))),
      error: reject,
    });
  });
}

/** The body as a web stream: the socket is paused while the reader is behind (64 KiB buffered). */
export function readableStream(body: ResponseBody): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.read({
          chunk(data) {
            controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
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
    { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
  );
}
