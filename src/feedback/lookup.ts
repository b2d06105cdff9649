/**
 * What the service says of some events of one user: read the user's listing (newest first) until
 * every wanted event is found, or the listing is older than all of them. Web-standard globals only.
 */
import { paginateAdminListUserAuthEvents } from "../../generated/paginators.ts";
import type { PaginationClient } from "../paginate.ts";

const PAGE_SIZE = 60;

/** Where to look and what for. */
export interface FeedbackLookup {
  /** The client the listing's requests go through (paced by the caller). */
  client: PaginationClient;
  userPoolId: string;
  username: string;
  /** The events wanted, by `EventId`. */
  eventIds: ReadonlySet<string>;
  /**
   * The oldest wanted event's `CreationDate` (epoch ms), when every wanted event's date is known:
   * the listing stops at the first older event.
   * @default read until every event is found or the listing ends
   */
  oldest?: number | undefined;
  signal: AbortSignal;
  /** Called for each wanted event found, with its current `FeedbackValue` (if any). */
  onFound: (eventId: string, feedbackValue: string | undefined) => void;
}

/**
 * Reads the user's events and reports the wanted ones as they are found.
 * @returns the event ids not found
 * @throws the listing's errors (`UserNotFoundException` when the user is gone)
 */
export async function lookUpFeedback(lookup: FeedbackLookup): Promise<Set<string>> {
  const missing = new Set(lookup.eventIds);
  if (missing.size === 0) return missing;
  const events = paginateAdminListUserAuthEvents.items(
    { client: lookup.client, pageSize: PAGE_SIZE, abortSignal: lookup.signal },
    { UserPoolId: lookup.userPoolId, Username: lookup.username },
  );
  for await (const event of events) {
    if (event.EventId !== undefined && missing.delete(event.EventId)) {
      lookup.onFound(event.EventId, event.EventFeedback?.FeedbackValue);
      if (missing.size === 0) break;
    }
    // Listings are newest first: past the oldest wanted event, the rest cannot be further down.
    const created = event.CreationDate?.getTime();
    if (lookup.oldest !== undefined && created !== undefined && created < lookup.oldest) break;
  }
  return missing;
}
