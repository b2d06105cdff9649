/**
 * The in-memory model: user pools, their users, each user's auth events and feedback.
 * Loaded from (and exported to) the JSON data format of {@link EmulatorData}.
 */

import { createPrng } from "./prng.ts";
import type {
  EmulatorData,
  EmulatorEventData,
  EmulatorPoolData,
  EmulatorUserData,
  ReplicaRole,
  ThreatProtectionMode,
} from "./types.ts";
import { parseTimestamp, timestampFromSeconds, timestampToData, type WireTimestamp } from "./wire-json.ts";

export interface StoredEvent {
  EventId: string;
  EventType?: string;
  CreationDate: WireTimestamp;
  EventResponse?: string;
  EventRisk?: { RiskDecision?: string; RiskLevel?: string; CompromisedCredentialsDetected?: boolean };
  ChallengeResponses?: Array<{ ChallengeName?: string; ChallengeResponse?: string }>;
  EventContextData?: { IpAddress?: string; DeviceName?: string; Timezone?: string; City?: string; Country?: string };
  EventFeedback?: { FeedbackValue: string; Provider: string; FeedbackDate?: WireTimestamp };
  FeedbackToken: string;
}

export interface StoredUser {
  username: string;
  sub: string;
  enabled: boolean;
  status: string;
  createDate: WireTimestamp;
  lastModifiedDate: WireTimestamp;
  /** Attributes other than `sub`, in order. */
  attributes: Array<[name: string, value: string]>;
  /** Newest first. */
  events: StoredEvent[];
}

export interface StoredPool {
  id: string;
  name: string;
  threatProtection: ThreatProtectionMode;
  replicaRole: ReplicaRole;
  caseSensitive: boolean;
  aliasAttributes: string[];
  users: StoredUser[];
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/u;
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const EVENT_ID = /^[\w+-]{1,50}$/u;
const FEEDBACK_TOKEN = /^[A-Za-z0-9-_=.]+$/u;
const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DEFAULT_CREATE_DATE = timestampFromSeconds(Date.UTC(2024, 0, 1) / 1000);

type Obj = Record<string, unknown>;

function object(value: unknown, path: string): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${path}: expected an object`);
  }
  return value as Obj;
}
function optionalString(obj: Obj, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new TypeError(`${path}.${key}: expected a string, got ${typeof value}`);
  return value;
}
function requiredString(obj: Obj, key: string, path: string): string {
  const value = optionalString(obj, key, path);
  if (value === undefined) throw new TypeError(`${path}.${key}: required`);
  return value;
}
function optionalBoolean(obj: Obj, key: string, path: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new TypeError(`${path}.${key}: expected a boolean, got ${typeof value}`);
  return value;
}
function optionalArray(obj: Obj, key: string, path: string): unknown[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`${path}.${key}: expected an array`);
  return value;
}
/** Copies the listed string members of a nested object, dropping absent ones. */
function stringMembers<K extends string>(value: unknown, keys: readonly K[], path: string): Partial<Record<K, string>> {
  const obj = object(value, path);
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const member = optionalString(obj, key, path);
    if (member !== undefined) out[key] = member;
  }
  return out;
}

/** Default ids derived from stable inputs, so loading the same data twice gives the same ids. */
const deriveSub = (poolId: string, username: string): string => createPrng(`sub/${poolId}/${username}`).uuid();
export const deriveEventId = (sub: string, index: number): string => createPrng(`event/${sub}/${index}`).uuid();
export const deriveFeedbackToken = (eventId: string): string =>
  createPrng(`feedback-token/${eventId}`).chars(43, TOKEN_ALPHABET);

/** Reads one event of the data format (throws a TypeError naming the member). */
export function parseEvent(value: unknown, path: string, fallbackId: string): StoredEvent {
  const obj = object(value, path);
  const EventId = optionalString(obj, "EventId", path) ?? fallbackId;
  if (!EVENT_ID.test(EventId)) throw new TypeError(`${path}.EventId: must match [\\w+-]+ and be 1..50 characters`);
  const event: StoredEvent = {
    EventId,
    CreationDate: parseTimestamp(obj.CreationDate, `${path}.CreationDate`),
    FeedbackToken: optionalString(obj, "FeedbackToken", path) ?? deriveFeedbackToken(EventId),
  };
  if (!FEEDBACK_TOKEN.test(event.FeedbackToken))
    throw new TypeError(`${path}.FeedbackToken: must match [A-Za-z0-9-_=.]+`);
  const type = optionalString(obj, "EventType", path);
  if (type !== undefined) event.EventType = type;
  const response = optionalString(obj, "EventResponse", path);
  if (response !== undefined) event.EventResponse = response;
  if (obj.EventRisk !== undefined && obj.EventRisk !== null) {
    const riskPath = `${path}.EventRisk`;
    const risk = object(obj.EventRisk, riskPath);
    event.EventRisk = stringMembers(risk, ["RiskDecision", "RiskLevel"] as const, riskPath);
    const compromised = optionalBoolean(risk, "CompromisedCredentialsDetected", riskPath);
    if (compromised !== undefined) event.EventRisk.CompromisedCredentialsDetected = compromised;
  }
  const challenges = optionalArray(obj, "ChallengeResponses", path);
  if (challenges) {
    event.ChallengeResponses = challenges.map((item, i) =>
      stringMembers(item, ["ChallengeName", "ChallengeResponse"] as const, `${path}.ChallengeResponses[${i}]`),
    );
  }
  if (obj.EventContextData !== undefined && obj.EventContextData !== null) {
    const keys = ["IpAddress", "DeviceName", "Timezone", "City", "Country"] as const;
    event.EventContextData = stringMembers(obj.EventContextData, keys, `${path}.EventContextData`);
  }
  if (obj.EventFeedback !== undefined && obj.EventFeedback !== null) {
    const fbPath = `${path}.EventFeedback`;
    const fb = object(obj.EventFeedback, fbPath);
    event.EventFeedback = {
      FeedbackValue: requiredString(fb, "FeedbackValue", fbPath),
      Provider: requiredString(fb, "Provider", fbPath),
    };
    if (fb.FeedbackDate !== undefined && fb.FeedbackDate !== null) {
      event.EventFeedback.FeedbackDate = parseTimestamp(fb.FeedbackDate, `${fbPath}.FeedbackDate`);
    }
  }
  return event;
}

/** Newest first; equal dates keep their order. */
export function sortEvents(events: StoredEvent[]): void {
  events.sort((a, b) => b.CreationDate.seconds - a.CreationDate.seconds);
}

function parseUser(value: unknown, path: string, poolId: string): StoredUser {
  const obj = object(value, path);
  const username = requiredString(obj, "username", path);
  if (!USERNAME.test(username)) {
    throw new TypeError(`${path}.username: must be 1..128 letters, marks, symbols, numbers or punctuation`);
  }
  const sub = optionalString(obj, "sub", path) ?? deriveSub(poolId, username);
  const events = (optionalArray(obj, "events", path) ?? []).map((item, i) =>
    parseEvent(item, `${path}.events[${i}]`, deriveEventId(sub, i)),
  );
  const seen = new Set<string>();
  for (const [i, event] of events.entries()) {
    if (seen.has(event.EventId)) throw new TypeError(`${path}.events[${i}].EventId: duplicate ${event.EventId}`);
    seen.add(event.EventId);
  }
  sortEvents(events);
  const oldest = events.at(-1)?.CreationDate;
  const createDate =
    obj.createDate !== undefined
      ? parseTimestamp(obj.createDate, `${path}.createDate`)
      : (oldest ?? DEFAULT_CREATE_DATE);
  const lastModifiedDate =
    obj.lastModifiedDate !== undefined ? parseTimestamp(obj.lastModifiedDate, `${path}.lastModifiedDate`) : createDate;
  const attributes: Array<[string, string]> = [];
  if (obj.attributes !== undefined && obj.attributes !== null) {
    const attrs = object(obj.attributes, `${path}.attributes`);
    for (const [name, attr] of Object.entries(attrs)) {
      if (typeof attr !== "string") throw new TypeError(`${path}.attributes.${name}: expected a string`);
      if (name !== "sub") attributes.push([name, attr]);
    }
  }
  return {
    username,
    sub,
    enabled: optionalBoolean(obj, "enabled", path) ?? true,
    status: optionalString(obj, "status", path) ?? "CONFIRMED",
    createDate,
    lastModifiedDate,
    attributes,
    events,
  };
}

function parsePool(value: unknown, path: string): StoredPool {
  const obj = object(value, path);
  const id = requiredString(obj, "id", path);
  if (!POOL_ID.test(id) || id.length > 55)
    throw new TypeError(`${path}.id: must match [\\w-]+_[0-9a-zA-Z]+ (1..55 characters)`);
  const mode = optionalString(obj, "threatProtection", path) ?? "OFF";
  if (mode !== "ENFORCED" && mode !== "AUDIT" && mode !== "OFF") {
    throw new TypeError(`${path}.threatProtection: expected "ENFORCED", "AUDIT" or "OFF"`);
  }
  const replicaRole = optionalString(obj, "replicaRole", path) ?? "PRIMARY";
  if (replicaRole !== "PRIMARY" && replicaRole !== "SECONDARY") {
    throw new TypeError(`${path}.replicaRole: expected "PRIMARY" or "SECONDARY"`);
  }
  const aliases = (optionalArray(obj, "aliasAttributes", path) ?? []).map((item, i) => {
    if (typeof item !== "string") throw new TypeError(`${path}.aliasAttributes[${i}]: expected a string`);
    return item;
  });
  const pool: StoredPool = {
    id,
    name: optionalString(obj, "name", path) ?? id,
    threatProtection: mode,
    replicaRole,
    caseSensitive: optionalBoolean(obj, "caseSensitive", path) ?? true,
    aliasAttributes: aliases,
    users: [],
  };
  for (const [i, item] of (optionalArray(obj, "users", path) ?? []).entries())
    addUser(pool, parseUser(item, `${path}.users[${i}]`, id), `${path}.users[${i}]`);
  return pool;
}

const fold = (pool: StoredPool, name: string): string => (pool.caseSensitive ? name : name.toLowerCase());

/** Adds a user to a pool, refusing a username or sub it already has. */
export function addUser(pool: StoredPool, user: StoredUser, path = "user"): void {
  for (const other of pool.users) {
    if (fold(pool, other.username) === fold(pool, user.username))
      throw new TypeError(`${path}.username: duplicate in pool ${pool.id}`);
    if (other.sub === user.sub) throw new TypeError(`${path}.sub: duplicate in pool ${pool.id}`);
  }
  pool.users.push(user);
}

/** Finds a user by username, `sub` or one of the pool's alias attributes. */
export function findUser(pool: StoredPool, name: string): StoredUser | undefined {
  const key = fold(pool, name);
  return (
    pool.users.find((u) => fold(pool, u.username) === key) ??
    pool.users.find((u) => u.sub === name) ??
    pool.users.find((u) =>
      u.attributes.some(([attr, value]) => pool.aliasAttributes.includes(attr) && fold(pool, value) === key),
    )
  );
}

/** Reads a whole data document (throws a TypeError naming the first bad member). */
export function loadData(data: unknown): Map<string, StoredPool> {
  const root = object(data, "data");
  if (root.version !== undefined && root.version !== 1)
    throw new TypeError("data.version: only version 1 is supported");
  const pools = optionalArray(root, "pools", "data");
  if (!pools) throw new TypeError("data.pools: required");
  const out = new Map<string, StoredPool>();
  pools.forEach((item, i) => {
    const pool = parsePool(item, `data.pools[${i}]`);
    if (out.has(pool.id)) throw new TypeError(`data.pools[${i}].id: duplicate ${pool.id}`);
    out.set(pool.id, pool);
  });
  return out;
}

/** Writes an event back in the data format (reads back identically). */
export function eventToData(event: StoredEvent): EmulatorEventData {
  const out: EmulatorEventData = { EventId: event.EventId, CreationDate: timestampToData(event.CreationDate) };
  if (event.EventType !== undefined) out.EventType = event.EventType;
  if (event.EventResponse !== undefined) out.EventResponse = event.EventResponse;
  if (event.EventRisk) out.EventRisk = { ...event.EventRisk };
  if (event.ChallengeResponses) out.ChallengeResponses = event.ChallengeResponses.map((c) => ({ ...c }));
  if (event.EventContextData) out.EventContextData = { ...event.EventContextData };
  if (event.EventFeedback) {
    const { FeedbackDate, ...rest } = event.EventFeedback;
    out.EventFeedback = FeedbackDate ? { ...rest, FeedbackDate: timestampToData(FeedbackDate) } : { ...rest };
  }
  out.FeedbackToken = event.FeedbackToken;
  return out;
}

/** Writes all pools in the data format. */
export function dumpData(pools: Iterable<StoredPool>): EmulatorData {
  const out: EmulatorPoolData[] = [];
  for (const pool of pools) {
    const users: EmulatorUserData[] = pool.users.map((user) => ({
      username: user.username,
      sub: user.sub,
      enabled: user.enabled,
      status: user.status,
      createDate: timestampToData(user.createDate),
      lastModifiedDate: timestampToData(user.lastModifiedDate),
      attributes: Object.fromEntries(user.attributes),
      events: user.events.map(eventToData),
    }));
    out.push({
      id: pool.id,
      name: pool.name,
      threatProtection: pool.threatProtection,
      ...(pool.replicaRole === "SECONDARY" ? { replicaRole: pool.replicaRole } : {}),
      caseSensitive: pool.caseSensitive,
      aliasAttributes: [...pool.aliasAttributes],
      users,
    });
  }
  return { version: 1, pools: out };
}

/** Reads one user of the data format, for adding at run time. */
export const parseUserData = (value: unknown, poolId: string): StoredUser => parseUser(value, "user", poolId);
