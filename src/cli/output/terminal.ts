/**
 * What `--output text` and `--output table` print when standard output is a terminal: the service's strings and keys
 * with their control, bidi and invisible characters shown as `\u{XXXX}` (src/terminal-text.ts), so an escape
 * sequence in a device name cannot clear the screen, write the clipboard or hide a link. A deliberate difference from
 * the AWS CLI, which writes them raw; piped or redirected, both formats stay byte-identical to the AWS CLI's.
 */

import { terminalText } from "../../terminal-text.ts";
import { isPyObject, type PyObject, type PyValue } from "../pyjson.ts";
import type { OutputContext } from "./format.ts";

/** Every string and key of a value, as {@link terminalText} shows it; numbers, booleans and dates as they are. */
export function terminalValue(value: PyValue): PyValue {
  if (typeof value === "string") return terminalText(value);
  if (Array.isArray(value)) return value.map(terminalValue);
  if (!isPyObject(value)) return value;
  const out = Object.create(null) as PyObject;
  for (const key of Object.keys(value)) out[terminalText(key)] = terminalValue(value[key]!);
  return out;
}

/** The value as this context's standard output may show it: neutralized on a terminal, as it is otherwise. */
export function shownOn(context: Pick<OutputContext, "stdoutIsTerminal">, value: PyValue): PyValue {
  return context.stdoutIsTerminal ? terminalValue(value) : value;
}
