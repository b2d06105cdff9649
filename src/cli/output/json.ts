/**
 * `--output json`: the AWS CLI v1's (awscli/formatter.py JSONFormatter), byte for byte; a listing's pages merged. On a
 * terminal, the characters a terminal would act on are written as `\uXXXX` escapes (src/cli/output/terminal.ts).
 */

import { writeTo } from "../io.ts";
import { isPyObject, type PyValue, pyJsonDumps } from "../pyjson.ts";
import { type OutputFormat, select } from "./format.ts";
import { jsonShownOn } from "./terminal.ts";

/**
 * `--output json`: `json.dump(response, indent=4, ensure_ascii=False)` and a newline, nothing for
 * an empty dict (awscli's JSONFormatter).
 */
export function formatJson(value: PyValue): string {
  if (isPyObject(value) && Object.keys(value).length === 0) return "";
  return `${pyJsonDumps(value, { indent: 4, ensureAscii: false })}\n`;
}

export const jsonOutput: OutputFormat = {
  name: "json",
  description: "JSON as the AWS CLI prints it",
  mergesPages: true,
  open: (context) => ({
    response: (value) => writeTo(context.io.stdout, jsonShownOn(context, formatJson(select(context, value)))),
  }),
};
