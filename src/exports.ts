/**
 * What the default entry exports in both of its builds, all but the two client classes, which each build supplies:
 * src/index.ts (the edge build) and src/node/default-entry.ts (the Node, Deno and Bun build). Kept apart so importing
 * the Node build does not also make the edge build's aggregated class.
 *
 * @module
 */
export type {
  CognitoIdentityProviderClientConfig,
  EndpointObject,
  Logger,
  ResolvedClientConfig,
  SendCallback,
  SendOptions,
  ValueOrProvider,
} from "./client.ts";
export type {
  AggregatedPaginationConfiguration,
  CognitoIdentityProviderConstructor,
  CognitoIdentityProviderOperations,
} from "./aggregated.ts";
export type { HttpHandlerLike, HandlerRequest, HandlerResponse } from "./request-handler.ts";
export type { RequestHandlerOptions } from "./client-options.ts";
export { Command, type MetadataBearer, type OperationSchema, type ResponseMetadata } from "./command.ts";
export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "./credentials.ts";
export type { FetchLike, FetchLikeInit, ResponseLike } from "./fetch-like.ts";
export {
  AbortError,
  NetworkError,
  TimeoutError,
  ValidationError,
  type ClientErrorMetadata,
  type ValidationIssue,
} from "./errors.ts";
export {
  PaginationError,
  type FullResult,
  type ItemIterator,
  type PaginatedItem,
  type PaginationClient,
  type PaginationConfiguration,
  type Paginator,
  type PaginatorSpec,
} from "./paginate.ts";
export { StartingTokenError } from "./resume-token.ts";
export * from "../generated/commands.ts";
export * from "../generated/enums.ts";
export * from "../generated/errors.ts";
export * from "../generated/paginators.ts";
export type * from "../generated/types.ts";
export * from "./tools.ts";
