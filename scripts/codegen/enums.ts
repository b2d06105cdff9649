/** Emits `generated/enums.ts`: every enum as a `const` object plus a same-named union of its wire values. */
import { type Model, byKey, enumMembers, firstSentence, isEnum, shape, shapesWhere } from "./model.ts";

export interface EnumInfo {
  name: string;
  /** [Smithy member name, wire value], sorted by member name (as the AWS SDK v3 writes them). */
  members: Array<[string, string]>;
}

export function enums(model: Model): EnumInfo[] {
  return shapesWhere(model, isEnum).map((name) => ({ name, members: byKey(enumMembers(model, name)) }));
}

export function emitEnums(model: Model): string {
  const out: string[] = [];
  for (const e of enums(model)) {
    const doc = firstSentence(shape(model, e.name).documentation);
    out.push(doc ? `/** ${doc} */` : `/** Values of the ${e.name} enum. */`);
    out.push(`export const ${e.name} = {`);
    for (const [name, value] of e.members) out.push(`  ${name}: ${JSON.stringify(value)},`);
    out.push("} as const;");
    out.push(`export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`);
    out.push("");
  }
  return out.join("\n");
}
