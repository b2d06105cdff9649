/**
 * Adapter 2: MSW v2 request handlers over the emulator core, for vitest/jest suites
 * (`cognito-auth-events/msw`). Runs wherever MSW runs: the core uses web globals only.
 */

import { delay, http, HttpResponse, type HttpHandler } from "msw";
import { EmulatorCore, type EmulatorResponse } from "./core.ts";
import type { EmulatorOptions } from "./types.ts";

/** Options of {@link createEmulatorHandlers}. */
export interface EmulatorHandlersOptions {
  /**
   * The endpoint to intercept (MSW URL pattern; `*` matches any run of characters).
   * @default "https://cognito-idp.*.amazonaws.com/"
   * @example { endpoint: "https://cognito-idp.eu-west-1.amazonaws.com/" }
   */
  endpoint?: string;
}

const DEFAULT_ENDPOINT = "https://cognito-idp.*.amazonaws.com/";

function toResponse(answer: EmulatorResponse): Response {
  const bytes = new TextEncoder().encode(answer.body);
  if (answer.resetAfterBytes === undefined) {
    return new HttpResponse(bytes, { status: answer.status, headers: answer.headers });
  }
  // A reset before any byte is a network error; a reset mid-body is a body stream that fails
  // after the bytes the socket would have delivered.
  if (answer.resetAfterBytes === 0) return HttpResponse.error();
  const sent = bytes.subarray(0, answer.resetAfterBytes);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(sent);
      controller.error(new TypeError("emulator fault: connection reset (ECONNRESET)"));
    },
  });
  return new HttpResponse(stream, { status: answer.status, headers: answer.headers });
}

/**
 * MSW handlers answering the four operations from an emulator core (given, or created from
 * options). Use the same core with `startEmulator({ core })` to serve both ways.
 *
 * @example
 * const core = new EmulatorCore({ seed: 1 });
 * const server = setupServer(...createEmulatorHandlers(core));
 * server.listen({ onUnhandledRequest: "error" });
 */
export function createEmulatorHandlers(
  coreOrOptions: EmulatorCore | EmulatorOptions = {},
  options: EmulatorHandlersOptions = {},
): HttpHandler[] {
  const core = coreOrOptions instanceof EmulatorCore ? coreOrOptions : new EmulatorCore(coreOrOptions);
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  if (typeof endpoint !== "string" || endpoint === "") throw new TypeError("endpoint: expected a URL pattern string");
  return [
    http.post(endpoint, async ({ request }) => {
      const answer = await core.handle({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: await request.text(),
      });
      if (answer.delayMs) await delay(answer.delayMs);
      return toResponse(answer);
    }),
  ];
}

export { EmulatorCore } from "./core.ts";
