/** Emits `generated/operations.ts`: the operation table (target, input/output, errors, paginator), as data. */
import { type Model, SpecError, byName, operations } from "./model.ts";

/** Pagination in Smithy's words (`smithy.api#paginated`), from botocore's `paginators-1.json`. */
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
  return operations(model).map(({ name, op }) => {
    const info: OperationInfo = {
      name,
      target: `${model.serviceName}.${name}`,
      input: op.input?.shape ?? "Unit",
      output: op.output?.shape ?? "Unit",
      // Sorted, once each (botocore lists one of VerifySoftwareToken's errors twice).
      errors: [...new Set((op.errors ?? []).map((e) => e.shape))].sort(byName),
    };
    const paginator = model.paginators[name];
    if (paginator) {
      const { input_token: inputToken, output_token: outputToken, result_key: items, limit_key: pageSize } = paginator;
      // Every paginator of this service has one token and one items list; the runtime knows no other kind.
      if (typeof inputToken !== "string" || typeof outputToken !== "string" || Array.isArray(items)) {
        throw new SpecError(`${name}: a paginator with several tokens or result keys is not supported`);
      }
      info.paginator = { inputToken, outputToken, ...(items ? { items } : {}), ...(pageSize ? { pageSize } : {}) };
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
