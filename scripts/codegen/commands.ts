/**
 * Emits `generated/commands.ts` (one small Command class per operation, with the AWS SDK v3's names and input/output
 * types, shared by both entries) and `generated/paginators.ts` (one `paginateX` per paginated operation), and the
 * lite entry's `paginators-lite.ts` (the same paginators over src/lite/paginate.ts).
 */
import { errorTable } from "./errors.ts";
import { type Model, firstSentence, shape } from "./model.ts";
import { type OperationInfo, operationTable } from "./operations.ts";

/** What every command's schema is made from: the model, and which plans and error sets exist. */
interface SchemaContext {
  model: Model;
  /** Output structures with a read plan, input structures with a redaction plan (generated/plans.ts). */
  readShapes: Set<string>;
  redactShapes: Set<string>;
  /** Each distinct set of modelled errors (names joined by spaces) -> the constant that holds it. */
  errorSets: Map<string, string>;
}

export function emitCommands(model: Model, readShapes: Set<string>, redactShapes: Set<string>): string {
  const ops = operationTable(model);
  const out: string[] = [
    'import { Command, type MetadataBearer, type OperationSchema } from "../src/command.ts";',
    'import { serializeBody } from "../src/protocol.ts";',
    'import * as E from "./errors.ts";',
    'import * as P from "./plans.ts";',
    'import type * as T from "./types.ts";',
    "",
    "// The modelled errors of the operations: one list per distinct set, named after the first operation that has it",
    "// (many operations share a set).",
  ];
  const context: SchemaContext = { model, readShapes, redactShapes, errorSets: new Map() };
  for (const op of ops) {
    const names = commandErrors(model, op);
    const key = names.join(" ");
    if (context.errorSets.has(key)) continue;
    context.errorSets.set(key, `${op.name}$errors`);
    out.push(`const ${op.name}$errors: OperationSchema["errors"] = [${names.map((e) => `E.${e}`).join(", ")}];`);
  }
  out.push("");
  for (const op of ops) {
    const doc = firstSentence(model.operations[op.name]!.documentation);
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
    out.push(`/** ${doc ?? op.name} */`);
    out.push(`export class ${op.name}Command extends Command<${op.name}CommandInput, ${op.name}CommandOutput> {`);
    // The operation's schema, one object shared by its commands (Command's constructor reads it from the class).
    out.push("  static readonly schema: OperationSchema = {");
    out.push(...schemaLines(context, op).map((line) => `    ${line}`));
    out.push("  };");
    out.push("}", "");
  }
  return out.join("\n");
}

/** What an operation's schema holds, by name: its modelled errors, and which plans and encoder it takes. */
export interface SchemaMembers {
  name: string;
  /** The modelled errors' class names (generated/errors.ts). */
  errors: string[];
  unsigned: boolean;
  /** The output's read plan and the input's redaction plan, by name (generated/plans.ts). */
  read?: string;
  redact?: string;
  /** Whether the input is written by `serializeBody` rather than `JSON.stringify`. */
  serialize: boolean;
}

/** The error classes a command's schema lists: the operation's modelled errors that have a class. */
function commandErrors(model: Model, op: OperationInfo): string[] {
  const known = new Set(errorTable(model).map((e) => e.name));
  return op.errors.filter((e) => known.has(e));
}

/**
 * The members of an operation's schema: name, errors, auth, the output's read plan, the input's encoder and
 * redaction plan. Not its validation rules: generated/schemas.ts has them by operation, for the runtimes that validate.
 */
export function schemaMembers(
  model: Model,
  op: OperationInfo,
  readShapes: Set<string>,
  redactShapes: Set<string>,
): SchemaMembers {
  return {
    name: op.name,
    errors: commandErrors(model, op),
    // Authorised by a token in its input: sent unsigned, as the SDK does.
    unsigned: unsigned(model, op.name),
    ...(readShapes.has(op.output) && { read: `${op.output}$read` }),
    ...(redactShapes.has(op.input) && { redact: `${op.input}$redact` }),
    // Only inputs holding blobs or timestamps need more than JSON.stringify: only their commands carry the encoder.
    serialize: op.input !== "Unit" && holdsBlobOrTimestamp(model, op.input),
  };
}

function schemaLines(context: SchemaContext, op: OperationInfo): string[] {
  const members = schemaMembers(context.model, op, context.readShapes, context.redactShapes);
  const lines = [`name: ${JSON.stringify(op.name)},`, `errors: ${context.errorSets.get(members.errors.join(" "))},`];
  if (members.unsigned) lines.push("unsigned: true,");
  if (members.read) lines.push(`read: P.${members.read},`);
  if (members.redact) lines.push(`redact: P.${members.redact},`);
  if (members.serialize) lines.push("serialize: serializeBody,");
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
export const unsigned = (model: Model, name: string): boolean => {
  const op = model.operations[name]!;
  return op.authtype === "none" || op.auth?.includes("smithy.api#noAuth") === true;
};

export function emitPaginators(model: Model, lite = false): string {
  const ops = operationTable(model).filter((o) => o.paginator);
  const out: string[] = [
    lite
      ? 'import { createPaginator, type LitePaginator } from "../src/lite/paginate.ts";'
      : 'import { tablePaginator, type Paginator } from "../src/paginate.ts";',
    "import {",
    ...ops.flatMap((o) => [`  ${o.name}Command,`, `  type ${o.name}CommandInput,`, `  type ${o.name}CommandOutput,`]),
    '} from "./commands.ts";',
    "",
  ];
  for (const op of ops) {
    const p = op.paginator!;
    // The full paginators refuse a starting token that sets a name the input does not have, as botocore does.
    // The lite paginators yield pages only: their rows leave out the items member, which no code of theirs reads.
    const row = lite
      ? { ...p, items: undefined }
      : { ...p, parameters: op.input === "Unit" ? [] : Object.keys(shape(model, op.input).members ?? {}) };
    const spec = Object.entries(row)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${JSON.stringify(v).replace(/","/g, '", "')}`)
      .join(", ");
    out.push(`/** Pages of {@link ${op.name}Command}${p.items ? `; items: \`${p.items}\`` : ""}. */`);
    out.push(
      // The explicit type keeps the public API free of inferred ("slow") types, as JSR wants.
      `export const paginate${op.name}: ${lite ? "LitePaginator" : "Paginator"}<${op.name}CommandInput, ${op.name}CommandOutput${!lite && p.items ? `, ${JSON.stringify(p.items)}` : ""}> = /*#__PURE__*/ ${lite ? "createPaginator" : "tablePaginator"}<${op.name}CommandInput, ${op.name}CommandOutput${p.items ? `, ${JSON.stringify(p.items)}` : ""}>(`,
      `  { ${spec} },`,
      `  (input) => new ${op.name}Command(input),`,
      ");",
      "",
    );
  }
  return out.join("\n");
}
