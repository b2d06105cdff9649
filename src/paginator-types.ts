/**
 * The types of the paginators: what a paginator table row says of an operation (`PaginatorSpec`), what the
 * paginator needs from a client, its options, and the shapes of its three views (pages, items, the full result).
 * The engine that gives them their behaviour is paginate.ts.
 */
import type { PaginationError } from "./paginate.ts";
import type { StartingTokenError } from "./resume-token.ts";

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
  /**
   * The input's members, in model order: the only names a `startingToken` may set. botocore sends every key of a
   * decoded starting token as a request parameter, and its validation refuses a name the input does not have; given
   * this list, the paginator refuses such a token the same way before any request. Without it, every key is sent.
   */
  readonly parameters?: readonly string[];
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
   * raw service token. As in botocore, every key of a decoded token is sent as a request parameter,
   * and a token that botocore refuses throws {@link StartingTokenError} before any request.
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
export type FullResult<ItemsKey extends string, Item> = { [K in LiteralKey<ItemsKey>]?: Item[] } & {
  NextToken?: string;
};

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
  buildFullResult(
    config: PaginationConfiguration,
    input: Input,
  ): Promise<FullResult<ItemsKey, PaginatedItem<Output, ItemsKey>>>;
  /** The paginator table row this paginator follows. */
  readonly spec: PaginatorSpec;
}
