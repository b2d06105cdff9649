/**
 * Resuming a user's listing without repeating or losing an event. A saved position is botocore's resume token plus
 * the last event handed out; events may have been added to the user since (a listing is newest first, so they come
 * before the saved position and shift it). So the listing restarts one event early, and a {@link ResumeGuard} skips
 * what was handed out already: the last event itself and anything newer.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import { encodeResumeToken, parseStartingToken, TRUNCATE_AMOUNT_KEY } from "../resume-token.ts";
import type { AuditUserPosition } from "./checkpoint.ts";

/** Where to start reading a user again, and what to skip there. */
export interface ResumePlan {
  /** botocore's resume token to list from; `undefined`: from the top. */
  readonly startingToken: string | undefined;
  /** Skips the events handed out before; `undefined` when there is nothing to skip. */
  readonly guard: ResumeGuard | undefined;
}

/** Skips the events of a resumed listing that were handed out before it stopped. */
export class ResumeGuard {
  #active = true;
  #expectFirst: boolean;
  constructor(
    readonly last: NonNullable<AuditUserPosition["last"]>,
    /** The listing was moved back by one event: its first event should be the last one handed out. */
    expectFirst: boolean,
  ) {
    this.#expectFirst = expectFirst;
  }

  /**
   * Whether this event (the next one the listing gives) was handed out already. Once an event is found that was
   * not, or the last one handed out is found, the guard skips nothing more.
   */
  skips(event: AuthEventType): boolean {
    if (!this.#active) return false;
    const date = event.CreationDate instanceof Date ? event.CreationDate.getTime() : undefined;
    const found = event.EventId !== undefined && event.EventId === this.last.eventId;
    const expected = this.#expectFirst;
    this.#expectFirst = false;
    let skip: boolean;
    if (found) skip = true;
    else if (this.last.creationDate !== undefined) skip = date === undefined || date >= this.last.creationDate;
    else skip = !expected;
    if (found || !skip) this.#active = false;
    return skip;
  }
}

/** How to resume a user from its saved position. */
export function planResume(position: AuditUserPosition): ResumePlan {
  if (position.resumeToken === null) return { startingToken: undefined, guard: undefined };
  const parsed = parseStartingToken(position.resumeToken, ["NextToken"]);
  if (parsed.truncateAmount >= 1 && position.last) {
    // Step back one event and expect to find the last one read there: if events were added since, the guard
    // notices and skips to it instead of repeating events.
    const startingToken = encodeResumeToken(
      new Map<string, unknown>([...parsed.tokens, [TRUNCATE_AMOUNT_KEY, parsed.truncateAmount - 1]]),
    );
    return { startingToken, guard: new ResumeGuard(position.last, true) };
  }
  return { startingToken: position.resumeToken, guard: undefined };
}

/** How to read a user again from the top when its saved token is refused (expired): skipping up to the last event. */
export function planRestart(position: AuditUserPosition): ResumePlan {
  return { startingToken: undefined, guard: position.last ? new ResumeGuard(position.last, false) : undefined };
}
