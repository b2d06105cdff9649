/**
 * The position of a bulk-feedback run: which input items are settled (updated, skipped or failed,
 * and handed out), as plain JSON, so that a run resumed from it acts on exactly the items not yet
 * settled. Web-standard globals only.
 */
import type { RequestCounts } from "../audit/requests.ts";

/** Running totals, kept across resumes. */
export interface FeedbackCounts {
  /** Events given the feedback (in a dry run: that would be). */
  updated: number;
  /** Events skipped because the input already showed the feedback. */
  skippedInInput: number;
  /** Events skipped because the service already had the feedback. */
  skippedAtService: number;
  /** Events listed twice in the input: the repeats are skipped. */
  skippedDuplicates: number;
  /** Events that failed on their own (event gone, user gone, invalid input). */
  failed: number;
  /** AdminUpdateAuthEventFeedback requests sent. */
  feedbackRequests: number;
  /** AdminListUserAuthEvents requests sent (the lookups). */
  listRequests: number;
  /** Requests the service throttled (each retried). */
  throttles: number;
  /** Attempts the client retried on its own (its `$metadata.attempts` beyond the first; none with `maxAttempts: 1`). */
  clientRetries: number;
  /** Wall time over every run of this checkpoint's work. */
  elapsedMs: number;
}

/** What a checkpoint belongs to; it only resumes the same. */
export interface FeedbackQuery {
  userPoolId: string;
  value: string;
  dryRun: boolean;
}

/**
 * A serialisable position (plain JSON: `JSON.stringify` it, parse it, pass it back as
 * `checkpoint` with the same input).
 */
export interface FeedbackCheckpoint {
  version: 1;
  kind: "cognito-auth-events/feedback";
  query: FeedbackQuery;
  /** Every input item before this index (counting from 0) is settled. */
  next: number;
  /** Settled items at or after `next`, as inclusive `[first, last]` index ranges, ascending. */
  settled: Array<[number, number]>;
  /** The event id of the item at `next - 1`: a resumed run checks it, so a different input is refused. */
  anchor?: { index: number; eventId: string };
  counts: FeedbackCounts;
}

/** The `kind` every feedback checkpoint carries. */
export const FEEDBACK_CHECKPOINT_KIND = "cognito-auth-events/feedback";

const COUNT_KEYS = [
  "updated",
  "skippedInInput",
  "skippedAtService",
  "skippedDuplicates",
  "failed",
  "feedbackRequests",
  "listRequests",
  "throttles",
  "clientRetries",
  "elapsedMs",
] as const satisfies ReadonlyArray<keyof FeedbackCounts>;

/** Zero counts. */
export function emptyCounts(): FeedbackCounts {
  return Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as unknown as FeedbackCounts;
}

/**
 * The counts as the audit's request sender counts into them: its requests into `requests` (the feedback requests or
 * the lookups), throttles and client retries shared.
 */
export function requestCounts(counts: FeedbackCounts, requests: "feedbackRequests" | "listRequests"): RequestCounts {
  return {
    get requests() {
      return counts[requests];
    },
    set requests(value) {
      counts[requests] = value;
    },
    get throttles() {
      return counts.throttles;
    },
    set throttles(value) {
      counts.throttles = value;
    },
    get clientRetries() {
      return counts.clientRetries;
    },
    set clientRetries(value) {
      counts.clientRetries = value;
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Validates a checkpoint (it may come from a file a person edited) and copies it.
 * @throws TypeError naming the member that is wrong
 */
export function parseFeedbackCheckpoint(value: unknown): FeedbackCheckpoint {
  if (!isObject(value) || value["kind"] !== FEEDBACK_CHECKPOINT_KIND)
    throw new TypeError(`checkpoint: not a feedback checkpoint (expected kind "${FEEDBACK_CHECKPOINT_KIND}")`);
  if (value["version"] !== 1) throw new TypeError(`checkpoint.version: expected 1, got ${String(value["version"])}`);
  const query = value["query"];
  if (
    !isObject(query) ||
    typeof query["userPoolId"] !== "string" ||
    typeof query["value"] !== "string" ||
    typeof query["dryRun"] !== "boolean"
  )
    throw new TypeError("checkpoint.query: expected { userPoolId, value, dryRun }");
  const next = value["next"];
  if (!isIndex(next)) throw new TypeError("checkpoint.next: expected an index (an integer >= 0)");
  const settled = value["settled"];
  if (!Array.isArray(settled)) throw new TypeError("checkpoint.settled: expected a list of [first, last] ranges");
  let previous = next;
  const ranges = settled.map((range: unknown, i): [number, number] => {
    if (!Array.isArray(range) || range.length !== 2 || !isIndex(range[0]) || !isIndex(range[1]))
      throw new TypeError(`checkpoint.settled[${i}]: expected [first, last]`);
    if (range[0] <= previous || range[1] < range[0])
      throw new TypeError(`checkpoint.settled[${i}]: ranges must ascend, after next, without touching`);
    previous = range[1] + 1;
    return [range[0], range[1]];
  });
  const out: FeedbackCheckpoint = {
    version: 1,
    kind: FEEDBACK_CHECKPOINT_KIND,
    query: { userPoolId: query["userPoolId"], value: query["value"], dryRun: query["dryRun"] },
    next,
    settled: ranges,
    counts: emptyCounts(),
  };
  const anchor = value["anchor"];
  if (anchor !== undefined) {
    if (!isObject(anchor) || anchor["index"] !== next - 1 || typeof anchor["eventId"] !== "string")
      throw new TypeError("checkpoint.anchor: expected { index: next - 1, eventId }");
    out.anchor = { index: anchor["index"] as number, eventId: anchor["eventId"] };
  }
  const counts = value["counts"];
  if (!isObject(counts)) throw new TypeError("checkpoint.counts: expected an object");
  for (const key of COUNT_KEYS) {
    const count = counts[key];
    if (typeof count !== "number" || !Number.isFinite(count) || count < 0)
      throw new TypeError(`checkpoint.counts.${key}: expected a number >= 0`);
    out.counts[key] = count;
  }
  return out;
}

/**
 * The settled items of a run: every index below `next`, and the ones above it (held with their
 * event ids until `next` moves past them, so the anchor can be set).
 */
export class SettledItems {
  #next: number;
  #anchor: FeedbackCheckpoint["anchor"];
  readonly #beyond = new Map<number, string>();

  constructor(checkpoint?: Pick<FeedbackCheckpoint, "next" | "settled" | "anchor">) {
    this.#next = checkpoint?.next ?? 0;
    this.#anchor = checkpoint?.anchor;
    for (const [first, last] of checkpoint?.settled ?? [])
      for (let index = first; index <= last; index++) this.#beyond.set(index, "");
  }

  /** The first index not settled. */
  get next(): number {
    return this.#next;
  }

  /** The settled items above `next`. */
  get pending(): number {
    return this.#beyond.size;
  }

  get anchor(): FeedbackCheckpoint["anchor"] {
    return this.#anchor;
  }

  has(index: number): boolean {
    return index < this.#next || this.#beyond.has(index);
  }

  add(index: number, eventId: string): void {
    if (this.has(index)) return;
    this.#beyond.set(index, eventId);
    while (this.#beyond.has(this.#next)) {
      const id = this.#beyond.get(this.#next)!;
      this.#beyond.delete(this.#next);
      // Items settled before a resume carry no id: the anchor is only set from ids seen in this run.
      this.#anchor = id === "" ? undefined : { index: this.#next, eventId: id };
      this.#next++;
    }
  }

  /** `next`, the ranges above it and the anchor, as the checkpoint holds them. */
  toJSON(): Pick<FeedbackCheckpoint, "next" | "settled" | "anchor"> {
    const indices = [...this.#beyond.keys()].sort((a, b) => a - b);
    const settled: Array<[number, number]> = [];
    for (const index of indices) {
      const last = settled.at(-1);
      if (last !== undefined && last[1] === index - 1) last[1] = index;
      else settled.push([index, index]);
    }
    return { next: this.#next, settled, ...(this.#anchor !== undefined && { anchor: this.#anchor }) };
  }
}
