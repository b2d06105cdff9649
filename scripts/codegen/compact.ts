/**
 * Emits the Node build's forms of two generated modules: `commands.node.ts` and `errors.node.ts`, which tsup.config.ts
 * builds into `dist/index.node.js` in place of `commands.ts` and `errors.ts`. They export the same classes, with the
 * same names, schemas, members and prototypes, each made by one call of a small factory from a row of data instead of
 * written out as a class: Node compiles every byte of the Node build when the package is imported unbundled, and
 * written out these classes and their error lists were 39 % of it (57 of 145 KB; the import took 1 ms longer).
 * Bundles keep the written-out form, whose classes a bundler can drop one by one; the .d.ts are made from it too.
 * The aggregated client stays written out: its methods defined in a loop cost more to run than their text to compile.
 * test/compact-tables.test.ts checks that both forms export the same objects, from the source and from the build.
 */
import { BASE_EXCEPTION, baseException, errorTable } from "./errors.ts";
import type { Model } from "./model.ts";
import { schemaMembers } from "./commands.ts";
import { operationTable } from "./operations.ts";

const NOTE = (form: string) =>
  [
    `// The Node build's form of ${form} (tsup.config.ts builds it into dist/index.node.js in its place): the same exports,`,
    "// each made by one call from a row of data. scripts/codegen/compact.ts says why.",
    "",
  ].join("\n");

/** The first character of the error codes: an error set is a string, one character per class, `"0"` the first. */
const FIRST_CODE = 48;
/** Codes stay below `\x7f` (printable ASCII). */
const MAX_ERRORS = 0x7f - FIRST_CODE;

export function emitCompactErrors(model: Model): string {
  const table = errorTable(model);
  const base = BASE_EXCEPTION;
  return [
    NOTE("errors.ts"),
    'import { ServiceException, type ServiceExceptionOptions } from "@smithy/smithy-client";',
    'import type { ErrorOptions } from "./errors.ts";',
    "",
    ...baseException(model),
    "",
    "/**",
    " * A modelled error's class, as errors.ts writes it: `name` and `$fault` are class fields, set after the base class's",
    " * constructor; the members other than the message are assigned from the options; no constructor of its own without",
    " * them (the class's `length` is then 0).",
    " */",
    'function error(name: string, fault: "client" | "server", members: string[] = []) {',
    `  const Class = members.length`,
    `    ? class extends ${base} {`,
    `        static override readonly shapeId: string = ${JSON.stringify(`${model.namespace}#`)} + name;`,
    "        override readonly name = name;",
    "        override readonly $fault = fault;",
    "        constructor(options: ErrorOptions) {",
    "          super(options);",
    "          for (const member of members) (this as Record<string, unknown>)[member] = options[member];",
    "        }",
    "      }",
    `    : class extends ${base} {`,
    `        static override readonly shapeId: string = ${JSON.stringify(`${model.namespace}#`)} + name;`,
    "        override readonly name = name;",
    "        override readonly $fault = fault;",
    "      };",
    '  return Object.defineProperty(Class, "name", { value: name });',
    "}",
    "",
    ...table.map((e) => {
      const members = e.members.length ? `, ${JSON.stringify(e.members)}` : "";
      return `export const ${e.name} = /* @__PURE__ */ error(${JSON.stringify(e.name)}, ${JSON.stringify(e.fault)}${members});`;
    }),
  ].join("\n");
}

export function emitCompactCommands(model: Model, readShapes: Set<string>, redactShapes: Set<string>): string {
  const errors = errorTable(model).map((e) => e.name);
  if (errors.length > MAX_ERRORS) throw new Error(`more than ${MAX_ERRORS} error classes: extend the error codes`);
  const code = (name: string) => String.fromCharCode(FIRST_CODE + errors.indexOf(name));
  const rows = operationTable(model).map((op) => {
    const members = schemaMembers(model, op, readShapes, redactShapes);
    const flags = (members.unsigned ? 1 : 0) | (members.serialize ? 2 : 0);
    const args = [
      JSON.stringify(op.name),
      JSON.stringify(members.errors.map(code).join("")),
      String(flags),
      members.read ? `P.${members.read}` : "undefined",
      members.redact ? `P.${members.redact}` : "undefined",
    ];
    while (args.at(-1) === "undefined") args.pop();
    if (args.length === 3 && args[2] === "0") args.pop();
    return `export const ${op.name}Command = /* @__PURE__ */ command(${args.join(", ")});`;
  });
  return [
    NOTE("commands.ts"),
    'import { Command, type ErrorClass, type OperationSchema } from "../src/command.ts";',
    'import { serializeBody } from "../src/protocol.ts";',
    'import * as E from "./errors.ts";',
    'import type { ReadPlan, RedactPlan } from "./plans.ts";',
    'import * as P from "./plans.ts";',
    "",
    `/** The error classes, in the order of their codes (character ${FIRST_CODE} is the first). */`,
    `const ERRORS: ErrorClass[] = [${errors.map((e) => `E.${e}`).join(", ")}];`,
    "",
    "/** Each distinct error set once, as commands.ts shares one list between the operations that have the same. */",
    "const errorSets = new Map<string, ErrorClass[]>();",
    "",
    "/**",
    " * An operation's Command class, as commands.ts writes it: its schema a static member (name, errors, then `unsigned`",
    " * when `flags & 1`, the read and redaction plans when it has them, and `serializeBody` when `flags & 2`).",
    " */",
    "function command(name: string, codes: string, flags = 0, read?: ReadPlan, redact?: RedactPlan) {",
    "  let errors = errorSets.get(codes);",
    `  if (!errors) errorSets.set(codes, (errors = [...codes].map((c) => ERRORS[c.charCodeAt(0) - ${FIRST_CODE}]!)));`,
    "  const schema: { -readonly [K in keyof OperationSchema]: OperationSchema[K] } = { name, errors };",
    "  if (flags & 1) schema.unsigned = true;",
    "  if (read) schema.read = read;",
    "  if (redact) schema.redact = redact;",
    "  if (flags & 2) schema.serialize = serializeBody;",
    "  const Class = class extends Command<object, never> {",
    "    static readonly schema: OperationSchema = schema;",
    "  };",
    '  return Object.defineProperty(Class, "name", { value: name + "Command" });',
    "}",
    "",
    ...rows,
  ].join("\n");
}
