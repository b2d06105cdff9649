/**
 * The options of a bulk-feedback run, their documentation, and their checks: each is validated
 * once, with a `TypeError` naming the option. Web-standard globals only.
 */
import type { FeedbackValueType } from "../../generated/enums.ts";
import type { PaginationClient } from "../paginate.ts";
import { type FeedbackCheckpoint, parseFeedbackCheckpoint } from "./checkpoint.ts";
import { FEEDBACK_QUOTAS } from "./constants.ts";
import type { FeedbackTarget } from "./input.ts";
import type { FeedbackCounts } from "./checkpoint.ts";

/** Requests per second per quota category. */
export interface FeedbackRates {
  /** AdminUpdateAuthEventFeedback (shared with UpdateAuthEventFeedback). @default 25 */
  feedback?: number;
  /** AdminListUserAuthEvents, for the lookups (shared with the other UserResourceRead operations). @default 50 */
  adminListUserAuthEvents?: number;
  /** AdminListUserAuthEvents for one user. @default 10 */
  perUser?: number;
}

/**
 * Options of {@link sendBulkFeedback}.
 * @example
 * { client, userPoolId: "eu-west-1_AbCdEf123", value: "Invalid", targets: readFeedbackTargets(lines), checkpoint: saved }
 */
export interface BulkFeedbackOptions<T extends FeedbackTarget = FeedbackTarget> {
  /**
   * The client whose `send` makes the requests (a `CognitoIdentityProviderClient`). Give it
   * `maxAttempts: 1`: the run then paces every attempt and retries throttling itself.
   */
  client: PaginationClient;
  /** The user pool of the events. */
  userPoolId: string;
  /** The feedback to give: `Valid` or `Invalid` (any case). */
  value: FeedbackValueType | "valid" | "invalid";
  /**
   * The events, in a fixed order: a resumed run must be given the same targets in the same order
   * (the checkpoint counts positions, and checks an event id).
   */
  targets: Iterable<T> | AsyncIterable<T>;
  /** Read, but send no feedback: every event that would be updated is reported as updated. @default false */
  dryRun?: boolean;
  /** Resume from this checkpoint (from {@link BulkFeedback.checkpoint}, possibly via JSON). */
  checkpoint?: FeedbackCheckpoint;
  /**
   * The request rates: a number sets the feedback rate, an object any category. Raise them if your
   * account's quotas were raised; lower them to leave room for other callers.
   * @default {@link FEEDBACK_QUOTAS}
   */
  maxRps?: number | FeedbackRates;
  /**
   * Feedback requests in flight at once. The pacer, not this, sets the rate: it only has to cover
   * the round trip (rate x latency).
   * @default 8
   */
  concurrency?: number;
  /** Stops the run; the iterator throws {@link AbortError} and the checkpoint stays valid. */
  abortSignal?: AbortSignal;
  /**
   * Fraction of each rate kept in reserve, for clock jitter against the service's one-second windows.
   * @default 0.03
   */
  headroom?: number;
}

/** How one event ended. */
export interface FeedbackOutcome<T extends FeedbackTarget = FeedbackTarget> {
  /** Its position in the targets, from 0. */
  index: number;
  target: T;
  /** `updated` (in a dry run: would be), `skipped` or `failed`. */
  result: "updated" | "skipped" | "failed";
  /** Why it was skipped: the input showed the feedback, the service had it, or the event came earlier in the input. */
  skipped?: "input" | "service" | "duplicate";
  /** Why it failed: the service's error name and message (`ResourceNotFoundException`, `UserNotFoundException`...). */
  error?: { name: string; message: string };
}

/** A snapshot of the totals, for a summary or a progress line. */
export interface FeedbackSummary extends FeedbackCounts {
  /** All skipped events. */
  skipped: number;
  /** Events settled: updated, skipped or failed. */
  settled: number;
  dryRun: boolean;
}

function rate(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number of requests per second, got ${String(value)}`);
  return value;
}

function resolveRates(maxRps: unknown): Required<FeedbackRates> {
  if (maxRps === undefined) return { ...FEEDBACK_QUOTAS };
  if (typeof maxRps === "number") return { ...FEEDBACK_QUOTAS, feedback: rate(maxRps, "maxRps") };
  if (typeof maxRps !== "object" || maxRps === null)
    throw new TypeError("maxRps must be a number or an object of rates");
  const out = { ...FEEDBACK_QUOTAS };
  for (const [key, value] of Object.entries(maxRps)) {
    if (!Object.hasOwn(FEEDBACK_QUOTAS, key))
      throw new TypeError(
        `maxRps.${key} is not a quota category (expected feedback, adminListUserAuthEvents or perUser)`,
      );
    if (value !== undefined) out[key as keyof FeedbackRates] = rate(value, `maxRps.${key}`);
  }
  return out;
}

function feedbackValue(value: unknown): FeedbackValueType {
  const lower = typeof value === "string" ? value.toLowerCase() : "";
  if (lower === "valid") return "Valid";
  if (lower === "invalid") return "Invalid";
  throw new TypeError(
    `value must be Valid or Invalid, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`,
  );
}

const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** The options, checked, with their defaults. */
export interface ResolvedFeedbackOptions<T extends FeedbackTarget> {
  client: PaginationClient;
  userPoolId: string;
  value: FeedbackValueType;
  targets: Iterable<T> | AsyncIterable<T>;
  dryRun: boolean;
  checkpoint: FeedbackCheckpoint | undefined;
  rates: Required<FeedbackRates>;
  concurrency: number;
  abortSignal: AbortSignal | undefined;
  /** `undefined`: the pacer's default. */
  headroom: number | undefined;
}

/**
 * Checks the options and fills in the defaults; a checkpoint must come from a run with the same
 * pool, value and dry-run setting.
 * @throws TypeError naming the option that is wrong
 */
export function resolveFeedbackOptions<T extends FeedbackTarget>(
  options: BulkFeedbackOptions<T>,
): ResolvedFeedbackOptions<T> {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  if (typeof options.client?.send !== "function") throw new TypeError("client must have a send(command) method");
  if (typeof options.userPoolId !== "string" || !POOL_ID.test(options.userPoolId))
    throw new TypeError("userPoolId must be a user pool id such as eu-west-1_AbCdEf123");
  const targets = options.targets as unknown;
  if (
    typeof targets !== "object" ||
    targets === null ||
    (typeof (targets as Iterable<T>)[Symbol.iterator] !== "function" &&
      typeof (targets as AsyncIterable<T>)[Symbol.asyncIterator] !== "function")
  )
    throw new TypeError("targets must be an iterable or an async iterable of { username, eventId }");
  const headroom = options.headroom;
  if (headroom !== undefined && (typeof headroom !== "number" || !(headroom >= 0 && headroom < 1)))
    throw new TypeError(`headroom must be a number from 0 to 1, got ${String(headroom)}`);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new TypeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
  const signal = options.abortSignal;
  if (signal !== undefined && typeof signal?.addEventListener !== "function")
    throw new TypeError("abortSignal must be an AbortSignal");
  const resolved: ResolvedFeedbackOptions<T> = {
    client: options.client,
    userPoolId: options.userPoolId,
    value: feedbackValue(options.value),
    targets: options.targets,
    dryRun: options.dryRun === true,
    checkpoint: undefined,
    rates: resolveRates(options.maxRps),
    concurrency,
    abortSignal: signal,
    headroom,
  };
  if (options.checkpoint !== undefined) {
    const checkpoint = parseFeedbackCheckpoint(options.checkpoint);
    for (const key of ["userPoolId", "value", "dryRun"] as const) {
      if (checkpoint.query[key] !== resolved[key])
        throw new TypeError(
          `checkpoint: it was made by a run with a different ${key} (${JSON.stringify(checkpoint.query[key])})`,
        );
    }
    resolved.checkpoint = checkpoint;
  }
  return resolved;
}

/** Throws a TypeError naming the target's index when it has no username or event id. */
export function checkTarget(target: unknown, index: number): void {
  const t = target as FeedbackTarget | undefined;
  if (typeof t?.username !== "string" || t.username === "")
    throw new TypeError(`targets[${index}].username: expected a non-empty string`);
  if (typeof t.eventId !== "string" || t.eventId === "")
    throw new TypeError(`targets[${index}].eventId: expected a non-empty string`);
}
