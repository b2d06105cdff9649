/**
 * Which errors belong to one event (or to one user's events), so that the bulk-feedback run reports them in that
 * event's outcome and goes on; any other error (credentials, permissions, the pool) stops the run.
 *
 * Web-standard globals only.
 */
import { thrownName } from "../audit/requests.ts";
import type { FeedbackOutcome } from "./options.ts";

/** A feedback request's failures that concern its event alone. */
const EVENT_ERRORS = new Set(["ResourceNotFoundException", "UserNotFoundException", "InvalidParameterException"]);
/** The same for a user's lookup: there, ResourceNotFoundException means the pool is gone. */
const USER_ERRORS = new Set(["UserNotFoundException", "InvalidParameterException"]);
/** The client refused the input before sending (a made-up event id, an overlong username). */
const CLIENT_VALIDATION = "ValidationError";

/** Whether a feedback request's error fails only its event. */
export function failsEvent(error: unknown): boolean {
  const name = thrownName(error);
  return EVENT_ERRORS.has(name) || name === CLIENT_VALIDATION;
}

/** Whether a lookup's error fails only that user's events. */
export function failsUser(error: unknown): boolean {
  const name = thrownName(error);
  return USER_ERRORS.has(name) || name === CLIENT_VALIDATION;
}

/** The error as an outcome carries it. */
export function outcomeError(error: unknown): NonNullable<FeedbackOutcome["error"]> {
  return { name: thrownName(error) || "Error", message: error instanceof Error ? error.message : String(error) };
}
