/**
 * The four operations over the store. Each returns the response members (timestamps as raw
 * JSON numbers) or throws a {@link ServiceError}, checking in the service's order: input,
 * pool, replica role, threat protection, user, then the rest.
 */

import {
  addOnNotEnabled,
  invalidParameter,
  operationNotEnabled,
  poolNotFound,
  ServiceError,
  userNotFound,
} from "./errors.ts";
import { matchesFilter, parseFilter } from "./filter.ts";
import { findUser, type StoredEvent, type StoredPool, type StoredUser } from "./store.ts";
import type { TokenCodec } from "./tokens.ts";
import type {
  AdminListUserAuthEventsInput,
  AdminUpdateAuthEventFeedbackInput,
  ListUsersInput,
  UpdateAuthEventFeedbackInput,
} from "./validate.ts";
import { RawNumber, timestampFromSeconds, type WireTimestamp } from "./wire-json.ts";

export interface OperationContext {
  pools: Map<string, StoredPool>;
  tokens: TokenCodec;
  /** The emulator's clock, epoch ms. */
  nowMs: number;
}

const raw = (ts: WireTimestamp): RawNumber => new RawNumber(ts.text);

function pool(ctx: OperationContext, id: string): StoredPool {
  const found = ctx.pools.get(id);
  if (!found) throw poolNotFound(id);
  // A secondary replica of a multi-region user pool answers none of the four operations.
  if (found.replicaRole === "SECONDARY") throw operationNotEnabled();
  return found;
}

function protectedUser(ctx: OperationContext, poolId: string, username: string): StoredUser {
  const p = pool(ctx, poolId);
  if (p.threatProtection === "OFF") throw addOnNotEnabled();
  const user = findUser(p, username);
  if (!user) throw userNotFound();
  return user;
}

/**
 * A page of `items` after the cursor of `token` (`limit` items; 0 or absent: 60) and the next page's token. A token
 * names its page's last `key` and is bound to `context`; one that does not decode or names no item is `invalid`.
 */
async function page<T>(
  ctx: OperationContext,
  context: string,
  items: T[],
  key: (item: T) => string,
  token: string | undefined,
  limit: number | undefined,
  invalid: string,
): Promise<[T[], string | undefined]> {
  let start = 0;
  if (token !== undefined) {
    const cursor = await ctx.tokens.decode(token, context);
    start = 1 + (typeof cursor?.after === "string" ? items.findIndex((item) => key(item) === cursor.after) : -1);
    if (start === 0) throw invalidParameter(invalid);
  }
  const slice = items.slice(start, start + (limit || 60));
  const last = slice.at(-1);
  const more = start + slice.length < items.length;
  return [slice, more && last ? await ctx.tokens.encode({ after: key(last) }, context) : undefined];
}

/** An event as `AuthEventType` on the wire, in the model's member order. */
function eventToWire(event: StoredEvent): Record<string, unknown> {
  const feedback = event.EventFeedback;
  return {
    EventId: event.EventId,
    EventType: event.EventType,
    CreationDate: raw(event.CreationDate),
    EventResponse: event.EventResponse,
    EventRisk: event.EventRisk,
    ChallengeResponses: event.ChallengeResponses,
    EventContextData: event.EventContextData,
    EventFeedback: feedback && {
      FeedbackValue: feedback.FeedbackValue,
      Provider: feedback.Provider,
      FeedbackDate: feedback.FeedbackDate && raw(feedback.FeedbackDate),
    },
  };
}

export async function adminListUserAuthEvents(ctx: OperationContext, input: AdminListUserAuthEventsInput) {
  const user = protectedUser(ctx, input.UserPoolId, input.Username);
  const context = `events\n${input.UserPoolId}\n${user.sub}`;
  const [events, next] = await page(
    ctx,
    context,
    user.events,
    (e) => e.EventId,
    input.NextToken,
    input.MaxResults,
    "Invalid NextToken.",
  );
  return { AuthEvents: events.map(eventToWire), NextToken: next };
}

function feedbackTarget(ctx: OperationContext, input: AdminUpdateAuthEventFeedbackInput): StoredEvent {
  const user = protectedUser(ctx, input.UserPoolId, input.Username);
  const event = user.events.find((e) => e.EventId === input.EventId);
  if (!event) throw new ServiceError("ResourceNotFoundException", "Auth event not found.");
  return event;
}

function recordFeedback(
  ctx: OperationContext,
  event: StoredEvent,
  value: string,
  provider: string,
): Record<string, never> {
  event.EventFeedback = {
    FeedbackValue: value,
    Provider: provider,
    FeedbackDate: timestampFromSeconds(ctx.nowMs / 1000),
  };
  return {};
}

export function adminUpdateAuthEventFeedback(ctx: OperationContext, input: AdminUpdateAuthEventFeedbackInput) {
  return recordFeedback(ctx, feedbackTarget(ctx, input), input.FeedbackValue, "Admin");
}

export function updateAuthEventFeedback(ctx: OperationContext, input: UpdateAuthEventFeedbackInput) {
  const event = feedbackTarget(ctx, input);
  if (input.FeedbackToken !== event.FeedbackToken)
    throw new ServiceError("NotAuthorizedException", "Invalid feedback token.");
  return recordFeedback(ctx, event, input.FeedbackValue, "User");
}

function userToWire(user: StoredUser, attributesToGet: string[] | undefined): Record<string, unknown> {
  const all: Array<[string, string]> = [["sub", user.sub], ...user.attributes];
  const attributes = attributesToGet ? all.filter(([name]) => attributesToGet.includes(name)) : all;
  return {
    Username: user.username,
    Attributes: attributes.map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: raw(user.createDate),
    UserLastModifiedDate: raw(user.lastModifiedDate),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export async function listUsers(ctx: OperationContext, input: ListUsersInput) {
  const p = pool(ctx, input.UserPoolId);
  const filter = parseFilter(input.Filter);
  const context = `users\n${p.id}\n${input.Filter ?? ""}`;
  const matching = p.users.filter((user) => matchesFilter(user, filter));
  const [users, next] = await page(
    ctx,
    context,
    matching,
    (u) => u.sub,
    input.PaginationToken,
    input.Limit,
    "Invalid PaginationToken.",
  );
  return { Users: users.map((user) => userToWire(user, input.AttributesToGet)), PaginationToken: next };
}
