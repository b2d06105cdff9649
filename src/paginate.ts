/**
 * Pagination with the AWS CLI's and boto3's semantics (botocore/paginate.py, `PageIterator`),
 * behind the AWS SDK v3's paginator signature: `paginateX(config, input)` yields whole pages.
 *
 * On top of the SDK: `maxItems` and botocore's resume tokens (see resume-token.ts), an items
 * view, a `buildFullResult` aggregate, an error instead of an endless loop when the service
 * repeats a token, abort between and within requests, and an optional one-page read-ahead.
 *
 * Web-standard globals only.
 */
import { AbortError } from "./errors.ts";
import { encodeResumeToken, parseStartingToken, TRUNCATE_AMOUNT_KEY } from "./resume-token.ts";

/** Pagination as `smithy.api#paginated` describes it (one row of the generated paginator table). */
export interface PaginatorSpec {
  /** Input member that carries the service's token, e.g. `NextToken` (`PaginationToken` for ListUsers). */
  readonly inputToken: string;
  /** Output member holding the token of the next page. */
  readonly outputToken: string;
  /** Output member holding the page's list of items, e.g. `AuthEvents`. */
  readonly items?: string;
  /** Input member that sets the page size, e.g. `MaxResults` (`Limit` for ListUsers). */
  readonly pageSize?: string;
}

/** What the paginator needs from a client: the SDK v3 `send`. */
export interface PaginationClient {
  send(command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * Pagination options: the AWS SDK v3's `PaginationConfiguration` plus `maxItems`, `prefetch` and
 * `abortSignal`.
 * @example
 * { client, pageSize: 60, maxItems: 500, startingToken: previous.NextToken, abortSignal: AbortSignal.timeout(30_000) }
 */
export interface PaginationConfiguration<Client extends PaginationClient = PaginationClient> {
  /** The client whose `send` fetches each page. */
  client: Client;
  /**
   * Items per request, sent as the operation's page-size member (`MaxResults`, `Limit`); it
   * replaces that member of the input if both are given, as botocore does. The valid range is the
   * operation's (0..60 for AdminListUserAuthEvents, where 0 means 60).
   * @default the service's default (the input's own page-size member, if any)
   */
  pageSize?: number;
  /**
   * Where to start: a resume token printed by a previous listing here, by the AWS CLI
   * (`--starting-token`) or by boto3 (`StartingToken`), botocore's legacy `token___n` form, or a
   * raw service token.
   * @default the input's own token member, else the beginning
   */
  startingToken?: string;
  /**
   * End quietly, as the SDK does, when the service answers with the token that fetched the page.
   * Otherwise a token received twice in a row throws {@link PaginationError}.
   * @default false
   */
  stopOnSameToken?: boolean;
  /**
   * Stop after this many items (AWS CLI `--max-items`, boto3 `MaxItems`). The last page is cut
   * to fit and carries the resume token as its output token (`NextToken`); `0` fetches one page
   * and returns no item, as the AWS CLI does.
   * @default no limit
   */
  maxItems?: number;
  /**
   * `1` requests the next page while the consumer handles the current one (never more than one
   * page ahead; order preserved; a failure of the prefetched page surfaces when the consumer
   * reaches it). `0` fetches each page only when asked for.
   * @default 0
   */
  prefetch?: 0 | 1;
  /** Stops paging: between requests, and within one (it is passed to `send`). */
  abortSignal?: AbortSignal;
}

/** Pagination went wrong on the service's side (e.g. the same token twice in a row). */
export class PaginationError extends Error {
  override readonly name = "PaginationError";
}

type LiteralKey<K extends string> = string extends K ? never : K;

/** The element type of the operation's items list (`AuthEventType` for AdminListUserAuthEvents). */
export type PaginatedItem<Output, ItemsKey extends string> = ItemsKey extends keyof Output
  ? NonNullable<Output[ItemsKey]> extends readonly (infer T)[]
    ? T
    : unknown
  : unknown;

/**
 * All pages' items in one object, as botocore's `build_full_result` (what the AWS CLI prints):
 * the items list, and `NextToken` (always this name, as botocore writes it) when the listing
 * stopped early.
 */
export type FullResult<ItemsKey extends string, Item> = { [K in LiteralKey<ItemsKey>]?: Item[] } & { NextToken?: string };

/** The items view: one item at a time, and where to resume after the last one read. */
export interface ItemIterator<Item> extends AsyncGenerator<Item, void, undefined> {
  /**
   * The token that resumes right after the last item read, identical to botocore's for
   * `MaxItems` = the number of items read so far; `undefined` once the listing is exhausted. Before
   * the first item it is the `startingToken`.
   */
  readonly resumeToken: string | undefined;
}

/** A paginator for one operation: `paginateX(config, input)` yields pages, plus two views. */
export interface Paginator<Input extends object, Output extends object, ItemsKey extends string = string> {
  (config: PaginationConfiguration, input: Input): AsyncGenerator<Output, void, undefined>;
  /** Iterate the items (`AuthEvents`, `Users`, ...) one at a time, with the same options. */
  items(config: PaginationConfiguration, input: Input): ItemIterator<PaginatedItem<Output, ItemsKey>>;
  /** Every page's items in one result whose `NextToken` is the resume token when iteration stopped early. */
  buildFullResult(config: PaginationConfiguration, input: Input): Promise<FullResult<ItemsKey, PaginatedItem<Output, ItemsKey>>>;
  /** The paginator table row this paginator follows. */
  readonly spec: PaginatorSpec;
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
  validateSpec(spec);
  if (typeof makeCommand !== "function") throw new TypeError("makeCommand must be a function");

  const start = (config: PaginationConfiguration, input: Input, need: "items" | undefined) =>
    pageRecords(spec, makeCommand as (input: object) => { input: object }, resolveConfig(spec, config, input, need), input);

  const paginate = (config: PaginationConfiguration, input: Input): AsyncGenerator<Output, void, undefined> =>
    pagesOf(start(config, input, undefined)) as AsyncGenerator<Output, void, undefined>;

  const items = (config: PaginationConfiguration, input: Input): ItemIterator<PaginatedItem<Output, ItemsKey>> =>
    itemsOf(start(config, input, "items"), config.startingToken) as ItemIterator<PaginatedItem<Output, ItemsKey>>;

  const buildFullResult = async (config: PaginationConfiguration, input: Input) => {
    const records = start(config, input, "items");
    const itemsKey = spec.items!;
    let all: unknown[] | undefined;
    let last: PageRecord | undefined;
    for await (const record of records) {
      last = record;
      if (!Array.isArray(record.page[itemsKey])) continue;
      if (all === undefined) all = [];
      for (const item of record.items) all.push(item);
    }
    const result: Record<string, unknown> = {};
    if (all !== undefined) result[itemsKey] = all;
    const resume = last?.after();
    if (resume !== undefined) result["NextToken"] = resume;
    return result as FullResult<ItemsKey, PaginatedItem<Output, ItemsKey>>;
  };

  return Object.assign(paginate, { items, buildFullResult, spec });
}

/** One fetched page and where it sits in the listing. */
interface PageRecord {
  /** The page as yielded: items cut to fit, the resume token as the output token on a last page cut by maxItems. */
  readonly page: Record<string, unknown>;
  /** The page's items after both cuts. */
  readonly items: readonly unknown[];
  /** The token that fetched this page, as botocore records it for a resume token (`next_token`). */
  readonly fetchedWith: ReadonlyMap<string, string | null>;
  /** Items skipped at the start of this page (a starting token's `boto_truncate_amount`; else 0). */
  readonly skipped: number;
  /** The resume token for the position after this page; `undefined` when the listing ends with it. */
  readonly after: () => string | undefined;
}

interface ResolvedConfig {
  readonly client: PaginationClient;
  readonly pageSize: number | undefined;
  readonly starting: ReturnType<typeof parseStartingToken> | undefined;
  readonly stopOnSameToken: boolean;
  readonly maxItems: number | undefined;
  readonly prefetch: boolean;
  readonly abortSignal: AbortSignal | undefined;
}

function validateSpec(spec: PaginatorSpec): void {
  if (typeof spec !== "object" || spec === null) throw new TypeError("spec must be a paginator spec object");
  for (const key of ["inputToken", "outputToken"] as const) {
    if (typeof spec[key] !== "string" || spec[key] === "") throw new TypeError(`spec.${key} must be a non-empty string`);
  }
  for (const key of ["items", "pageSize"] as const) {
    if (spec[key] !== undefined && (typeof spec[key] !== "string" || spec[key] === "")) {
      throw new TypeError(`spec.${key} must be a non-empty string when present`);
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  return `a value of type ${typeof value}`;
}

function optionalCount(config: PaginationConfiguration, name: "pageSize" | "maxItems"): number | undefined {
  const value: unknown = config[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

/** Validates everything up front, so a bad option throws where the paginator is called. */
function resolveConfig(spec: PaginatorSpec, config: PaginationConfiguration, input: object, need: "items" | undefined): ResolvedConfig {
  if (typeof config !== "object" || config === null) throw new TypeError("config must be an object");
  if (typeof input !== "object" || input === null) throw new TypeError("input must be an object");
  const client = config.client as Partial<PaginationClient> | undefined;
  if (typeof client !== "object" || client === null || typeof client.send !== "function") {
    throw new TypeError("client must be a client with a send method");
  }
  const pageSize = optionalCount(config, "pageSize");
  if (pageSize !== undefined && spec.pageSize === undefined) {
    throw new TypeError("pageSize is not supported: this operation has no page-size member");
  }
  const maxItems = optionalCount(config, "maxItems");
  if ((maxItems !== undefined || need === "items") && spec.items === undefined) {
    throw new TypeError(`${need === "items" ? "items" : "maxItems"} is not supported: this operation's output has no items list`);
  }
  const { startingToken, stopOnSameToken, prefetch, abortSignal } = config as Record<keyof PaginationConfiguration, unknown>;
  if (startingToken !== undefined && typeof startingToken !== "string") {
    throw new TypeError(`startingToken must be a string, got ${describe(startingToken)}`);
  }
  if (stopOnSameToken !== undefined && typeof stopOnSameToken !== "boolean") {
    throw new TypeError(`stopOnSameToken must be a boolean, got ${describe(stopOnSameToken)}`);
  }
  if (prefetch !== undefined && prefetch !== 0 && prefetch !== 1) {
    throw new TypeError(`prefetch must be 0 or 1, got ${describe(prefetch)}`);
  }
  if (abortSignal !== undefined && !isAbortSignal(abortSignal)) throw new TypeError("abortSignal must be an AbortSignal");
  return {
    client: client as PaginationClient,
    pageSize,
    starting: startingToken === undefined ? undefined : parseStartingToken(startingToken, [spec.inputToken]),
    stopOnSameToken: stopOnSameToken === true,
    maxItems,
    prefetch: prefetch === 1,
    abortSignal,
  };
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const s = value as Partial<AbortSignal> | null;
  return typeof s === "object" && s !== null && typeof s.aborted === "boolean" && typeof s.addEventListener === "function";
}

/** Between requests: the client's own class for an abort within one, with the signal's reason as `cause`. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError("The operation was aborted", { cause: signal.reason });
}

/** botocore's `_inject_token_into_kwargs`: set each token, or remove the member when it is null or the string "None". */
function injectTokens(request: Record<string, unknown>, tokens: ReadonlyMap<string, string | null>): Record<string, unknown> {
  const next = { ...request };
  for (const [name, token] of tokens) {
    if (token !== null && token !== "None") next[name] = token;
    else delete next[name];
  }
  return next;
}

/**
 * The engine: botocore's `PageIterator.__iter__`, yielding a record per page. The next page's
 * fate (fetch, stop, or the same-token error) is decided before a page is yielded, so a consumer
 * that mutates a page cannot change the listing, and the read-ahead can start at once.
 */
async function* pageRecords(
  spec: PaginatorSpec,
  makeCommand: (input: object) => { input: object },
  config: ResolvedConfig,
  input: object,
): AsyncGenerator<PageRecord, void, undefined> {
  const { client, maxItems, starting } = config;
  const itemsKey = spec.items;
  // Never touch the caller's input: every request gets its own copy.
  let request: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if (config.pageSize !== undefined) request[spec.pageSize!] = config.pageSize;
  let fetchedWith: ReadonlyMap<string, string | null>;
  if (starting !== undefined) {
    fetchedWith = starting.tokens;
    request = injectTokens(request, fetchedWith);
  } else {
    // Deliberate difference: botocore records null here even when the input carries a token of its
    // own, so a resume token cut from this first page would restart the listing from the top.
    const own = request[spec.inputToken];
    fetchedWith = new Map([[spec.inputToken, typeof own === "string" ? own : null]]);
  }

  const userSignal = config.abortSignal;
  // The read-ahead request needs its own signal: closing the paginator early cancels it.
  const readAhead = config.prefetch ? new AbortController() : undefined;
  const forwardAbort = () => readAhead?.abort(userSignal?.reason);
  if (readAhead && userSignal) {
    if (userSignal.aborted) forwardAbort();
    else userSignal.addEventListener("abort", forwardAbort, { once: true });
  }
  const requestSignal = readAhead?.signal ?? userSignal;
  const send = (requestInput: Record<string, unknown>): Promise<unknown> => {
    const command = makeCommand({ ...requestInput });
    const promise = (async () => client.send(command, requestSignal ? { abortSignal: requestSignal } : undefined))();
    // A failed read-ahead is reported when the consumer reaches that page, not as an unhandled rejection.
    promise.catch(() => {});
    return promise;
  };

  let pending: Promise<unknown> | undefined;
  let total = 0;
  let first = true;
  let previous: string | undefined;
  try {
    for (;;) {
      throwIfAborted(userSignal);
      const response = await (pending ?? send(request));
      pending = undefined;
      if (typeof response !== "object" || response === null) {
        throw new TypeError(`client.send resolved to ${describe(response)} instead of an output object`);
      }
      let page = response as Record<string, unknown>;
      const skipped = first && starting !== undefined ? starting.truncateAmount : 0;
      first = false;
      let items: readonly unknown[] = [];
      if (itemsKey !== undefined && Array.isArray(page[itemsKey])) {
        items = page[itemsKey] as unknown[];
        // Python slice semantics, which Array.prototype.slice shares (a negative start counts from the end).
        if (skipped !== 0) {
          items = items.slice(skipped);
          page = { ...page, [itemsKey]: items };
        }
      }
      const record = (after: () => string | undefined): PageRecord => ({ page, items, fetchedWith, skipped, after });

      if (maxItems !== undefined && total + items.length > maxItems) {
        // Cut inside this page: resume from the token that fetched it, skipping what was returned.
        const keep = maxItems - total;
        const resume = encodeResumeToken(new Map<string, unknown>([...fetchedWith, [TRUNCATE_AMOUNT_KEY, keep + skipped]]));
        items = items.slice(0, keep);
        page = { ...page, [itemsKey!]: items, [spec.outputToken]: resume };
        yield record(() => resume);
        return;
      }
      total += items.length;
      const raw = page[spec.outputToken];
      // botocore treats an empty token as none.
      const received = typeof raw === "string" && raw !== "" ? raw : undefined;
      if (received === undefined) {
        yield record(() => undefined);
        return;
      }
      const next: ReadonlyMap<string, string | null> = new Map([[spec.inputToken, received]]);
      if (maxItems !== undefined && total === maxItems) {
        // Cut on a page boundary: the resume token wraps the service's token.
        const resume = encodeResumeToken(next);
        page = { ...page, [spec.outputToken]: resume };
        yield record(() => resume);
        return;
      }
      if (config.stopOnSameToken && received === request[spec.inputToken]) {
        yield record(() => undefined);
        return;
      }
      const current = record(() => encodeResumeToken(next));
      if (received === previous) {
        yield current;
        throw new PaginationError(
          `The service returned the same ${spec.outputToken} twice in a row; stopping instead of looping forever (set stopOnSameToken to end quietly)`,
        );
      }
      previous = received;
      request = injectTokens(request, next);
      fetchedWith = next;
      if (readAhead) pending = send(request);
      yield current;
    }
  } finally {
    userSignal?.removeEventListener("abort", forwardAbort);
    if (pending) readAhead?.abort(new DOMException("The paginator was closed before the prefetched page was read", "AbortError"));
  }
}

async function* pagesOf(records: AsyncGenerator<PageRecord, void, undefined>): AsyncGenerator<object, void, undefined> {
  for await (const record of records) yield record.page;
}

function itemsOf(records: AsyncGenerator<PageRecord, void, undefined>, startingToken: string | undefined): ItemIterator<unknown> {
  let current: PageRecord | undefined;
  let read = 0;
  async function* generate(): AsyncGenerator<unknown, void, undefined> {
    for await (const record of records) {
      current = record;
      read = 0;
      for (const item of record.items) {
        read++;
        yield item;
      }
    }
  }
  const iterator = generate();
  Object.defineProperty(iterator, "resumeToken", {
    enumerable: true,
    get(): string | undefined {
      if (current === undefined) return startingToken;
      if (read < current.items.length) {
        return encodeResumeToken(new Map<string, unknown>([...current.fetchedWith, [TRUNCATE_AMOUNT_KEY, read + current.skipped]]));
      }
      return current.after();
    },
  });
  return iterator as ItemIterator<unknown>;
}
