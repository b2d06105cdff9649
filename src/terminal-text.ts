/**
 * Text from the service, made safe to show on a terminal. Usernames, device names, cities, countries and addresses
 * come from whoever signed in: written as they are, an ESC sequence would move the cursor, clear the screen, write
 * the clipboard (OSC 52) or make a link (OSC 8), a carriage return would overwrite a line, and a bidi override or a
 * zero-width space would make one name read as another (https://trojansource.codes/).
 *
 * Every such character is shown as `\u{XXXX}` (its code point in hexadecimal, as JavaScript writes it), so the text
 * stays readable and the character can be told: C0 and C1 controls (tab, line feed and carriage return included),
 * DEL, the format characters (bidi overrides, embeddings, isolates and marks, zero-width spaces, the BOM, soft
 * hyphens, tags) and the line and paragraph separators. ZERO WIDTH JOINER is kept: emoji sequences are built with
 * it. A backslash is not escaped, so `\u{1B}` typed in a name reads the same as an escape character: the point is
 * that nothing reaches the terminal raw, not that the text can be decoded back.
 *
 * Web-standard globals only.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const ZERO_WIDTH_JOINER = "\u200D";

function visible(char: string): string {
  return `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`;
}

/**
 * One value from the service as a terminal may show it: every control, bidi and invisible format character shown as
 * `\u{XXXX}`.
 * @example terminalText("evil\x1b[2J") // "evil\\u{1B}[2J"
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (char) => (char === ZERO_WIDTH_JOINER ? char : visible(char)));
}

/**
 * A message of several lines that may quote service data (an error, a debug log): the same as
 * {@link terminalText}, but line feeds, the message's own line breaks, are kept.
 * @example terminalLines("line one\nline two\r") // "line one\nline two\\u{D}"
 */
export function terminalLines(text: string): string {
  return text.replace(UNSAFE, (char) => (char === ZERO_WIDTH_JOINER || char === "\n" ? char : visible(char)));
}
