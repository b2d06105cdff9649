/**
 * `--output last-sign-in` (a table for people), `last-sign-in-ndjson` and `last-sign-in-csv`: every user's last
 * successful sign-in, the users without one first (src/report/last-sign-in.ts computes the rows). Usernames, cities
 * and device names come from whoever signed in: the CSV goes through the formula-injection guard, the table shows
 * control and bidi characters as `\u{...}` escapes (src/terminal-text.ts) so nothing can move the terminal's cursor
 * or reorder a line.
 */
import { displayWidth } from "../../east-asian-width.ts";
import { LAST_SIGN_IN_COLUMNS, type LastSignInRow } from "../../report/last-sign-in.ts";
import { csvRecord } from "../../csv.ts";
import { terminalText } from "../../terminal-text.ts";

/** One JSON object per user, keys in {@link LAST_SIGN_IN_COLUMNS} order, `null` where there is nothing. */
export function lastSignInNdjson(rows: readonly LastSignInRow[]): string {
  let out = "";
  for (const row of rows)
    out += `${JSON.stringify(Object.fromEntries(LAST_SIGN_IN_COLUMNS.map((c) => [c, row[c]])))}\n`;
  return out;
}

/** RFC 4180 CSV with a header row; empty cells for `null`. */
export function lastSignInCsv(rows: readonly LastSignInRow[]): string {
  let out = csvRecord(LAST_SIGN_IN_COLUMNS);
  for (const row of rows)
    out += csvRecord(LAST_SIGN_IN_COLUMNS.map((c) => (row[c] == null ? undefined : String(row[c]))));
  return out;
}

const TABLE_COLUMNS: ReadonlyArray<[header: string, cell: (row: LastSignInRow) => string, right?: boolean]> = [
  ["User", (row) => row.Username],
  ["Last successful sign-in", (row) => row.LastSignIn ?? "none in the period"],
  ["Days", (row) => (row.DaysBeforePeriodEnd === null ? "" : String(row.DaysBeforePeriodEnd)), true],
  ["IP address", (row) => row.IpAddress ?? ""],
  ["Place", (row) => [row.City, row.Country].filter((part) => part !== null).join(", ")],
  ["Device", (row) => row.DeviceName ?? ""],
];

/**
 * Aligned columns (East Asian wide characters count as two), a header and a rule; below, the count and the moment
 * `Days` counts back from (the period's end).
 */
export function lastSignInTable(rows: readonly LastSignInRow[], periodEnd: Date | undefined): string {
  const cells = rows.map((row) => TABLE_COLUMNS.map(([, cell]) => terminalText(cell(row))));
  const widths = TABLE_COLUMNS.map(([header], i) =>
    Math.max(displayWidth(header), ...cells.map((r) => displayWidth(r[i]!))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => {
        const fill = " ".repeat(widths[i]! - displayWidth(value));
        return TABLE_COLUMNS[i]![2] ? fill + value : i === values.length - 1 ? value : value + fill;
      })
      .join("  ")
      .trimEnd();
  const without = rows.filter((row) => row.LastSignIn === null).length;
  return [
    line(TABLE_COLUMNS.map(([header]) => header)),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    "",
    `${rows.length} user${rows.length === 1 ? "" : "s"}, ${without} without a successful sign-in in the period.`,
    ...(periodEnd ? [`Days: whole days from the last successful sign-in to ${periodEnd.toISOString()}.`] : []),
    "",
  ].join("\n");
}
