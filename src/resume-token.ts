/**
 * botocore's pagination resume tokens, byte for byte.
 *
 * A resume token is `base64(json.dumps(token))` where `token` is a dict such as
 * `{"NextToken": "<service token>", "boto_truncate_amount": 3}` and `json.dumps` runs with
 * Python's defaults: separators `", "` and `": "`, `ensure_ascii=True`, keys in insertion order.
 * See botocore/paginate.py (`TokenEncoder`, `TokenDecoder`, `PageIterator._parse_starting_token`).
 * Tokens made here resume in the AWS CLI and boto3, and theirs resume here.
 *
 * Web-standard globals only.
 */
import { StartingTokenError } from "./starting-token-error.ts";

export { StartingTokenError };

/** The key botocore adds when it stops in the middle of a page: items of that page already returned. */
export const TRUNCATE_AMOUNT_KEY = "boto_truncate_amount";

/**
 * Python's `json.dumps(value)` with default arguments.
 *
 * Supports `null`, booleans, strings, safe integers, arrays, `Map`s and plain objects (keys in
 * insertion order). Strings are escaped as `ensure_ascii=True` does: everything outside `' '..'~'`
 * becomes `\uXXXX` (lower-case hex, astral characters as surrogate pairs, which is what JavaScript's
 * UTF-16 code units already are).
 *
 * @throws TypeError for values Python would write differently or not at all (non-integer numbers,
 * `undefined`, functions, ...).
 * @example pythonJsonDumps({ NextToken: "é", boto_truncate_amount: 2 }) // '{"NextToken": "\\u00e9", "boto_truncate_amount": 2}'
 */
export function pythonJsonDumps(value: unknown): string {
  // JSON.stringify escapes `"`, `\`, control characters (named or lower-case \u00XX) and lone
  // surrogates exactly as Python does; Python also escapes DEL and every non-ASCII code unit.
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\x7f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  // JavaScript cannot tell 2 from 2.0; Python writes them differently, so only integers are
  // representable. Beyond 2**53 the value is not exact any more.
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new TypeError(`cannot encode the number ${value} as Python would: only safe integers are supported`);
  }
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  const proto: unknown = typeof value === "object" && Object.getPrototypeOf(value);
  if (value instanceof Map || proto === Object.prototype || proto === null) {
    const entries = value instanceof Map ? [...value] : Object.entries(value as object);
    return `{${entries
      .map(([key, v]) => {
        if (typeof key !== "string") throw new TypeError("cannot encode a Map key that is not a string");
        return `${pythonJsonDumps(key)}: ${pythonJsonDumps(v)}`;
      })
      .join(", ")}}`;
  }
  throw new TypeError(`cannot encode a value of type ${typeof value} as JSON`);
}

/** Standard base64 (RFC 4648 section 4) with `=` padding, as Python's `base64.b64encode`. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Python's lenient `base64.b64decode(s)` (`validate=False`), which botocore uses on starting tokens.
 *
 * Characters outside the base64 alphabet are skipped; `=` only counts once at least two data
 * characters of a quantum have been seen, and a complete padding ends the input (what follows is
 * ignored). Any other character of the string, including non-ASCII ones (whose UTF-8 bytes are
 * all >= 0x80), is skipped.
 *
 * @throws Error when Python's would raise `binascii.Error` (incorrect padding, or one data
 * character too many).
 */
export function pythonB64Decode(text: string): Uint8Array {
  // The data characters kept, then decoded by atob once the padding Python implies is restored.
  let data = "";
  let pads = 0;
  let padded = false;
  for (const c of text) {
    const quadPos = data.length % 4;
    if (c === "=") {
      if (quadPos >= 2 && quadPos + ++pads >= 4) {
        padded = true;
        break;
      }
    } else if (/^[A-Za-z0-9+/]$/.test(c)) {
      data += c;
      pads = 0;
    }
  }
  const quadPos = data.length % 4;
  if (quadPos === 1) throw new Error("invalid base64: one data character too many");
  if (quadPos && !padded) throw new Error("invalid base64: incorrect padding");
  return Uint8Array.from(atob(data + "==".slice(0, (4 - quadPos) % 4)), (c) => c.charCodeAt(0));
}

/**
 * Encodes a token as botocore's `TokenEncoder.encode` does: `base64(json.dumps(token))`.
 *
 * Pass a `Map` (or an object without integer-like keys) so the key order is the one botocore
 * would write: the input token names first, then `boto_truncate_amount`.
 * @example encodeResumeToken(new Map([["NextToken", "abc"], ["boto_truncate_amount", 2]]))
 * // "eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0="
 */
export function encodeResumeToken(token: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>): string {
  // ensure_ascii makes the JSON pure ASCII, so its UTF-8 bytes are its code units: what btoa encodes.
  return btoa(pythonJsonDumps(token));
}

/** A starting token, decoded as botocore's `PageIterator._parse_starting_token` does. */
export interface ParsedStartingToken {
  /**
   * The request parameters the token sets, in the order botocore injects them (its `next_token`): the service
   * token under the operation's input token name, and, in an encoded token, every other key it holds as well (a
   * `MaxResults`, a `Username`, or a name the operation does not have, which botocore's parameter validation then
   * refuses). `null` or the string `"None"` removes the parameter from the request.
   */
  readonly tokens: ReadonlyMap<string, unknown>;
  /** Items to skip from the first page (botocore's `boto_truncate_amount`; 0 when absent). Python slice semantics: negative counts from the end. */
  readonly truncateAmount: number;
  /** Which of botocore's parsers accepted the token. */
  readonly format: "encoded" | "legacy";
}

const ENCODED_KEYS = "boto_encoded_keys";

// With the u flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const utf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes a `startingToken` the way botocore does, so every token the AWS CLI or boto3 prints is understood, and
 * every other string behaves as it does there:
 *
 * 1. base64 (lenient, as Python's) -> UTF-8 -> a JSON object: an encoded token, every key of which is a request
 *    parameter (`boto_truncate_amount` aside);
 * 2. base64 of JSON that is not an object or a list: refused, as botocore fails on it ({@link StartingTokenError});
 * 3. otherwise the legacy `token___n` form (`n` parsed as Python's `int()`), or the whole string as the service
 *    token (`"None"` meaning none).
 *
 * Deliberate differences, all where botocore fails later or sends nonsense: a non-integer `boto_truncate_amount` or
 * binary `boto_encoded_keys` throws a `TypeError` naming `startingToken` here.
 *
 * @param inputTokens the operation's input token member names, e.g. `["NextToken"]`.
 * @throws StartingTokenError where botocore raises before any request.
 */
export function parseStartingToken(startingToken: string, inputTokens: readonly string[]): ParsedStartingToken {
  const decoded = decodeJsonToken(startingToken);
  if (decoded && !Array.isArray(decoded.value)) {
    const { value, text } = decoded;
    if (typeof value !== "object" || value === null) {
      // json.loads gives int, float, str, bool or None; botocore then calls `.pop` on it.
      const type =
        typeof value === "number"
          ? /[.eE]/.test(text)
            ? "float"
            : "int"
          : { string: "str", boolean: "bool", object: "NoneType" }[typeof value as "string"];
      // It decodes to JSON that is not an object: botocore calls `.pop` on it.
      throw new StartingTokenError(`'${type}' object has no attribute 'pop'`);
    }
    const tokens = new Map<string, unknown>();
    let truncateAmount = 0;
    for (const [key, item] of Object.entries(value)) {
      if (key === ENCODED_KEYS) {
        // botocore base64-decodes the listed values into bytes; no operation here has binary tokens.
        if (item !== null && !(Array.isArray(item) && item.length === 0)) {
          throw new TypeError(
            `startingToken: this token holds binary values (${ENCODED_KEYS}), which this operation's tokens never are`,
          );
        }
      } else if (key === TRUNCATE_AMOUNT_KEY) {
        if (!Number.isSafeInteger(item)) {
          throw new TypeError(`startingToken: ${key} must be an integer, got ${item === null ? "null" : typeof item}`);
        }
        truncateAmount = item as number;
      } else tokens.set(key, item);
    }
    return { tokens, truncateAmount, format: "encoded" };
  }

  // botocore's `_parse_starting_token_deprecated` + `_convert_deprecated_starting_token`.
  let parts = startingToken.split("___");
  let truncateAmount = 0;
  if (parts.length === inputTokens.length + 1) {
    const index = pythonInt(parts.at(-1)!);
    // Not an old-style token: the whole string is an opaque service token.
    if (index === undefined) parts = [startingToken];
    else {
      parts.pop();
      truncateAmount = index;
    }
  }
  if (parts.length > inputTokens.length) {
    throw new StartingTokenError(`Bad starting token: ${startingToken}`);
  }
  const tokens = new Map(
    inputTokens.map((name, i) => [name, parts[i] === undefined || parts[i] === "None" ? null : parts[i]!]),
  );
  return { tokens, truncateAmount, format: "legacy" };
}

/**
 * botocore's `_inject_token_into_kwargs`: a copy of `request` with each of `tokens` set, or removed where it is
 * `null` or the string `"None"`.
 */
export function injectTokens(
  request: Readonly<Record<string, unknown>>,
  tokens: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const next = { ...request };
  for (const [name, token] of tokens) {
    // Defined, not assigned: a token may name `__proto__`, which an assignment would take for the prototype.
    if (token !== null && token !== "None")
      Object.defineProperty(next, name, { value: token, enumerable: true, writable: true, configurable: true });
    else delete next[name];
  }
  return next;
}

/**
 * The resume token for a position inside a page: the parameters that fetched it plus `boto_truncate_amount`, as
 * botocore's `resume_token` setter writes it. Like that setter, refuses parameters other than the operation's input
 * tokens: a starting token that set more has no resume token for a position inside its first page.
 * @throws StartingTokenError for such parameters.
 */
export function encodeTruncatedToken(
  fetchedWith: ReadonlyMap<string, unknown>,
  amount: number,
  inputTokens: readonly string[],
): string {
  const token = new Map<string, unknown>([...fetchedWith, [TRUNCATE_AMOUNT_KEY, amount]]);
  if (fetchedWith.size !== inputTokens.length || !inputTokens.every((name) => fetchedWith.has(name)))
    throw new StartingTokenError(`Bad starting token: ${JSON.stringify(Object.fromEntries(token))}`, token);
  return encodeResumeToken(token);
}

/** base64 -> UTF-8 -> JSON; `undefined` wherever botocore's decoder would raise ValueError. */
function decodeJsonToken(token: string): { value: unknown; text: string } | undefined {
  // Python's str.encode('utf-8') raises on lone surrogates (UnicodeEncodeError, a ValueError).
  if (LONE_SURROGATE.test(token)) return undefined;
  try {
    const text = utf8.decode(pythonB64Decode(token));
    return { value: JSON.parse(text), text };
  } catch {
    // Not base64 of UTF-8 JSON: not an encoded token.
  }
  return undefined;
}

// Python's int() maps non-ASCII whitespace to ' ' and Unicode decimal digits to ASCII, then
// accepts [ws][sign]digits[_digits]...[ws] with ASCII whitespace only (so "\x1c5" is invalid).
const PY_NON_ASCII_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;
const PY_INT = /^[ \t\n\v\f\r]*([+-]?)([0-9]+(?:_[0-9]+)*)[ \t\n\v\f\r]*$/;
const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * Python's `int(s)` for a `str`, or `undefined` where it raises ValueError.
 * @throws TypeError when the integer is valid but not a safe JavaScript integer.
 */
export function pythonInt(s: string): number | undefined {
  const m = PY_INT.exec(s.replace(PY_NON_ASCII_SPACE, " ").replace(/\p{Nd}/gu, decimalDigitValue));
  if (!m) return undefined;
  const value = Number(m[1]! + m[2]!.replaceAll("_", ""));
  if (!Number.isSafeInteger(value)) throw new TypeError("startingToken: the index of a legacy token is too large");
  return value || 0; // -0 is 0
}

// Unicode encodes decimal digits (Nd) only in contiguous runs of ten, 0 to 9, so a digit's value is
// its distance from the start of its block of Nd characters, modulo 10.
function decimalDigitValue(digit: string): string {
  const cp = digit.codePointAt(0)!;
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}
