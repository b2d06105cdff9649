/**
 * The model-driven steps botocore takes between the wire and the AWS CLI's formatters, on raw
 * {@link PyValue}s: parsing a response by its output shape (members in model order, unknown
 * members and nulls dropped, timestamps as on the wire or ISO 8601), validating an input as
 * botocore's `ParamValidator` does (same messages), and `--generate-cli-skeleton`.
 */

// Named imports only: a namespace import would keep every schema in edge bundles of the shared chunk.
import { type Rule, type Rules, shapes } from "../../../generated/schemas.ts";
import { CliError } from "../errors.ts";
import { PyDatetime, PyFloat, PyInt, type PyObject, type PyValue, isPyObject, pyRepr } from "../pyjson.ts";

/** How timestamps are printed: as on the wire (AWS CLI v1's default) or ISO 8601. */
export type TimestampFormat = "wire" | "iso8601";

const SIMPLE = new Set([
  "string",
  "integer",
  "long",
  "boolean",
  "timestamp",
  "double",
  "float",
  "blob",
  "document",
  "bigInteger",
  "bigDecimal",
  "short",
  "byte",
]);

function newObject(): PyObject {
  return Object.create(null) as PyObject;
}

/**
 * botocore's JSON parser (`BaseJSONParser._parse_shape`) on a raw value: structures keep the
 * model's members in model order and drop the others and nulls; timestamps pass through
 * (`wire`) or become ISO 8601 strings; other scalars pass through as they came.
 */
export function parseShape(value: PyValue, target: string, timestamps: TimestampFormat): PyValue {
  if (value === null) return null;
  if (target === "timestamp") return timestamps === "iso8601" ? isoTimestamp(value) : value;
  if (SIMPLE.has(target)) return value;
  const info = shapes[target];
  if (!info || info.type === "enum") return value;
  if (info.type === "structure") {
    if (!isPyObject(value)) return value;
    const out = newObject();
    for (const [member, memberTarget] of info.members) {
      const raw = value[member];
      if (raw !== undefined && raw !== null) out[member] = parseShape(raw, memberTarget, timestamps);
    }
    return out;
  }
  if (info.type === "list")
    return Array.isArray(value) ? value.map((item) => parseShape(item, info.member, timestamps)) : value;
  if (!isPyObject(value)) return value;
  const out = newObject();
  for (const key of Object.keys(value)) out[key] = parseShape(value[key]!, info.value, timestamps);
  return out;
}

/**
 * `datetime.fromtimestamp(value, tzutc()).isoformat()`, as the AWS CLI prints timestamps with
 * `cli_timestamp_format = iso8601`: microseconds rounded half to even, `+00:00`, the fraction only
 * when not zero. Strings are parsed as ISO 8601 dates.
 * @example isoTimestamp(1700000000) // "2023-11-14T22:13:20+00:00"
 */
export function isoTimestamp(value: PyValue): PyValue {
  let seconds: number;
  let micros: number;
  if (typeof value === "number" || value instanceof PyFloat || value instanceof PyInt) {
    const n = Number(value);
    if (!Number.isFinite(n)) return value;
    if (Number.isInteger(n)) {
      seconds = n;
      micros = 0;
    } else {
      // CPython's _PyTime_DoubleToDenominator: split, scale the fraction, round half to even.
      let int = Math.trunc(n);
      let frac = roundHalfEven((n - int) * 1e6);
      if (frac >= 1e6) {
        frac -= 1e6;
        int += 1;
      } else if (frac < 0) {
        frac += 1e6;
        int -= 1;
      }
      seconds = int;
      micros = frac;
    }
  } else if (typeof value === "string") {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return value;
    seconds = Math.floor(ms / 1000);
    micros = (ms - seconds * 1000) * 1000;
  } else {
    return value;
  }
  // Python's datetime stops at year 9999: fromtimestamp raises, and the AWS CLI prints that.
  const year = civilYear(Math.floor(seconds / 86400));
  if (year < 1 || year > 9999) throw new CliError(`year ${year} is out of range`);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return value;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${base}${micros ? `.${pad(micros, 6)}` : ""}+00:00`;
}

/** The proleptic Gregorian year of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilYear(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

// ---------------------------------------------------------------------------------------------
// Validation (botocore/validate.py)

type PyType = "str" | "int" | "float" | "bool" | "NoneType" | "list" | "dict";

function pyType(value: PyValue): PyType {
  if (value === null) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (value instanceof PyFloat) return "float";
  if (value instanceof PyInt) return "int";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** `str(value)` as botocore's messages interpolate it. */
function pyFormat(value: PyValue): string {
  return typeof value === "string" ? value : pyRepr(value);
}

const VALID_TYPES: Readonly<Record<string, { readonly accepts: readonly PyType[]; readonly names: string }>> = {
  string: { accepts: ["str"], names: "<class 'str'>" },
  integer: { accepts: ["int", "bool"], names: "<class 'int'>" },
  long: { accepts: ["int", "bool"], names: "<class 'int'>" },
  boolean: { accepts: ["bool"], names: "<class 'bool'>" },
  double: { accepts: ["float", "int", "bool"], names: "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>" },
  float: { accepts: ["float", "int", "bool"], names: "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>" },
  list: { accepts: ["list"], names: "<class 'list'>, <class 'tuple'>" },
  structure: { accepts: ["dict"], names: "<class 'dict'>" },
  map: { accepts: ["dict"], names: "<class 'dict'>" },
};

/** Python's `len()`: code points, not UTF-16 units. */
function pyLen(value: string | readonly PyValue[]): number {
  return typeof value === "string" ? [...value].length : value.length;
}

/**
 * botocore's `ParamValidator.validate(params, input_shape)`: the report lines, empty when valid.
 * `rules` are the input shape's constraints (the command's `schema.rules`).
 * Checks what botocore checks (required members, unknown members, types, minimum lengths and
 * values); maximums, patterns and enums are the service's business.
 */
export function validateParams(params: PyObject, inputShape: string, rules: Rules | undefined): string[] {
  const errors: string[] = [];
  validateStructure(params, inputShape, rules, "", errors);
  return errors;
}

function nameOf(path: string): string {
  return path === "" ? "input" : path.startsWith(".") ? path.slice(1) : path;
}

function typeCheck(value: PyValue, kind: string, path: string, errors: string[]): boolean {
  const valid = VALID_TYPES[kind];
  if (!valid || valid.accepts.includes(pyType(value))) return true;
  errors.push(
    `Invalid type for parameter ${nameOf(path)}, value: ${pyFormat(value)}, type: <class '${pyType(value)}'>, valid types: ${valid.names}`,
  );
  return false;
}

function kindOf(target: string): string {
  if (SIMPLE.has(target)) return target;
  const info = shapes[target];
  if (!info) return "string";
  return info.type === "enum" ? "string" : info.type;
}

function validateStructure(
  params: PyValue,
  shape: string,
  rules: Rules | undefined,
  path: string,
  errors: string[],
): void {
  if (!typeCheck(params, "structure", path, errors)) return;
  const info = shapes[shape];
  if (info?.type !== "structure") return;
  const obj = params as PyObject;
  for (const [member, , required] of info.members) {
    if (required && !(member in obj)) errors.push(`Missing required parameter in ${nameOf(path)}: "${member}"`);
  }
  const known = new Map(info.members.map(([member, target]) => [member, target]));
  const valid = info.members.map(([member]) => member).join(", ");
  const knownParams: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) errors.push(`Unknown parameter in ${nameOf(path)}: "${key}", must be one of: ${valid}`);
    else knownParams.push(key);
  }
  for (const key of knownParams) validateValue(obj[key]!, known.get(key)!, rules?.[key], `${path}.${key}`, errors);
}

function validateValue(value: PyValue, target: string, rule: Rule | undefined, path: string, errors: string[]): void {
  const kind = kindOf(target);
  if (kind === "structure") {
    validateStructure(value, target, rule?.members, path, errors);
    return;
  }
  if (kind === "timestamp" || kind === "blob" || kind === "document") return;
  if (!typeCheck(value, kind, path, errors)) return;
  const min = (kind === "string" || kind === "list" ? rule?.length?.[0] : rule?.range?.[0]) ?? null;
  if (kind === "string" || kind === "list") {
    const length = pyLen(value as string | PyValue[]);
    if (min !== null && length < min)
      errors.push(`Invalid length for parameter ${nameOf(path)}, value: ${length}, valid min length: ${min}`);
  } else if (kind === "integer" || kind === "long" || kind === "double" || kind === "float") {
    if (min !== null && Number(value) < min)
      errors.push(`Invalid value for parameter ${nameOf(path)}, value: ${pyFormat(value)}, valid min value: ${min}`);
  }
  const info = shapes[target];
  if (info?.type === "list" && Array.isArray(value)) {
    value.forEach((item, i) => {
      validateValue(item, info.member, rule?.items, `${path}[${i}]`, errors);
    });
  } else if (info?.type === "map" && isPyObject(value)) {
    for (const key of Object.keys(value)) validateValue(value[key]!, info.value, undefined, `${path}.${key}`, errors);
  }
}

// ---------------------------------------------------------------------------------------------
// --generate-cli-skeleton (botocore.utils.ArgumentGenerator)

/**
 * botocore's `ArgumentGenerator().generate_skeleton(shape)`: empty strings, zeros, `true`, one
 * list item, the first enum value (botocore picks one at random); with `useMemberNames` (the `output` skeleton) strings are the
 * member names and timestamps the epoch as a `datetime`.
 */
export function skeleton(target: string, useMemberNames = false, name = "", stack: string[] = []): PyValue {
  const info = shapes[target];
  if (info?.type === "structure") {
    const out = newObject();
    // A structure already being generated once above (recursion) is left empty.
    if (stack.filter((s) => s === target).length > 0) return out;
    for (const [member, memberTarget] of info.members) {
      out[member] = skeleton(memberTarget, useMemberNames, member, [...stack, target]);
    }
    return out;
  }
  if (info?.type === "list") return [skeleton(info.member, useMemberNames, name, [...stack, target])];
  if (info?.type === "map") {
    const out = newObject();
    out["KeyName"] = skeleton(info.value, useMemberNames, name, [...stack, target]);
    return out;
  }
  if (info?.type === "enum") return useMemberNames ? name : (info.values[0] ?? "");
  switch (target) {
    case "string":
      return useMemberNames ? name : "";
    case "integer":
    case "long":
      return 0;
    case "double":
    case "float":
      return new PyFloat(0);
    case "boolean":
      return true;
    case "timestamp":
      return new PyDatetime("1970-01-01T00:00:00");
    default:
      return "";
  }
}
