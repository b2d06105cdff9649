/**
 * Runs one operation command once its arguments are parsed: the AWS CLI's checks in the AWS CLI's order (paging
 * options, parameters, the input skeleton, settings, validation, the output skeleton, the region), then the call or
 * the pages, printed by the `--output` format.
 */

import { injectTokens, parseStartingToken } from "../../resume-token.ts";
import { inputRules } from "../../../generated/schemas.ts";
import { CliError, CliPaginationError, ParamValidationError } from "../errors.ts";
import type { GlobalValues } from "../globals.ts";
import { type CliIO, writeTo } from "../io.ts";
import type { OutputContext, Query } from "../output/format.ts";
import { OUTPUT_FORMATS, outputFormat } from "../output/formats.ts";
import { type PyObject, pyJsonDumps, toPyValue } from "../pyjson.ts";
import { loadSettings, requireRegion } from "../settings.ts";
import { openRawClient } from "./client.ts";
import { describeFailure } from "./failure.ts";
import type { OperationSpec } from "./model.ts";
import { type PagingOptions, printPages } from "./pages.ts";
import { callParameters } from "./parameters.ts";
import { parseShape, skeleton, validateParams } from "./shape.ts";

/** One run of an operation command. */
export interface OperationRun {
  readonly spec: OperationSpec;
  /** The global options, by `dest`. */
  readonly globals: GlobalValues;
  /** The operation's own options, by `dest`. */
  readonly values: GlobalValues;
  readonly query: Query | undefined;
  readonly io: CliIO;
}

/** The paging options, and whether pages are followed (refusing paging options with `--no-paginate`, as botocore). */
function pagingOf(run: OperationRun): { paginate: boolean; paging: PagingOptions } {
  const { spec, globals, values } = run;
  const paging: PagingOptions = {
    startingToken: values["starting_token"] as string | undefined,
    pageSize: values["page_size"] as number | undefined,
    maxItems: values["max_items"] as number | undefined,
  };
  if (!spec.paginator) return { paginate: false, paging };
  // A service paging member given by hand (--max-results, --next-token...) turns pagination off.
  const paginate =
    globals["paginate"] !== false && !spec.members.some((m) => m.paging && values[m.member] !== undefined);
  if (!paginate) {
    const used = (
      [
        ["--starting-token", paging.startingToken],
        ["--page-size", paging.pageSize],
        ["--max-items", paging.maxItems],
      ] as const
    ).filter(([, v]) => v !== undefined && v !== "" && v !== 0);
    if (used.length > 0) {
      throw new CliPaginationError(
        `Cannot specify --no-paginate along with pagination arguments: ${used.map(([f]) => f).join(", ")}`,
      );
    }
  }
  return { paginate, paging };
}

/** The request the paginator starts with, for validation (botocore validates every request). */
function firstRequest(spec: OperationSpec, params: PyObject, paging: PagingOptions | undefined): PyObject {
  let request = Object.assign(Object.create(null) as PyObject, params);
  const paginator = spec.paginator;
  if (!paginator || !paging) return request;
  // Every key of a decoded starting token is a request parameter (botocore), then the page size.
  if (paging.startingToken !== undefined) {
    const { tokens } = parseStartingToken(paging.startingToken, [paginator.inputToken]);
    request = toPyValue(injectTokens(request, tokens)) as PyObject;
  }
  if (paging.pageSize !== undefined) request[paginator.limitKey] = paging.pageSize;
  return request;
}

/** Runs the operation; resolves with the exit code (failures are thrown, worded as the AWS CLI words them). */
export async function runOperation(run: OperationRun): Promise<number> {
  const { spec, globals, values, query, io } = run;
  const { paginate, paging } = pagingOf(run);
  const params = await callParameters(spec, {
    values,
    io,
    paginationOff: !paginate && spec.paginator !== undefined,
    // Read only when a parameter value is a URL: the profile's cli_follow_urlparam.
    followUrls: async () => (await loadSettings(globals, io)).followUrls,
  });
  if (paging.maxItems !== undefined && paging.maxItems <= 0)
    await writeTo(io.stderr, "warning: Non-positive values for --max-items may result in undefined behavior.\n");

  const skeletonMode = values["generate_cli_skeleton"] as string | undefined;
  if (skeletonMode === "input") {
    await writeTo(io.stdout, `${pyJsonDumps(skeleton(spec.inputShape), { indent: 4 })}\n`);
    return 0;
  }

  const settings = await loadSettings(globals, io);
  const format = outputFormat(settings.output ?? OUTPUT_FORMATS[0]!.name);
  if (!format) throw new CliError(`Unknown output type: ${settings.output}`);
  const context: OutputContext = {
    operation: spec.operation,
    outputShape: spec.outputShape,
    listing: spec.paginator && { resultKey: spec.paginator.resultKey, outputToken: spec.paginator.outputToken },
    query,
    parameters: params,
    io,
    color: globals["color"] === "on" || (globals["color"] !== "off" && io.isTTY),
    terminalWidth: io.isTTY
      ? ((globalThis as { process?: { stdout?: { columns?: number } } }).process?.stdout?.columns ?? 80)
      : 80,
    stdoutIsTerminal: io.isTTY,
  };
  const writer = format.open(context);

  const problems = validateParams(
    firstRequest(spec, params, paginate ? paging : undefined),
    spec.inputShape,
    inputRules[spec.operation],
  );
  if (problems.length > 0) throw new ParamValidationError(problems);

  if (skeletonMode === "output") {
    const stub = parseShape(skeleton(spec.outputShape, true), spec.outputShape, "wire");
    await writer.response(stub as PyObject);
    return 0;
  }

  const region = requireRegion(settings);
  const client = await openRawClient(spec, { values: globals, settings, region, io });
  const signal = io.signal;
  try {
    if (spec.paginator && paginate) {
      await printPages({ paginator: spec.paginator, params, paging, client, format, writer, signal });
    } else {
      const response = await client.send(
        spec.makeCommand(params as Record<string, unknown>),
        signal ? { abortSignal: signal } : {},
      );
      await writer.response(response);
    }
    return 0;
  } catch (error) {
    throw describeFailure(error, { operation: spec.operation, last: client.last, maxAttempts: settings.maxAttempts });
  } finally {
    client.close();
  }
}
