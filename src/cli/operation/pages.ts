/**
 * A paginated operation's pages, through src/paginate.ts (botocore's pagination and resume tokens), handed to the
 * output format as they arrive or merged as botocore's `build_full_result` merges them.
 */

import { encodeTruncatedToken, parseStartingToken } from "../../resume-token.ts";
import type { OutputFormat, OutputWriter } from "../output/format.ts";
import type { PyObject, PyValue } from "../pyjson.ts";
import type { RawClient } from "./client.ts";
import type { CliPaginator } from "./model.ts";

/** `--starting-token`, `--page-size`, `--max-items`. */
export interface PagingOptions {
  readonly startingToken: string | undefined;
  readonly pageSize: number | undefined;
  readonly maxItems: number | undefined;
}

/** What {@link printPages} reads and where it writes. */
export interface PageRun {
  readonly paginator: CliPaginator;
  /** The call parameters (without the paging members). */
  readonly params: PyObject;
  readonly paging: PagingOptions;
  readonly client: RawClient;
  readonly format: OutputFormat;
  readonly writer: OutputWriter;
  readonly signal: AbortSignal | undefined;
}

const newObject = (): PyObject => Object.create(null) as PyObject;

/**
 * botocore with a negative MaxItems: the first page loses its last |n| items, and the resume token says so
 * (`boto_truncate_amount` = n).
 */
function truncatedFirstPage(page: PyObject, run: PageRun): { page: PyObject; resume: string } {
  const { paginator, params, paging } = run;
  const starting =
    paging.startingToken === undefined ? undefined : parseStartingToken(paging.startingToken, [paginator.inputToken]);
  const sentToken = params[paginator.inputToken];
  const fetchedWith =
    starting?.tokens ?? new Map([[paginator.inputToken, typeof sentToken === "string" ? sentToken : null]]);
  const items = Array.isArray(page[paginator.resultKey]) ? (page[paginator.resultKey] as PyValue[]) : [];
  const resume = encodeTruncatedToken(fetchedWith, paging.maxItems! + (starting?.truncateAmount ?? 0), [
    paginator.inputToken,
  ]);
  return {
    page: Object.assign(newObject(), page, {
      [paginator.resultKey]: items.slice(0, paging.maxItems),
      [paginator.outputToken]: resume,
    }),
    resume,
  };
}

/** Reads every page (or up to `--max-items`) and prints them. */
export async function printPages(run: PageRun): Promise<void> {
  const { paginator, params, paging, client, format, writer, signal } = run;
  const { resultKey } = paginator;
  const negative = paging.maxItems !== undefined && paging.maxItems < 0;
  const config = {
    client,
    ...(paging.pageSize !== undefined && { pageSize: paging.pageSize }),
    ...(paging.startingToken !== undefined && { startingToken: paging.startingToken }),
    ...(paging.maxItems !== undefined && !negative && { maxItems: paging.maxItems }),
    ...(signal && { abortSignal: signal }),
  };
  const pages = paginator.paginate(config as never, params as never) as AsyncGenerator<PyObject>;

  let merged: PyValue[] | undefined;
  let resume: string | undefined;
  for await (const received of pages) {
    const page = negative ? truncatedFirstPage(received, run).page : received;
    // With --max-items, the paginator puts the resume token in the output token of the page where it stopped.
    const token = page[paginator.outputToken];
    resume = paging.maxItems !== undefined && typeof token === "string" && token !== "" ? token : undefined;
    const items = page[resultKey];
    if (format.mergesPages) {
      if (Array.isArray(items)) {
        merged ??= [];
        merged.push(...items);
      }
    } else {
      // The per-page view: the result key only (set even when the page lacks it).
      const view = newObject();
      view[resultKey] = items ?? null;
      await writer.page!(view);
    }
    if (negative) break;
  }
  if (format.mergesPages) {
    const full = newObject();
    if (merged !== undefined) full[resultKey] = merged;
    if (resume !== undefined) full["NextToken"] = resume;
    await writer.response(full);
  } else await writer.end!(resume);
}
