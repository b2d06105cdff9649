/**
 * The audit's `onUserDone` (src/audit/): every user the run finishes is reported once, users without events
 * included (what the report and `--output last-sign-in` need to list inactive accounts), with its event count; a
 * run resumed from a checkpoint reports only the users it finishes itself.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditUserPool } from "../src/audit/audit.ts";
import type { AuditUser } from "../src/audit/checkpoint.ts";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { buildAuditData } from "../bench/audit/data.ts";

const POOL = "us-east-1_userDone";
const data = buildAuditData({ users: 25, maxEvents: 90, seed: 4, poolId: POOL });
const FAST = { adminListUserAuthEvents: 2000, listUsers: 2000, perUser: 2000 };
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ data });
});
afterAll(() => emulator.close());

const client = () =>
  new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: emulator.url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
    maxAttempts: 1,
  });
const expected = new Map(data.pools[0]!.users!.map((u) => [u.username, u.events?.length ?? 0]));

it("reports every user once with its event count, users without events included, before the iterator ends", async () => {
  const done = new Map<string, number>();
  let eventsSeen = 0;
  const audit = auditUserPool({
    client: client(),
    userPoolId: POOL,
    maxRps: FAST,
    onUserDone: (user: AuditUser, events: number) => {
      expect(done.has(user.Username)).toBe(false);
      done.set(user.Username, events);
    },
  });
  for await (const _ of audit) eventsSeen++;
  expect(done).toEqual(expected);
  expect([...expected.values()].filter((n) => n === 0).length).toBeGreaterThan(0);
  expect(eventsSeen).toBe([...expected.values()].reduce((a, b) => a + b, 0));
});

it("a resumed run reports only the users it finishes, so both runs together report each user once", async () => {
  const first = new Map<string, number>();
  const audit = auditUserPool({
    client: client(),
    userPoolId: POOL,
    maxRps: FAST,
    onUserDone: (user, events) => first.set(user.Username, events),
  });
  let n = 0;
  for await (const _ of audit) if (++n === 400) break;
  const second = new Map<string, number>();
  const resumed = auditUserPool({
    client: client(),
    userPoolId: POOL,
    maxRps: FAST,
    checkpoint: audit.checkpoint(),
    onUserDone: (user, events) => second.set(user.Username, (second.get(user.Username) ?? 0) + events),
  });
  for await (const _ of resumed);
  expect([...first.keys()].filter((name) => second.has(name))).toEqual([]);
  expect(first.size + second.size).toBe(expected.size);
});

it("refuses an onUserDone that is not a function", () => {
  expect(() => auditUserPool({ client: client(), userPoolId: POOL, onUserDone: 5 as never })).toThrow(
    new TypeError("onUserDone must be a function"),
  );
});
