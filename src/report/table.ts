/**
 * The report's tables (every chart's numbers are in one) and the formats of their cells: counts with thousands
 * separators, shares, UTC times.
 *
 * Web-standard globals only.
 */
import { html, type Interpolation, type Markup } from "./markup.ts";

/** Thousands separated: `12,345`. */
export const formatCount: (n: number) => string = new Intl.NumberFormat("en-US").format;

/** A count and its noun, singular or plural: `1 user`, `2 users`. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/** A share with one decimal: `12.5%`; empty when there is nothing to share. */
export function formatShare(part: number, whole: number): string {
  return whole === 0 ? "" : `${((part / whole) * 100).toFixed(1)}%`;
}

/** A moment in UTC to the minute: `2024-12-31 23:59 UTC`. */
export function formatTime(time: number | Date | undefined): string {
  if (time === undefined) return "";
  const date = time instanceof Date ? time : new Date(time);
  return Number.isNaN(date.getTime()) ? "" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** One column of {@link dataTable}. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => Interpolation;
  /** Right-aligned, tabular figures. @default false */
  numeric?: boolean;
  /** Kept on one line (times). @default false */
  nowrap?: boolean;
}

/** Options of {@link dataTable}. */
export interface TableOptions<Row> {
  /** The table's id: a constant of the report (tests and links find the table by it). */
  id: string;
  caption: string;
  columns: readonly Column<Row>[];
  /** Rows shown; the rest are counted below the table. @default every row */
  limit?: number;
  /** What to say after "and N more" (where to find the rest). */
  more?: Interpolation;
  /** Said instead of an empty table. @default "None." */
  empty?: string;
  /** Tall tables scroll inside a box of their own. @default false */
  scroll?: boolean;
}

/**
 * A table with a caption, a header row and one row per item, or a sentence when there are no rows.
 * @example dataTable(countries, { id: "countries", caption: "Events by country", columns: [{ header: "Country", cell: (c) => dataText(c.country) }] })
 */
export function dataTable<Row>(rows: readonly Row[], options: TableOptions<Row>): Markup {
  if (rows.length === 0) return html`<p class="empty" id="${options.id}">${options.empty ?? "None."}</p>`;
  const limit = Math.min(rows.length, options.limit ?? rows.length);
  const cls = (column: Column<Row>) =>
    column.numeric ? html` class="num"` : column.nowrap ? html` class="nowrap"` : html``;
  const body: Markup[] = [];
  for (let i = 0; i < limit; i++) {
    const row = rows[i]!;
    body.push(html`<tr>${options.columns.map((column) => html`<td${cls(column)}>${column.cell(row)}</td>`)}</tr>`);
  }
  const table = html`<table id="${options.id}"><caption>${options.caption}</caption><thead><tr>${options.columns.map(
    (column) => html`<th scope="col"${cls(column)}>${column.header}</th>`,
  )}</tr></thead><tbody>${body}</tbody></table>`;
  const rest = rows.length - limit;
  const more =
    rest > 0
      ? html`<p class="more">… and ${formatCount(rest)} more.${options.more ? html` ${options.more}` : ""}</p>`
      : "";
  return options.scroll ? html`<div class="scroll">${table}</div>${more}` : html`${table}${more}`;
}
