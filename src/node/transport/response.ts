/**
 * What a fetch answers with: a web `Response` (the fetch), or only what the client reads, a `ResponseLike` (the
 * exchange), built from the same response head without a `Response` or a `ReadableStream`.
 */
import type { ResponseLike } from "../../fetch-like.ts";
import { readText, readableStream } from "./body.ts";
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

/** A web `Response` of `head`, its body streamed, with the `url` it came from (after `redirected`). */
export function toResponse(head: ResponseHead, url: URL, redirected: boolean): Response {
  let response: Response;
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < head.rawHeaders.length; i += 2)
      headers.append(head.rawHeaders[i]!, head.rawHeaders[i + 1]!);
    const body = head.body === undefined ? null : readableStream(head.body);
    response = new Response(body, { status: head.status, statusText: head.statusText, headers });
  } catch (cause) {
    head.body?.cancel();
    throw fetchFailed(cause);
  }
  // Read-only on a constructed Response: defined as fetch sets them.
  Object.defineProperty(response, "url", { value: url.href, enumerable: true });
  if (redirected) Object.defineProperty(response, "redirected", { value: true, enumerable: true });
  return response;
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
