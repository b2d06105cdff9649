/**
 * cognito-auth-events/lite: the default entry's names and call shapes for edge functions that count bytes: the
 * smallest Worker that lists all of a user's auth events with pagination, retries and typed errors.
 *
 * The same commands, error classes, enums and types as `cognito-auth-events` (the very objects), the same protocol
 * and retry code; a leaner client with its own SigV4 for its one request shape (explicit region and credentials;
 * standard retries; no input validation, logger, adaptive mode, FIPS endpoints or environment defaults) and the AWS
 * SDK's paginators (no `maxItems` or botocore resume tokens). src/lite/README.md lists every difference. Edge-safe: web-standard globals only.
 *
 * @example
 * import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events/lite";
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } });
 * for await (const page of paginateAdminListUserAuthEvents({ client }, { UserPoolId, Username })) { ... }
 *
 * @module
 */
export {
  CognitoIdentityProviderClient,
  type LiteClientConfig,
  type LiteSendOptions,
  type ResolvedLiteClientConfig,
} from "./client.ts";
export { createPaginator, type LitePaginationConfiguration, type LitePaginator } from "./paginate.ts";
export { Command, type MetadataBearer, type OperationSchema, type ResponseMetadata } from "../command.ts";
export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "../credentials.ts";
export type { FetchLike, FetchLikeInit, ResponseLike } from "../fetch-like.ts";
export { AbortError, NetworkError, type ClientErrorMetadata } from "../errors.ts";
export { PaginationError, type PaginationClient, type PaginatorSpec } from "../paginate.ts";
export * from "../../generated/commands.ts";
export * from "../../generated/enums.ts";
export * from "../../generated/errors.ts";
export * from "../../generated/paginators-lite.ts";
export type * from "../../generated/types.ts";
