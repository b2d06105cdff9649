/**
 * Input validation from the generated rules (`generated/schemas.ts`): required members, lengths, ranges and
 * patterns, checked before anything is signed or sent. Lengths count Unicode code points, as the service does.
 *
 * Loaded only by the runtimes that validate (the Node, Deno and Bun build, when `validateInput` is on): the rules of
 * every operation are tens of kilobytes that a program which does not validate never needs.
 */
import { type Rule, type Rules, inputRules } from "../generated/schemas.ts";
import type { ValidationIssue } from "./errors.ts";

const show = (value: unknown, rule: Rule): string => {
  if (rule.sensitive) return "value not shown: sensitive";
  const text = JSON.stringify(value) ?? String(value);
  return `value ${text.length > 64 ? `${text.slice(0, 61)}...` : text}`;
};

/**
 * Checks inputs against their operation's rules; one per client, keeping the patterns it has compiled. It lists what
 * is wrong and the client throws the `ValidationError`: this module, loaded apart, then shares no class with the rest.
 */
export class InputValidator {
  readonly #patterns = new Map<string, RegExp>();

  /** Every broken rule of `input`, an input of `operation` (none: it may be sent). */
  check(operation: string, input: unknown): ValidationIssue[] {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return [{ path: "input", rule: "type", message: "input must be an object" }];
    }
    const rules = Object.hasOwn(inputRules, operation) ? inputRules[operation] : undefined;
    const issues: ValidationIssue[] = [];
    if (rules) this.#walk(input as Record<string, unknown>, rules, "", issues);
    return issues;
  }

  #walk(input: Record<string, unknown>, rules: Rules, prefix: string, issues: ValidationIssue[]): void {
    for (const name in rules) this.#check(input[name], rules[name]!, prefix + name, issues);
  }

  #pattern(pattern: string, flags: string): RegExp {
    const key = `${flags}/${pattern}`;
    let re = this.#patterns.get(key);
    if (!re) {
      re = new RegExp(pattern, `u${flags}`);
      this.#patterns.set(key, re);
    }
    return re;
  }

  #check(value: unknown, rule: Rule, path: string, issues: ValidationIssue[]): void {
    const fail = (kind: ValidationIssue["rule"], what: string): void => {
      issues.push({ path, rule: kind, message: `${path} ${what}` });
    };
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
        if (pattern !== undefined && !this.#pattern(pattern, flags).test(value as string))
          fail("pattern", `must match the pattern ${pattern}${detail()}`);
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
        if (rule.items) for (const [i, item] of value.entries()) this.#check(item, rule.items, `${path}[${i}]`, issues);
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
        if (rule.members) this.#walk(value as Record<string, unknown>, rule.members, `${path}.`, issues);
      }
    }
  }
}
