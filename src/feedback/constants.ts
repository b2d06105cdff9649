/**
 * The bulk feedback's exported constants, apart from the code that uses them: the Node build exports them as they are
 * and loads the rest when a program first uses it (src/node/lazy-tools.ts).
 *
 * Web-standard globals only.
 */
import type { FeedbackRates } from "./options.ts";

/** The documented quotas the run paces at (requests per second). */
export const FEEDBACK_QUOTAS: Readonly<Required<FeedbackRates>> = Object.freeze({
  feedback: 25,
  adminListUserAuthEvents: 50,
  perUser: 10,
});
