/**
 * `--output ndjson` (not in the AWS CLI): one compact JSON value per line, streamed as pages arrive, numbers as
 * Python writes them and non-ASCII as is (on a terminal, what a terminal would act on as `\uXXXX` escapes).
 */

import { writeTo } from "../io.ts";
import { type PyValue, pyJsonDumps } from "../pyjson.ts";
import type { OutputFormat } from "./format.ts";
import { itemWriter } from "./items.ts";
import { jsonShownOn } from "./terminal.ts";

/**
 * Lines of NDJSON: a list writes one line per element.
 * @example formatNdjson([{ EventId: "a" }, { EventId: "b" }]) // '{"EventId":"a"}\n{"EventId":"b"}\n'
 */
export function formatNdjson(value: PyValue | undefined): string {
  if (value === undefined) return "";
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => `${pyJsonDumps(item, { ensureAscii: false, separators: [",", ":"] })}\n`).join("");
}

export const ndjsonOutput: OutputFormat = {
  name: "ndjson",
  description: "one JSON item per line, streamed as pages arrive",
  mergesPages: false,
  open: (context) =>
    itemWriter(context, {
      write: (value) => writeTo(context.io.stdout, jsonShownOn(context, formatNdjson(value))),
      finish: async () => {},
    }),
};
