/**
 * Output formats. `json` and `text` are the AWS CLI v1's (awscli/formatter.py, awscli/text.py),
 * byte for byte; `table` is in table.ts; `ndjson` and `csv` are this CLI's additions for exports.
 */

import { csvRecord } from "../csv.ts";
import { PyDatetime, type PyObject, type PyValue, isPyObject, pyJsonDumps, pyStr } from "./pyjson.ts";

/** Python's default string order (code points), for `sorted()` of keys. */
export function pyCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const isContainer = (value: PyValue | undefined): boolean => Array.isArray(value) || isPyObject(value);

/**
 * `--output json`: `json.dump(response, indent=4, ensure_ascii=False)` and a newline, nothing for
 * an empty dict (awscli's JSONFormatter).
 */
export function formatJson(value: PyValue): string {
  if (isPyObject(value) && Object.keys(value).length === 0) return "";
  return `${pyJsonDumps(value, { indent: 4, ensureAscii: false })}\n`;
}

/** `--output text` for one value (awscli/text.py `format_text`). */
export function formatText(value: PyValue): string {
  const out: string[] = [];
  formatTextItem(value, out, undefined, undefined);
  return out.join("");
}

function formatTextItem(
  item: PyValue | undefined,
  out: string[],
  identifier: string | undefined,
  scalarKeys: string[] | undefined,
): void {
  if (isPyObject(item)) formatDict(scalarKeys, item, identifier, out);
  else if (Array.isArray(item)) formatList(item, identifier, out);
  else out.push(`${pyStr(item)}\n`);
}

function formatList(item: PyValue[], identifier: string | undefined, out: string[]): void {
  if (item.length === 0) return;
  if (item.some(isPyObject)) {
    const allKeys = allScalarKeys(item);
    for (const element of item) formatTextItem(element, out, identifier, allKeys);
  } else if (item.some(Array.isArray)) {
    const scalars = item.filter((el) => !isContainer(el));
    const nonScalars = item.filter(isContainer);
    if (scalars.length > 0) formatScalarList(scalars, identifier, out);
    for (const element of nonScalars) formatTextItem(element, out, identifier, undefined);
  } else {
    formatScalarList(item, identifier, out);
  }
}

function formatScalarList(elements: PyValue[], identifier: string | undefined, out: string[]): void {
  if (identifier !== undefined) {
    for (const element of elements) out.push(`${identifier.toUpperCase()}\t${pyStr(element)}\n`);
  } else {
    out.push(`${elements.map(pyStr).join("\t")}\n`);
  }
}

function formatDict(
  scalarKeys: string[] | undefined,
  item: PyObject,
  identifier: string | undefined,
  out: string[],
): void {
  const scalars: string[] = [];
  const nonScalars: [string, PyValue][] = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(item).sort(pyCompare)) {
      const value = item[key]!;
      if (isContainer(value)) nonScalars.push([key, value]);
      else scalars.push(pyStr(value));
    }
  } else {
    for (const key of scalarKeys) scalars.push(key in item ? pyStr(item[key]) : "");
    const scalarSet = new Set(scalarKeys);
    for (const key of Object.keys(item)
      .filter((k) => !scalarSet.has(k))
      .sort(pyCompare))
      nonScalars.push([key, item[key]!]);
  }
  if (scalars.length > 0) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(`${scalars.join("\t")}\n`);
  }
  for (const [key, value] of nonScalars) formatTextItem(value, out, key, undefined);
}

function allScalarKeys(list: PyValue[]): string[] {
  const keys = new Set<string>();
  for (const element of list) {
    if (!isPyObject(element)) continue;
    for (const key of Object.keys(element)) if (!isContainer(element[key])) keys.add(key);
  }
  return [...keys].sort(pyCompare);
}

/**
 * `--output ndjson` (not in the AWS CLI): one compact JSON value per line (`", "`/`": "`-free,
 * non-ASCII as is, numbers as Python writes them). A list writes one line per element.
 * @example formatNdjson([{ EventId: "a" }, { EventId: "b" }]) // '{"EventId":"a"}\n{"EventId":"b"}\n'
 */
export function formatNdjson(value: PyValue | undefined): string {
  if (value === undefined) return "";
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => `${pyJsonDumps(item, { ensureAscii: false, separators: [",", ":"] })}\n`).join("");
}

/** A CSV cell: scalars as JSON spells them (strings bare, `true`, `1700000000.0`), lists and nested objects as compact JSON. */
function csvCell(value: PyValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (value instanceof PyDatetime) return value.iso;
  return pyJsonDumps(value, { ensureAscii: false, separators: [",", ":"] });
}

/**
 * Flattens an object into `path -> value` columns: nested structures with dotted names
 * (`EventRisk.RiskDecision`), lists kept whole (one cell of JSON).
 */
export function flatten(value: PyValue, prefix = "", out = new Map<string, PyValue>()): Map<string, PyValue> {
  if (!isPyObject(value)) {
    out.set(prefix || "value", value);
    return out;
  }
  for (const key of Object.keys(value)) {
    const v = value[key]!;
    const name = prefix ? `${prefix}.${key}` : key;
    if (isPyObject(v) && Object.keys(v).length > 0) flatten(v, name, out);
    else out.set(name, v);
  }
  return out;
}

/**
 * `--output csv` (not in the AWS CLI), streamed: `header` is written once before the first row
 * (the columns are fixed up front, from the model, so rows can be written as pages arrive),
 * then one record per item, written by src/csv.ts (RFC 4180, formulas defused).
 */
export class CsvWriter {
  #headerWritten = false;
  constructor(
    /** The columns, dotted paths into each item. */
    readonly columns: readonly string[],
  ) {}

  /** The header (the first time only) and the rows of these items. */
  write(items: readonly PyValue[]): string {
    let out = "";
    if (!this.#headerWritten) {
      out += csvRecord(this.columns);
      this.#headerWritten = true;
    }
    for (const item of items) {
      const cells = flatten(item);
      out += csvRecord(this.columns.map((column) => csvCell(cells.get(column))));
    }
    return out;
  }

  /** The header alone, if nothing was written yet (an empty listing still gets its header). */
  finish(): string {
    return this.write([]);
  }
}
