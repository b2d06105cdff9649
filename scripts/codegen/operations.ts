/** Emits `generated/operations.ts`: the operation table (target, input/output, errors, paginator), as data. */
import { type Model, operations, shortName, trait } from "./model.ts";

export interface PaginatorInfo {
  inputToken: string;
  outputToken: string;
  items?: string;
  pageSize?: string;
}

export interface OperationInfo {
  name: string;
  target: string;
  input: string;
  output: string;
  errors: string[];
  paginator?: PaginatorInfo;
}

export function operationTable(model: Model): OperationInfo[] {
  const serviceDefault = trait<Partial<PaginatorInfo>>(model.service, "paginated") ?? {};
  return operations(model).map(({ name, op }) => {
    const paginated = trait<Partial<PaginatorInfo>>(op, "paginated");
    const info: OperationInfo = {
      name,
      target: `${model.serviceName}.${name}`,
      input: op.input ? shortName(op.input.target) : "Unit",
      output: op.output ? shortName(op.output.target) : "Unit",
      errors: (op.errors ?? []).map((e) => shortName(e.target)).sort(),
    };
    if (paginated) {
      // smithy.api#paginated on the service supplies defaults for the operations' traits.
      const merged = { ...serviceDefault, ...paginated };
      if (!merged.inputToken || !merged.outputToken) throw new Error(`${name}: paginated without tokens`);
      info.paginator = {
        inputToken: merged.inputToken,
        outputToken: merged.outputToken,
        ...(merged.items ? { items: merged.items } : {}),
        ...(merged.pageSize ? { pageSize: merged.pageSize } : {}),
      };
    }
    return info;
  });
}

export function emitOperations(model: Model): string {
  const table = operationTable(model);
  const out: string[] = [
    "/** Pagination as `smithy.api#paginated` describes it: the token and page-size members, and the items list. */",
    "export interface PaginatorInfo {",
    "  readonly inputToken: string;",
    "  readonly outputToken: string;",
    "  readonly items?: string;",
    "  readonly pageSize?: string;",
    "}",
    "",
    "/** One row of the operation table. */",
    "export interface OperationInfo {",
    "  /** The operation's name, as in the X-Amz-Target header. */",
    "  readonly name: string;",
    "  /** The X-Amz-Target header value. */",
    "  readonly target: string;",
    "  /** Input structure name. */",
    "  readonly input: string;",
    "  /** Output structure name. */",
    "  readonly output: string;",
    "  /** Names of the modelled errors, sorted. */",
    "  readonly errors: readonly string[];",
    "  readonly paginator?: PaginatorInfo;",
    "}",
    "",
    `/** Every operation of the service (${table.length}), by name. */`,
    "export const operations = {",
  ];
  for (const op of table) {
    out.push(`  ${op.name}: {`);
    out.push(`    name: ${JSON.stringify(op.name)},`);
    out.push(`    target: ${JSON.stringify(op.target)},`);
    out.push(`    input: ${JSON.stringify(op.input)},`);
    out.push(`    output: ${JSON.stringify(op.output)},`);
    out.push(`    errors: [${op.errors.map((e) => JSON.stringify(e)).join(", ")}],`);
    if (op.paginator)
      out.push(
        `    paginator: ${JSON.stringify(op.paginator)
          .replace(/"(\w+)":/g, "$1: ")
          .replace(/,/g, ", ")},`,
      );
    out.push("  },");
  }
  out.push("} as const satisfies Record<string, OperationInfo>;", "");
  out.push("export type OperationName = keyof typeof operations;", "");
  out.push("/** The paginated operations and their paginator configuration. */");
  out.push("export const paginators = {");
  for (const op of table) {
    if (op.paginator) out.push(`  ${op.name}: operations.${op.name}.paginator,`);
  }
  out.push("} as const;", "");
  return out.join("\n");
}
