/**
 * Input validation from the generated rules (`generated/schemas.ts`): required members, lengths, ranges and
 * patterns, checked before anything is signed or sent. Lengths count Unicode code points, as the service does.
 */
import type { Rule, Rules } from "../generated/schemas.ts";
import { ValidationError, type ValidationIssue } from "./errors.ts";

const patterns = new Map<string, RegExp>();

const show = (value: unknown, rule: Rule): string => {
  if (rule.sensitive) return "value not shown: sensitive";
  const text = JSON.stringify(value) ?? String(value);
  return `value ${text.length > 64 ? `${text.slice(0, 61)}...` : text}`;
};

function check(value: unknown, rule: Rule, path: string, issues: ValidationIssue[]): void {
  const fail = (kind: ValidationIssue["rule"], what: string): void =>
    void issues.push({ path, rule: kind, message: `${path} ${what}` });
  // The first bound broken, with a detail (the length, and the value unless it is sensitive).
  // `detail` is computed only for a failure: it may stringify a long value.
  const bounds = (kind: "length" | "range", n: number, what: string, detail: () => string) => {
    const [min, max] = rule[kind] ?? [null, null];
    if (min !== null && n < min) fail(kind, `must ${what}>= ${min}${detail()}`);
    else if (max !== null && n > max) fail(kind, `must ${what}<= ${max}${detail()}`);
  };
  if (value == null) {
    if (rule.required) fail("required", "is required");
    return;
  }
  const type = typeof value;
  switch (rule.type) {
    case "string": {
      if (type !== "string") {
        fail("type", `must be a string, got ${type}`);
        return;
      }
      // Code points, not UTF-16 units: "😀" is 1, as the service counts.
      const length = [...(value as string)].length;
      const detail = () => ` (length ${length}; ${show(value, rule)})`;
      bounds("length", length, "have length ", detail);
      const { pattern, flags = "" } = rule;
      if (pattern !== undefined) {
        const key = `${flags}/${pattern}`;
        const re = patterns.get(key) ?? new RegExp(pattern, `u${flags}`);
        patterns.set(key, re);
        if (!re.test(value as string)) fail("pattern", `must match the pattern ${pattern}${detail()}`);
      }
      return;
    }
    case "number":
      if (!Number.isFinite(value)) fail("type", `must be a finite number, got ${show(value, rule)}`);
      else bounds("range", value as number, "be ", () => `, got ${value}`);
      return;
    case "boolean":
      if (type !== "boolean") fail("type", `must be a boolean, got ${type}`);
      return;
    case "list":
      if (!Array.isArray(value)) {
        fail("type", `must be an array, got ${type}`);
        return;
      }
      bounds("length", value.length, "have length ", () => ` (${value.length} items)`);
      if (rule.items)
        value.forEach((v, i) => {
          check(v, rule.items!, `${path}[${i}]`, issues);
        });
      return;
    case "blob":
      if (!(value instanceof Uint8Array)) fail("type", `must be a Uint8Array, got ${type}`);
      else bounds("length", value.byteLength, "have length ", () => ` (${value.byteLength} bytes)`);
      return;
    case "map":
    case "structure": {
      if (type !== "object" || Array.isArray(value)) {
        fail("type", `must be an object, got ${Array.isArray(value) ? "array" : type}`);
        return;
      }
      const size = Object.keys(value as object).length;
      bounds("length", size, "have length ", () => ` (${size} entries)`);
      if (rule.members) walk(value as Record<string, unknown>, rule.members, `${path}.`, issues);
    }
  }
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
