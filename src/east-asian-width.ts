/**
 * Terminal widths from Python's `unicodedata.east_asian_width` (Unicode 14.0.0, Python 3.11's database, as the
 * installed AWS CLI uses), in the two readings this package needs:
 * - {@link textLength}, the AWS CLI's `get_text_length` (for `--output table`): 2 columns per Wide, Fullwidth or
 *   Ambiguous code point, and per unassigned one (Python 3.11 classes those Fullwidth);
 * - {@link displayWidth}, the audit summary's: Wide and Fullwidth (CJK, and emoji such as U+231A and U+2615) are 2,
 *   Ambiguous 1 (as terminals outside East Asian locales draw them), controls, combining marks, ZWJ and variation
 *   selectors 0.
 *
 * Data, not code: the bounds of each run of code points of the classes, as hex deltas, printed by
 * `python3 scripts/east-asian-width.py`.
 */

/** What the AWS CLI counts as 2 columns: classes W, F and A, unassigned code points included. */
const CLI_WIDE =
  "a1,0,3,0,3,1,2,0,3,1,2,4,2,4,2,3,7,0,a,0,7,1,6,3,5,0,2,2,2,1,3,0,2,1,4,3,2,0,2,0,3,0,10,0,2,0,8,0,b," +
  "1,4,0,6,2,5,0,7,3,2,0,4,3,2,0,5,1,13,1,4,0,63,0,2,0,2,0,2,0,2,0,2,0,2,0,2,0,75,0,10,0,63,0,3,0,2,2," +
  "2,0,3,0,8,3,2,0,2,0,21,6f,9,1,7,3,8,0,2,0,4,18,8,10,2,6,38,0,f,3f,2,0,df,0,27,1,33,1,4,0,38,7,1c,3," +
  "7,a,10f,0,3d,1,66,d,3c,1,32,1,10,0,1d,1,2,0,c,4,20,0,3,5,ed,0,9,1,3,1,17,0,8,0,2,2,5,1,a,1,3,1,5,7," +
  "2,3,3,0,6,1,1a,1,4,0,7,3,3,1,17,0,8,0,3,0,3,0,3,1,2,0,6,3,3,1,4,2,2,6,5,0,2,6,12,9,4,0,a,0,4,0,17,0," +
  "8,0,3,0,6,1,b,0,4,0,4,1,2,e,5,1,d,6,8,0,4,0,9,1,3,1,17,0,8,0,3,0,6,1,a,1,3,1,4,6,4,3,3,0,6,1,13,9,3," +
  "0,7,2,4,0,5,2,3,0,2,0,3,2,3,2,4,2,d,3,6,2,4,0,5,1,2,5,2,d,16,4,e,0,4,0,18,0,11,1,a,0,4,0,5,6,3,0,4," +
  "1,2,1,5,1,b,6,17,0,4,0,18,0,b,0,6,1,a,0,4,0,5,6,3,5,3,0,5,1,b,0,3,c,e,0,4,0,34,0,4,0,7,3,11,1,1b,0," +
  "4,0,13,2,19,0,a,0,2,1,8,2,2,3,7,0,2,0,9,5,b,1,4,b,3b,3,1e,24,3,0,2,0,6,0,19,0,2,0,18,1,6,0,2,0,7,1," +
  "b,1,5,1f,49,0,25,3,28,0,25,0,10,0,e,24,c7,0,2,4,2,1,31,5f,ea,0,5,1,8,0,2,0,5,1,2a,0,5,1,22,0,5,1,8," +
  "0,2,0,5,1,10,0,3a,0,5,1,44,1,21,2,1b,5,57,1,7,1,29e,2,5a,6,17,8,19,8,15,b,e,0,4,0,3,b,5f,1,b,5,b,5," +
  "1b,5,5a,6,2c,4,47,9,20,0,d,3,d,3,2,2,2b,1,6,a,2d,3,1b,5,c,2,3f,1,42,0,1e,1,c,5,b,5,f,1,20,30,4e,2," +
  "30,0,75,7,3d,2,10,2,3d,6,2c,1,c,7,2c,4,217,1,7,1,27,1,7,1,9,0,2,0,2,0,2,0,20,1,36,0,10,0,f,1,7,0,14," +
  "1,4,0,a,0,11,0,3,3,2,1,3,1,3,2,2,3,9,0,2,1,2,0,6,0,3,0,27,0,d,2,b,0,2,3,b,0,e,2,d,0,15,e,22,e,4,0,2," +
  "0,4,0,a,0,3,0,b,1,4,0,5,0,28,1,7,3,2,b,5,9,10,0,3,d,1f,1,19,0,2,0,13,0,19,0,2,1,4,1,3,0,4,0,2,0,4,0," +
  "5,0,3,3,3,0,2,0,2,5,2,0,6,3,5,1,b,0,4,0,6,0,e,1,3,3,3,1,3,1,13,1,3,1,e,0,4,0,c,0,1a,0,53,0,8,1,e,1," +
  "bf,3,4,0,3,0,34,18,c,9e,2,60,5,23,d,f,3,3,b,1,2,6,9,1,3,1,5,1,3,1,5,2,3,0,3,3,11,3,a,0,e,1,7,1,3,0," +
  "5,1,5,1,7,0,2,0,22,0,2,0,6,b,d,1,2,2,2,3,2,1,2,0,10,0,14,0,b,1,2,0,9,1,12,2,5,1d,2,0,5,17,6,0,5,1," +
  "1d,0,15,0,f,0,2,0,5,2,2,0,1f,9,16,2,19,0,f,0,35c,1,34,0,5,4,1b,1,21,0,15e,4,2e,0,2,4,2,1,39,6,3,d," +
  "19,8,8,0,8,0,8,0,8,0,8,0,8,0,8,0,8,0,7f,1e0,2,1d7f,41,56cf,15d,13,b9,7,cc,4,3,0,2,0,6,17,3c,2,b,5," +
  "39,7,47,7,d,5,75,a,2,1f,4f,0,c,3,22,0,38,8,f,1,b,1,68,17,1d,9,7,1,7,1,7,8,8,0,8,0,3d,3,7f,1,b,2bb5," +
  "18,3,32,3,801,1aff,8,b,6,4,1b,0,6,0,2,0,3,0,3,0,7e,f,1be,1,37,6,2,1f,11,1f,11,3f,6,0,88,1,2,60,5f,2," +
  "7,1,7,1,7,1,4,a,8,9,5,2,d,0,1b,0,14,0,3,0,10,1,f,21,7c,4,4,3,2e,2,59,0,e,2,2,2e,2f,81,1e,2,32,e,1d," +
  "3,25,8,1f,4,2c,4,1f,0,26,3,f,29,9f,1,b,5,25,3,25,3,29,7,35,a,d,0,10,0,8,0,3,0,c,0,10,0,8,0,3,42,138," +
  "8,17,9,9,17,7,0,2b,0,a,44,7,1,2,0,2d,0,3,2,2,1,18,0,49,7,a,2f,14,0,3,4,22,2,1c,4,2,3f,39,3,15,1,33," +
  "0,3,4,9,0,4,0,1e,1,4,3,b,6,a,6,41,1f,28,3,d,8,37,2,1e,1,1c,4,1b,6,5,b,8,4f,4a,36,34,c,34,6,2f,7,b," +
  "125,20,0,2b,0,4,1,3,4d,29,7,2b,15,1b,25,1d,13,18,8,4f,3,25,8,45,9,2,1,1a,6,b,5,36,0,13,7,28,8,61,0," +
  "15,a,13,0,2d,40,8,0,2,0,5,0,10,0,c,5,3c,4,b,5,5,0,9,1,3,1,17,0,8,0,3,0,6,0,b,1,3,1,4,1,2,5,2,4,8,1," +
  "8,2,6,8a,5d,0,6,1d,49,7,b,a5,37,1,27,21,46,a,b,5,e,12,3b,5,b,35,1c,1,10,3,18,b8,3d,63,54,b,9,1,2,1," +
  "9,0,3,0,1f,0,3,1,d,8,b,45,9,1,2f,1,c,1a,49,7,54,c,4a,106,a,0,2e,0,f,9,1e,2,21,1,17,0,f,48,8,0,3,0," +
  "2d,2,2,0,3,0,a,7,b,5,7,0,3,0,26,0,3,0,7,6,b,135,1a,b6,2,e,33,c,39c,65,70,0,6,a,c5,a4b,64,c,430,0,a," +
  "fc6,248,21b8,23a,6,20,0,b,3,52,0,b,5,1f,1,7,9,47,9,b,0,8,0,16,4,14,2af,5c,64,4c,3,3a,6,12,4c5f,6c,4," +
  "e,2,a,6,b,1,9,125b,2f,1,18,8,75,3b,f7,9,28,1,c3,14,47,99,15,b,58,8,1a,86,56,0,48,0,3,1,2,1,3,1,5,0," +
  "d,0,2,0,8,0,42,0,5,1,9,0,8,0,1d,0,5,0,6,0,2,2,8,0,155,1,125,1,2bf,e,6,0,10,44f,20,e0,8,0,12,1,8,0,3," +
  "0,6,d4,2e,2,f,1,b,3,3,13f,20,10,3b,4,2,4df,8,0,5,0,3,0,10,0,c6,1,11,28,4d,3,b,3,3,310,45,4b,3e,c1,5," +
  "0,1c,0,3,0,2,1,2,0,b,0,5,0,2,0,2,5,2,3,2,0,2,0,2,0,4,0,3,0,2,1,2,0,2,0,2,0,2,0,2,0,3,0,2,1,5,0,8,0," +
  "5,0,5,0,2,0,b,0,12,4,4,0,6,0,12,33,3,10d,5,0,28,3,65,b,10,1,10,0,f,1,26,14,6,1d,3,39,7,3c,2,37,1b," +
  "120,d,8,2,45,2,15,d,2a,5,4,d,10,4,0,4,46,2,0,2,ba,3,3e,e,3,2,17,13,0,1b,1,e,0,57,54,31,45,7,0,4,2,3," +
  "a,c,4,5,b,75,b,5a,26,d,3,39,7,b,5,29,7,1f,1,3,4d,d,2e,2,9,2,b8,55,b,f,91,94,0,38,24,b,c0406,2,1d,61," +
  "2ff7f";

/** Assigned code points of classes W and F. */
const WIDE =
  "1100,5f,11bb,1,e,1,bf,3,4,0,3,0,20a,1,16,1,33,b,2c,0,14,0,e,0,9,1,12,1,6,1,9,0,6,0,16,0,8,1,2,0,5,0," +
  "3,0,8,0,5,1,1d,0,24,0,2,0,5,2,2,0,3e,2,19,0,f,0,35c,1,34,0,5,0,32b,19,2,58,d,d5,1b,b,5,3e,3,55,3,66," +
  "6,2a,2,5d,2,53,d,2e,2,27,9,1b6f,41,568c,4,36,49a,1c,284,2ba3,215d,16d,3,69,337,9,17,22,2,12,2,3,96," +
  "5f,80,6,6ffa,4,c,1,f,17f7,9,4d5,2b,8,22e8,3,2,6,2,1,2,122,2e,2,12,3,9,18b,3d09,0,cb,0,bf,0,3,9,66,2," +
  "e,2b,5,8,8,1,f,5,9b,20,d,8,2,45,2,15,d,2a,5,4,d,10,4,0,4,46,2,0,2,ba,3,3e,e,3,2,17,13,0,1b,1,e,0,57," +
  "54,31,45,7,0,4,2,3,2,6,2,c,1,8,8,e4,b,5,0,11c,2e,2,9,2,b8,71,4,4,4,4,6,a,1c,4,a,6,5,b,9,7,7,9,6,50a," +
  "a6df,21,1038,8,dd,3,1681,f,1d30,c20,21d,5e3,134a";

const decoded = new Map<string, Uint32Array>();

function bounds(encoded: string): Uint32Array {
  let b = decoded.get(encoded);
  if (b) return b;
  const deltas = encoded.split(",");
  b = new Uint32Array(deltas.length);
  let value = 0;
  for (let i = 0; i < deltas.length; i++) b[i] = value += parseInt(deltas[i]!, 16);
  decoded.set(encoded, b);
  return b;
}

/** Whether `codePoint` falls in one of the runs of `encoded`. */
function inRuns(encoded: string, codePoint: number): boolean {
  const b = bounds(encoded);
  if (codePoint < b[0]!) return false;
  // Binary search for the last bound <= codePoint; an even index is the start of a run.
  let lo = 0;
  let hi = b.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (b[mid]! <= codePoint) lo = mid;
    else hi = mid - 1;
  }
  return lo % 2 === 0 || b[lo] === codePoint;
}

/**
 * The AWS CLI's `get_text_length`: columns of `text`, 2 per wide/fullwidth/ambiguous code point.
 * @example textLength("日本") // 4
 * @example textLength("±") // 2
 */
export function textLength(text: string): number {
  let n = 0;
  for (const ch of text) n += inRuns(CLI_WIDE, ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

/**
 * Columns a string takes in a terminal: East Asian Wide and Fullwidth characters (CJK, most emoji) take 2, Ambiguous
 * ones 1; controls, combining diacritics, ZWJ and variation selectors take none.
 * @example displayWidth("日本") // 4
 * @example displayWidth("☕ ±") // 4
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (
      cp < 0x20 ||
      (cp >= 0x7f && cp < 0xa0) ||
      (cp >= 0x300 && cp < 0x370) ||
      cp === 0x200d ||
      (cp >= 0xfe00 && cp <= 0xfe0f)
    )
      continue;
    width += inRuns(WIDE, cp) ? 2 : 1;
  }
  return width;
}
