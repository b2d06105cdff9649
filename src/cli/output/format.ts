/**
 * What an output format of the operation commands is (`--output json|text|table|ndjson|csv`): one file per format,
 * listed in formats.ts. A format gets the operation's responses as botocore parsed them ({@link PyValue}s, numbers
 * as Python prints them) and writes them through the {@link OutputContext}.
 */

import type { CliIO } from "../io.ts";
import type { PyObject, PyValue } from "../pyjson.ts";

/** A compiled `--query` (JMESPath). */
export interface Query {
  search(data: PyValue): PyValue;
}

/** Everything a format may need to know about the call it prints. */
export interface OutputContext {
  /** `AdminListUserAuthEvents` (the table's title). */
  readonly operation: string;
  /** The operation's output shape in the model (`AdminListUserAuthEventsResponse`). */
  readonly outputShape: string;
  /** For a paginated operation: the member holding the items, and the one holding the service's next token. */
  readonly listing: { readonly resultKey: string; readonly outputToken: string } | undefined;
  /** `--query`, if given. */
  readonly query: Query | undefined;
  /** The call's parameters (`UserPoolId`, `Username`...), for formats that say where the items come from. */
  readonly parameters: PyObject;
  readonly io: Pick<CliIO, "stdout" | "stderr">;
  /** `--color` (table). */
  readonly color: boolean;
  /** Columns of the terminal standard output is, or 80 (table). */
  readonly terminalWidth: number;
  /**
   * Whether standard output is a terminal: text and table then show the service's control and bidi characters
   * escaped (src/cli/output/terminal.ts).
   */
  readonly stdoutIsTerminal: boolean;
}

/** Writes one call's output. */
export interface OutputWriter {
  /**
   * A whole response: a call without pagination, `--generate-cli-skeleton output`, or (formats with
   * `mergesPages`) every page of a listing merged, as botocore's `build_full_result` merges them.
   */
  response(value: PyObject): Promise<void>;
  /** One page of a listing (formats without `mergesPages`: required): `{ [resultKey]: items }`. */
  page?(page: PyObject): Promise<void>;
  /** After a listing's last page (formats without `mergesPages`); `resumeToken` when `--max-items` stopped it. */
  end?(resumeToken: string | undefined): Promise<void>;
}

/** An `--output` format of the operation commands. */
export interface OutputFormat {
  /** The `--output` value. */
  readonly name: string;
  /** One line for help pages and completion. */
  readonly description: string;
  /**
   * `true`: a listing reaches {@link OutputWriter.response} once, all pages merged (the AWS CLI's json and table);
   * `false`: page by page as they arrive, then {@link OutputWriter.end}.
   */
  readonly mergesPages: boolean;
  open(context: OutputContext): OutputWriter;
}

/** `--query` applied, if given. */
export function select(context: OutputContext, value: PyValue): PyValue {
  return context.query ? context.query.search(value) : value;
}
