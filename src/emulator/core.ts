/**
 * The emulator core: one in-memory Cognito (pools, users, auth events, feedback) behind a
 * transport-free `handle(request) -> response`. The HTTP server and the MSW handlers are thin
 * adapters over it, so both answer byte for byte the same. Web-standard globals only.
 */

import { verifySignature } from "./auth.ts";
import { fastestSha256 } from "../sha256.ts";
import { SigV4Signer } from "../sigv4.ts";
import { errorParts, internalError, ServiceError, serialization, tooManyRequests } from "./errors.ts";
import { ActiveFault, checkFaultRule, REPLACING } from "./faults.ts";
import {
  adminListUserAuthEvents,
  adminUpdateAuthEventFeedback,
  listUsers,
  updateAuthEventFeedback,
  type OperationContext,
} from "./operations.ts";
import { createPrng, type Prng } from "./prng.ts";
import { QuotaTracker } from "./quotas.ts";
import { applyFault, type EmulatorResponse, faultResponse, respond } from "./responses.ts";
import { DEFAULT_SEED, DEMO, seedData } from "./seed.ts";
import {
  addUser,
  dumpData,
  eventToData,
  findUser,
  loadData,
  parseEvent,
  parseUserData,
  deriveEventId,
  sortEvents,
  type StoredPool,
} from "./store.ts";
import { TokenCodec } from "./tokens.ts";
import type {
  EmulatorCredentials,
  EmulatorData,
  EmulatorEventData,
  EmulatorOptions,
  EmulatorUserData,
  FaultRule,
  OperationName,
} from "./types.ts";
import { validateInput } from "./validate.ts";
import { writeJson } from "./wire-json.ts";

/** A request as any transport sees it. */
export interface EmulatorRequest {
  method: string;
  /** Absolute URL, e.g. `http://127.0.0.1:4566/`. */
  url: string;
  /** Headers (names in any case). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body, as text. */
  body: string;
}

export type { EmulatorResponse } from "./responses.ts";

/** One entry of {@link EmulatorCore.requestLog}. */
export interface RequestLogEntry {
  /** Emulator clock, epoch ms. */
  time: number;
  requestId: string;
  /** Undefined when the target was not one of the four operations. */
  operation?: OperationName;
  status: number;
  /** The error name answered, if any. */
  errorType?: string;
  /** The faults injected into this request. */
  faults: string[];
}

/** The seeded demo pools, user and credentials (printed by the CLI). */
export interface EmulatorDemoInfo {
  /** Pool with threat protection. */
  poolId: string;
  /** Pool without threat protection. */
  poolIdWithoutThreatProtection: string;
  /** A secondary replica (of the pool with threat protection): the operations answer OperationNotEnabledException. */
  replicaPoolId: string;
  /** A user with events in the pool with threat protection. */
  username: string;
  /** The default test credentials, when no others were configured (never configured ones). */
  credentials?: EmulatorCredentials;
}

/** The default credentials: test values, documented, nothing secret. */
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: "AKIDEMULATOR",
  secretAccessKey: "emulator-secret",
};

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const OPERATIONS: readonly OperationName[] = [
  "AdminListUserAuthEvents",
  "AdminUpdateAuthEventFeedback",
  "UpdateAuthEventFeedback",
  "ListUsers",
];

function lowercaseHeaders(headers: EmulatorRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

/**
 * The in-memory Cognito auth-events service.
 *
 * @example
 * const core = new EmulatorCore({ seed: 42, users: 5, events: 100 });
 * const res = await core.handle({ method: "POST", url: "http://127.0.0.1/", headers, body });
 */
export class EmulatorCore {
  readonly #pools: Map<string, StoredPool>;
  readonly #credentials: EmulatorCredentials[];
  readonly #checkSignatures: boolean;
  readonly #signer = new SigV4Signer({ sha256: fastestSha256() });
  readonly #signingRegion: string | undefined;
  readonly #faults: ActiveFault[] = [];
  readonly #quotas: QuotaTracker | undefined;
  readonly #clock: () => number;
  readonly #skewMs: number;
  readonly #requestId: () => string;
  readonly #tokens: TokenCodec;
  readonly #prng: Prng;
  readonly #logSize: number;
  readonly #log: RequestLogEntry[] = [];
  /** The seeded demo pools and user, or undefined when the data was loaded from a file. */
  readonly demo: EmulatorDemoInfo | undefined;

  constructor(options: EmulatorOptions = {}) {
    const seed = options.seed ?? DEFAULT_SEED;
    if (typeof seed !== "string" && (typeof seed !== "number" || !Number.isFinite(seed))) {
      throw new TypeError("seed: expected a string or a finite number");
    }
    const region = options.region ?? "us-east-1";
    this.#pools = loadData(options.data ?? seedData({ ...options, seed, region }));
    this.#credentials = (options.credentials ?? [DEFAULT_CREDENTIALS]).map((c, i) => {
      if (typeof c?.accessKeyId !== "string" || c.accessKeyId === "")
        throw new TypeError(`credentials[${i}].accessKeyId: expected a non-empty string`);
      if (typeof c.secretAccessKey !== "string" || c.secretAccessKey === "")
        throw new TypeError(`credentials[${i}].secretAccessKey: expected a non-empty string`);
      // By name: a spread would skip a secret and token hidden as non-enumerable (the package's providers do).
      const { accessKeyId, secretAccessKey, sessionToken } = c;
      return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) };
    });
    this.#checkSignatures = options.checkSignatures ?? true;
    this.#signingRegion = options.signingRegion;
    for (const [i, rule] of (options.faults ?? []).entries()) {
      checkFaultRule(rule, `faults[${i}]`);
      this.#faults.push(new ActiveFault({ ...rule }));
    }
    const quotas = options.quotas ?? false;
    this.#quotas = quotas === false ? undefined : new QuotaTracker(quotas === true ? {} : quotas);
    this.#clock = options.now ?? Date.now;
    const skew = options.clockSkewSeconds ?? 0;
    if (!Number.isFinite(skew)) throw new TypeError(`clockSkewSeconds: expected a finite number, got ${skew}`);
    this.#skewMs = skew * 1000;
    this.#requestId = options.requestId ?? (() => crypto.randomUUID());
    this.#tokens = new TokenCodec(`cognito-auth-events-emulator/${String(seed)}`);
    this.#prng = createPrng(`faults/${String(seed)}`);
    this.#logSize = options.requestLogSize ?? 1000;
    const demoPool = `${region}_${DEMO.poolSuffix}`;
    this.demo =
      options.data === undefined
        ? {
            poolId: demoPool,
            poolIdWithoutThreatProtection: `${region}_${DEMO.plainPoolSuffix}`,
            replicaPoolId: `${region}_${DEMO.replicaPoolSuffix}`,
            username: DEMO.username,
            ...(options.credentials === undefined ? { credentials: { ...DEFAULT_CREDENTIALS } } : {}),
          }
        : undefined;
  }

  /** The emulator's clock (epoch ms), skew included. */
  now(): number {
    return this.#clock() + this.#skewMs;
  }

  // ---- state API (for tests and demos) ----

  /** Ids of the pools. */
  poolIds(): string[] {
    return [...this.#pools.keys()];
  }

  /**
   * When the oldest and the newest event of every pool happened (epoch seconds), or `undefined` when there is no
   * event: what the CLI's banner tells people who list by date.
   */
  eventDateRange(): { oldest: number; newest: number } | undefined {
    let range: { oldest: number; newest: number } | undefined;
    for (const pool of this.#pools.values())
      for (const { events } of pool.users) {
        // Newest first.
        const newest = events[0]?.CreationDate.seconds;
        const oldest = events.at(-1)?.CreationDate.seconds;
        if (newest === undefined || oldest === undefined) continue;
        range = {
          oldest: Math.min(oldest, range?.oldest ?? oldest),
          newest: Math.max(newest, range?.newest ?? newest),
        };
      }
    return range;
  }

  /** All data in the JSON data format (feedback tokens included); loads back identically. */
  exportData(): EmulatorData {
    return dumpData(this.#pools.values());
  }

  /**
   * The token `UpdateAuthEventFeedback` accepts for an event (the real service mails it to the
   * user). `username` may be the username, `sub` or an alias. Undefined if there is no such event.
   */
  getFeedbackToken(poolId: string, username: string, eventId: string): string | undefined {
    const pool = this.#pools.get(poolId);
    const user = pool && findUser(pool, username);
    return user?.events.find((e) => e.EventId === eventId)?.FeedbackToken;
  }

  /** A user's events in the data format, newest first (undefined: no such pool or user). */
  getEvents(poolId: string, username: string): EmulatorEventData[] | undefined {
    const pool = this.#pools.get(poolId);
    const user = pool && findUser(pool, username);
    return user?.events.map(eventToData);
  }

  /** Adds a user (data format). Throws a TypeError for bad data or a duplicate. */
  addUser(poolId: string, user: EmulatorUserData): void {
    const pool = this.#pools.get(poolId);
    if (!pool) throw new TypeError(`poolId: no pool ${poolId}`);
    addUser(pool, parseUserData(user, poolId));
  }

  /**
   * Deletes a user and its events, as `AdminDeleteUser` does (`username` may be the username, `sub`
   * or an alias). Returns whether there was such a user.
   */
  deleteUser(poolId: string, username: string): boolean {
    const pool = this.#pools.get(poolId);
    const user = pool && findUser(pool, username);
    if (!pool || !user) return false;
    pool.users.splice(pool.users.indexOf(user), 1);
    return true;
  }

  /**
   * Records an auth event for a user (data format); `CreationDate` defaults to now. Returns it as
   * stored, with its `EventId` and `FeedbackToken`.
   */
  addEvent(poolId: string, username: string, event: Partial<EmulatorEventData> = {}): EmulatorEventData {
    const pool = this.#pools.get(poolId);
    const user = pool && findUser(pool, username);
    if (!user) throw new TypeError(`username: no user ${username} in pool ${poolId}`);
    const stored = parseEvent(
      { CreationDate: this.now() / 1000, ...event },
      "event",
      deriveEventId(user.sub, user.events.length),
    );
    if (user.events.some((e) => e.EventId === stored.EventId))
      throw new TypeError(`event.EventId: duplicate ${stored.EventId}`);
    user.events.push(stored);
    sortEvents(user.events);
    return eventToData(stored);
  }

  /** Adds a fault rule; returns a function that removes it. */
  addFault(rule: FaultRule): () => void {
    const active = new ActiveFault({ ...rule });
    this.#faults.push(active);
    return () => {
      const i = this.#faults.indexOf(active);
      if (i >= 0) this.#faults.splice(i, 1);
    };
  }

  /** Removes every fault rule. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** The last requests handled (oldest first), for assertions and measurements. */
  get requestLog(): readonly RequestLogEntry[] {
    return this.#log;
  }

  // ---- the service ----

  /** Answers one request. Never throws: every failure is an HTTP answer. */
  async handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    const requestId = this.#requestId();
    const nowMs = this.now();
    const injected: string[] = [];
    let operation: OperationName | undefined;
    let response: EmulatorResponse;
    const wrappers: ActiveFault[] = [];
    try {
      const headers = lowercaseHeaders(request.headers);
      operation = this.#operation(request, headers);
      if (this.#checkSignatures && !(operation === "UpdateAuthEventFeedback" && headers.authorization === undefined)) {
        // UpdateAuthEventFeedback is optionalAuth in the model: the feedback token authorises it.
        await verifySignature(
          { method: request.method, url: request.url, headers, body: request.body },
          {
            signer: this.#signer,
            credentials: this.#credentials,
            nowMs,
            signingRegion: this.#signingRegion,
          },
        );
      }
      const body = this.#parseBody(request.body);
      const poolId = body.UserPoolId;
      const username = body.Username;
      let replacing: ActiveFault | undefined;
      for (const fault of this.#faults) {
        if (!fault.select(operation, poolId, username, this.#prng)) continue;
        injected.push(fault.rule.kind);
        if (REPLACING.has(fault.rule.kind)) replacing ??= fault;
        else wrappers.push(fault);
      }
      if (replacing) response = faultResponse(replacing, { nowMs, requestId });
      else {
        if (this.#quotas && !this.#quotas.admit(operation, poolId, username, nowMs)) throw tooManyRequests();
        const result = await this.#run(operation, body, nowMs);
        response = respond({ status: 200, body: writeJson(result), nowMs, requestId });
      }
    } catch (error) {
      const serviceError = error instanceof ServiceError ? error : internalError();
      const { body, headers } = errorParts(serviceError);
      response = respond({ status: serviceError.status, body, nowMs, requestId, headers });
    }
    for (const fault of wrappers) response = applyFault(fault, response);
    this.#record({ time: nowMs, requestId, operation, status: response.status, faults: injected, body: response.body });
    return response;
  }

  #operation(request: EmulatorRequest, headers: Record<string, string>): OperationName {
    const target = headers["x-amz-target"] ?? "";
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const operation = OPERATIONS.find((op) => op === name);
    if (request.method.toUpperCase() !== "POST" || new URL(request.url).pathname !== "/" || !operation) {
      const message = name
        ? `The emulator does not implement ${name}; it answers ${OPERATIONS.join(", ")}.`
        : "Expected POST / with an X-Amz-Target: AWSCognitoIdentityProviderService.<Operation> header.";
      throw new ServiceError("UnknownOperationException", message, 400, "frontend");
    }
    return operation;
  }

  #parseBody(text: string): Record<string, unknown> {
    if (text.trim() === "") return {};
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw serialization("The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw serialization("The request body must be a JSON object.");
    }
    return body as Record<string, unknown>;
  }

  async #run(operation: OperationName, body: Record<string, unknown>, nowMs: number): Promise<unknown> {
    const ctx: OperationContext = { pools: this.#pools, tokens: this.#tokens, nowMs };
    switch (operation) {
      case "AdminListUserAuthEvents":
        return adminListUserAuthEvents(ctx, validateInput(operation, body));
      case "AdminUpdateAuthEventFeedback":
        return adminUpdateAuthEventFeedback(ctx, validateInput(operation, body));
      case "UpdateAuthEventFeedback":
        return updateAuthEventFeedback(ctx, validateInput(operation, body));
      case "ListUsers":
        return listUsers(ctx, validateInput(operation, body));
    }
  }

  #record(entry: Omit<RequestLogEntry, "errorType"> & { body: string }): void {
    const { body, ...rest } = entry;
    const logged: RequestLogEntry = { ...rest };
    if (entry.status >= 300) {
      const match = /"__type":"([^"]+)"/.exec(body);
      if (match?.[1]) logged.errorType = match[1];
    }
    this.#log.push(logged);
    if (this.#log.length > this.#logSize) this.#log.splice(0, this.#log.length - this.#logSize);
  }
}
