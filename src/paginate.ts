/**
 * Pagination with the AWS CLI's and boto3's semantics (botocore/paginate.py, `PageIterator`),
 * behind the AWS SDK v3's paginator signature: `paginateX(config, input)` yields whole pages.
 *
 * On top of the SDK: `maxItems` and botocore's resume tokens (see resume-token.ts), an items
 * view, a `buildFullResult` aggregate, an error instead of an endless loop when the service
 * repeats a token, abort between and within requests, and an optional one-page read-ahead.
 *
 * The types (the options, the views' shapes) are in paginator-types.ts.
 *
 * Web-standard globals only.
 */
import { AbortError } from "./errors.ts";
import {
  encodeResumeToken,
  encodeTruncatedToken,
  injectTokens,
  type ParsedStartingToken,
  parseStartingToken,
  StartingTokenError,
} from "./resume-token.ts";
import type {
  FullResult,
  ItemIterator,
  PaginatedItem,
  PaginationClient,
  PaginationConfiguration,
  Paginator,
  PaginatorSpec,
} from "./paginator-types.ts";

export type {
  FullResult,
  ItemIterator,
  PaginatedItem,
  PaginationClient,
  PaginationConfiguration,
  Paginator,
  PaginatorSpec,
} from "./paginator-types.ts";

/** Pagination went wrong on the service's side (e.g. the same token twice in a row). */
export class PaginationError extends Error {
  override readonly name = "PaginationError";
}

/**
 * Builds the paginator of one operation from its paginator table row.
 *
 * Give the items member as the third type argument (it is inferred when no type argument is
 * given) to type the items view and `buildFullResult`.
 * @param makeCommand builds the command for one request; it receives a fresh input object each time.
 * @example
 * export const paginateAdminListUserAuthEvents = createPaginator<AdminListUserAuthEventsCommandInput, AdminListUserAuthEventsCommandOutput, "AuthEvents">(
 *   { inputToken: "NextToken", outputToken: "NextToken", items: "AuthEvents", pageSize: "MaxResults" },
 *   (input) => new AdminListUserAuthEventsCommand(input),
 * );
 */
export function createPaginator<Input extends object, Output extends object, ItemsKey extends string = string>(
  spec: PaginatorSpec & { readonly items?: ItemsKey },
  makeCommand: (input: Input) => { input: object },
): Paginator<Input, Output, ItemsKey> {
  if (typeof spec !== "object" || spec === null) throw new TypeError("spec must be a paginator spec object");
  for (const key of ["inputToken", "outputToken", "items", "pageSize"] as const) {
    const value = spec[key];
    if ((value !== undefined || key.endsWith("Token")) && (typeof value !== "string" || !value)) {
      throw new TypeError(`spec.${key} must be a non-empty string`);
    }
  }
  if (
    spec.parameters !== undefined &&
    !(Array.isArray(spec.parameters) && spec.parameters.every((p) => typeof p === "string"))
  )
    throw new TypeError("spec.parameters must be an array of member names");
  if (typeof makeCommand !== "function") throw new TypeError("makeCommand must be a function");
  return tablePaginator(spec, makeCommand);
}

/**
 * {@link createPaginator} without the check of its arguments, for the rows of the generated paginator table
 * (generated/paginators.ts), which the generator writes from the model and test/generate.test.ts checks: bundles
 * that use only generated paginators leave the check out.
 */
export function tablePaginator<Input extends object, Output extends object, ItemsKey extends string = string>(
  spec: PaginatorSpec & { readonly items?: ItemsKey },
  makeCommand: (input: Input) => { input: object },
): Paginator<Input, Output, ItemsKey> {
  const itemsKey = spec.items;

  // Every view validates its options where it is called, then reads the same page records.
  const records = (config: PaginationConfiguration, input: object, items?: boolean) =>
    pageRecords(
      spec,
      makeCommand as (input: object) => { input: object },
      resolveConfig(spec, config, input, items),
      input,
    );

  const paginate = (config: PaginationConfiguration, input: Input) =>
    pagesOf(records(config, input)) as AsyncGenerator<Output, void, undefined>;

  function items(config: PaginationConfiguration, input: Input): ItemIterator<PaginatedItem<Output, ItemsKey>> {
    const all = records(config, input, true);
    const { startingToken } = config;
    let current: PageRecord | undefined;
    let read = 0;
    const iterator = (async function* () {
      for await (const record of all) {
        current = record;
        for (read = 0; read < record.items.length; ) yield record.items[read++] as PaginatedItem<Output, ItemsKey>;
      }
    })();
    return Object.defineProperty(iterator, "resumeToken", {
      enumerable: true,
      get: () =>
        !current
          ? startingToken
          : read < current.items.length
            ? encodeTruncatedToken(current.fetchedWith, read + current.skipped, [spec.inputToken])
            : current.after(),
    }) as ItemIterator<PaginatedItem<Output, ItemsKey>>;
  }

  async function buildFullResult(config: PaginationConfiguration, input: Input) {
    const result: Record<string, unknown> = {};
    let last: PageRecord | undefined;
    for await (const record of records(config, input, true)) {
      last = record;
      if (Array.isArray(record.page[itemsKey!])) {
        result[itemsKey!] ??= [];
        (result[itemsKey!] as unknown[]).push(...record.items);
      }
    }
    const resume = last?.after();
    if (resume !== undefined) result["NextToken"] = resume;
    return result as FullResult<ItemsKey, PaginatedItem<Output, ItemsKey>>;
  }

  return Object.assign(paginate, { items, buildFullResult, spec });
}

async function* pagesOf(records: AsyncGenerator<PageRecord, void, undefined>): AsyncGenerator<object, void, undefined> {
  for await (const record of records) yield record.page;
}

/** One fetched page and where it sits in the listing. */
interface PageRecord {
  /** The page as yielded: items cut to fit, the resume token as the output token on a last page cut by maxItems. */
  readonly page: Record<string, unknown>;
  /** The page's items after both cuts. */
  readonly items: readonly unknown[];
  /** The parameters that fetched this page, as botocore records them for a resume token (`next_token`). */
  readonly fetchedWith: ReadonlyMap<string, unknown>;
  /** Items skipped at the start of this page (a starting token's `boto_truncate_amount`; else 0). */
  readonly skipped: number;
  /** The resume token for the position after this page; `undefined` when the listing ends with it. */
  readonly after: () => string | undefined;
}

interface ResolvedConfig {
  readonly client: PaginationClient;
  readonly pageSize: number | undefined;
  readonly starting: ParsedStartingToken | undefined;
  readonly stopOnSameToken: boolean;
  readonly maxItems: number | undefined;
  readonly prefetch: boolean;
  readonly abortSignal: AbortSignal | undefined;
}

/** A value in an error message: numbers, booleans, null and undefined as they are, anything else by type. */
function describe(value: unknown): string {
  return value == null || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : `a value of type ${typeof value}`;
}

/** Validates everything up front, so a bad option throws where the paginator is called. */
function resolveConfig(
  spec: PaginatorSpec,
  config: PaginationConfiguration,
  input: object,
  items?: boolean,
): ResolvedConfig {
  if (typeof config !== "object" || config === null) throw new TypeError("config must be an object");
  if (typeof input !== "object" || input === null) throw new TypeError("input must be an object");
  const { client, pageSize, maxItems, startingToken, stopOnSameToken, prefetch, abortSignal } = config as Record<
    keyof PaginationConfiguration,
    unknown
  >;
  if (typeof (client as PaginationClient | null)?.send !== "function" || typeof client !== "object") {
    throw new TypeError("client must be a client with a send method");
  }
  for (const [name, value] of [
    ["pageSize", pageSize],
    ["maxItems", maxItems],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
      throw new TypeError(`${name} must be a non-negative integer, got ${describe(value)}`);
    }
  }
  if (pageSize !== undefined && !spec.pageSize) {
    throw new TypeError("pageSize is not supported: this operation has no page-size member");
  }
  if ((maxItems !== undefined || items) && !spec.items) {
    throw new TypeError(`${items ? "items" : "maxItems"} is not supported: this operation's output has no items list`);
  }
  if (startingToken !== undefined && typeof startingToken !== "string") {
    throw new TypeError(`startingToken must be a string, got ${describe(startingToken)}`);
  }
  if (stopOnSameToken !== undefined && typeof stopOnSameToken !== "boolean") {
    throw new TypeError(`stopOnSameToken must be a boolean, got ${describe(stopOnSameToken)}`);
  }
  if (prefetch !== undefined && prefetch !== 0 && prefetch !== 1)
    throw new TypeError(`prefetch must be 0 or 1, got ${describe(prefetch)}`);
  const signal = abortSignal as Partial<AbortSignal> | null | undefined;
  if (signal !== undefined && (typeof signal?.aborted !== "boolean" || typeof signal.addEventListener !== "function")) {
    throw new TypeError("abortSignal must be an AbortSignal");
  }
  const starting =
    startingToken === undefined ? undefined : parseStartingToken(startingToken as string, [spec.inputToken]);
  if (starting && spec.parameters) {
    // botocore's parameter validation, on what the token sets: names the input does not have.
    const unknown = Object.keys(injectTokens({}, starting.tokens)).filter((name) => !spec.parameters!.includes(name));
    if (unknown.length) {
      throw new StartingTokenError(
        `Parameter validation failed:\n${unknown.map((name) => `Unknown parameter in input: "${name}", must be one of: ${spec.parameters!.join(", ")}`).join("\n")}`,
      );
    }
  }
  return {
    client: client as PaginationClient,
    pageSize: pageSize as number | undefined,
    starting,
    stopOnSameToken: stopOnSameToken === true,
    maxItems: maxItems as number | undefined,
    prefetch: prefetch === 1,
    abortSignal: abortSignal as AbortSignal | undefined,
  };
}

/**
 * The engine: botocore's `PageIterator.__iter__`, yielding a record per page. The next page's
 * fate (fetch, stop, or the same-token error) is decided before a page is yielded, so a consumer
 * that mutates a page cannot change the listing, and the read-ahead can start at once.
 *
 * One generator on purpose: it follows `__iter__` step by step (tokens, truncation, the `maxItems`
 * cut, the repeated-token check) so each step can be checked against botocore's, and the state
 * those steps share (the tokens the page was fetched with, the items skipped, the read-ahead)
 * stays in one scope instead of an object passed between helpers.
 */
async function* pageRecords(
  spec: PaginatorSpec,
  makeCommand: (input: object) => { input: object },
  config: ResolvedConfig,
  input: object,
): AsyncGenerator<PageRecord, void, undefined> {
  const { client, maxItems, starting, abortSignal: userSignal } = config;
  const { inputToken, outputToken, items: itemsKey } = spec;
  // Never touch the caller's input: every request gets its own copy.
  let request: Record<string, unknown> = { ...input };
  // Deliberate difference: without a starting token botocore records null even when the input
  // carries a token of its own, so a resume token cut from the first page would restart the listing.
  const own = request[inputToken];
  let fetchedWith: ReadonlyMap<string, unknown> =
    starting?.tokens ?? new Map([[inputToken, typeof own === "string" ? own : null]]);
  if (starting) request = injectTokens(request, fetchedWith);
  // After the token's parameters, as botocore's `_inject_starting_params`: the page size wins over a token's.
  if (config.pageSize !== undefined) request[spec.pageSize!] = config.pageSize;
  // Items of the first page a starting token says were returned already.
  let skipped = starting?.truncateAmount ?? 0;

  // The read-ahead request needs its own signal: closing the paginator early cancels it.
  const readAhead = config.prefetch ? new AbortController() : undefined;
  const forwardAbort = () => readAhead!.abort(userSignal!.reason);
  if (readAhead && userSignal) {
    if (userSignal.aborted) forwardAbort();
    else userSignal.addEventListener("abort", forwardAbort, { once: true });
  }
  const requestSignal = readAhead?.signal ?? userSignal;
  const send = (requestInput: Record<string, unknown>): Promise<unknown> => {
    const command = makeCommand({ ...requestInput });
    const promise = (async () => client.send(command, requestSignal && { abortSignal: requestSignal }))();
    // A failed read-ahead is reported when the consumer reaches that page, not as an unhandled rejection.
    promise.catch(() => {});
    return promise;
  };

  let pending: Promise<unknown> | undefined;
  let total = 0;
  let previous: string | undefined;
  try {
    for (;;) {
      // Between requests: the client's own class for an abort, with the signal's reason as `cause`.
      if (userSignal?.aborted) throw new AbortError("The operation was aborted", { cause: userSignal.reason });
      const response = await (pending ?? send(request));
      pending = undefined;
      if (typeof response !== "object" || response === null) {
        throw new TypeError(`client.send resolved to ${describe(response)} instead of an output object`);
      }
      let page = response as Record<string, unknown>;
      let items: readonly unknown[] = [];
      if (itemsKey && Array.isArray(page[itemsKey])) {
        items = page[itemsKey] as unknown[];
        // Python slice semantics, which Array.prototype.slice shares (a negative start counts from the end).
        if (skipped) {
          items = items.slice(skipped);
          page = { ...page, [itemsKey]: items };
        }
      }
      const record = (after: () => string | undefined): PageRecord => ({ page, items, fetchedWith, skipped, after });
      const raw = page[outputToken];
      // botocore treats an empty token as none.
      const received = typeof raw === "string" && raw !== "" ? raw : undefined;
      const next: ReadonlyMap<string, string | null> = new Map([[inputToken, received ?? null]]);
      const count = total + items.length;
      if (maxItems !== undefined && (count > maxItems || (count === maxItems && received))) {
        // Cut inside this page: resume from the token that fetched it, skipping what was returned.
        // Cut on a page boundary: the resume token wraps the service's token.
        const keep = maxItems - total;
        const resume =
          count > maxItems ? encodeTruncatedToken(fetchedWith, keep + skipped, [inputToken]) : encodeResumeToken(next);
        page = { ...page, [outputToken]: resume };
        if (count > maxItems) page[itemsKey!] = items = items.slice(0, keep);
        yield record(() => resume);
        return;
      }
      total = count;
      if (!received || (config.stopOnSameToken && received === request[inputToken])) {
        yield record(() => undefined);
        return;
      }
      const current = record(() => encodeResumeToken(next));
      if (received === previous) {
        yield current;
        throw new PaginationError(
          `The service returned the same ${outputToken} twice in a row; stopping instead of looping forever (set stopOnSameToken to end quietly)`,
        );
      }
      previous = received;
      request = injectTokens(request, next);
      fetchedWith = next;
      skipped = 0;
      if (readAhead) pending = send(request);
      yield current;
    }
  } finally {
    userSignal?.removeEventListener("abort", forwardAbort);
    if (pending)
      readAhead?.abort(new DOMException("The paginator was closed before the prefetched page was read", "AbortError"));
  }
}
