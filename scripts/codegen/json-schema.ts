/**
 * Smithy shapes -> JSON Schema (draft 7 vocabulary plus json-schema-to-typescript's `tsType`).
 *
 * The JSON Schema is the intermediate form of the generator: `types.ts` prints it with json-schema-to-typescript,
 * and `schemas.ts` reads the validation keywords (required, minLength/maxLength, pattern, minimum/maximum,
 * minItems/maxItems) from it. Named shapes (structures, enums) stay references by name, so each structure compiles
 * on its own and cycles cannot explode.
 */
import type { JSONSchema as JSONSchema4 } from "json-schema-to-typescript";
import { type Model, type SmithyMember, SpecError, firstSentence, shape, shortName, trait } from "./model.ts";

export interface Schema extends JSONSchema4 {
  tsType?: string;
  /** Smithy extensions kept for the other emitters. */
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

function constraints(s: { traits?: Record<string, unknown> }, kind: "string" | "number" | "array" | "map"): Schema {
  const out: Schema = {};
  const length = trait<{ min?: number; max?: number }>(s, "length");
  if (length) {
    if (kind === "array") {
      if (length.min !== undefined) out.minItems = length.min;
      if (length.max !== undefined) out.maxItems = length.max;
    } else if (kind === "map") {
      if (length.min !== undefined) out.minProperties = length.min;
      if (length.max !== undefined) out.maxProperties = length.max;
    } else {
      if (length.min !== undefined) out.minLength = length.min;
      if (length.max !== undefined) out.maxLength = length.max;
    }
  }
  const range = trait<{ min?: number; max?: number }>(s, "range");
  if (range) {
    if (range.min !== undefined) out.minimum = range.min;
    if (range.max !== undefined) out.maximum = range.max;
  }
  const pattern = trait<string>(s, "pattern");
  if (pattern !== undefined) out.pattern = pattern;
  return out;
}

/** The schema of a value of shape `id` (a member's target). */
export function valueSchema(model: Model, id: string): Schema {
  const s = shape(model, id);
  const sensitive = trait(s, "sensitive") !== undefined ? { "x-smithy-sensitive": true } : {};
  switch (s.type) {
    case "structure":
    case "union":
      return { tsType: shortName(id), "x-smithy-ref": id, "x-smithy-type": "structure" };
    case "enum":
    case "intEnum":
      return {
        tsType: shortName(id),
        "x-smithy-ref": id,
        "x-smithy-type": s.type,
        ...constraints(s, "string"),
        ...sensitive,
      };
    case "list":
    case "set":
      if (!s.member) throw new SpecError(`list ${id} has no member`);
      return { type: "array", items: valueSchema(model, s.member.target), ...constraints(s, "array"), ...sensitive };
    case "map": {
      if (!s.value) throw new SpecError(`map ${id} has no value`);
      const value = valueSchema(model, s.value.target);
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
    case "document":
      return { tsType: "__DocumentType", "x-smithy-type": "document" };
    case "string":
      return { ...SCALAR.string, ...constraints(s, "string"), ...sensitive };
    default: {
      const scalar = SCALAR[s.type];
      if (!scalar) throw new SpecError(`shape ${id} has unsupported type ${s.type}`);
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

function memberSchema(model: Model, member: SmithyMember): Schema {
  const value = valueSchema(model, member.target);
  // Member-level traits override the target's (Smithy applies member traits on top).
  const own = constraints(member, value.type === "array" ? "array" : value.type === "string" ? "string" : "number");
  const doc = firstSentence(trait<string>(member, "documentation"));
  const deprecated = trait(member, "deprecated") !== undefined;
  return {
    // `| undefined` on every member, as the AWS SDK v3 types them, so its objects are assignable to ours.
    anyOf: [{ ...value, ...own }, { tsType: "undefined" }],
    ...(doc ? { description: deprecated ? `${doc}\n\n@deprecated` : doc } : {}),
  };
}

/** The JSON Schema of structure `id`: properties in model order, `required` from `smithy.api#required`. */
export function structureSchema(model: Model, id: string): Schema {
  const s = shape(model, id);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [name, member] of Object.entries(s.members ?? {})) {
    properties[name] = memberSchema(model, member);
    if (trait(member, "required") !== undefined) required.push(name);
  }
  const doc = firstSentence(trait<string>(s, "documentation"));
  return {
    title: shortName(id),
    type: "object",
    ...(doc ? { description: doc } : {}),
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** The value schema of a member, without the `| undefined` wrapper. */
export const unwrap = (member: Schema): Schema => member.anyOf?.[0] ?? member;
