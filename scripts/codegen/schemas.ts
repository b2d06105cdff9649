/**
 * Emits `generated/schemas.ts`: what input validation, the CLI and the emulator read of the model, and the clients do
 * not (their commands carry only generated/plans.ts), so importing the package never loads it:
 * - `X$rules`: the validation rules of an input structure (required, length, pattern, range; sensitive members);
 * - `inputRules`: each operation's input rules, by operation name;
 * - `shapes`: every structure, list, map and enum with members in model order (for the CLI's output and skeletons).
 */
import { type Schema, reachableStructures, structureSchema, unwrap } from "./json-schema.ts";
import { operationTable } from "./operations.ts";
import { type Model, byName, isEnum, shape, shapesWhere } from "./model.ts";

function ruleOf(s: Schema, required: boolean, hasRules: Set<string>): string | undefined {
  const parts: string[] = [];
  if (required) parts.push("required: true");
  const t = s["x-smithy-type"];
  if (s.minLength !== undefined || s.maxLength !== undefined)
    parts.push(`length: [${s.minLength ?? "null"}, ${s.maxLength ?? "null"}]`);
  if (s.minItems !== undefined || s.maxItems !== undefined)
    parts.push(`length: [${s.minItems ?? "null"}, ${s.maxItems ?? "null"}]`);
  if (s.minProperties !== undefined || s.maxProperties !== undefined)
    parts.push(`length: [${s.minProperties ?? "null"}, ${s.maxProperties ?? "null"}]`);
  if (s.minimum !== undefined || s.maximum !== undefined)
    parts.push(`range: [${s.minimum ?? "null"}, ${s.maximum ?? "null"}]`);
  if (s.pattern !== undefined) {
    // The patterns are ECMA 262, but a few AWS models carry Java's inline DOTALL flag `(?s)`: ECMAScript has no
    // inline flags, so it becomes the `s` flag.
    const dotAll = s.pattern.includes("(?s)");
    parts.push(`pattern: ${JSON.stringify(s.pattern.replace(/\(\?s\)/g, ""))}`);
    if (dotAll) parts.push('flags: "s"');
  }
  if (s["x-smithy-sensitive"]) parts.push("sensitive: true");
  if (t === "structure" && s.tsType && hasRules.has(s.tsType)) parts.push(`members: ${s.tsType}$rules`);
  if (s.type === "array" && s.items) {
    const inner = ruleOf(s.items, false, hasRules);
    if (inner) parts.push(`items: ${inner}`);
  }
  if (!parts.length) return undefined;
  const kind =
    t === "structure"
      ? "structure"
      : t === "map"
        ? "map"
        : s.type === "array"
          ? "list"
          : t === "timestamp"
            ? "timestamp"
            : t === "blob"
              ? "blob"
              : s.type === "string" || t === "enum"
                ? "string"
                : s.type === "boolean"
                  ? "boolean"
                  : t === "document"
                    ? "document"
                    : "number";
  return `{ type: ${JSON.stringify(kind)}, ${parts.join(", ")} }`;
}

export function emitSchemas(model: Model): string {
  const ops = operationTable(model);
  const inputs = ops.filter((o) => o.input !== "Unit");
  const out: string[] = [
    "/** A validation rule for one member, from the model's traits. `length` and `range` bounds may be `null`. */",
    "export interface Rule {",
    '  readonly type: "string" | "number" | "boolean" | "list" | "map" | "structure" | "timestamp" | "blob" | "document";',
    "  readonly required?: boolean;",
    "  readonly length?: readonly [number | null, number | null];",
    "  readonly range?: readonly [number | null, number | null];",
    "  /** An ECMAScript pattern, unanchored unless it says `^`/`$` (Smithy semantics); compile with the `u` flag. */",
    "  readonly pattern?: string;",
    "  /** Extra RegExp flags for `pattern` (`s` where the model used Java's inline `(?s)`). */",
    '  readonly flags?: "s";',
    "  /** `smithy.api#sensitive`: the value must never appear in a message. */",
    "  readonly sensitive?: boolean;",
    "  readonly members?: Rules;",
    "  readonly items?: Rule;",
    "}",
    "export type Rules = { readonly [member: string]: Rule };",
    "",
  ];

  // Validation rules of input structures and the structures they contain.
  const hasRules = new Set<string>();
  const rules: string[] = [];
  for (const sid of reachableStructures(
    model,
    inputs.map((o) => o.input),
  )) {
    const schema = structureSchema(model, sid);
    const required = new Set(schema.required as string[] | undefined);
    const members = Object.entries(schema.properties ?? {})
      .map(([name, m]) => [name, ruleOf(unwrap(m), required.has(name), hasRules)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined);
    hasRules.add(sid);
    rules.push(`export const ${sid}$rules: Rules = {`);
    for (const [n, r] of members) rules.push(`  ${n}: ${r},`);
    rules.push("};");
  }
  out.push("// Validation rules of input structures.", ...rules, "");
  out.push(
    "/** Each operation's input rules, by operation name (operations without input have none). */",
    "export const inputRules: { readonly [operation: string]: Rules } = {",
    ...inputs.map((o) => `  ${o.name}: ${o.input}$rules,`),
    "};",
    "",
  );
  out.push(emitShapes(model));
  return out.join("\n");
}

/** Every named shape the CLI may print or read, members in model order. */
function emitShapes(model: Model): string {
  const out: string[] = [
    "/** A named shape, members in model order; `target` is a shape name or a Smithy simple type. */",
    "export type ShapeInfo =",
    '  | { readonly type: "structure"; readonly members: readonly (readonly [name: string, target: string, required: boolean])[] }',
    '  | { readonly type: "list"; readonly member: string }',
    '  | { readonly type: "map"; readonly key: string; readonly value: string }',
    '  | { readonly type: "enum"; readonly values: readonly string[] };',
    "",
    "/** Structures, lists, maps and enums of the model, by name. Simple types appear as their Smithy type name. */",
    "export const shapes: { readonly [name: string]: ShapeInfo } = {",
  ];
  // A simple type appears as its type name, as in Smithy: "string", "integer", "timestamp", "document"...
  const target = (name: string): string => {
    const s = shape(model, name);
    if (s.document) return "document";
    return ["structure", "list", "map"].includes(s.type) || isEnum(s) ? name : s.type;
  };
  const names = shapesWhere(model, (s) => ["structure", "list", "map"].includes(s.type) || isEnum(s)).filter(
    (name) => !shape(model, name).document,
  );
  names.sort(byName);
  for (const n of names) {
    const s = shape(model, n);
    if (s.type === "structure") {
      const required = new Set(s.required);
      const members = Object.entries(s.members ?? {}).map(
        ([m, ref]) => `[${JSON.stringify(m)}, ${JSON.stringify(target(ref.shape))}, ${required.has(m)}]`,
      );
      out.push(`  ${n}: { type: "structure", members: [${members.join(", ")}] },`);
    } else if (s.type === "list") {
      out.push(`  ${n}: { type: "list", member: ${JSON.stringify(target(s.member!.shape))} },`);
    } else if (s.type === "map") {
      out.push(
        `  ${n}: { type: "map", key: ${JSON.stringify(target(s.key!.shape))}, value: ${JSON.stringify(target(s.value!.shape))} },`,
      );
    } else {
      out.push(`  ${n}: { type: "enum", values: [${(s.enum ?? []).map((v) => JSON.stringify(v)).join(", ")}] },`);
    }
  }
  out.push("};", "");
  return out.join("\n");
}
