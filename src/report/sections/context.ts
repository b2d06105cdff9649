/** What every section of the HTML report is rendered from. */
import type { ReportData } from "../data.ts";

/** The data and the limits a section renders with. */
export interface SectionContext {
  data: ReportData;
  /** Rows of each ranking (addresses, cities, users with the most failures). */
  top: number;
  /** Rows of each list of users (the rest are counted). */
  maxRows: number;
}

/** Where the complete lists come from, when a table stops at `maxRows`: an audit command that lists them all. */
export const COMPLETE_LISTS = {
  signIns: "The complete list: cognito-auth-events audit --output last-sign-in-csv.",
  compromised: "Every such event: cognito-auth-events audit --compromised --output csv.",
  risky: "Every such event: cognito-auth-events audit --risk-decision Block,AccountTakeover --output csv.",
} as const;
