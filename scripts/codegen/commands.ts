/**
 * Emits `generated/commands.ts` (one small Command class per operation, with the AWS SDK v3's names and input/output
 * types) and `generated/paginators.ts` (one `paginateX` per paginated operation), and their lite twins for
 * `cognito-auth-events/lite`: `commands-lite.ts` (the same classes without the input's validation rules, which only
 * the full client reads, so a lite bundle does not carry them) and `paginators-lite.ts`.
 */
import { errorTable } from "./errors.ts";
import { type Model, firstSentence, shape } from "./model.ts";
import { operationTable } from "./operations.ts";

export function emitCommands(model: Model, readShapes: Set<string>, ruleShapes: Set<string>, lite = false): string {
  const ops = operationTable(model);
  const known = new Set(errorTable(model).map((e) => e.name));
  const out: string[] = lite
    ? [
        'import { Command, type OperationSchema } from "../src/command.ts";',
        'import { serializeBody } from "../src/protocol.ts";',
        'import type * as C from "./commands.ts";',
        'import * as E from "./errors.ts";',
        'import * as S from "./schemas.ts";',
        "",
        "export type {",
        ...ops.flatMap((o) => [`  ${o.name}CommandInput,`, `  ${o.name}CommandOutput,`]),
        '} from "./commands.ts";',
        "",
      ]
    : [
        'import { Command, type MetadataBearer, type OperationSchema } from "../src/command.ts";',
        'import { serializeBody } from "../src/protocol.ts";',
        'import * as E from "./errors.ts";',
        'import * as S from "./schemas.ts";',
        'import type * as T from "./types.ts";',
        "",
      ];
  for (const op of ops) {
    const doc = firstSentence(model.operations[op.name]!.documentation);
    // One schema object per operation, shared by its commands (built once, not per request).
    const schema = [`const ${op.name}$schema: OperationSchema = {`, ...schemaLines(model, op, known, readShapes)];
    if (lite) {
      out.push(...schema, "};");
      out.push(`/** ${doc ?? op.name} */`);
      out.push(`export class ${op.name}Command extends Command<C.${op.name}CommandInput, C.${op.name}CommandOutput> {`);
      out.push(`  constructor(input: C.${op.name}CommandInput) {`);
      out.push(`    super(input, ${op.name}$schema);`);
      out.push("  }", "}", "");
      continue;
    }
    const input = op.input === "Unit" ? "{}" : `T.${op.input}`;
    out.push(`/** The input of {@link ${op.name}Command}. */`);
    out.push(
      op.input === "Unit"
        ? `export interface ${op.name}CommandInput {}`
        : `export interface ${op.name}CommandInput extends ${input} {}`,
    );
    out.push(`/** The output of {@link ${op.name}Command}, with the response metadata. */`);
    out.push(
      op.output === "Unit"
        ? `export interface ${op.name}CommandOutput extends MetadataBearer {}`
        : `export interface ${op.name}CommandOutput extends T.${op.output}, MetadataBearer {}`,
    );
    out.push(...schema);
    if (ruleShapes.has(op.input)) out.push(`  rules: S.${op.input}$rules,`);
    out.push("};");
    out.push(`/** ${doc ?? op.name} */`);
    out.push(`export class ${op.name}Command extends Command<${op.name}CommandInput, ${op.name}CommandOutput> {`);
    out.push(`  constructor(input: ${op.name}CommandInput) {`);
    out.push(`    super(input, ${op.name}$schema);`);
    out.push("  }");
    out.push("}", "");
  }
  return out.join("\n");
}

/** The members of an operation's schema both command files share: name, errors, auth and the output's read plan. */
function schemaLines(
  model: Model,
  op: ReturnType<typeof operationTable>[number],
  known: Set<string>,
  readShapes: Set<string>,
): string[] {
  const lines = [
    `  name: ${JSON.stringify(op.name)},`,
    `  errors: { ${op.errors
      .filter((e) => known.has(e))
      .map((e) => `${e}: E.${e}`)
      .join(", ")} },`,
  ];
  // Authorised by a token in its input: sent unsigned, as the SDK does.
  if (unsigned(model, op.name)) lines.push("  unsigned: true,");
  if (readShapes.has(op.output)) lines.push(`  read: S.${op.output}$read,`);
  // Only inputs holding blobs or timestamps need more than JSON.stringify: only their commands carry the encoder.
  if (op.input !== "Unit" && holdsBlobOrTimestamp(model, op.input)) lines.push("  serialize: serializeBody,");
  return lines;
}

/** Whether a shape is, or holds at any depth, a blob or a timestamp. */
function holdsBlobOrTimestamp(model: Model, name: string, seen = new Set<string>()): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const s = shape(model, name);
  if (s.type === "blob" || s.type === "timestamp") return true;
  const refs = [...Object.values(s.members ?? {}), s.member, s.value].filter((r) => r !== undefined);
  return refs.some((r) => holdsBlobOrTimestamp(model, r.shape, seen));
}

/** botocore's `authtype: "none"` (Smithy's `smithy.api#auth: []`, `smithy.api#noAuth`). */
const unsigned = (model: Model, name: string): boolean => {
  const op = model.operations[name]!;
  return op.authtype === "none" || op.auth?.includes("smithy.api#noAuth") === true;
};

export function emitPaginators(model: Model, lite = false): string {
  const ops = operationTable(model).filter((o) => o.paginator);
  const out: string[] = [
    lite
      ? 'import { createPaginator, type LitePaginator } from "../src/lite/paginate.ts";'
      : 'import { createPaginator, type Paginator } from "../src/paginate.ts";',
    "import {",
    ...ops.flatMap((o) => [`  ${o.name}Command,`, `  type ${o.name}CommandInput,`, `  type ${o.name}CommandOutput,`]),
    `} from "./commands${lite ? "-lite" : ""}.ts";`,
    "",
  ];
  for (const op of ops) {
    const p = op.paginator!;
    // The full paginators refuse a starting token that sets a name the input does not have, as botocore does.
    const parameters = lite
      ? {}
      : { parameters: op.input === "Unit" ? [] : Object.keys(shape(model, op.input).members ?? {}) };
    const spec = Object.entries({ ...p, ...parameters })
      .map(([k, v]) => `${k}: ${JSON.stringify(v).replace(/","/g, '", "')}`)
      .join(", ");
    out.push(`/** Pages of {@link ${op.name}Command}${p.items ? `; items: \`${p.items}\`` : ""}. */`);
    out.push(
      // The explicit type keeps the public API free of inferred ("slow") types, as JSR wants.
      `export const paginate${op.name}: ${lite ? "LitePaginator" : "Paginator"}<${op.name}CommandInput, ${op.name}CommandOutput${!lite && p.items ? `, ${JSON.stringify(p.items)}` : ""}> = /*#__PURE__*/ createPaginator<${op.name}CommandInput, ${op.name}CommandOutput${p.items ? `, ${JSON.stringify(p.items)}` : ""}>(`,
      `  { ${spec} },`,
      `  (input) => new ${op.name}Command(input),`,
      ");",
      "",
    );
  }
  return out.join("\n");
}
