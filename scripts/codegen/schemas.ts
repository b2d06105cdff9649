/**
 * Emits `generated/schemas.ts`: the small runtime plans the client needs, per structure, read from the JSON Schema:
 * - `X$read`: how to read an output structure: where its timestamps are (the parser turns epoch seconds into `Date`)
 *   and which members are maps or documents (kept as sent, nulls included, while structures drop their null
 *   members); only structures that hold one of those somewhere get one, so a bundle carries only what its outputs
 *   need.
 * - `X$rules`: the validation rules of an input structure (required, length, pattern, range; sensitive members).
 * - `shapes`: every structure, list, map and enum with members in model order (for the CLI's output and skeletons).
 */
import { type Schema, structureSchema, unwrap } from "./json-schema.ts";
import { operationTable } from "./operations.ts";
import { type Model, SpecError, byName, isEnum, shape, shapesWhere } from "./model.ts";

/** Structures reachable from `roots` through members, in dependency order (leaves first). */
function reachable(model: Model, roots: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visitValue = (s: Schema, path: string[]): void => {
    if (s["x-smithy-type"] === "structure" && s["x-smithy-ref"]) visit(s["x-smithy-ref"], path);
    if (s.items) visitValue(s.items, path);
  };
  const visit = (sid: string, path: string[]): void => {
    const st = state.get(sid);
    if (st === "done") return;
    if (st === "visiting") throw new SpecError(`recursive structure ${[...path, sid].join(" -> ")}`);
    state.set(sid, "visiting");
    for (const m of Object.values(structureSchema(model, sid).properties ?? {})) visitValue(unwrap(m), [...path, sid]);
    state.set(sid, "done");
    order.push(sid);
  };
  for (const r of roots) visit(r, []);
  return order;
}

/** Whether values of this schema hold a structure or a timestamp at some depth (through lists and maps). */
function holdsStructureOrTimestamp(s: Schema | undefined): boolean {
  if (!s) return false;
  const t = s["x-smithy-type"];
  return t === "structure" || t === "timestamp" || holdsStructureOrTimestamp(s.items ?? s["x-smithy-value"]);
}

/** The read plan of a value, or `undefined` when plain JSON with its null structure members dropped is right. */
function readPlanOf(s: Schema, has: Set<string>): string | undefined {
  const t = s["x-smithy-type"];
  if (t === "timestamp") return "1";
  if (t === "document") return "0";
  if (t === "map") {
    // The client keeps a map as sent; one that holds structures or timestamps would need a plan of its own.
    if (holdsStructureOrTimestamp(s["x-smithy-value"])) {
      throw new SpecError(`an output map of ${s.tsType} needs a read plan for its values, which ReadPlan cannot say`);
    }
    return "0";
  }
  if (t === "structure" && s.tsType && has.has(s.tsType)) return `${s.tsType}$read`;
  if (s.type === "array" && s.items) {
    const inner = readPlanOf(s.items, has);
    return inner ? `[${inner}]` : undefined;
  }
  return undefined;
}

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
  const outputs = ops.filter((o) => o.output !== "Unit").map((o) => o.output);
  const inputs = ops.filter((o) => o.input !== "Unit").map((o) => o.input);
  const out: string[] = [
    "/**",
    " * How to read an output (src/protocol.ts, `readOutput`): `1` a timestamp, `0` a map or document (kept as sent),",
    " * `[plan]` a list, `{ member: plan }` a structure. Structures drop their `null` members and lists keep their entries,",
    " * as the AWS SDK v3 reads them; a member without a plan is plain JSON.",
    " */",
    "export type ReadPlan = 0 | 1 | readonly [ReadPlan] | { readonly [member: string]: ReadPlan };",
    "",
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

  // Read plans: structures reachable from outputs that hold a timestamp, map or document somewhere.
  const has = new Set<string>();
  const readPlans: string[] = [];
  for (const sid of reachable(model, outputs)) {
    const schema = structureSchema(model, sid);
    const members = Object.entries(schema.properties ?? {})
      .map(([name, m]) => [name, readPlanOf(unwrap(m), has)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined);
    if (!members.length) continue;
    has.add(sid);
    readPlans.push(`export const ${sid}$read: ReadPlan = { ${members.map(([n, p]) => `${n}: ${p}`).join(", ")} };`);
  }
  out.push(
    "// Read plans of output structures (structures without timestamps, maps or documents have none).",
    ...readPlans,
    "",
  );

  // Validation rules of input structures and the structures they contain.
  const hasRules = new Set<string>();
  const rules: string[] = [];
  for (const sid of reachable(model, inputs)) {
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
