/**
 * Public types of the emulator: the JSON data format, the options, fault rules and quotas.
 * Runtime-agnostic (no `node:*`): shared by the core, the HTTP server and the MSW handlers.
 */

/** The four operations the emulator answers (names as in the service model). */
export type OperationName =
  | "AdminListUserAuthEvents"
  | "AdminUpdateAuthEventFeedback"
  | "UpdateAuthEventFeedback"
  | "ListUsers";

/**
 * A timestamp in the data file.
 * - a number: epoch seconds, written on the wire the way the service writes doubles (`1.7E9`);
 * - a string that is a JSON number literal (`"1700000000.123"`, `"1.7E9"`): epoch seconds,
 *   written on the wire verbatim (to test clients against every spelling);
 * - any other string: an ISO 8601 date (`"2024-05-01T12:00:00Z"`).
 */
export type EmulatorTimestamp = number | string;

/**
 * The emulator's data: what `--data file.json` loads and `EmulatorCore#exportData()` returns.
 * See src/emulator/README.md for the format, with an example.
 */
export interface EmulatorData {
  /** Format version. @default 1 */
  version?: 1;
  pools: EmulatorPoolData[];
}

/** A user pool's role in a multi-region user pool (the model's `ReplicaRoleType`). */
export type ReplicaRole = "PRIMARY" | "SECONDARY";

/** Threat protection (the user pool's `AdvancedSecurityMode`). */
export type ThreatProtectionMode = "ENFORCED" | "AUDIT" | "OFF";

/** One user pool in {@link EmulatorData}. */
export interface EmulatorPoolData {
  /** User pool id, e.g. `us-east-1_demoPlus`; must match `[\w-]+_[0-9a-zA-Z]+`. */
  id: string;
  /** Display name. @default the id */
  name?: string;
  /**
   * Threat protection mode. Auth events are only listed (and accept feedback) when it is
   * `AUDIT` or `ENFORCED`; otherwise the service answers `UserPoolAddOnNotEnabledException`.
   * @default "OFF"
   */
  threatProtection?: ThreatProtectionMode;
  /**
   * The pool's role in a multi-region user pool (`ReplicaRoleType`). The four operations answer
   * `OperationNotEnabledException` on a `SECONDARY` replica, as the service does in a replica's region.
   * @default "PRIMARY"
   */
  replicaRole?: ReplicaRole;
  /** Whether usernames are case-sensitive. @default true */
  caseSensitive?: boolean;
  /**
   * Attributes a user can also be named by in `Username` (besides the username and `sub`),
   * e.g. `["email", "preferred_username"]`.
   * @default []
   */
  aliasAttributes?: string[];
  users?: EmulatorUserData[];
}

/** One user in {@link EmulatorPoolData}. */
export interface EmulatorUserData {
  username: string;
  /** The user's `sub` attribute. @default a UUID derived from the pool id and the username */
  sub?: string;
  /** @default true */
  enabled?: boolean;
  /** `UserStatusType`, e.g. `CONFIRMED`. @default "CONFIRMED" */
  status?: string;
  /** @default the oldest event's date, or 2024-01-01 */
  createDate?: EmulatorTimestamp;
  /** @default createDate */
  lastModifiedDate?: EmulatorTimestamp;
  /** User attributes other than `sub`, in the order ListUsers returns them (after `sub`). */
  attributes?: Record<string, string>;
  /** Auth events, in any order (listings are newest first). */
  events?: EmulatorEventData[];
}

/**
 * One auth event: the members of the service's `AuthEventType` with the same names (so a real
 * `AdminListUserAuthEvents` response's items can be pasted in), timestamps as
 * {@link EmulatorTimestamp}, plus `FeedbackToken`. Enum members are not checked, so unknown
 * values can be tested.
 */
export interface EmulatorEventData {
  /** @default a UUID derived from the user and the event's position */
  EventId?: string;
  EventType?: string;
  CreationDate: EmulatorTimestamp;
  EventResponse?: string;
  EventRisk?: { RiskDecision?: string; RiskLevel?: string; CompromisedCredentialsDetected?: boolean };
  ChallengeResponses?: Array<{ ChallengeName?: string; ChallengeResponse?: string }>;
  EventContextData?: {
    IpAddress?: string;
    DeviceName?: string;
    Timezone?: string;
    City?: string;
    Country?: string;
  };
  EventFeedback?: { FeedbackValue: string; Provider: string; FeedbackDate?: EmulatorTimestamp };
  /**
   * The token `UpdateAuthEventFeedback` accepts for this event (the real service mails it to
   * the user). @default derived from the event id
   */
  FeedbackToken?: string;
}

/** Credentials the emulator accepts in SigV4 signatures. Nothing secret: test values. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must send it in `X-Amz-Security-Token`. */
  sessionToken?: string;
}

/**
 * What a fault rule injects.
 * - `throttle`: `TooManyRequestsException` "Rate exceeded" at HTTP 400 (as Cognito sends it);
 * - `throttle-429`: the same at HTTP 429;
 * - `http-500`: `InternalErrorException` at HTTP 500;
 * - `http-503`: `ServiceUnavailableException` at HTTP 503;
 * - `error`: any error: `errorType`, `message` and `status` of the rule;
 * - `html`: an HTML error page (`text/html`) with `status` (as a load balancer or proxy sends);
 * - `slow`: the normal answer, after `delayMs`;
 * - `reset`: the normal answer's headers and its first `afterBytes` bytes, then the connection
 *   is reset (`afterBytes: 0`: reset before any byte of the response);
 * - `truncated-json`: the normal answer with its body cut in half (Content-Length matches);
 * - `skewed-date`: the normal answer with its `Date` header `skewSeconds` off.
 */
export type FaultKind =
  | "throttle"
  | "throttle-429"
  | "http-500"
  | "http-503"
  | "error"
  | "html"
  | "slow"
  | "reset"
  | "truncated-json"
  | "skewed-date";

/**
 * A fault injection rule. A request matches when it names the rule's operation, pool and user
 * (each optional); `after`, `every`, `times` and `probability` then select among the matching
 * requests by their count.
 *
 * @example
 * // the 2nd and 3rd AdminListUserAuthEvents calls for alice are throttled
 * { kind: "throttle", operation: "AdminListUserAuthEvents", username: "alice", after: 1, times: 2 }
 */
export interface FaultRule {
  kind: FaultKind;
  /** Only requests for this operation (or these). @default every operation */
  operation?: OperationName | readonly OperationName[];
  /** Only requests whose `UserPoolId` is this. @default any */
  userPoolId?: string;
  /** Only requests whose `Username` is this, as sent. @default any */
  username?: string;
  /** Let this many matching requests through before injecting. @default 0 */
  after?: number;
  /** Inject into every n-th matching request (after `after`). @default 1 */
  every?: number;
  /** Inject at most this many times. @default Infinity */
  times?: number;
  /** Chance (0..1) of injecting into a selected request, from the seeded PRNG. @default 1 */
  probability?: number;
  /** `slow`: milliseconds to wait. @default 2000 */
  delayMs?: number;
  /** `reset`: bytes of the body sent before the reset. @default half the body */
  afterBytes?: number;
  /** `skewed-date`: seconds added to the `Date` header (negative: behind). @default 900 */
  skewSeconds?: number;
  /** `html` and `error`: HTTP status. @default 502 for `html`, 400 for `error` */
  status?: number;
  /** `error`: the error name sent in `__type`. @default "InternalErrorException" */
  errorType?: string;
  /** `error`: the error message. @default "Injected fault." */
  message?: string;
}

/**
 * Requests per second the emulator allows before answering `TooManyRequestsException`
 * (sliding one-second window). Defaults are this project's documented Cognito quotas.
 */
export interface QuotaOptions {
  /** AdminListUserAuthEvents, whole emulator (per account and region). @default 50 */
  adminListUserAuthEvents?: number;
  /** ListUsers, whole emulator. @default 30 */
  listUsers?: number;
  /** AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback together. @default 25 */
  feedback?: number;
  /** AdminListUserAuthEvents per user (pool id and username). @default 10 */
  perUserReads?: number;
}

/** Options of the emulator core (and of `startEmulator`, which passes them on). */
export interface EmulatorOptions {
  /**
   * Seed of the generated data (and of fault probabilities). Same seed and counts: same data.
   * @default "cognito-auth-events"
   */
  seed?: string | number;
  /** Users per seeded pool. @default 12 */
  users?: number;
  /** Events per seeded user (the second user always has none). @default 75 */
  events?: number;
  /** Region prefix of the seeded pools' ids. @default "us-east-1" */
  region?: string;
  /** Load this data instead of seeding (see {@link EmulatorData}). */
  data?: EmulatorData;
  /**
   * Credentials accepted in signatures.
   * @default [{ accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" }]
   */
  credentials?: EmulatorCredentials[];
  /** Verify SigV4 signatures (and reject unsigned calls). @default true */
  checkSignatures?: boolean;
  /** When set, signatures must be scoped to this region. @default any region */
  signingRegion?: string;
  /** Fault injection rules, applied in order. @default [] */
  faults?: FaultRule[];
  /** Enforce request quotas: `true` for the defaults. @default false */
  quotas?: boolean | QuotaOptions;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /**
   * The emulator's clock runs this many seconds ahead of `now` (negative: behind): its `Date`
   * header, signature expiry and feedback dates use it, as a skewed server would.
   * @default 0
   */
  clockSkewSeconds?: number;
  /** Request id generator. @default crypto.randomUUID */
  requestId?: () => string;
  /** How many requests `EmulatorCore#requestLog` keeps. @default 1000 */
  requestLogSize?: number;
}
