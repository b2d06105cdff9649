/**
 * Reading one user's events for the audit (AdminListUserAuthEvents, newest first): from the top or from a saved
 * position (with the resume guard), within the window and the filter, handing each event, each skipped position and
 * the user's end to the consumer as records. A user deleted since the listing is skipped; a saved token the service
 * no longer accepts is replaced by reading from the top.
 *
 * Web-standard globals only.
 */
import { paginateAdminListUserAuthEvents } from "../../generated/paginators.ts";
import type { AuthEventType } from "../../generated/types.ts";
import type { PaginationClient } from "../paginate.ts";
import type { AuditUserPosition } from "./checkpoint.ts";
import { type AuditFilter, matches } from "./options.ts";
import type { AuditMark } from "./state.ts";
import { thrownName } from "./requests.ts";
import { planRestart, planResume, type ResumePlan } from "./resume-guard.ts";
import { Stopped } from "./tasks.ts";

/** A record for the consumer: an event to yield, a position to advance to, or a finished user. */
export type OutRecord =
  | {
      kind: "event";
      position: AuditUserPosition;
      event: AuthEventType;
      after: string | undefined;
      last: AuditUserPosition["last"];
    }
  | { kind: "advance"; position: AuditUserPosition; after: string | undefined; last: AuditUserPosition["last"] }
  | { kind: "done"; position: AuditUserPosition; skipped: boolean };

/** The service's largest page. */
const PAGE_SIZE = 60;

/** What reading a user needs. */
export interface UserReading {
  readonly userPoolId: string;
  /** Epoch ms. */
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly filter: AuditFilter | undefined;
  /** The user's newest event read by the run that made the audit's state: the listing stops there. */
  readonly mark: AuditMark | undefined;
  /** Sends through the events' pacer and this user's limiter. */
  readonly client: PaginationClient;
  readonly signal: AbortSignal;
  /** Hands a record to the consumer (waits while it is behind). */
  readonly push: (record: OutRecord) => Promise<void>;
  /** Counts an event read from the service. */
  readonly onScanned: () => void;
  /** Throws once the run has stopped. */
  readonly ensureRunning: () => void;
}

function lastRead(event: AuthEventType): NonNullable<AuditUserPosition["last"]> {
  const last: NonNullable<AuditUserPosition["last"]> = {};
  if (event.EventId !== undefined) last.eventId = event.EventId;
  if (event.CreationDate instanceof Date) last.creationDate = event.CreationDate.getTime();
  return last;
}

/** Reads a user's events from its position to the end (or to the first event before the window). */
export async function readUser(position: AuditUserPosition, reading: UserReading): Promise<void> {
  const { push, ensureRunning } = reading;
  if (position.finished) {
    await push({ kind: "done", position, skipped: false });
    return;
  }
  let plan = planResume(position);
  for (let restarted = false; ; restarted = true) {
    let read = 0;
    try {
      await readEvents(position, plan, reading, () => read++);
      break;
    } catch (error) {
      if (error instanceof Stopped) throw error;
      ensureRunning();
      const name = thrownName(error);
      if (name === "UserNotFoundException") {
        // Deleted since ListUsers listed it: nothing more to read.
        await push({ kind: "done", position, skipped: true });
        return;
      }
      if (name === "InvalidParameterException" && plan.startingToken !== undefined && read === 0 && !restarted) {
        // The saved token is no longer accepted (expired): read from the top, skipping up to the last event read.
        plan = planRestart(position);
        continue;
      }
      throw error;
    }
  }
  await push({ kind: "done", position, skipped: false });
}

async function readEvents(
  position: AuditUserPosition,
  plan: ResumePlan,
  reading: UserReading,
  onRead: () => void,
): Promise<void> {
  const { client, signal, push, since, until, filter } = reading;
  const { startingToken, guard } = plan;
  const iterator = paginateAdminListUserAuthEvents.items(
    { client, pageSize: PAGE_SIZE, abortSignal: signal, ...(startingToken !== undefined && { startingToken }) },
    { UserPoolId: reading.userPoolId, Username: position.user.Username },
  );
  for await (const event of iterator) {
    onRead();
    reading.onScanned();
    const after = iterator.resumeToken;
    const last = lastRead(event);
    if (guard?.skips(event)) {
      await push({ kind: "advance", position, after, last });
      continue;
    }
    const date = last.creationDate;
    // Newest first: the event the previous run read first, or anything older, ends what is new.
    if (reachedMark(reading.mark, event.EventId, date)) return;
    // Newest first: the first event before the window ends this user's listing.
    if (since !== undefined && date !== undefined && date < since) return;
    if (until !== undefined && date !== undefined && date >= until) {
      await push({ kind: "advance", position, after, last });
      continue;
    }
    // The first event inside the window is the user's mark for the next run: everything from it down was read
    // (the filter is the state's, so an event it leaves out counts as read). An event at or after `until` is not:
    // a later run with a later `until` must still write it.
    if (position.newest === undefined && Object.keys(last).length > 0) position.newest = { ...last };
    if (!matches(filter, event)) {
      await push({ kind: "advance", position, after, last });
      continue;
    }
    await push({ kind: "event", position, event, after, last });
  }
}

/** Whether an event is the mark, or older than it: read by the run that made the state. */
function reachedMark(mark: AuditMark | undefined, eventId: string | undefined, date: number | undefined): boolean {
  if (mark === undefined) return false;
  if (mark.eventId !== undefined && eventId === mark.eventId) return true;
  return mark.creationDate !== undefined && date !== undefined && date < mark.creationDate;
}
