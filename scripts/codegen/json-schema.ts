/**
 * Model shapes -> JSON Schema (draft 7 vocabulary plus json-schema-to-typescript's `tsType`).
 *
 * The JSON Schema is the intermediate form of the generator: `types.ts` prints it with json-schema-to-typescript,
 * `plans.ts` reads where timestamps and sensitive members are, and `schemas.ts` reads the validation keywords
 * (required, minLength/maxLength, pattern, minimum/maximum, minItems/maxItems) from it. Named shapes (structures, enums) stay references by name, so each structure compiles
 * on its own and cycles cannot explode.
 */
import type { JSONSchema as JSONSchema4 } from "json-schema-to-typescript";
import { type Model, type Shape, type ShapeRef, SpecError, firstSentence, isEnum, shape } from "./model.ts";

export interface Schema extends JSONSchema4 {
  tsType?: string;
  /** Model facts kept for the other emitters (Smithy's names for the kinds of shapes). */
  "x-smithy-ref"?: string;
  "x-smithy-type"?: string;
  "x-smithy-sensitive"?: boolean;
  /** A map's value schema (the TypeScript type is in `tsType`). */
  "x-smithy-value"?: Schema;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
}

const SCALAR: Record<string, Schema> = {
  string: { type: "string" },
  boolean: { type: "boolean" },
  integer: { type: "integer" },
  long: { type: "integer" },
  short: { type: "integer" },
  byte: { type: "integer" },
  float: { type: "number" },
  double: { type: "number" },
  bigInteger: { type: "integer" },
  bigDecimal: { type: "number" },
};

/** botocore's `min`/`max` are a length for strings, blobs, lists and maps, and a range for numbers. */
function constraints(s: Shape, kind: "string" | "number" | "array" | "map"): Schema {
  const out: Schema = {};
  const [min, max] = (
    {
      array: ["minItems", "maxItems"],
      map: ["minProperties", "maxProperties"],
      string: ["minLength", "maxLength"],
      number: ["minimum", "maximum"],
    } as const
  )[kind];
  if (s.min !== undefined) out[min] = s.min;
  if (s.max !== undefined) out[max] = s.max;
  if (s.pattern !== undefined) out.pattern = wholeValue(s.pattern);
  return out;
}

/**
 * botocore's patterns hold for the whole value (the service matches them as Java's `matches` does; the Smithy model
 * writes them anchored): the ones that are not anchored are. A `.` outside a character class also matches line
 * ends, as in the Smithy model (whose SmsVerificationMessageType pattern is `\{####\}` where botocore's says
 * `.*\{####\}.*`), so such a pattern gets Java's inline DOTALL flag, which schemas.ts turns into the `s` flag.
 */
export function wholeValue(pattern: string): string {
  const outsideClasses = pattern.replace(/\\./g, "").replace(/\[[^\]]*\]/g, "");
  const body = outsideClasses.includes("|") ? `(?:${pattern})` : pattern;
  const anchored = pattern.startsWith("^") && pattern.endsWith("$") ? pattern : `^${body}$`;
  return outsideClasses.replace("(?s)", "").includes(".") && !pattern.includes("(?s)") ? `(?s)${anchored}` : anchored;
}

/** The schema of a value of shape `name` (a member's target). */
export function valueSchema(model: Model, name: string): Schema {
  const s = shape(model, name);
  const sensitive = s.sensitive ? { "x-smithy-sensitive": true } : {};
  if (s.type === "structure" && s.document) return { tsType: "__DocumentType", "x-smithy-type": "document" };
  if (isEnum(s)) {
    return { tsType: name, "x-smithy-ref": name, "x-smithy-type": "enum", ...constraints(s, "string"), ...sensitive };
  }
  switch (s.type) {
    case "structure":
      return { tsType: name, "x-smithy-ref": name, "x-smithy-type": "structure", ...sensitive };
    case "list":
      if (!s.member) throw new SpecError(`list ${name} has no member`);
      return { type: "array", items: valueSchema(model, s.member.shape), ...constraints(s, "array"), ...sensitive };
    case "map": {
      if (!s.value) throw new SpecError(`map ${name} has no value`);
      const value = valueSchema(model, s.value.shape);
      return {
        tsType: `Record<string, ${tsTypeOf(value)}>`,
        "x-smithy-type": "map",
        "x-smithy-value": value,
        ...constraints(s, "map"),
        ...sensitive,
      };
    }
    case "timestamp":
      return { tsType: "Date", "x-smithy-type": "timestamp" };
    case "blob":
      return { tsType: "Uint8Array", "x-smithy-type": "blob", ...constraints(s, "string"), ...sensitive };
    case "string":
      return { ...SCALAR.string, ...constraints(s, "string"), ...sensitive };
    default: {
      const scalar = SCALAR[s.type];
      if (!scalar) throw new SpecError(`shape ${name} has unsupported type ${s.type}`);
      return { ...scalar, ...constraints(s, "number"), ...sensitive };
    }
  }
}

function tsTypeOf(s: Schema): string {
  if (s.tsType) return s.tsType;
  if (s.type === "array" && s.items) return `${tsTypeOf(s.items)}[]`;
  if (s.type === "integer" || s.type === "number") return "number";
  return String(s.type);
}

function memberSchema(model: Model, member: ShapeRef): Schema {
  const value = valueSchema(model, member.shape);
  const doc = firstSentence(member.documentation);
  return {
    // `| undefined` on every member, as the AWS SDK v3 types them, so its objects are assignable to ours.
    anyOf: [value, { tsType: "undefined" }],
    ...(doc ? { description: member.deprecated ? `${doc}\n\n@deprecated` : doc } : {}),
  };
}

/** The JSON Schema of structure `name`: properties in model order, `required` from the structure's list. */
export function structureSchema(model: Model, name: string): Schema {
  const s = shape(model, name);
  const properties: Record<string, Schema> = {};
  for (const [member, ref] of Object.entries(s.members ?? {})) properties[member] = memberSchema(model, ref);
  const required = Object.keys(properties).filter((member) => s.required?.includes(member));
  const doc = firstSentence(s.documentation);
  return {
    title: name,
    type: "object",
    ...(doc ? { description: doc } : {}),
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** The value schema of a member, without the `| undefined` wrapper. */
export const unwrap = (member: Schema): Schema => member.anyOf?.[0] ?? member;

/** Structures reachable from `roots` through members, in dependency order (leaves first). */
export function reachableStructures(model: Model, roots: string[]): string[] {
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
