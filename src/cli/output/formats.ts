/**
 * The `--output` formats of the operation commands, the default first. Adding a format: one file exporting an
 * {@link OutputFormat}, and one line here.
 */

import type { OutputFormat } from "./format.ts";
import { csvOutput } from "./csv.ts";
import { jsonOutput } from "./json.ts";
import { ndjsonOutput } from "./ndjson.ts";
import { ocsfOutput } from "./ocsf.ts";
import { tableOutput } from "./table.ts";
import { textOutput } from "./text.ts";

export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  jsonOutput,
  textOutput,
  tableOutput,
  ndjsonOutput,
  csvOutput,
  ocsfOutput,
];

/** The format of this `--output` value, if there is one. */
export function outputFormat(name: string): OutputFormat | undefined {
  return OUTPUT_FORMATS.find((format) => format.name === name);
}
