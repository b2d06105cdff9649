/** Emits `generated/enums.ts`: every Smithy enum as a `const` object plus a same-named union of its wire values. */
import { type Model, firstSentence, shape, shapesOfType, shortName, trait } from "./model.ts";

export interface EnumInfo {
  name: string;
  /** [member name, wire value], sorted by member name (as the AWS SDK v3 writes them). */
  members: Array<[string, string]>;
}

export function enums(model: Model): EnumInfo[] {
  return shapesOfType(model, "enum").map((id) => {
    const s = shape(model, id);
    const members = Object.entries(s.members ?? {}).map(([name, m]): [string, string] => [
      name,
      trait<string>(m, "enumValue") ?? name,
    ]);
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { name: shortName(id), members };
  });
}

export function emitEnums(model: Model): string {
  const out: string[] = [];
  for (const e of enums(model)) {
    const doc = firstSentence(trait<string>(shape(model, `${model.namespace}#${e.name}`), "documentation"));
    out.push(doc ? `/** ${doc} */` : `/** Values of the ${e.name} enum. */`);
    out.push(`export const ${e.name} = {`);
    for (const [name, value] of e.members) out.push(`  ${name}: ${JSON.stringify(value)},`);
    out.push("} as const;");
    out.push(`export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];`);
    out.push("");
  }
  return out.join("\n");
}
