/**
 * One Amazon Cognito auth event as one OCSF 1.8 Authentication event (class 3002, category 3
 * "Identity & Access Management"): what the schema has a place for is mapped to its attribute,
 * the rest is kept, in Cognito's own member names, under `unmapped`. The mapping table is in the
 * README ("OCSF mapping"); https://schema.ocsf.io/1.8.0/classes/authentication describes the class.
 *
 * Values from the service (device names, cities, usernames) are copied as data: the result is a
 * plain object of strings, numbers and booleans whose keys are fixed here, so `JSON.stringify`
 * escapes whatever they hold.
 *
 * Web-standard globals only.
 */
import type { AuthEventType } from "../../generated/types.ts";
import { OCSF_VERSION } from "./constants.ts";
import { countryCode } from "./country-codes.ts";

/** The profiles every event uses: `cloud` (the `cloud` object), `host` (`device`), `security_control` (risk, action, disposition). */
const PROFILES = ["cloud", "host", "security_control"] as const;

/** An OCSF `user` object. */
export interface OcsfUser {
  /** The Cognito username. */
  name: string;
  /** The user's `sub`, when known. */
  uid?: string;
  /** 1: User. */
  type_id: 1;
  type: "User";
}

/** An OCSF `location` object. */
export interface OcsfLocation {
  city?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

/** An OCSF `network_endpoint` object: where the user signed in from. */
export interface OcsfNetworkEndpoint {
  ip: string;
  location?: OcsfLocation;
}

/** An OCSF `device` object (the `host` profile): the device Cognito named. */
export interface OcsfDevice {
  name: string;
  /** 0: Unknown (Cognito does not say what kind of device). */
  type_id: 0;
  type: "Unknown";
}

/** An OCSF `auth_factor` object, from one of Cognito's `ChallengeResponses`. */
export interface OcsfAuthFactor {
  /** 11: Password; 99: Other (`Mfa`: Cognito does not say which factor). */
  factor_type_id: number;
  factor_type: string;
}

/** An OCSF `metadata` object. */
export interface OcsfMetadata {
  version: typeof OCSF_VERSION;
  product: { name: "Amazon Cognito"; vendor_name: "AWS"; feature: { name: "Threat protection" } };
  profiles: string[];
  /** The Cognito `EventId`. */
  uid?: string;
  /** The Cognito `EventType`, as the service spells it. */
  event_code?: string;
}

/** An OCSF `cloud` object (the `cloud` profile). */
export interface OcsfCloud {
  provider: "AWS";
  region?: string;
  account?: { uid: string; type_id: 10; type: "AWS Account" };
}

/** One OCSF 1.8 Authentication event (class_uid 3002), as {@link toOcsfAuthentication} writes it. */
export interface OcsfAuthentication {
  /** 1: Logon (`SignIn`); 99: Other (the other event types); 0: Unknown (no `EventType`). */
  activity_id: number;
  activity_name: string;
  category_uid: 3;
  category_name: "Identity & Access Management";
  class_uid: 3002;
  class_name: "Authentication";
  /** `class_uid * 100 + activity_id`. */
  type_uid: number;
  type_name: string;
  /** Epoch milliseconds: the event's `CreationDate`. */
  time: number;
  /** 1 Informational, 2 Low, 3 Medium, 4 High: from the risk level, High when credentials were compromised. */
  severity_id: number;
  severity: string;
  /** 1 Success (`Pass`), 2 Failure (`Fail`), 99 Other (`InProgress`), 0 Unknown. */
  status_id?: number;
  status?: string;
  /** Cognito's `EventResponse` as it spells it. */
  status_code?: string;
  metadata: OcsfMetadata;
  cloud: OcsfCloud;
  /** The user pool the user authenticates to. */
  service: { name: "Amazon Cognito"; uid: string };
  user: OcsfUser;
  src_endpoint?: OcsfNetworkEndpoint;
  device?: OcsfDevice;
  auth_factors?: OcsfAuthFactor[];
  /** Whether an MFA challenge was part of the event (present when `ChallengeResponses` is). */
  is_mfa?: boolean;
  /** Minutes ahead of UTC: the user's `Timezone`. */
  timezone_offset?: number;
  /** 1 Low, 2 Medium, 3 High: Cognito's `RiskLevel`. */
  risk_level_id?: number;
  risk_level?: string;
  /** From the `RiskDecision`: 1 Allowed (`NoRisk`), 2 Denied (`Block`), 3 Observed (`AccountTakeover`). */
  action_id?: number;
  action?: string;
  /** From the `RiskDecision`: 1 Allowed (`NoRisk`), 2 Blocked (`Block`), 15 Detected (`AccountTakeover`). */
  disposition_id?: number;
  disposition?: string;
  /** A risky event: an account-takeover or block decision, a high risk level, or compromised credentials. */
  is_alert?: boolean;
  /** What the schema has no place for, in Cognito's member names. */
  unmapped?: Record<string, unknown>;
}

/**
 * What {@link toOcsfAuthentication} maps: one event, its user and where it comes from.
 * @example { event, user: { Username: "alice", sub }, userPoolId: "eu-west-1_AbCdEf123", accountId: "123456789012" }
 */
export interface OcsfAuthenticationInput {
  /** The event, as `AdminListUserAuthEvents` returns it (`CreationDate` a `Date`). */
  event: AuthEventType;
  /** Its user: the username, and the `sub` when known (it becomes `user.uid`). */
  user: { Username: string; sub?: string | undefined };
  /** The user pool (`service.uid`). */
  userPoolId: string;
  /**
   * The AWS region (`cloud.region`).
   * @default the region the user pool id starts with (`eu-west-1` of `eu-west-1_AbCdEf123`)
   */
  region?: string;
  /** The AWS account id (`cloud.account.uid`). @default none */
  accountId?: string;
}

/** [id, caption] pairs of the enums used, from the OCSF 1.8 dictionary and the Authentication class. */
const ACTIVITY: Readonly<Record<string, [number, string]>> = { SignIn: [1, "Logon"] };
const STATUS: Readonly<Record<string, [number, string]>> = { Pass: [1, "Success"], Fail: [2, "Failure"] };
const RISK_LEVEL: Readonly<Record<string, [number, string]>> = {
  Low: [1, "Low"],
  Medium: [2, "Medium"],
  High: [3, "High"],
};
const SEVERITY: readonly string[] = ["Unknown", "Informational", "Low", "Medium", "High"];
/** RiskDecision -> [action_id, action, disposition_id, disposition]. */
const DECISION: Readonly<Record<string, [number, string, number, string]>> = {
  NoRisk: [1, "Allowed", 1, "Allowed"],
  Block: [2, "Denied", 2, "Blocked"],
  AccountTakeover: [3, "Observed", 15, "Detected"],
};
const FACTOR: Readonly<Record<string, [number, string]>> = { Password: [11, "Password"] };
const OTHER = 99;

/** A mapped enum value: the known id and caption, else 99 Other with the source's own spelling. */
function enumValue(table: Readonly<Record<string, [number, string]>>, value: string): [number, string] {
  return Object.hasOwn(table, value) ? table[value]! : [OTHER, value];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `text` is an IPv4 or IPv6 address OCSF's `ip_t` accepts (IPv6 as the URL parser reads a host). */
function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (text.length > 40 || !/^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** `+05:30`, `-0800`, `+1`: minutes ahead of UTC, within OCSF's ±18 hours; otherwise undefined. */
function offsetMinutes(timezone: string): number | undefined {
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(timezone.trim());
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return minutes <= 1080 && Number(m[3] ?? 0) < 60 ? (m[1] === "-" ? -minutes : minutes) : undefined;
}

const text = (value: unknown): value is string => typeof value === "string" && value !== "";

/** The date as ISO 8601, or the value itself when it is not a valid `Date` (kept as data). */
function isoOrRaw(value: unknown): unknown {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
}

/** Sets `target[key]` when `value` is defined (no `undefined` members in the output). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Where the user signed in from, its device and timezone; what does not fit goes to `unmapped`. */
function mapContext(
  context: AuthEventType["EventContextData"],
  out: OcsfAuthentication,
  unmapped: Record<string, unknown>,
): void {
  if (context === undefined || context === null) return;
  const rest: Record<string, unknown> = {};
  const { IpAddress, City, Country, DeviceName, Timezone } = context;
  const country = text(Country) ? countryCode(Country) : undefined;
  if (text(IpAddress) && isIpAddress(IpAddress)) {
    const endpoint: OcsfNetworkEndpoint = { ip: IpAddress };
    const location: OcsfLocation = {};
    if (text(City)) location.city = City;
    else put(rest, "City", City);
    if (country !== undefined) location.country = country;
    else put(rest, "Country", Country);
    if (location.city !== undefined || location.country !== undefined) endpoint.location = location;
    out.src_endpoint = endpoint;
  } else {
    // OCSF's source endpoint needs an address: without one, the location stays Cognito's.
    for (const [key, value] of [
      ["IpAddress", IpAddress],
      ["City", City],
      ["Country", Country],
    ] as const)
      put(rest, key, value);
  }
  if (text(DeviceName)) out.device = { name: DeviceName, type_id: 0, type: "Unknown" };
  else put(rest, "DeviceName", DeviceName);
  const offset = text(Timezone) ? offsetMinutes(Timezone) : undefined;
  if (offset !== undefined) out.timezone_offset = offset;
  else put(rest, "Timezone", Timezone);
  if (Object.keys(rest).length > 0) unmapped["EventContextData"] = rest;
}

/** Risk level, decision and compromised credentials: severity, risk, action, disposition, alert. */
function mapRisk(risk: AuthEventType["EventRisk"], out: OcsfAuthentication, unmapped: Record<string, unknown>): void {
  if (risk === undefined || risk === null) return;
  const { RiskLevel, RiskDecision, CompromisedCredentialsDetected } = risk;
  let severity = 1;
  if (text(RiskLevel)) {
    const [id, caption] = enumValue(RISK_LEVEL, RiskLevel);
    out.risk_level_id = id;
    out.risk_level = caption;
    if (id !== OTHER) severity = id + 1;
  }
  if (text(RiskDecision)) {
    const [actionId, action, dispositionId, disposition] = Object.hasOwn(DECISION, RiskDecision)
      ? DECISION[RiskDecision]!
      : [OTHER, RiskDecision, OTHER, RiskDecision];
    out.action_id = actionId;
    out.action = action;
    out.disposition_id = dispositionId;
    out.disposition = disposition;
  }
  const compromised = CompromisedCredentialsDetected === true;
  if (compromised) severity = Math.max(severity, 4);
  out.severity_id = severity;
  out.severity = SEVERITY[severity]!;
  out.is_alert = compromised || RiskLevel === "High" || RiskDecision === "AccountTakeover" || RiskDecision === "Block";
  const rest: Record<string, unknown> = {};
  if (CompromisedCredentialsDetected !== undefined)
    rest["CompromisedCredentialsDetected"] = CompromisedCredentialsDetected;
  if (RiskLevel !== undefined && !text(RiskLevel)) rest["RiskLevel"] = RiskLevel;
  if (RiskDecision !== undefined && !text(RiskDecision)) rest["RiskDecision"] = RiskDecision;
  if (Object.keys(rest).length > 0) unmapped["EventRisk"] = rest;
}

/** The challenges as authentication factors and the MFA flag; their results stay Cognito's. */
function mapChallenges(
  challenges: AuthEventType["ChallengeResponses"],
  out: OcsfAuthentication,
  unmapped: Record<string, unknown>,
): void {
  if (!Array.isArray(challenges)) return;
  const factors: OcsfAuthFactor[] = [];
  for (const challenge of challenges) {
    const name = challenge?.ChallengeName;
    if (!text(name)) continue;
    const [id, caption] = enumValue(FACTOR, name);
    factors.push({ factor_type_id: id, factor_type: caption });
  }
  if (factors.length > 0) out.auth_factors = factors;
  out.is_mfa = challenges.some((c) => c?.ChallengeName === "Mfa");
  // OCSF's auth_factor has no outcome: each challenge's result is kept as Cognito wrote it.
  if (challenges.length > 0)
    unmapped["ChallengeResponses"] = challenges.map((c) => {
      const copy: Record<string, unknown> = {};
      put(copy, "ChallengeName", c?.ChallengeName);
      put(copy, "ChallengeResponse", c?.ChallengeResponse);
      return copy;
    });
}

/** The region a user pool id starts with (`eu-west-1_AbCdEf123` -> `eu-west-1`). */
function poolRegion(userPoolId: string): string | undefined {
  const underscore = userPoolId.indexOf("_");
  return underscore > 0 ? userPoolId.slice(0, underscore) : undefined;
}

/**
 * Maps one Cognito auth event to one OCSF 1.8 Authentication event (class_uid 3002). The README's
 * "OCSF mapping" section lists where each Cognito member goes.
 *
 * @throws TypeError when the event has no valid `CreationDate` (OCSF requires `time`), or the user
 *   has no username or the pool id is missing
 * @example
 * const ocsf = toOcsfAuthentication({ event, user: { Username: "alice", sub }, userPoolId, accountId: "123456789012" });
 * console.log(JSON.stringify(ocsf)); // {"activity_id":1,"activity_name":"Logon",...,"class_uid":3002,...}
 */
export function toOcsfAuthentication(input: OcsfAuthenticationInput): OcsfAuthentication {
  const { event, user, userPoolId } = input;
  const created = event?.CreationDate;
  if (!(created instanceof Date) || Number.isNaN(created.getTime()))
    throw new TypeError("event.CreationDate: expected a valid Date (OCSF's time is required)");
  if (!text(user?.Username)) throw new TypeError("user.Username: expected a non-empty string");
  if (!text(userPoolId)) throw new TypeError("userPoolId: expected a non-empty string");

  const type = event.EventType;
  const [activityId, activityName] = text(type) ? enumValue(ACTIVITY, type) : [0, "Unknown"];
  const metadata: OcsfMetadata = {
    version: OCSF_VERSION,
    product: { name: "Amazon Cognito", vendor_name: "AWS", feature: { name: "Threat protection" } },
    profiles: [...PROFILES],
  };
  if (text(event.EventId)) metadata.uid = event.EventId;
  if (text(type)) metadata.event_code = type;
  const cloud: OcsfCloud = { provider: "AWS" };
  put(cloud, "region", input.region ?? poolRegion(userPoolId));
  if (text(input.accountId)) cloud.account = { uid: input.accountId, type_id: 10, type: "AWS Account" };
  const ocsfUser: OcsfUser = { name: user.Username, type_id: 1, type: "User" };
  if (text(user.sub)) ocsfUser.uid = user.sub;

  const out: OcsfAuthentication = {
    activity_id: activityId,
    activity_name: activityName,
    category_uid: 3,
    category_name: "Identity & Access Management",
    class_uid: 3002,
    class_name: "Authentication",
    type_uid: 3002 * 100 + activityId,
    type_name: `Authentication: ${activityId === OTHER ? "Other" : activityName}`,
    time: created.getTime(),
    severity_id: 1,
    severity: "Informational",
    metadata,
    cloud,
    service: { name: "Amazon Cognito", uid: userPoolId },
    user: ocsfUser,
  };
  const response = event.EventResponse;
  if (text(response)) {
    [out.status_id, out.status] = enumValue(STATUS, response);
    out.status_code = response;
  }
  const unmapped: Record<string, unknown> = {};
  mapRisk(event.EventRisk, out, unmapped);
  mapChallenges(event.ChallengeResponses, out, unmapped);
  mapContext(event.EventContextData, out, unmapped);
  const feedback = event.EventFeedback;
  if (feedback !== undefined && feedback !== null) {
    const copy: Record<string, unknown> = {};
    put(copy, "FeedbackValue", feedback.FeedbackValue);
    put(copy, "Provider", feedback.Provider);
    put(copy, "FeedbackDate", isoOrRaw(feedback.FeedbackDate));
    unmapped["EventFeedback"] = copy;
  }
  if (Object.keys(unmapped).length > 0) out.unmapped = unmapped;
  return out;
}
