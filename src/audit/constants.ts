/**
 * The audit's exported constants, apart from the code that uses them: the Node build exports them as they are and
 * loads the rest of the audit when a program first uses it (src/node/lazy-tools.ts).
 *
 * Web-standard globals only.
 */
import type { AuditRates } from "./options.ts";

/** The documented quotas the audit starts from (requests per second). */
export const AUDIT_QUOTAS: Readonly<Required<AuditRates>> = Object.freeze({
  adminListUserAuthEvents: 50,
  listUsers: 30,
  perUser: 10,
});

/** The `kind` every audit state carries. */
export const AUDIT_STATE_KIND = "cognito-auth-events/audit-state";
