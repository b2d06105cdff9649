/**
 * Markup that cannot carry the data's markup: every value interpolated into {@link html} is escaped unless it is
 * itself {@link Markup} built here. Device names, cities and usernames come from whoever signed in
 * (https://owasp.org/www-community/attacks/xss/), so the report never writes them any other way.
 *
 * Web-standard globals only.
 */

/** Proves that a {@link Markup} was made here: nothing outside this module can wrap arbitrary text as markup. */
const BUILT_HERE = Symbol("markup built by src/report/markup.ts");

/** A fragment of HTML or SVG that is safe to insert as is: only {@link html} and the helpers here make one. */
export class Markup {
  readonly #text: string;
  /** @hidden Use {@link html}. */
  constructor(text: string, proof: symbol) {
    if (proof !== BUILT_HERE) throw new TypeError("Markup is made by html`...`, which escapes what it interpolates");
    this.#text = text;
  }
  /** The markup's text. */
  toString(): string {
    return this.#text;
  }
}

const trusted = (text: string): Markup => new Markup(text, BUILT_HERE);

/** What {@link html} accepts between its literal parts: text is escaped, markup kept, lists joined, nothing dropped. */
export type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes the five characters that end text or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function interpolate(value: Interpolation): string {
  if (value instanceof Markup) return value.toString();
  if (value === null || value === undefined || value === false || value === true) return "";
  if (Array.isArray(value)) return value.map(interpolate).join("");
  return escapeHtml(String(value));
}

/**
 * A template tag whose values are escaped (text) or kept (markup from this module).
 * @example html`<td>${username}</td>` // a username of "<script>" is shown as text
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]!) + strings[i + 1]!;
  return trusted(out);
}

/**
 * Characters that change how the text around them reads without being seen: controls, format characters (bidi
 * overrides and isolates, zero-width spaces, the BOM, soft hyphens) and line separators. ZERO WIDTH JOINER is left
 * alone: emoji sequences are built with it.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const ZERO_WIDTH_JOINER = "\u200D";

/** The code point as `U+XXXX`. */
export function codePointLabel(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A run this long without a space gets break opportunities (`<wbr>`) every {@link BREAK_EVERY} characters. */
const LONG_RUN = /\S{32,}/gu;
const BREAK_EVERY = 16;

/**
 * Text from the data, for a table cell or a list: escaped, its invisible characters shown as marked `U+XXXX` labels
 * (a username with a right-to-left override or a zero-width space must not pass for another one), inside `<bdi>` so
 * that right-to-left text does not reorder what stands next to it (https://www.w3.org/International/articles/inline-bidi-markup/).
 * Long runs without a space may wrap; the rest wraps only at spaces, so addresses and dates stay whole.
 * @example dataText("admin\u200B") // <bdi>admin<span class="cc">U+200B</span></bdi>
 */
export function dataText(text: string): Markup {
  const mark = (label: string) => html`<span class="cc">${label}</span>`;
  let out = "";
  let last = 0;
  for (const run of text.matchAll(LONG_RUN)) {
    out += visible(text.slice(last, run.index), mark).toString();
    const chars = [...run[0]];
    const pieces: string[] = [];
    for (let i = 0; i < chars.length; i += BREAK_EVERY)
      pieces.push(visible(chars.slice(i, i + BREAK_EVERY).join(""), mark).toString());
    out += pieces.join("<wbr>");
    last = run.index + run[0].length;
  }
  return trusted(`<bdi>${out}${visible(text.slice(last), mark).toString()}</bdi>`);
}

/** The same for SVG `<text>`: marked labels as `<tspan>`. */
export function svgText(text: string): Markup {
  return visible(text, (label) => html`<tspan class="cc">${label}</tspan>`);
}

function visible(text: string, mark: (label: string) => Markup): Markup {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match[0] === ZERO_WIDTH_JOINER) continue;
    out += escapeHtml(text.slice(last, match.index)) + mark(codePointLabel(match[0])).toString();
    last = match.index + match[0].length;
  }
  return trusted(out + escapeHtml(text.slice(last)));
}

/**
 * Shortens text to `max` user-perceived characters with an ellipsis (chart labels have little room; tables show the
 * whole text). Counts code points, so a surrogate pair is never cut in half.
 */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/**
 * A `<style>` element for a style sheet written in this package (not from the data): its text is kept as is, since
 * entities mean nothing inside `<style>`; one that could end the element early is refused.
 */
export function styleElement(css: string): Markup {
  if (/<\/style/i.test(css)) throw new TypeError("a style sheet must not contain </style");
  return trusted(`<style>${css}</style>`);
}
