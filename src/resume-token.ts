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
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return pythonJsonString(value);
    case "number":
      // JavaScript cannot tell 2 from 2.0; Python writes them differently, so only integers are
      // representable. Beyond 2**53 the value is not exact any more.
      if (!Number.isSafeInteger(value)) throw new TypeError(`cannot encode the number ${value} as Python would: only safe integers are supported`);
      return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [key, v] of value) {
      if (typeof key !== "string") throw new TypeError("cannot encode a Map key that is not a string");
      parts.push(`${pythonJsonString(key)}: ${pythonJsonDumps(v)}`);
    }
    return `{${parts.join(", ")}}`;
  }
  if (typeof value === "object" && isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([key, v]) => `${pythonJsonString(key)}: ${pythonJsonDumps(v)}`)
      .join(", ")}}`;
  }
  throw new TypeError(`cannot encode a value of type ${typeof value} as JSON`);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: "\\\\",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
};

function pythonJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Python's ESCAPE_ASCII is /([\\"]|[^\ -~])/: DEL (0x7f) is escaped too.
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (NAMED_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`);
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

const B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 (RFC 4648 section 4) with `=` padding, as Python's `base64.b64encode`. */
export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64_ALPHABET[n >> 18]! + B64_ALPHABET[(n >> 12) & 63]! + B64_ALPHABET[(n >> 6) & 63]! + B64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64_ALPHABET[n >> 18]!}${B64_ALPHABET[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64_ALPHABET[n >> 18]!}${B64_ALPHABET[(n >> 12) & 63]!}${B64_ALPHABET[(n >> 6) & 63]!}=`;
  }
  return out;
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
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let quadPos = 0;
  let pads = 0;
  let left = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d /* = */) {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.slice(0, length);
      continue;
    }
    const v = c < 0x80 ? B64_ALPHABET.indexOf(String.fromCharCode(c)) : -1;
    if (v < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        left = v;
        quadPos = 1;
        break;
      case 1:
        out[length++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out[length++] = (left << 4) | (v >> 2);
        left = v & 0x03;
        quadPos = 3;
        break;
      default:
        out[length++] = (left << 6) | v;
        quadPos = 0;
    }
  }
  if (quadPos === 1) throw new Error("invalid base64: one data character too many");
  if (quadPos !== 0) throw new Error("invalid base64: incorrect padding");
  return out.slice(0, length);
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
  // ensure_ascii makes the JSON pure ASCII, so its UTF-8 bytes are its code units.
  const json = pythonJsonDumps(token);
  const bytes = new Uint8Array(json.length);
  for (let i = 0; i < json.length; i++) bytes[i] = json.charCodeAt(i);
  return base64Encode(bytes);
}

/** A starting token, decoded as botocore's `PageIterator._parse_starting_token` does. */
export interface ParsedStartingToken {
  /** The service tokens to send, by input member name, in the order botocore keeps them; `null` means "send none". */
  readonly tokens: Map<string, string | null>;
  /** Items to skip from the first page (botocore's `boto_truncate_amount`; 0 when absent). Python slice semantics: negative counts from the end. */
  readonly truncateAmount: number;
  /** Which of botocore's parsers accepted the token. */
  readonly format: "encoded" | "legacy";
}

// With the u flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes a `startingToken` the way botocore does, so every token the AWS CLI or boto3 prints is
 * understood, and anything else is passed to the service as an opaque token:
 *
 * 1. base64 (lenient, as Python's) -> UTF-8 -> JSON object: an encoded token;
 * 2. otherwise the legacy `token___n` form (`n` parsed as Python's `int()`), or the whole string
 *    as the service token (`"None"` meaning none).
 *
 * Deliberate differences, all where botocore fails: a botocore-shaped token with a non-string
 * service token, a non-integer `boto_truncate_amount` or binary `boto_encoded_keys` throws a
 * `TypeError` naming `startingToken` here; a string that decodes to JSON that is not a botocore
 * token (a scalar, which makes botocore raise AttributeError, or an object with other keys, which
 * botocore sends as request parameters) is an opaque service token here.
 *
 * @param inputTokens the operation's input token member names, e.g. `["NextToken"]`.
 */
export function parseStartingToken(startingToken: string, inputTokens: readonly string[]): ParsedStartingToken {
  const decoded = decodeJsonToken(startingToken);
  if (decoded !== undefined && isBotocoreShaped(decoded, inputTokens)) return fromDecodedObject(decoded, inputTokens);
  return parseLegacyToken(startingToken, inputTokens);
}

/**
 * Whether a decoded object is a botocore token: the operation's input tokens, and only botocore's
 * own keys besides. Anything else is a service token that happens to be base64 of JSON (a raw
 * `NextToken` passed as `startingToken`, as SDK users do): botocore would send its keys as request
 * parameters and fail; here it is sent to the service as the opaque token it is.
 */
function isBotocoreShaped(decoded: Record<string, unknown>, inputTokens: readonly string[]): boolean {
  const keys = Object.keys(decoded);
  return (
    inputTokens.every((name) => keys.includes(name)) &&
    keys.every((key) => inputTokens.includes(key) || key === TRUNCATE_AMOUNT_KEY || key === "boto_encoded_keys")
  );
}

/** base64 -> UTF-8 -> JSON; `undefined` wherever botocore's decoder would raise ValueError/TypeError, or the JSON is not an object. */
function decodeJsonToken(token: string): Record<string, unknown> | undefined {
  // Python's str.encode('utf-8') raises on lone surrogates (UnicodeEncodeError, a ValueError).
  if (LONE_SURROGATE.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(pythonB64Decode(token)));
  } catch {
    return undefined;
  }
  // A list makes `decoded.pop(key, None)` raise TypeError (caught by botocore: legacy path).
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

function fromDecodedObject(decoded: Record<string, unknown>, inputTokens: readonly string[]): ParsedStartingToken {
  const tokens = new Map<string, string | null>();
  let truncateAmount = 0;
  for (const [key, value] of Object.entries(decoded)) {
    if (key === "boto_encoded_keys") {
      // botocore base64-decodes the listed values into bytes; no operation here has binary tokens.
      if (value === null || (Array.isArray(value) && value.length === 0)) continue;
      throw new TypeError("startingToken: this token holds binary values (boto_encoded_keys), which this operation's tokens never are");
    }
    if (key === TRUNCATE_AMOUNT_KEY) {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw new TypeError(`startingToken: ${TRUNCATE_AMOUNT_KEY} must be an integer, got ${value === null ? "null" : typeof value}`);
      }
      truncateAmount = value;
      continue;
    }
    if (value !== null && typeof value !== "string") {
      throw new TypeError(`startingToken: ${key} must be a string or null, got ${typeof value}`);
    }
    tokens.set(key, value);
  }
  return { tokens, truncateAmount, format: "encoded" };
}

/** botocore's `_parse_starting_token_deprecated` + `_convert_deprecated_starting_token`. */
function parseLegacyToken(token: string, inputTokens: readonly string[]): ParsedStartingToken {
  let parts = token.split("___");
  let truncateAmount = 0;
  if (parts.length === inputTokens.length + 1) {
    const index = pythonInt(parts[parts.length - 1]!);
    if (index === undefined) {
      // Not an old-style token: the whole string is an opaque service token.
      parts = [token];
    } else {
      parts.pop();
      truncateAmount = index;
    }
  }
  if (parts.length > inputTokens.length) {
    throw new TypeError(`startingToken: not a valid token (it has ${parts.length - 1} "___" separators; botocore rejects it too)`);
  }
  const tokens = new Map<string, string | null>();
  inputTokens.forEach((name, i) => {
    const part = parts[i];
    tokens.set(name, part === undefined || part === "None" ? null : part);
  });
  return { tokens, truncateAmount, format: "legacy" };
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
  let ascii = "";
  for (const ch of s.replace(PY_NON_ASCII_SPACE, " ")) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 && DECIMAL_DIGIT.test(ch)) ascii += String(decimalDigitValue(cp));
    else ascii += ch;
  }
  const m = PY_INT.exec(ascii);
  if (!m) return undefined;
  const value = Number(`${m[1]}${m[2]!.replaceAll("_", "")}`);
  if (!Number.isSafeInteger(value)) throw new TypeError("startingToken: the index of a legacy token is too large");
  return value === 0 ? 0 : value;
}

// Unicode encodes decimal digits (Nd) only in contiguous runs of ten, 0 to 9, so a digit's value is
// its distance from the start of its block of Nd characters, modulo 10.
function decimalDigitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}
