/** `--query`: a JMESPath expression, compiled before anything is sent (as the AWS CLI checks it first). */

import jmespath from "jmespath";
import { CliError } from "../errors.ts";
import { toPyValue } from "../pyjson.ts";
import type { Query } from "./format.ts";

/**
 * Compiles `--query`; `undefined` when none was given.
 * @throws CliError "Bad value for --query ..." as the AWS CLI words it
 */
export function compileQuery(expression: string | undefined): Query | undefined {
  if (expression === undefined) return undefined;
  try {
    (jmespath as unknown as { compile(expression: string): unknown }).compile(expression);
  } catch (error) {
    throw new CliError(
      `Bad value for --query ${expression}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { search: (data) => toPyValue(jmespath.search(data as never, expression) as unknown) };
}
