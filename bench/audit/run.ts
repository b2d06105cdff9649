/**
 * The pool audit, measured: a pool of 2,000 users with 0 to 200 events each,
 * on the emulator with quota enforcement on (ListUsers 30/s, AdminListUserAuthEvents 50/s, 10/s
 * per user), in a separate process.
 *
 * 1. An uninterrupted audit: wall time against the quota's lower bound (requests / allowed rate
 *    for each category; the larger one), throttled requests, and every event checked against
 *    the emulator's own listing (none lost, none repeated, in order).
 * 2. The same audit interrupted in the middle (abort), its checkpoint written to a file and read
 *    back, and resumed by a new run with a new client: the events of both parts together must be
 *    exactly the uninterrupted run's, and the summaries equal.
 *
 *   npx tsx bench/audit/run.ts [--users 2000] [--max-events 200] [--seed 1] [--concurrency 10] [--skip-resume] [--json]
 *                              [--jitter-ms N] [--headroom F]
 *
 * Exit code 1 when events are lost or repeated, or the resumed run differs.
 */
import { fork } from "node:child_process";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { auditUserPool, type AuditRecord } from "../../src/audit/audit.ts";
import type { AuditCheckpoint } from "../../src/audit/checkpoint.ts";
import { CognitoIdentityProviderClient } from "../../src/client.ts";
import { buildAuditData, expectedLoad } from "./data.ts";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "2000" },
    "max-events": { type: "string", default: "200" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "10" },
    "skip-resume": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    /** Random delay (0..N ms) the emulator adds before each request reaches its quota check. */
    "jitter-ms": { type: "string", default: "0" },
    headroom: { type: "string" },
  },
});
const POOL = "us-east-1_auditBench";
const QUOTA = { listUsers: 30, adminListUserAuthEvents: 50 };

const dir = await mkdtemp(join(tmpdir(), "cae-audit-bench-"));
const data = buildAuditData({
  users: Number(values.users),
  maxEvents: Number(values["max-events"]),
  seed: Number(values.seed),
  poolId: POOL,
});
const load = expectedLoad(data);
const dataFile = join(dir, "data.json");
await writeFile(dataFile, JSON.stringify(data));

// ---- the emulator, in its own process ----
const child = fork(new URL("./emulator-child.ts", import.meta.url), [dataFile, values["jitter-ms"]], {
  execArgv: ["--import", "tsx"],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const replies: Array<(message: Record<string, unknown>) => void> = [];
child.on("message", (message) => replies.shift()?.(message as Record<string, unknown>));
const ask = (request?: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    replies.push(resolve);
    if (request) child.send(request);
  });
const { url } = (await ask()) as { url: string };
const expected = ((await ask("expected")) as { expected: Record<string, string[]> }).expected;

function client(): CognitoIdentityProviderClient {
  // One attempt per call: the audit paces and retries every attempt itself, and sees every throttle.
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
    maxAttempts: 1,
  });
}

/** Checks the records against the emulator's listing: per user, exactly its events, in order. */
function verify(records: AuditRecord[]): { lost: number; repeated: number; outOfOrder: number } {
  const got = new Map<string, string[]>();
  for (const { user, event } of records) {
    const list = got.get(user.Username) ?? [];
    list.push(event.EventId!);
    got.set(user.Username, list);
  }
  let lost = 0;
  let repeated = 0;
  let outOfOrder = 0;
  for (const [username, ids] of Object.entries(expected)) {
    const have = got.get(username) ?? [];
    got.delete(username);
    const want = new Set(ids);
    const seen = new Set<string>();
    for (const id of have) {
      if (seen.has(id)) repeated++;
      seen.add(id);
      if (!want.has(id)) repeated++;
    }
    for (const id of ids) if (!seen.has(id)) lost++;
    if (have.join("\n") !== ids.join("\n")) outOfOrder++;
  }
  for (const ids of got.values()) repeated += ids.length;
  return { lost, repeated, outOfOrder };
}

const concurrency = Number(values.concurrency);
const tuning = values.headroom === undefined ? {} : { headroom: Number(values.headroom) };
const bound = Math.max(load.eventRequests / QUOTA.adminListUserAuthEvents, load.listUsersRequests / QUOTA.listUsers);
const quiet = values.json;
const log = (text: string) => {
  if (!quiet) process.stderr.write(`${text}\n`);
};
log(
  `pool: ${load.users} users, ${load.events} events; ${load.eventRequests} AdminListUserAuthEvents + ${load.listUsersRequests} ListUsers requests at least`,
);
log(`lower bound: ${bound.toFixed(2)} s (${load.eventRequests} / ${QUOTA.adminListUserAuthEvents} per s)`);

// ---- 1. uninterrupted ----
const before = ((await ask("stats")) as { stats: { requests: number; throttled: number } }).stats;
const full: AuditRecord[] = [];
const run = auditUserPool({ client: client(), userPoolId: POOL, concurrency, ...tuning });
const started = performance.now();
for await (const record of run) full.push(record);
const wall = (performance.now() - started) / 1000;
const after = ((await ask("stats")) as { stats: { requests: number; throttled: number } }).stats;
const check = verify(full);
const uninterrupted = {
  wallSeconds: Number(wall.toFixed(2)),
  lowerBoundSeconds: Number(bound.toFixed(2)),
  overBound: `${(((wall - bound) / bound) * 100).toFixed(1)}%`,
  events: full.length,
  requests: run.counts.requests,
  requestsSeenByEmulator: after.requests - before.requests,
  throttled: after.throttled - before.throttled,
  throttledSeenByAudit: run.counts.throttles,
  ...check,
};
log(`uninterrupted: ${JSON.stringify(uninterrupted)}`);

// ---- 2. interrupted in the middle, resumed from a checkpoint file ----
let resumed: Record<string, unknown> | undefined;
let ok = check.lost === 0 && check.repeated === 0 && check.outOfOrder === 0;
if (!values["skip-resume"]) {
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the quota windows empty
  const stats0 = ((await ask("stats")) as { stats: { requests: number; throttled: number } }).stats;
  const parts: AuditRecord[] = [];
  const controller = new AbortController();
  const first = auditUserPool({
    client: client(),
    userPoolId: POOL,
    concurrency,
    abortSignal: controller.signal,
    ...tuning,
  });
  const cpFile = join(dir, "checkpoint.json");
  const t0 = performance.now();
  let interruptedAt = 0;
  try {
    for await (const record of first) {
      parts.push(record);
      if (parts.length === Math.floor(full.length * 0.45)) controller.abort(new Error("interrupted by the benchmark"));
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
    interruptedAt = parts.length;
  }
  // Written as the CLI writes it: temp file, then rename.
  await writeFile(`${cpFile}.tmp`, JSON.stringify(first.checkpoint()));
  await rename(`${cpFile}.tmp`, cpFile);
  const checkpoint = JSON.parse(await readFile(cpFile, "utf8")) as AuditCheckpoint;
  const second = auditUserPool({ client: client(), userPoolId: POOL, concurrency, checkpoint, ...tuning });
  for await (const record of second) parts.push(record);
  const resumedWall = (performance.now() - t0) / 1000;
  const stats1 = ((await ask("stats")) as { stats: { requests: number; throttled: number } }).stats;
  const partsCheck = verify(parts);
  // Same events, in the same per-user order, with the same content.
  const perUser = (records: AuditRecord[]) => {
    const m = new Map<string, string[]>();
    for (const r of records) m.set(r.user.Username, [...(m.get(r.user.Username) ?? []), JSON.stringify(r.event)]);
    return JSON.stringify([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  const identical = perUser(parts) === perUser(full);
  const sameSummary = JSON.stringify(second.summary()) === JSON.stringify(run.summary());
  resumed = {
    interruptedAfterEvents: interruptedAt,
    checkpointBytes: JSON.stringify(checkpoint).length,
    inFlightAtInterrupt: checkpoint.inFlight.length,
    wallSecondsIncludingInterrupt: Number(resumedWall.toFixed(2)),
    events: parts.length,
    requests: stats1.requests - stats0.requests,
    throttled: stats1.throttled - stats0.throttled,
    ...partsCheck,
    identicalToUninterrupted: identical,
    sameSummary,
  };
  log(`interrupted + resumed: ${JSON.stringify(resumed)}`);
  ok &&= partsCheck.lost === 0 && partsCheck.repeated === 0 && partsCheck.outOfOrder === 0 && identical && sameSummary;
}

const summary = run.summary();
if (values.json) {
  process.stdout.write(`${JSON.stringify({ pool: load, uninterrupted, resumed, ok }, null, 2)}\n`);
} else {
  log(
    `summary: ${summary.events} events, ${summary.users.audited} users, ${summary.compromisedCredentials.users.length} with compromised credentials; top IP ${summary.topFailedSignInIps[0]?.ip ?? "-"}`,
  );
  log(ok ? "OK: no event lost or repeated" : "FAILED: see above");
}
child.send("close");
await rm(dir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
