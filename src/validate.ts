/**
 * Input validation from the generated rules (`generated/schemas.ts`): required members, lengths, ranges and
 * patterns, checked before anything is signed or sent. Lengths count Unicode code points, as the service does.
 */
import type { Rule, Rules } from "../generated/schemas.ts";
import { ValidationError, type ValidationIssue } from "./errors.ts";

const patterns = new Map<string, RegExp>();
function compiled(pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let re = patterns.get(key);
  if (!re) {
    re = new RegExp(pattern, `u${flags}`);
    patterns.set(key, re);
  }
  return re;
}

/** Code points, not UTF-16 units: "😀" is 1, as the service counts. */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const show = (value: unknown, rule: Rule): string => {
  if (rule.sensitive) return "value not shown: sensitive";
  const text = JSON.stringify(value) ?? String(value);
  return `value ${text.length > 64 ? `${text.slice(0, 61)}...` : text}`;
};

function check(value: unknown, rule: Rule, path: string, issues: ValidationIssue[]): void {
  if (value === undefined || value === null) {
    if (rule.required) issues.push({ path, rule: "required", message: `${path} is required` });
    return;
  }
  const fail = (kind: ValidationIssue["rule"], what: string): void => void issues.push({ path, rule: kind, message: `${path} ${what}` });
  switch (rule.type) {
    case "string": {
      if (typeof value !== "string") return fail("type", `must be a string, got ${typeof value}`);
      const len = codePoints(value);
      if (rule.length) lengthCheck(len, rule.length, (m) => fail("length", `${m} (length ${len}; ${show(value, rule)})`));
      if (rule.pattern !== undefined && !compiled(rule.pattern, rule.flags).test(value)) {
        fail("pattern", `must match the pattern ${rule.pattern} (length ${len}; ${show(value, rule)})`);
      }
      return;
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return fail("type", `must be a finite number, got ${show(value, rule)}`);
      if (rule.range) {
        const [min, max] = rule.range;
        if (min !== null && value < min) fail("range", `must be >= ${min}, got ${value}`);
        if (max !== null && value > max) fail("range", `must be <= ${max}, got ${value}`);
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") fail("type", `must be a boolean, got ${typeof value}`);
      return;
    case "list":
      if (!Array.isArray(value)) return fail("type", `must be an array, got ${typeof value}`);
      if (rule.length) lengthCheck(value.length, rule.length, (m) => fail("length", `${m} (${value.length} items)`));
      if (rule.items) value.forEach((v, i) => check(v, rule.items!, `${path}[${i}]`, issues));
      return;
    case "map":
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return fail("type", `must be an object, got ${Array.isArray(value) ? "array" : typeof value}`);
      const size = Object.keys(value).length;
      if (rule.length) lengthCheck(size, rule.length, (m) => fail("length", `${m} (${size} entries)`));
      if (rule.members) walk(value as Record<string, unknown>, rule.members, `${path}.`, issues);
      return;
    }
    default:
      return;
  }
}

function lengthCheck(len: number, [min, max]: readonly [number | null, number | null], fail: (m: string) => void) {
  if (min !== null && len < min) fail(`must have length >= ${min}`);
  else if (max !== null && len > max) fail(`must have length <= ${max}`);
}

function walk(input: Record<string, unknown>, rules: Rules, prefix: string, issues: ValidationIssue[]): void {
  for (const name in rules) check(input[name], rules[name]!, prefix + name, issues);
}

/** Throws a {@link ValidationError} listing every broken rule of `input`. */
export function validate(operation: string, input: object, rules: Rules | undefined): void {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError(operation, [{ path: "input", rule: "type", message: "input must be an object" }]);
  }
  if (!rules) return;
  const issues: ValidationIssue[] = [];
  walk(input as Record<string, unknown>, rules, "", issues);
  if (issues.length) throw new ValidationError(operation, issues);
}

/** Copies `input` with every `@sensitive` member replaced, for debug logs. */
export function redactSensitive(input: unknown, rules: Rules | undefined): unknown {
  if (!rules || typeof input !== "object" || input === null) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const rule = rules[k];
    if (rule?.sensitive) out[k] = "***SensitiveInformation***";
    else if (rule?.members) out[k] = redactSensitive(v, rule.members);
    else if (rule?.items?.members && Array.isArray(v)) out[k] = v.map((x) => redactSensitive(x, rule.items!.members));
    else if (rule?.items?.sensitive && Array.isArray(v)) out[k] = v.map(() => "***SensitiveInformation***");
    else out[k] = v;
  }
  return out;
}
