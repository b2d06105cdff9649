/**
 * CSV as this package writes it, everywhere it writes it (the listing commands' `--output csv`, the audit's
 * `--output csv`): RFC 4180 records (CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF, quotes
 * doubled) with a guard against formula injection.
 *
 * The guard: device names, cities and user names come from whoever signed in, and a spreadsheet opening the file
 * runs a cell that starts like a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|...`). Such a cell gets a leading
 * `'`, which spreadsheets read as "this is text" and do not show. A cell is guarded when it starts with one of the
 * characters OWASP lists (https://owasp.org/www-community/attacks/CSV_Injection and the Web Security Testing Guide's
 * "Testing for CSV Injection"): `=`, `+`, `-`, `@`, tab, CR, LF, or the full-width `＝`, `＋`, `－`, `＠` some
 * locales treat alike. One exception keeps data as it is: a `+` or `-` cell that is, as a whole, a number (`-1.5`,
 * `+3`, `-2.5e-7`) or a UTC offset (`+01:00`, `-08:00`, `+0530`). Such a cell holds no function a spreadsheet could
 * call, and the audit's `Timezone` column is full of offsets. (csv-stringify's `escape_formulas` guards every `-` and
 * `+` cell, numbers included, which is why this rule is written here rather than taken from it.)
 *
 * Web-standard only: the default entry may import it.
 */

/** Characters that make a spreadsheet read a cell as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A signed decimal number or a UTC offset: what a `+` or `-` cell may be and stay as it is. */
const SIGNED_VALUE = /^[+-](?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|\d{2}:\d{2})$/;

/** Characters that make RFC 4180 quote a field. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * The text a spreadsheet will show as text: `'` before a cell that would otherwise run as a formula.
 * @example defuseFormula('=HYPERLINK("http://x","y")') // '\'=HYPERLINK("http://x","y")'
 * @example defuseFormula("-1.5") // "-1.5"
 */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_VALUE.test(text) ? `'${text}` : text;
}

/**
 * One CSV field: formulas defused, then quoted as RFC 4180 requires.
 * @example csvField('Spring "field", OR') // '"Spring ""field"", OR"'
 */
export function csvField(text: string): string {
  const safe = defuseFormula(text);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * One CSV record: the fields (`undefined` is an empty field), comma-separated, ended by CRLF.
 * @example csvRecord(["alice", undefined, "+01:00"]) // "alice,,+01:00\r\n"
 */
export function csvRecord(fields: readonly (string | undefined)[]): string {
  return `${fields.map((field) => (field === undefined ? "" : csvField(field))).join(",")}\r\n`;
}
