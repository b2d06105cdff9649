/**
 * Emits `generated/plans.ts`: the two small plans a command carries to the client, per structure, read from the
 * JSON Schema:
 * - `X$read`: how to read an output structure: where its timestamps are (the parser turns epoch seconds into `Date`)
 *   and which members are maps or documents (kept as sent, nulls included, while structures drop their null
 *   members); only structures that hold one of those somewhere get one, so a bundle carries only what its outputs
 *   need.
 * - `X$redact`: where an input structure's `@sensitive` members are, so the client's debug output can hide them;
 *   only structures that hold one somewhere get one.
 *
 * The validation rules (generated/schemas.ts) are not here: commands do not carry them, so neither an edge bundle
 * nor a Node process that does not validate loads them.
 */
import { type Schema, reachableStructures, structureSchema, unwrap } from "./json-schema.ts";
import { type Model, SpecError } from "./model.ts";
import { operationTable } from "./operations.ts";

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

/** The redaction plan of a value, or `undefined` when nothing in it is sensitive. */
function redactPlanOf(s: Schema, has: Set<string>): string | undefined {
  if (s["x-smithy-sensitive"]) return "1";
  if (s["x-smithy-type"] === "structure" && s.tsType && has.has(s.tsType)) return `${s.tsType}$redact`;
  if (s.type === "array" && s.items) {
    const inner = redactPlanOf(s.items, has);
    return inner ? `[${inner}]` : undefined;
  }
  return undefined;
}

/** `export const X$suffix: Type = { member: plan, ... };` for each structure of `roots` with a plan, leaves first. */
function plans(
  model: Model,
  roots: string[],
  suffix: string,
  type: string,
  planOf: (s: Schema, has: Set<string>) => string | undefined,
): string[] {
  const has = new Set<string>();
  const out: string[] = [];
  for (const sid of reachableStructures(model, roots)) {
    const members = Object.entries(structureSchema(model, sid).properties ?? {})
      .map(([name, m]) => [name, planOf(unwrap(m), has)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined);
    if (!members.length) continue;
    has.add(sid);
    out.push(`export const ${sid}${suffix}: ${type} = { ${members.map(([n, p]) => `${n}: ${p}`).join(", ")} };`);
  }
  return out;
}

export function emitPlans(model: Model): string {
  const ops = operationTable(model);
  const outputs = ops.filter((o) => o.output !== "Unit").map((o) => o.output);
  const inputs = ops.filter((o) => o.input !== "Unit").map((o) => o.input);
  return [
    "/**",
    " * How to read an output (src/protocol.ts, `readOutput`): `1` a timestamp, `0` a map or document (kept as sent),",
    " * `[plan]` a list, `{ member: plan }` a structure. Structures drop their `null` members and lists keep their entries,",
    " * as the AWS SDK v3 reads them; a member without a plan is plain JSON.",
    " */",
    "export type ReadPlan = 0 | 1 | readonly [ReadPlan] | { readonly [member: string]: ReadPlan };",
    "",
    "/**",
    " * Where an input's `@sensitive` members are (src/redact.ts): `1` a sensitive value, `[plan]` a list, `{ member: plan }`",
    " * a structure; a member without a plan holds nothing sensitive.",
    " */",
    "export type RedactPlan = 1 | readonly [RedactPlan] | { readonly [member: string]: RedactPlan };",
    "",
    "// Read plans of output structures (structures without timestamps, maps or documents have none).",
    ...plans(model, outputs, "$read", "ReadPlan", readPlanOf),
    "",
    "// Redaction plans of input structures (structures without sensitive members have none).",
    ...plans(model, inputs, "$redact", "RedactPlan", redactPlanOf),
    "",
  ].join("\n");
}
