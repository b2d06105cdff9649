/**
 * The paginators of `cognito-auth-events/lite`: the AWS SDK v3's `paginateX(config, input)`, yielding whole pages,
 * with the SDK's options (`startingToken` is the service's own token, as in the SDK). The AWS CLI's `maxItems` and
 * botocore resume tokens are the full entry's (src/paginate.ts). As there, the caller's input is never mutated and a
 * token received twice in a row is an error, never an endless loop.
 *
 * Web-standard globals only.
 */
import { PaginationError, type PaginationClient, type PaginatorSpec } from "../paginate.ts";

/**
 * Pagination options: the AWS SDK v3's `PaginationConfiguration`, plus `abortSignal`.
 * @example
 * { client, pageSize: 60, startingToken: page.NextToken, abortSignal: AbortSignal.timeout(10_000) }
 */
export interface LitePaginationConfiguration<Client extends PaginationClient = PaginationClient> {
  /** The client whose `send` fetches each page. */
  client: Client;
  /**
   * Items per request, sent as the operation's page-size member (`MaxResults`, `Limit`).
   * @default the service's default (the input's own page-size member, if any)
   */
  pageSize?: number;
  /**
   * The service's token to start from (a page's `NextToken`).
   * @default the input's own token member, else the beginning
   */
  startingToken?: string;
  /**
   * End quietly, as the SDK does, when the service answers with the token that fetched the page; otherwise a token
   * received twice in a row throws {@link PaginationError}.
   * @default false
   */
  stopOnSameToken?: boolean;
  /** Stops paging: between requests, and within one (it is passed to `send`). */
  abortSignal?: AbortSignal;
}

/** A lite paginator: `paginateX(config, input)` yields pages. */
export type LitePaginator<Input extends object, Output extends object> = (
  config: LitePaginationConfiguration,
  input: Input,
) => AsyncGenerator<Output, void, undefined>;

/**
 * Builds the paginator of one operation from its paginator table row (the generated
 * `generated/paginators-lite.ts` calls it once per paginated operation).
 * @param makeCommand builds the command for one request; it receives a fresh input object each time.
 */
export function createPaginator<Input extends object, Output extends object, _ItemsKey extends string = string>(
  spec: PaginatorSpec,
  makeCommand: (input: Input) => { input: object },
): LitePaginator<Input, Output> {
  const { inputToken, outputToken, pageSize: sizeKey } = spec;
  return async function* (config, input) {
    const { client, pageSize, startingToken, stopOnSameToken, abortSignal } = config;
    if (typeof client?.send !== "function") throw new TypeError("config.client must have a send method");
    if ((config as { maxItems?: unknown }).maxItems !== undefined)
      throw new TypeError('maxItems needs the full entry: "cognito-auth-events"');
    const request: Record<string, unknown> = { ...(input as object) };
    // Every paginated operation of the model has a page-size member (test/lite.test.ts checks).
    if (pageSize !== undefined) request[sizeKey!] = pageSize;
    if (startingToken !== undefined) request[inputToken] = startingToken;
    let previous: unknown;
    for (;;) {
      // An aborted signal stops here too: send checks it before each attempt.
      const page = (await client.send(makeCommand({ ...request } as Input), abortSignal && { abortSignal })) as Record<
        string,
        unknown
      >;
      const token = page[outputToken];
      // An empty token means none, as in botocore.
      yield page as Output;
      if (!token || (stopOnSameToken && token === request[inputToken])) return;
      if (token === previous) {
        throw new PaginationError(`The service sent the same ${outputToken} twice`);
      }
      request[inputToken] = previous = token;
    }
  };
}
