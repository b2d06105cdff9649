/** `Content-Encoding` undone the way fetch does it: gzip, deflate and br, last applied first; unknown codings pass. */
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** The response's body, decoded. */
export function decode(response: IncomingMessage): Readable {
  const coding = response.headers["content-encoding"];
  if (coding === undefined) return response;
  const codings = coding
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  let stream: Readable = response;
  // Codings are listed in the order they were applied: undo them last first.
  for (const c of codings.reverse()) {
    const decoder = decoderFor(c);
    if (decoder === undefined) return response;
    const from = stream;
    from.on("error", (error) => decoder.destroy(error));
    stream = from.pipe(decoder);
  }
  return stream;
}

function decoderFor(coding: string): (NodeJS.ReadWriteStream & Readable) | undefined {
  // Lenient flushing as undici does: servers often end gzip streams early.
  const lenient = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
  if (coding === "gzip" || coding === "x-gzip") return createGunzip(lenient);
  if (coding === "deflate") return createInflate(lenient);
  if (coding === "br") return createBrotliDecompress();
  return undefined;
}
