/**
 * A user pool for the audit benchmark and tests, in the emulator's JSON data format: `users`
 * users with 0 to `maxEvents` events each (uniform), deterministic for a seed. The emulator's own
 * seeding gives every user the same count, hence this builder.
 */
import type { EmulatorData, EmulatorEventData, EmulatorUserData } from "../../src/emulator/types.ts";

export interface AuditDataOptions {
  /** @default 2000 */
  users?: number;
  /** Each user gets 0..maxEvents events. @default 200 */
  maxEvents?: number;
  /** @default 1 */
  seed?: number;
  /** @default "us-east-1_auditBench" */
  poolId?: string;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  "SignIn",
  "SignIn",
  "SignIn",
  "SignIn",
  "SignIn",
  "SignIn",
  "ForgotPassword",
  "PasswordChange",
  "ResendCode",
  "SignUp",
];
const COUNTRIES = [
  "United States",
  "Brazil",
  "Germany",
  "Japan",
  "India",
  "Nigeria",
  "France",
  "Côte d'Ivoire",
  "日本",
];
/** Events end here (not the wall clock, so runs repeat). */
export const DATA_END = Date.UTC(2026, 10, 15) / 1000;

/** Builds the pool. Same options, same data. */
export function buildAuditData(options: AuditDataOptions = {}): EmulatorData {
  const userCount = options.users ?? 2000;
  const maxEvents = options.maxEvents ?? 200;
  const random = prng(options.seed ?? 1);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // A few noisy addresses collect most failed sign-ins, so the top-IP list means something.
  const attackers = Array.from({ length: 12 }, (_, i) => `203.0.113.${10 + i}`);
  const users: EmulatorUserData[] = [];
  for (let u = 0; u < userCount; u++) {
    const username = u % 50 === 7 ? `ユーザー${u}` : `user${String(u).padStart(5, "0")}`;
    const count = int(0, maxEvents);
    const events: EmulatorEventData[] = [];
    let seconds = DATA_END - int(0, 86400);
    for (let i = 0; i < count; i++) {
      const type = pick(TYPES);
      const roll = random();
      const decision = roll < 0.8 ? "NoRisk" : roll < 0.93 ? "AccountTakeover" : "Block";
      const response =
        decision === "Block" ? "Fail" : random() < 0.12 ? "Fail" : random() < 0.05 ? "InProgress" : "Pass";
      const attacker = response === "Fail" && random() < 0.6;
      const event: EmulatorEventData = {
        EventId: `${u}-${i}`,
        EventType: type,
        // Some events share a timestamp (millisecond resolution), as bursts of sign-ins do.
        CreationDate: random() < 0.05 ? seconds : seconds + int(0, 999) / 1000,
        EventResponse: response,
        EventRisk: {
          RiskDecision: decision,
          RiskLevel: decision === "NoRisk" ? "Low" : pick(["Low", "Medium", "High"]),
          CompromisedCredentialsDetected: random() < 0.01,
        },
        ChallengeResponses: [
          { ChallengeName: "Password", ChallengeResponse: response === "Fail" ? "Failure" : "Success" },
        ],
        EventContextData: {
          IpAddress: attacker ? pick(attackers) : `198.51.${int(0, 255)}.${int(1, 254)}`,
          DeviceName: pick(["Chrome 130, macOS", "Firefox 131, Windows 11", "Safari, iPhone 16"]),
          Timezone: "+00:00",
          City: pick(["Springfield", "Zürich", "東京"]),
          Country: pick(COUNTRIES),
        },
      };
      if (random() < 0.03) delete event.EventRisk;
      events.push(event);
      seconds -= int(0, 3 * 86400);
    }
    users.push({ username, events });
  }
  return { version: 1, pools: [{ id: options.poolId ?? "us-east-1_auditBench", threatProtection: "ENFORCED", users }] };
}

/** Events and requests the data implies: the quota's lower bound, per category. */
export function expectedLoad(
  data: EmulatorData,
  pageSize = 60,
): { users: number; events: number; listUsersRequests: number; eventRequests: number } {
  const users = data.pools[0]?.users ?? [];
  let events = 0;
  let eventRequests = 0;
  for (const user of users) {
    const n = user.events?.length ?? 0;
    events += n;
    eventRequests += Math.max(1, Math.ceil(n / pageSize));
  }
  return {
    users: users.length,
    events,
    listUsersRequests: Math.max(1, Math.ceil(users.length / pageSize)),
    eventRequests,
  };
}
