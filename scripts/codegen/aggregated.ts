/**
 * Emits `generated/aggregated.ts`: the AWS SDK v3's aggregated client shape, one method per operation
 * (`listUsers(input, options?)`, `(input, callback)`, `(input, options, callback)`) and one `paginateX(input,
 * paginationConfig?)` per paginated operation, as `withOperations(Client)`, a class factory the runtime applies to
 * its client classes (`src/aggregated.ts`). Only a bundle that uses the aggregated class carries it, and with it
 * every command.
 */
import { type Model, firstSentence, shape } from "./model.ts";
import { operationTable } from "./operations.ts";

/** `AdminListUserAuthEvents` -> `adminListUserAuthEvents`, as the SDK names the methods. */
export const methodName = (operation: string): string => operation[0]!.toLowerCase() + operation.slice(1);

/** Whether an operation's input has no required member (the SDK then allows calling the method without one). */
function inputOptional(model: Model, input: string): boolean {
  if (input === "Unit") return true;
  return (shape(model, input).required ?? []).length === 0;
}

export function emitAggregated(model: Model): string {
  const ops = operationTable(model);
  const paginated = ops.filter((o) => o.paginator);
  const out: string[] = [
    'import type { SendCallback, SendOptions } from "../src/client.ts";',
    'import type { MetadataBearer } from "../src/command.ts";',
    'import type { PaginationConfiguration } from "../src/paginate.ts";',
    'import * as C from "./commands.ts";',
    'import * as P from "./paginators.ts";',
    "",
    "/** The pagination options of an aggregated `paginateX` method: the paginator's, without `client`. */",
    'export type AggregatedPaginationConfiguration = Omit<PaginationConfiguration, "client">;',
    "",
    "/** One method per operation, and one `paginateX` per paginated operation, as in the AWS SDK v3's aggregated client. */",
    "export interface CognitoIdentityProviderOperations {",
  ];
  for (const op of ops) {
    const doc = firstSentence(model.operations[op.name]!.documentation);
    const method = methodName(op.name);
    const [input, output] = [`C.${op.name}CommandInput`, `C.${op.name}CommandOutput`];
    out.push(`  /** ${doc ?? op.name} Sends {@link C.${op.name}Command}. */`);
    if (inputOptional(model, op.input)) out.push(`  ${method}(): Promise<${output}>;`);
    out.push(
      `  ${method}(args: ${input}, options?: SendOptions): Promise<${output}>;`,
      `  ${method}(args: ${input}, cb: SendCallback<${output}>): void;`,
      `  ${method}(args: ${input}, options: SendOptions | undefined, cb: SendCallback<${output}>): void;`,
    );
  }
  for (const op of paginated) {
    out.push(
      `  /** Pages of {@link C.${op.name}Command}: {@link P.paginate${op.name}} with this client. */`,
      `  paginate${op.name}(args: C.${op.name}CommandInput, paginationConfig?: AggregatedPaginationConfiguration): AsyncGenerator<C.${op.name}CommandOutput, void, undefined>;`,
    );
  }
  out.push(
    "}",
    "",
    "/** What the methods need of the class they are added to. */",
    "export interface Sender {",
    "  send(command: never, options?: unknown, cb?: unknown): Promise<MetadataBearer> | void;",
    "}",
    "",
    "/**",
    " * What an operation's method does, as the AWS SDK's: `method(input, options?, callback?)` sends the command made",
    " * from `input` (`whenNone` when it is left out: for operations whose input has no required member).",
    " */",
    "const send = (client: Sender, Command: new (input: never) => unknown, args: unknown[], whenNone?: object) =>",
    "  client.send(new Command((args[0] === undefined ? whenNone : args[0]) as never) as never, args[1], args[2]);",
    "",
    "/**",
    " * A subclass of `Client` with the operation methods of {@link CognitoIdentityProviderOperations}: how",
    " * `CognitoIdentityProvider` is made from a `CognitoIdentityProviderClient` class.",
    " */",
    "// biome-ignore lint/suspicious/noExplicitAny: a mixin's constructor must take any arguments.",
    "export function withOperations<Client extends new (...args: any[]) => Sender>(Client: Client) {",
    "  return class CognitoIdentityProvider extends Client {",
  );
  // One line per method, the work in send(): importing the package compiles every byte of this class.
  for (const op of ops) {
    const optional = inputOptional(model, op.input) ? ", {}" : "";
    out.push(
      `    ${methodName(op.name)}(...args: unknown[]) { return send(this, C.${op.name}Command, args${optional}); }`,
    );
  }
  for (const op of paginated) {
    out.push(
      `    paginate${op.name}(args: C.${op.name}CommandInput, paginationConfig?: AggregatedPaginationConfiguration) {`,
      `      return P.paginate${op.name}({ ...paginationConfig, client: this as never }, args);`,
      "    }",
    );
  }
  out.push("  };", "}", "");
  return out.join("\n");
}
