/**
 * JSON as the AWS CLI (Python) reads and writes it, so our output is byte-identical to `aws`.
 *
 * The CLI works on the raw response text, never on the client's parsed output: JavaScript's
 * `JSON.parse` cannot tell `1.7E9` (a Python float, printed `1700000000.0`) from `1700000000`
 * (a Python int, printed `1700000000`). {@link parseJson} keeps that difference:
 *
 * - a JSON integer becomes a JavaScript number (or a {@link PyInt} beyond 2^53, digits kept);
 * - a JSON float whose value is not an integer becomes a plain JavaScript number too (printed with
 *   Python's `repr`, see {@link pyFloatRepr});
 * - a JSON float whose value is an integer (`1.7E9`, `2.0`, `-0.0`) becomes a {@link PyFloat}, a
 *   `Number` subclass, so JMESPath still sees a number (comparisons, `sort_by`, `max_by` work).
 *
 * Every plain JavaScript number that is not an integer is therefore a float, and every integer is
 * an int unless boxed as a `PyFloat`. Known limit: JMESPath `==` between a `PyFloat` and a number
 * is false (jmespath.js compares numbers with `===`), where Python's is true.
 */

/** A Python float whose value is an integer (`1.7E9` on the wire): printed `1700000000.0`. */
export class PyFloat extends Number {}

/** A Python int too large for a JavaScript number: printed with its digits. */
export class PyInt extends Number {
  constructor(readonly digits: string) {
    super(Number(digits));
  }
}

/** A Python `datetime` (from `--generate-cli-skeleton output`): JSON `isoformat()`, text `str()`. */
export class PyDatetime {
  constructor(readonly iso: string) {}
  /** `str(datetime)`: the ISO form with a space instead of `T`. */
  toString(): string {
    return this.iso.replace("T", " ");
  }
}

/** A value as the AWS CLI holds it after parsing JSON. Objects have no prototype. */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | PyFloat
  | PyInt
  | PyDatetime
  | PyValue[]
  | { [key: string]: PyValue };

/** A JSON object as parsed here (no prototype, so `__proto__` is an ordinary key). */
export type PyObject = { [key: string]: PyValue };

export function isPyObject(value: unknown): value is PyObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Number) &&
    !(value instanceof PyDatetime)
  );
}

/** A JSON syntax error, with Python's wording where the CLI shows it. */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = "JsonSyntaxError";
  constructor(
    message: string,
    /** Character offset of the error. */
    readonly position: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/**
 * Parses JSON as Python's `json.loads` does, keeping Python's int/float distinction (see the
 * module comment). Duplicate keys: the last value wins, at the first key's position (Python's
 * dict). Accepts `NaN`, `Infinity` and `-Infinity` as Python does. One function on purpose: the recursive-descent
 * steps are closures over one cursor into the text, which keeps the hot path free of object allocation.
 * @throws JsonSyntaxError
 */
export function parseJson(text: string): PyValue {
  let i = 0;
  const ws = () => {
    WS.lastIndex = i;
    WS.test(text);
    i = WS.lastIndex;
  };
  const fail = (what: string): never => {
    // Python's messages: "Expecting value: line 1 column 1 (char 0)".
    const before = text.slice(0, i);
    const line = before.split("\n").length;
    const column = i - before.lastIndexOf("\n");
    throw new JsonSyntaxError(`${what}: line ${line} column ${column} (char ${i})`, i);
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (text.startsWith("NaN", i)) {
      i += 3;
      return NaN;
    }
    if (text.startsWith("Infinity", i)) {
      i += 8;
      return new PyFloat(Infinity);
    }
    if (text.startsWith("-Infinity", i)) {
      i += 9;
      return new PyFloat(-Infinity);
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i = NUMBER.lastIndex;
      return number(m[0], m[1] !== undefined || m[2] !== undefined);
    }
    return fail("Expecting value");
  };
  const object = (): PyObject => {
    const out: PyObject = Object.create(null) as PyObject;
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
      const key = string();
      ws();
      if (text[i] !== ":") fail("Expecting ':' delimiter");
      i++;
      out[key] = value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail("Expecting ',' delimiter");
    }
  };
  const array = (): PyValue[] => {
    const out: PyValue[] = [];
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(value());
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail("Expecting ',' delimiter");
    }
  };
  const string = (): string => {
    const start = ++i;
    let out = "";
    let chunk = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) {
        i = start - 1;
        fail("Unterminated string starting at");
      }
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("Invalid control character at");
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail("Invalid \\escape");
        }
        chunk = i;
        continue;
      }
      i++;
    }
  };
  const result = value();
  ws();
  if (i !== text.length) fail("Extra data");
  return result;
}

function number(lexeme: string, isFloat: boolean): PyValue {
  const n = Number(lexeme);
  if (isFloat) return Number.isInteger(n) || Object.is(n, -0) || !Number.isFinite(n) ? new PyFloat(n) : n;
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  return new PyInt(BigInt(lexeme).toString());
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript's), written in
 * positional notation when the exponent is in -4..15 (with `.0` when integral), otherwise as
 * `d.ddde+XX` (at least two exponent digits).
 * @example pyFloatRepr(1.7e9) // "1700000000.0"; pyFloatRepr(1e16) // "1e+16"; pyFloatRepr(1e-5) // "1e-05"
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exp = "0"] = x.toExponential().split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const e = Number(exp);
  const sign = negative ? "-" : "";
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const absExp = Math.abs(e);
    return `${sign}${m}e${e < 0 ? "-" : "+"}${absExp < 10 ? "0" : ""}${absExp}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${"0".repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** How Python's `json.dumps` writes a number (`Infinity`/`NaN` for the non-finite floats). */
function jsonNumber(value: number | PyFloat | PyInt): string {
  if (value instanceof PyInt) return value.digits;
  const n = Number(value);
  if (value instanceof PyFloat || !Number.isInteger(n)) {
    if (Number.isNaN(n)) return "NaN";
    if (n === Infinity) return "Infinity";
    if (n === -Infinity) return "-Infinity";
    return pyFloatRepr(n);
  }
  return String(n);
}

/** Python's `str()` of a value, as the text and table formats print scalars. */
export function pyStr(value: PyValue | undefined): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (value instanceof PyInt) return value.digits;
  if (typeof value === "number" || value instanceof PyFloat) {
    const n = Number(value);
    return value instanceof PyFloat || !Number.isInteger(n) ? pyFloatRepr(n) : String(n);
  }
  if (value instanceof PyDatetime) return value.toString();
  return pyRepr(value);
}

/**
 * Python's `repr()`: strings quoted as Python quotes them, lists and dicts as Python prints them
 * (`str()` of a container shows its items' `repr()`).
 * @example pyRepr(["a", 1.7e9]) // "['a', 1700000000.0]"
 */
export function pyRepr(value: PyValue): string {
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = "";
    for (const ch of value) {
      const c = ch.codePointAt(0)!;
      if (ch === quote || ch === "\\") out += `\\${ch}`;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, "0")}`;
      else out += ch;
    }
    return quote + out + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isPyObject(value))
    return `{${Object.keys(value)
      .map((k) => `${pyRepr(k)}: ${pyRepr(value[k]!)}`)
      .join(", ")}}`;
  return pyStr(value);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function jsonString(s: string, ensureAscii: boolean): string {
  const pattern = ensureAscii ? /[\\"\u0000-\u001f\u007f-\uffff]/g : /[\\"\u0000-\u001f]/g;
  return `"${s.replace(pattern, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** Options of {@link pyJsonDumps}, named as Python's `json.dumps` arguments. */
export interface PyJsonDumpsOptions {
  /** Spaces per level; `undefined` writes everything on one line. @default undefined */
  indent?: number;
  /** Escape non-ASCII characters as `\uXXXX`. @default true */
  ensureAscii?: boolean;
  /** `[item, key]` separators. @default indent === undefined ? [", ", ": "] : [",", ": "] */
  separators?: readonly [string, string];
}

/**
 * Python's `json.dumps(value, indent=..., ensure_ascii=...)`.
 * @example pyJsonDumps({ a: [] }, { indent: 4, ensureAscii: false }) // '{\n    "a": []\n}'
 */
export function pyJsonDumps(value: PyValue, options: PyJsonDumpsOptions = {}): string {
  const { indent, ensureAscii = true } = options;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [", ", ": "] : [",", ": "]);
  const write = (v: PyValue, level: number): string => {
    if (v === null) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "string") return jsonString(v, ensureAscii);
    if (typeof v === "number" || v instanceof PyFloat || v instanceof PyInt) return jsonNumber(v);
    if (v instanceof PyDatetime) return jsonString(v.iso, ensureAscii);
    const entries: string[] = Array.isArray(v)
      ? v.map((item) => write(item, level + 1))
      : Object.keys(v).map((key) => jsonString(key, ensureAscii) + keySep + write(v[key]!, level + 1));
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) return open + close;
    if (indent === undefined) return open + entries.join(itemSep) + close;
    const inner = `\n${" ".repeat(indent * (level + 1))}`;
    return `${open + inner + entries.join(itemSep + inner)}\n${" ".repeat(indent * level)}${close}`;
  };
  return write(value, 0);
}

/** Converts a plain JavaScript value (from `JSON.parse`, a config file...) into a {@link PyValue}. */
export function toPyValue(value: unknown): PyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (value instanceof Number || value instanceof PyDatetime) return value as PyValue;
  if (Array.isArray(value)) return value.map(toPyValue);
  if (typeof value === "object") {
    const out: PyObject = Object.create(null) as PyObject;
    for (const [k, v] of Object.entries(value)) out[k] = toPyValue(v);
    return out;
  }
  return String(value);
}

/** Python's default string order (code points), for `sorted()` of keys. */
export function pyCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
