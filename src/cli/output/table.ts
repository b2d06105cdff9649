/**
 * `--output table`, as the AWS CLI v1 draws it (awscli/formatter.py `TableFormatter`,
 * awscli/table.py `MultiTable`): a section per structure or list, sorted columns, nested
 * sections indented with `|`, widths counting East Asian wide and ambiguous characters as 2, and
 * the switch to a vertical layout when the table is wider than the terminal (80 columns when
 * standard output is not a terminal). On a terminal, the service's control characters are shown
 * escaped (terminal.ts), before widths are measured.
 */

import { textLength } from "../../east-asian-width.ts";
import { writeTo } from "../io.ts";
import { isPyObject, type PyObject, pyCompare, type PyValue, pyStr } from "../pyjson.ts";
import { type OutputFormat, select } from "./format.ts";
import { shownOn } from "./terminal.ts";

/** How table cells are styled: plain, or colorized as the AWS CLI's `ColorizedStyler` does. */
interface Styler {
  rowElement(text: string): string;
  indentationChar(text: string): string;
  /**
   * Written after every `write()` to standard output: colorama's `autoreset`, which the AWS CLI
   * turns on with its colorized styler, appends a reset to each write call.
   */
  readonly afterWrite: string;
}

const PLAIN: Styler = { rowElement: (t) => t, indentationChar: (t) => t, afterWrite: "" };
// colorama: Style.BRIGHT + Fore.BLUE ... Style.RESET_ALL; Style.DIM + Fore.YELLOW for the indentation bars.
const COLOR: Styler = {
  rowElement: (t) => `\x1b[1m\x1b[34m${t}\x1b[0m`,
  indentationChar: (t) => `\x1b[2m\x1b[33m${t}\x1b[0m`,
  afterWrite: "\x1b[0m",
};

class Section {
  title = "";
  headers: string[] = [];
  rows: string[][] = [];
  indentLevel = 0;
  #numCols: number | undefined;
  #maxWidths: number[] = [];

  calculateColumnWidths(padding = 0, maxWidth?: number): number[] {
    const unscaled = this.#maxWidths.map((w) => w + padding);
    if (maxWidth === undefined || unscaled.length === 0) return unscaled;
    const scale = maxWidth / unscaled.reduce((a, b) => a + b, 0);
    const scaled = unscaled.map((w) => pyRound(scale * w));
    let offBy = scaled.reduce((a, b) => a + b, 0) - maxWidth;
    while (offBy !== 0) {
      const order = [...scaled.keys()];
      if (offBy < 0) order.reverse();
      for (const i of order) {
        if (offBy > 0) {
          scaled[i]!--;
          offBy--;
        } else {
          scaled[i]!++;
          offBy++;
        }
        if (offBy === 0) break;
      }
    }
    return scaled;
  }

  totalWidth(padding = 0, withBorder = false, outerPadding = 0): number {
    let total = 0;
    for (const w of this.calculateColumnWidths()) total += w + padding;
    if (withBorder) total += 2;
    total += outerPadding * 2;
    return Math.max(textLength(this.title) + 2 + outerPadding * 2, total);
  }

  addHeader(headers: string[]): void {
    this.#updateMaxWidths(headers);
    if (this.#numCols === undefined) this.#numCols = headers.length;
    this.headers = headers;
  }

  addRow(row: PyValue[]): void {
    if (this.#numCols === undefined) this.#numCols = row.length;
    if (row.length !== this.#numCols)
      throw new RangeError(`Row should have ${this.#numCols} elements, instead it has ${row.length}`);
    const formatted = row.map((r) => pyStr(r));
    this.rows.push(formatted);
    this.#updateMaxWidths(formatted);
  }

  #updateMaxWidths(row: string[]): void {
    if (this.#maxWidths.length === 0) this.#maxWidths = row.map(textLength);
    else
      row.forEach((el, i) => {
        this.#maxWidths[i] = Math.max(textLength(el), this.#maxWidths[i] ?? 0);
      });
  }
}

/** Python 3's `round()`: half to even. */
function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function centerText(
  text: string,
  length: number,
  leftEdge: string,
  rightEdge: string,
  textLen = textLength(text),
): string {
  const charStart = Math.floor(length / 2) - Math.floor(textLen / 2) - 1;
  const lengthSoFar = textLength(leftEdge) + charStart + textLen;
  const rightSpaces = length - textLength(rightEdge) - lengthSoFar;
  return leftEdge + " ".repeat(Math.max(0, charStart)) + text + " ".repeat(Math.max(0, rightSpaces)) + rightEdge;
}

function alignLeft(
  text: string,
  length: number,
  leftEdge: string,
  rightEdge: string,
  textLen = textLength(text),
  leftPadding = 2,
): string {
  const computed = textLen + leftPadding + textLength(leftEdge) + textLength(rightEdge);
  const padding = length - computed >= 0 ? leftPadding : 0;
  const soFar = leftEdge.length + padding + textLen;
  return leftEdge + " ".repeat(padding) + text + " ".repeat(Math.max(0, length - soFar - rightEdge.length)) + rightEdge;
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Colorize cells as `--color on` (or `auto` on a terminal) does. @default false */
  color?: boolean;
  /** The terminal's width; the AWS CLI assumes 80 when standard output is not a terminal. @default 80 */
  terminalWidth?: number;
}

/**
 * The table for a response (`title` is the operation name). Empty when there is nothing to draw. Long on purpose: it
 * follows awscli's `TableFormatter` and `MultiTable` step by step (sections, then widths, then the vertical
 * fallback), so each step can be checked against theirs.
 * @example formatTable("ListUsers", { Users: [...] })
 */
export function formatTable(title: string, value: PyValue, options: TableOptions = {}): string {
  const styler = options.color ? COLOR : PLAIN;
  const terminalWidth = options.terminalWidth ?? 80;
  const sections: Section[] = [];
  let current: Section | undefined;
  const newSection = (t: string, indentLevel = 0) => {
    current = new Section();
    sections.push(current);
    current.title = t;
    current.indentLevel = indentLevel;
  };
  const section = (): Section => {
    if (!current) throw new RangeError("no table section to add to");
    return current;
  };

  const isScalar = (v: PyValue | undefined) => !(Array.isArray(v) || isPyObject(v));
  const groupScalarKeys = (obj: PyObject): [string[], string[]] => {
    const headers: string[] = [];
    const more: string[] = [];
    for (const key of Object.keys(obj)) (isScalar(obj[key]) ? headers : more).push(key);
    return [headers.sort(pyCompare), more.sort(pyCompare)];
  };
  const truthy = (v: PyValue | undefined): boolean => {
    if (v === null || v === undefined || v === false || v === "") return false;
    if (typeof v === "number" || v instanceof Number) return Number(v) !== 0;
    if (Array.isArray(v)) return v.length > 0;
    if (isPyObject(v)) return Object.keys(v).length > 0;
    return true;
  };

  const buildTable = (t: string | undefined, value: PyValue, indentLevel = 0): boolean => {
    if (!truthy(value)) return false;
    if (t !== undefined) newSection(t, indentLevel);
    if (Array.isArray(value)) {
      if (isPyObject(value[0])) buildFromList(value as PyObject[], indentLevel, t);
      else {
        for (const item of value) {
          if (isScalar(item)) section().addRow([item]);
          else if (Array.isArray(item) && item.every(isScalar)) section().addRow(item);
          else if (isPyObject(item) && Object.keys(item).every((k) => isScalar(k))) section().addRow(Object.keys(item));
          else buildTable(undefined, item);
        }
      }
    }
    if (isPyObject(value)) buildFromDict(value, indentLevel);
    return true;
  };
  const buildFromDict = (obj: PyObject, indentLevel: number) => {
    const [headers, more] = groupScalarKeys(obj);
    if (headers.length === 1) section().addRow([headers[0]!, obj[headers[0]!]!]);
    else if (headers.length > 0) {
      section().addHeader(headers);
      section().addRow(headers.map((k) => obj[k]!));
    }
    for (const key of more) buildTable(key, obj[key]!, indentLevel + 1);
  };
  const buildFromList = (list: PyObject[], indentLevel: number, t: string | undefined) => {
    const headerSet = new Set<string>();
    const moreSet = new Set<string>();
    for (const item of list) {
      // Elements that are not dicts would make Python fail here; skip them.
      if (!isPyObject(item)) continue;
      const [h, m] = groupScalarKeys(item);
      for (const k of h) headerSet.add(k);
      for (const k of m) moreSet.add(k);
    }
    const headers = [...headerSet].sort(pyCompare);
    const more = [...moreSet].sort(pyCompare);
    section().addHeader(headers);
    let first = true;
    for (const element of list) {
      if (!isPyObject(element)) continue;
      if (!first && more.length > 0) {
        newSection(t ?? "", indentLevel);
        section().addHeader(headers);
      }
      first = false;
      section().addRow(headers.map((h) => (h in element ? element[h]! : "")));
      for (const key of more) if (key in element) buildTable(key, element[key]!, indentLevel + 1);
    }
  };

  if (!buildTable(title, value)) return "";

  const maxWidthOf = () => Math.max(...sections.map((s) => s.totalWidth(4, true, s.indentLevel)));
  let maxWidth = maxWidthOf();
  if (maxWidth > terminalWidth) {
    // convert_to_vertical_table: single-row sections become key/value rows.
    sections.forEach((s, i) => {
      if (s.rows.length === 1 && s.headers.length > 0) {
        const vertical = new Section();
        vertical.title = s.title;
        vertical.indentLevel = s.indentLevel;
        s.headers.forEach((header, j) => {
          vertical.addRow([header, s.rows[0]![j] ?? ""]);
        });
        sections[i] = vertical;
      }
    });
    maxWidth = maxWidthOf();
  }

  const out: string[] = [`${"-".repeat(maxWidth)}\n${styler.afterWrite}`];
  for (const s of sections) renderSection(s, maxWidth, styler, out);
  return out.join("");
}

function renderSection(section: Section, fullWidth: number, styler: Styler, out: string[]): void {
  const bar = styler.indentationChar("|");
  const indent = bar.repeat(section.indentLevel);
  // IndentedStream: every line gets the indentation bars on both sides, in four writes.
  const r = styler.afterWrite;
  const write = (line: string) => out.push(`${indent + r + line + r + indent + r}\n${r}`);
  const maxWidth = fullWidth - section.indentLevel * 2;
  if (section.title) {
    write(centerText(section.title, maxWidth, "|", "|"));
    if (section.headers.length === 0 && section.rows.length === 0) write(`+${"-".repeat(maxWidth - 2)}+`);
  }
  const lineBreak = (widths: number[]) =>
    widths.map((w, i) => (i === 0 ? `+${"-".repeat(w - 2)}+` : `${"-".repeat(w - 1)}+`)).join("");
  if (section.headers.length > 0) {
    const widths = section.calculateColumnWidths(4, maxWidth);
    const line = section.headers.map((h, i) => centerText(h, widths[i] ?? 0, i === 0 ? "|" : "", "|")).join("");
    write(lineBreak(widths));
    write(line);
  }
  if (section.rows.length > 0) {
    const widths = section.calculateColumnWidths(4, maxWidth);
    if (widths.length === 0) return;
    write(lineBreak(widths));
    for (const row of section.rows) {
      const line = widths
        .map((w, i) =>
          i < row.length ? alignLeft(styler.rowElement(row[i]!), w, i === 0 ? "|" : "", "|", textLength(row[i]!)) : "",
        )
        .join("");
      write(line);
    }
    write(lineBreak(widths));
  }
}

export const tableOutput: OutputFormat = {
  name: "table",
  description: "boxed tables as the AWS CLI prints them",
  mergesPages: true,
  open: (context) => ({
    response: (value) =>
      writeTo(
        context.io.stdout,
        formatTable(context.operation, shownOn(context, select(context, value)), {
          color: context.color,
          terminalWidth: context.terminalWidth,
        }),
      ),
  }),
};
