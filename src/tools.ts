/**
 * The default entry's tools: the pool audit, the OCSF conversion and the bulk feedback, with their options, states and
 * summaries. Kept apart from the client's names (src/exports.ts re-exports them) so the Node build can load them when
 * a program first uses one (tsup.config.ts, src/node/lazy-tools.ts): most programs send a few commands and use none.
 *
 * @module
 */
export { auditUserPool, PoolAudit, type AuditProgress, type AuditRecord } from "./audit/audit.ts";
export type {
  AuditCheckpoint,
  AuditCounts,
  AuditQuery,
  AuditUser,
  AuditUserPosition,
} from "./audit/checkpoint.ts";
export { AUDIT_QUOTAS, AUDIT_STATE_KIND } from "./audit/constants.ts";
export type {
  AuditFilter,
  AuditOptions,
  AuditRates,
  AuditTime,
} from "./audit/options.ts";
export { QuotaPacer, type QuotaPacerOptions } from "./audit/pacer.ts";
export {
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
export { OCSF_VERSION } from "./ocsf/constants.ts";
export {
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
