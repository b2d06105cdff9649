/**
 * `--output csv` (not in the AWS CLI), streamed: the header once, then one record per item as pages arrive, written
 * by src/csv.ts (RFC 4180, formulas defused: device names and cities come from whoever signed in). Columns: the item
 * shape's members from the model, nested structures flattened (`EventRisk.RiskDecision`); with `--query`, the first
 * row's keys (or `value` for scalars). On a terminal, each cell goes through the terminal rule first
 * (src/terminal-text.ts): an escape sequence in a device name is shown, not acted on.
 */

import { csvRecord } from "../../csv.ts";
import { terminalText } from "../../terminal-text.ts";
import { writeTo } from "../io.ts";
import { skeleton } from "../operation/shape.ts";
import { isPyObject, PyDatetime, type PyValue, pyJsonDumps } from "../pyjson.ts";
import type { OutputContext, OutputFormat } from "./format.ts";
import { itemWriter } from "./items.ts";

/** A cell's text: scalars as JSON spells them (strings bare, `true`, `1700000000.0`), lists and objects as compact JSON. */
function cellText(value: PyValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (value instanceof PyDatetime) return value.iso;
  return pyJsonDumps(value, { ensureAscii: false, separators: [",", ":"] });
}

/**
 * Flattens an object into `path -> value` columns: nested structures with dotted names
 * (`EventRisk.RiskDecision`), lists kept whole (one cell of JSON).
 */
function flatten(value: PyValue, prefix = "", out = new Map<string, PyValue>()): Map<string, PyValue> {
  if (!isPyObject(value)) {
    out.set(prefix || "value", value);
    return out;
  }
  for (const key of Object.keys(value)) {
    const member = value[key]!;
    const name = prefix ? `${prefix}.${key}` : key;
    if (isPyObject(member) && Object.keys(member).length > 0) flatten(member, name, out);
    else out.set(name, member);
  }
  return out;
}

/** The columns of a listing's items, from the model: what the header is before any item arrives. */
function modelColumns(context: OutputContext): string[] | undefined {
  if (context.query || !context.listing) return undefined;
  const sample = skeleton(context.outputShape, true);
  const list = isPyObject(sample) ? sample[context.listing.resultKey] : undefined;
  const item = Array.isArray(list) ? list[0] : undefined;
  return item === undefined ? undefined : [...flatten(item).keys()];
}

export const csvOutput: OutputFormat = {
  name: "csv",
  description: "a header and one RFC 4180 record per item, nested members flattened, streamed",
  mergesPages: false,
  open(context) {
    let columns = modelColumns(context);
    let headerWritten = false;
    // On a terminal, every cell (and column name) as a terminal may show it.
    const shown = context.stdoutIsTerminal ? terminalText : (text: string) => text;
    const record = (cells: readonly string[]) => csvRecord(cells.map(shown));
    const header = async () => {
      if (columns && !headerWritten) await writeTo(context.io.stdout, record(columns));
      headerWritten = true;
    };
    return itemWriter(context, {
      async write(value) {
        const list = Array.isArray(value) ? value : [value];
        if (list.length === 0) return;
        columns ??= isPyObject(list[0]) ? [...flatten(list[0]).keys()] : ["value"];
        await header();
        const rows = list.map((item) => {
          const cells = flatten(item);
          return record(columns!.map((column) => cellText(cells.get(column))));
        });
        await writeTo(context.io.stdout, rows.join(""));
      },
      finish: header,
    });
  },
};
