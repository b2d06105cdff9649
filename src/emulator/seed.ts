/**
 * Deterministic seeded data: two demo pools (one with threat protection, one without), users
 * with realistic and adversarial attributes, and auth events with every member's edge cases:
 * unicode and emoji in city and device names, quotes and backslashes, missing optional
 * members, empty lists, and timestamps spelled `1.7E9`, `1700000000` and `1700000000.123`.
 */

import { createPrng, type Prng } from "./prng.ts";
import { deriveEventId, deriveFeedbackToken } from "./store.ts";
import type { EmulatorData, EmulatorEventData, EmulatorUserData } from "./types.ts";
import { javaDouble } from "./wire-json.ts";

/** Options of {@link seedData}. */
export interface SeedOptions {
  /** @default "cognito-auth-events" */
  seed?: string | number;
  /** Users per pool. @default 12 */
  users?: number;
  /** Events per user (the second user of each pool has none). @default 75 */
  events?: number;
  /** Region prefix of the pool ids. @default "us-east-1" */
  region?: string;
}

/** The seeded demo pools and user: the same for every seed. */
export const DEMO = {
  /** Pool with threat protection (ENFORCED). */
  poolSuffix: "demoPlus",
  /** Pool without threat protection: AdminListUserAuthEvents answers UserPoolAddOnNotEnabledException. */
  plainPoolSuffix: "demoLite",
  /** A secondary replica of the pool with threat protection: the operations answer OperationNotEnabledException. */
  replicaPoolSuffix: "demoReplica",
  username: "alice",
  /** A user with an empty event history. */
  emptyUsername: "bob.nohistory",
} as const;

export const DEFAULT_SEED = "cognito-auth-events";
export const DEFAULT_USERS = 12;
export const DEFAULT_EVENTS = 75;

/** Events are dated up to this moment, so the data does not depend on the wall clock. */
const SEED_END = Date.UTC(2025, 0, 1) / 1000;

const GIVEN = [
  "Ana",
  "Björn",
  "Chloé",
  "Dmitri",
  "Eun-ji",
  "Fatima",
  "Giulia",
  "Hiroshi",
  "Ines",
  "Jonas",
  "Kofi",
  "Léa",
  "Mateo",
  "Nadia",
  "Oğuz",
  "Priya",
  "Quinn",
  "Rosa",
  "Siddharth",
  "Tomás",
];
const FAMILY = [
  "Andersson",
  "Bianchi",
  "Chen",
  "Dubois",
  "Eriksen",
  "Fernández",
  "García",
  "Horváth",
  "Ivanova",
  "Jensen",
  "Kowalski",
  "Lefèvre",
  "Müller",
  "Nakamura",
  "O'Brien",
  "Papadopoulos",
  "Quispe",
  "Rossi",
  "Søndergaard",
  "Tanaka",
];
/** Usernames a client must carry through untouched: non-Latin scripts, symbols, punctuation. */
const ODD_USERNAMES = ["zoë.o'brien", "用户_测试", "δοκιμή", "user+tag@example.com", "emoji🙂user", "Ünïcödé-NFC"];
const PLACES: Array<[city: string, country: string, timezone: string]> = [
  ["Seattle", "United States", "-08:00"],
  ["São Paulo", "Brazil", "-03:00"],
  ["Zürich", "Switzerland", "+01:00"],
  ["東京", "Japan", "+09:00"],
  ["Kraków", "Poland", "+01:00"],
  ["N'Djamena", "Chad", "+01:00"],
  ["Reykjavík", "Iceland", "+00:00"],
  ["القاهرة", "Egypt", "+02:00"],
  ["Mumbai", "India", "+05:30"],
  ["🏙️ Metropolis", "Côte d'Ivoire", "+00:00"],
  ['Springfield "the" city', "United States", "-06:00"],
];
const DEVICES = [
  "Chrome 126, macOS 14.5",
  "Firefox 128, Windows 11",
  "Safari — iPhone 15",
  '📱 Pixel 8 "Pro"',
  'Bob\'s "work" laptop \\ old',
  "Edge 127, Windows 10",
  "Android App 4.2 (Samsung Galaxy S24)",
  "curl/8.7.1",
];

function ipAddress(prng: Prng): string {
  if (prng.chance(0.15)) {
    return `2001:db8:${prng.int(0, 0xffff).toString(16)}::${prng.int(1, 0xffff).toString(16)}`;
  }
  return `${prng.pick([192, 198, 203])}.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(1, 254)}`;
}

/** One event's members; `index` counts from the newest. */
function seedEvent(prng: Prng, sub: string, index: number, seconds: number, oldest: boolean): EmulatorEventData {
  const EventId = deriveEventId(sub, index);
  // Timestamps in every spelling the service (a Java service writing doubles) and proxies use.
  const spelling = index % 10;
  const CreationDate =
    spelling === 3 ? String(Math.floor(seconds)) : spelling === 7 ? seconds.toFixed(3) : javaDouble(seconds);
  const event: EmulatorEventData = {
    EventId,
    EventType: oldest
      ? "SignUp"
      : prng.pick(["SignIn", "SignIn", "SignIn", "SignIn", "SignIn", "ForgotPassword", "PasswordChange", "ResendCode"]),
    CreationDate,
    FeedbackToken: deriveFeedbackToken(EventId),
  };
  const roll = prng.next();
  const decision = roll < 0.75 ? "NoRisk" : roll < 0.9 ? "AccountTakeover" : "Block";
  event.EventResponse =
    decision === "Block" ? "Fail" : prng.pick(["Pass", "Pass", "Pass", "Pass", "Fail", "InProgress"]);
  if (index % 13 !== 5) {
    event.EventRisk = { RiskDecision: decision };
    if (decision !== "NoRisk" || prng.chance(0.5)) {
      event.EventRisk.RiskLevel = decision === "NoRisk" ? "Low" : prng.pick(["Low", "Medium", "High"]);
    }
    if (prng.chance(0.7)) event.EventRisk.CompromisedCredentialsDetected = prng.chance(0.05);
  }
  const challenges = index % 11;
  if (challenges === 2) event.ChallengeResponses = [];
  else if (challenges !== 9) {
    event.ChallengeResponses = [
      { ChallengeName: "Password", ChallengeResponse: event.EventResponse === "Fail" ? "Failure" : "Success" },
    ];
    if (prng.chance(0.3)) event.ChallengeResponses.push({ ChallengeName: "Mfa", ChallengeResponse: "Success" });
  }
  if (index % 17 !== 8) {
    const [City, Country, Timezone] = prng.pick(PLACES);
    const context: NonNullable<EmulatorEventData["EventContextData"]> = {
      IpAddress: ipAddress(prng),
      DeviceName: prng.pick(DEVICES),
      Timezone,
      City,
      Country,
    };
    // Some events miss optional context members, as events from server-side calls do.
    if (index % 7 === 4) delete context.City;
    if (index % 7 === 6) delete context.DeviceName;
    event.EventContextData = context;
  }
  if (decision !== "NoRisk" && prng.chance(0.4)) {
    event.EventFeedback = {
      FeedbackValue: prng.pick(["Valid", "Invalid"]),
      Provider: prng.pick(["Admin", "User"]),
      FeedbackDate: javaDouble(seconds + prng.int(60, 86400)),
    };
  }
  return event;
}

function seedUser(
  prng: Prng,
  username: string,
  index: number,
  eventCount: number,
  threatProtection: boolean,
): EmulatorUserData {
  const given = prng.pick(GIVEN);
  const family = prng.pick(FAMILY);
  const sub = prng.uuid();
  const attributes: Record<string, string> = {
    email: `${username.replace(/[^\w.+-]/gu, "") || `user${index}`}@example.com`,
    email_verified: prng.chance(0.8) ? "true" : "false",
    given_name: given,
    family_name: family,
    name: `${given} ${family}`,
  };
  if (prng.chance(0.5)) attributes.phone_number = `+1555${String(prng.int(0, 9999999)).padStart(7, "0")}`;
  if (prng.chance(0.3)) attributes.preferred_username = `${given.toLowerCase()}${index}`;
  const events: EmulatorEventData[] = [];
  if (threatProtection) {
    let seconds = SEED_END - prng.int(0, 86400) + prng.int(0, 999) / 1000;
    for (let i = 0; i < eventCount; i++) {
      events.push(seedEvent(prng, sub, i, seconds, i === eventCount - 1));
      seconds -= prng.int(60, Math.max(120, Math.floor((90 * 86400) / Math.max(eventCount, 1))));
    }
    // The demo user's two oldest events carry the exact spellings clients trip on.
    if (index === 0 && events.length >= 2) {
      const last = events.at(-1) as EmulatorEventData;
      const previous = events.at(-2) as EmulatorEventData;
      previous.CreationDate = "1700000000.123";
      last.CreationDate = "1.7E9";
    }
  }
  const oldest = events.at(-1)?.CreationDate;
  const created = (typeof oldest === "string" ? Number(oldest) : SEED_END - 90 * 86400) - prng.int(3600, 86400 * 30);
  const status =
    index < 2
      ? "CONFIRMED"
      : prng.pick([
          "CONFIRMED",
          "CONFIRMED",
          "CONFIRMED",
          "CONFIRMED",
          "UNCONFIRMED",
          "FORCE_CHANGE_PASSWORD",
          "RESET_REQUIRED",
          "EXTERNAL_PROVIDER",
        ]);
  return {
    username,
    sub,
    enabled: index < 2 || prng.chance(0.9),
    status,
    createDate: javaDouble(created),
    lastModifiedDate: javaDouble(created + prng.int(0, 86400 * 60)),
    attributes,
    events,
  };
}

function usernames(prng: Prng, count: number): string[] {
  const names: string[] = [];
  const taken = new Set<string>();
  const add = (name: string): void => {
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}${n}`;
    taken.add(candidate.toLowerCase());
    names.push(candidate);
  };
  for (let i = 0; i < count; i++) {
    if (i === 0) add(DEMO.username);
    else if (i === 1) add(DEMO.emptyUsername);
    else if (i % 4 === 3) add(ODD_USERNAMES[Math.floor(i / 4) % ODD_USERNAMES.length] as string);
    else add(`${prng.pick(GIVEN)}.${prng.pick(FAMILY)}`.toLowerCase().replace(/'/g, ""));
  }
  return names;
}

/** Generates the seeded data set. Same options: same data, on every runtime. */
export function seedData(options: SeedOptions = {}): EmulatorData {
  const seed = options.seed ?? DEFAULT_SEED;
  const userCount = options.users ?? DEFAULT_USERS;
  const eventCount = options.events ?? DEFAULT_EVENTS;
  const region = options.region ?? "us-east-1";
  for (const [name, value] of [
    ["users", userCount],
    ["events", eventCount],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 100_000) {
      throw new TypeError(`${name}: expected an integer from 0 to 100000, got ${value}`);
    }
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new TypeError(`region: expected a region name like us-east-1, got ${JSON.stringify(region)}`);
  const pools: EmulatorData["pools"] = [];
  for (const [suffix, mode] of [
    [DEMO.poolSuffix, "ENFORCED"],
    [DEMO.plainPoolSuffix, "OFF"],
  ] as const) {
    const prng = createPrng(`${seed}/${suffix}`);
    const names = usernames(prng, userCount);
    pools.push({
      id: `${region}_${suffix}`,
      name: mode === "OFF" ? "demo-without-threat-protection" : "demo-with-threat-protection",
      threatProtection: mode,
      caseSensitive: false,
      aliasAttributes: ["email"],
      users: names.map((name, i) => seedUser(prng, name, i, i === 1 ? 0 : eventCount, mode !== "OFF")),
    });
  }
  // The secondary replica holds the primary's users; it answers none of the operations, so their events are left out.
  const primary = pools[0]!;
  pools.push({
    ...primary,
    id: `${region}_${DEMO.replicaPoolSuffix}`,
    name: "demo-secondary-replica",
    replicaRole: "SECONDARY",
    users: primary.users!.map(({ events: _, ...user }) => user),
  });
  return { version: 1, pools };
}
