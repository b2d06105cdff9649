/** Emits `generated/types.ts`: one interface per non-error structure, printed by json-schema-to-typescript. */
import { compile } from "json-schema-to-typescript";
import { type Schema, structureSchema } from "./json-schema.ts";
import { type Model, isDataStructure, shapesWhere } from "./model.ts";

/** Structures that are plain data (error structures become classes in `errors.ts`). */
export const dataStructures = (model: Model): string[] => shapesWhere(model, isDataStructure);

function enumRefs(schema: Schema, into: Set<string>): void {
  if (schema["x-smithy-type"] === "enum" && schema.tsType) into.add(schema.tsType);
  for (const p of Object.values(schema.properties ?? {})) enumRefs(p, into);
  for (const a of schema.anyOf ?? []) enumRefs(a, into);
  if (schema.items) enumRefs(schema.items, into);
}

export async function emitTypes(model: Model): Promise<string> {
  const enumsUsed = new Set<string>();
  const parts: string[] = [];
  for (const name of dataStructures(model)) {
    const schema = structureSchema(model, name);
    enumRefs(schema, enumsUsed);
    const ts = await compile(schema as never, name, {
      bannerComment: "",
      additionalProperties: false,
      declareExternallyReferenced: false,
      strictIndexSignatures: true,
      format: true,
      style: { printWidth: 120, singleQuote: false, trailingComma: "all" },
    });
    parts.push(ts.trim(), "");
  }
  const imports = [...enumsUsed].sort();
  return [
    `import type {\n${imports.map((n) => `  ${n},`).join("\n")}\n} from "./enums.ts";`,
    "",
    "/** A Smithy document: any JSON value. */",
    "export type __DocumentType = null | boolean | number | string | __DocumentType[] | { [key: string]: __DocumentType };",
    "",
    ...parts,
  ].join("\n");
}
