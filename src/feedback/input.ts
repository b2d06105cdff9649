/**
 * What bulk feedback acts on: one event of one user, read from a line of NDJSON as the audit
 * (`{"user": {...}, "event": {...}}`) or a listing (`admin-list-user-auth-events --output ndjson`:
 * the event alone) writes it. Web-standard globals only.
 */

/** One event to give feedback on. */
export interface FeedbackTarget {
  /** The user's username, `sub` or alias (what `AdminUpdateAuthEventFeedback` takes). */
  username: string;
  /** The event's `EventId`. */
  eventId: string;
  /** The feedback the event carried when it was read (`EventFeedback.FeedbackValue`): equal to the run's, it is skipped. */
  feedbackValue?: string;
  /**
   * When the event happened: the lookup of the user's events stops once the listing is older
   * than every target of that user. Without it the listing goes on until the event is found.
   */
  creationDate?: Date;
}

/** A target read from a line, with the line's number (from 1). */
export interface FeedbackInputTarget extends FeedbackTarget {
  line: number;
}

/** A line that is not an event to give feedback on: the message says why, never quoting the username. */
export class FeedbackInputError extends Error {
  override readonly name = "FeedbackInputError";
  constructor(
    /** The line's number, from 1. */
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Options of {@link parseFeedbackLine} and {@link readFeedbackTargets}. */
export interface FeedbackInputOptions {
  /**
   * The user of lines that carry no user (a listing's events). Lines that name their user
   * (the audit's) keep theirs.
   * @default none: such lines are an error
   */
  username?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A date as the outputs write it: epoch seconds as a number or numeric string (the listing's wire
 * format), an ISO 8601 string (the audit's, or `--cli-timestamp-format iso8601`), or a `Date`.
 */
function parseDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === "number") date = new Date(value * 1000);
  else if (typeof value === "string" && value.trim() !== "")
    date = Number.isFinite(Number(value)) ? new Date(Number(value) * 1000) : new Date(value);
  return date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * Reads one NDJSON line.
 * @param line its number, for the error message
 * @returns the target, or `undefined` for a blank line
 * @throws FeedbackInputError when the line is not an event with an `EventId` and a user
 * @example parseFeedbackLine('{"user":{"Username":"alice"},"event":{"EventId":"e1"}}', 1) // { username: "alice", eventId: "e1" }
 */
export function parseFeedbackLine(
  text: string,
  line: number,
  options: FeedbackInputOptions = {},
): FeedbackTarget | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    throw new FeedbackInputError(
      line,
      trimmed.startsWith("[")
        ? "a JSON array, not one event per line: write the events with --output ndjson"
        : "not JSON: expected one event per line, as --output ndjson writes them",
    );
  }
  if (Array.isArray(value))
    throw new FeedbackInputError(line, "a JSON array, not one event per line: write the events with --output ndjson");
  if (!isObject(value)) throw new FeedbackInputError(line, "expected a JSON object (an event, or a user and an event)");
  const wrapped = isObject(value["event"]);
  const event = wrapped ? (value["event"] as Record<string, unknown>) : value;
  const eventId = event["EventId"];
  if (typeof eventId !== "string" || eventId === "") throw new FeedbackInputError(line, "the event has no EventId");
  const user = value["user"];
  let username: string | undefined;
  if (wrapped && user !== undefined) {
    if (!isObject(user) || typeof user["Username"] !== "string" || user["Username"] === "")
      throw new FeedbackInputError(line, "user.Username: expected a non-empty string");
    username = user["Username"];
  } else username = options.username;
  if (username === undefined)
    throw new FeedbackInputError(
      line,
      "the event has no user (a listing's output): give the user whose events these are (--username)",
    );
  const target: FeedbackTarget = { username, eventId };
  const feedback = event["EventFeedback"];
  if (isObject(feedback) && typeof feedback["FeedbackValue"] === "string")
    target.feedbackValue = feedback["FeedbackValue"];
  const creationDate = parseDate(event["CreationDate"]);
  if (creationDate !== undefined) target.creationDate = creationDate;
  return target;
}

/**
 * The targets of NDJSON lines, with their line numbers; blank lines are skipped, and a line that
 * is not an event throws {@link FeedbackInputError}.
 * @example
 * for await (const target of readFeedbackTargets(lines, { username: "alice" })) targets.push(target);
 */
export async function* readFeedbackTargets(
  lines: Iterable<string> | AsyncIterable<string>,
  options: FeedbackInputOptions = {},
): AsyncGenerator<FeedbackInputTarget, void, undefined> {
  let number = 0;
  for await (const text of lines) {
    number++;
    const target = parseFeedbackLine(text, number, options);
    if (target !== undefined) yield { ...target, line: number };
  }
}
