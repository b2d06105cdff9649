/**
 * cognito-auth-events: the Amazon Cognito user pools API for any JavaScript runtime, with the AWS SDK v3's names.
 *
 * This entry is edge-safe: web-standard globals only, no Node built-ins. Everything is tree-shakable: a bundle that
 * sends one command carries that command, its errors and the client, nothing else.
 *
 * @example
 * import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events";
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
 * for await (const page of paginateAdminListUserAuthEvents({ client }, { UserPoolId, Username })) { ... }
 *
 * @module
 */
export {
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
  type EndpointObject,
  type Logger,
  type ResolvedClientConfig,
  type SendCallback,
  type SendOptions,
  type ValueOrProvider,
} from "./client.ts";
export {
  CognitoIdentityProvider,
  type AggregatedPaginationConfiguration,
  type CognitoIdentityProviderConstructor,
  type CognitoIdentityProviderOperations,
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
export { auditUserPool, PoolAudit, type AuditProgress, type AuditRecord } from "./audit/audit.ts";
export type {
  AuditCheckpoint,
  AuditCounts,
  AuditQuery,
  AuditUser,
  AuditUserPosition,
} from "./audit/checkpoint.ts";
export {
  AUDIT_QUOTAS,
  type AuditFilter,
  type AuditOptions,
  type AuditRates,
  type AuditTime,
} from "./audit/options.ts";
export { QuotaPacer, type QuotaPacerOptions } from "./audit/pacer.ts";
export {
  AUDIT_STATE_KIND,
  AuditStateBuilder,
  auditUserKey,
  type AuditMark,
  type AuditState,
  type AuditStateScope,
} from "./audit/state.ts";
export {
  AuditSummary,
  type AuditSummaryList,
  type AuditSummaryReport,
  type AuditSummaryState,
  type IpCount,
} from "./audit/summary.ts";
export { formatSummaryTable } from "./audit/summary-table.ts";
export {
  OCSF_VERSION,
  toOcsfAuthentication,
  type OcsfAuthFactor,
  type OcsfAuthentication,
  type OcsfAuthenticationInput,
  type OcsfCloud,
  type OcsfDevice,
  type OcsfLocation,
  type OcsfMetadata,
  type OcsfNetworkEndpoint,
  type OcsfUser,
} from "./ocsf/authentication.ts";
export { countryCode } from "./ocsf/country-codes.ts";
export { ocsfNdjson, ocsfNdjsonLine, type OcsfContext, type OcsfSourceRecord } from "./ocsf/ndjson.ts";
export {
  BulkFeedback,
  FEEDBACK_QUOTAS,
  sendBulkFeedback,
  type BulkFeedbackOptions,
  type FeedbackOutcome,
  type FeedbackRates,
  type FeedbackSummary,
} from "./feedback/bulk.ts";
export type { FeedbackCheckpoint, FeedbackCounts, FeedbackQuery } from "./feedback/checkpoint.ts";
export {
  FeedbackInputError,
  parseFeedbackLine,
  readFeedbackTargets,
  type FeedbackInputOptions,
  type FeedbackInputTarget,
  type FeedbackTarget,
} from "./feedback/input.ts";
