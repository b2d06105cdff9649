/**
 * src/terminal-text.ts, the one rule for service data shown to a person at a terminal: control, bidi and invisible
 * characters become `\u{XXXX}`, everything else stays as it is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalLines, terminalText } from "../src/terminal-text.ts";
import { rawControl, TERMINAL_HOSTILE } from "./fixtures/cli/terminal.ts";

const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Any character, with the controls, marks and joiners that matter here drawn more often than by chance. */
const character = fc.oneof(
  fc.constantFrom(
    "\x1b",
    "\r",
    "\n",
    "\t",
    "\0",
    "\x7f",
    "\x9b",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2067",
    "\ufeff",
    "\\",
  ),
  fc
    .integer({ min: 0, max: 0x2ffff })
    .filter((code) => code < 0xd800 || code > 0xdfff)
    .map((code) => String.fromCodePoint(code)),
);

describe("terminalText", () => {
  it.each(TERMINAL_HOSTILE)("shows $name as visible text", ({ text, shown }) => {
    expect(terminalText(text)).toBe(shown);
    expect(rawControl(terminalText(text))).toBeUndefined();
  });

  it.each([
    ["DEL", "a\x7Fb", "a\\u{7F}b"],
    ["tab, line feed", "a\tb\nc", "a\\u{9}b\\u{A}c"],
    [
      "the other bidi controls",
      "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069",
      "\\u{61C}\\u{200E}\\u{200F}\\u{202A}\\u{202B}\\u{202C}\\u{202D}\\u{2066}\\u{2067}\\u{2068}\\u{2069}",
    ],
    [
      "line and paragraph separators, the BOM, a soft hyphen",
      "a\u2028b\u2029c\uFEFFd\u00ADe",
      "a\\u{2028}b\\u{2029}c\\u{FEFF}d\\u{AD}e",
    ],
    ["a C1 control from the top of its range", "\u0085\u009F", "\\u{85}\\u{9F}"],
  ])("shows %s as visible text", (_name, text, shown) => {
    expect(terminalText(text)).toBe(shown);
  });

  it.each([
    ["ASCII with a backslash and quotes", 'Chrome "quoted" \\ back'],
    ["accents and wide characters", "Zoë, 東京, Côte d'Ivoire"],
    ["an emoji sequence joined with ZERO WIDTH JOINER", "👩‍💻 🏙️ Metropolis"],
    ["combining marks", "e\u0301"],
  ])("leaves %s as it is", (_name, text) => {
    expect(terminalText(text)).toBe(text);
  });

  it("leaves no control, bidi or invisible format character raw in any text, and other text as it is (property)", () => {
    const kept = (c: string) => c === "\u200D" || !UNSAFE.test(c);
    fc.assert(
      fc.property(fc.string({ unit: character, maxLength: 40 }), (text) => {
        const shown = terminalText(text);
        return [...shown].every(kept) && ([...text].every(kept) ? shown === text : shown !== text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("terminalLines", () => {
  it("keeps the message's line feeds and shows every other control", () => {
    expect(terminalLines("first\nsecond\r\x1b[2J\n")).toBe("first\nsecond\\u{D}\\u{1B}[2J\n");
  });
});
