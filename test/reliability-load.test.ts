/**
 * Load: 100 concurrent paginated listings against the emulator over real HTTP with its quotas on
 * (AdminListUserAuthEvents 50/s overall, 10/s per user: 20 users, 5 listings each, 3 pages each).
 * All complete, every event exactly once, with retries, in bounded memory. Each scenario reports its
 * figures (time, requests, throttles, retries, peak heap) as one JSON line starting `LOAD `, a test annotation:
 * `npx vitest run test/reliability-load.test.ts --reporter=verbose` shows them (the default reporter, on failure).
 */

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AbortError, TooManyRequestsException, paginateAdminListUserAuthEvents } from "../src/index.ts";
import type { CognitoIdentityProviderClient } from "../src/client.ts";
import { CognitoIdentityProviderClient as NodeClient } from "../src/node/client.ts";
import {
  EMULATOR_CREDENTIALS,
  POOL,
  REGION,
  httpTransport,
  isTyped,
  within,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

const LISTINGS = 100;
const USERS = 20;
const EVENTS = 60;
const PAGE_SIZE = 20;
const QUOTA = 50;
/** Peak heap growth allowed while 100 listings run: what they hold is ~100 pages of 20 events. */
const HEAP_BOUND_MB = 128;

let t: Transport;
beforeEach(async () => {
  t = await httpTransport({ seed: "load", users: USERS + 1, events: EVENTS, quotas: true, requestLogSize: 100_000 });
});
afterEach(() => t.close());

interface Figures {
  scenario: string;
  listings: number;
  /** The guard stopped the listings still running. */
  timedOut: boolean;
  completed: number;
  failed: number;
  seconds: number;
  requests: number;
  throttles: number;
  retries: number;
  maxSuccessesPerSecond: number;
  peakHeapMB: number;
  heapGrowthMB: number;
}

/** Runs the 100 listings, each with the client `clientFor(i)` gives; checks each completed one; returns the figures. */
async function run(scenario: string, clientFor: (i: number) => CognitoIdentityProviderClient, guardMs: number) {
  const usernames = t.core
    .exportData()
    .pools[0]!.users!.map((u) => u.username)
    .filter((u) => u !== "bob.nohistory")
    .slice(0, USERS);
  expect(usernames).toHaveLength(USERS);
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const started = performance.now();
  let retries = 0;
  // When the guard fires, every listing (and its waits) is aborted: the figures still print, and
  // nothing runs on after the test.
  const stop = new AbortController();
  const guard = setTimeout(() => stop.abort(new Error(`${scenario}: still running after ${guardMs} ms`)), guardMs);
  const results = await within(
    Promise.allSettled(
      Array.from({ length: LISTINGS }, async (_, i) => {
        const username = usernames[i % USERS]!;
        const ids: string[] = [];
        const pages = paginateAdminListUserAuthEvents(
          { client: clientFor(i), pageSize: PAGE_SIZE, abortSignal: stop.signal },
          { UserPoolId: POOL, Username: username },
        );
        for await (const page of pages) {
          retries += (page.$metadata.attempts ?? 1) - 1;
          for (const event of page.AuthEvents ?? []) ids.push(event.EventId!);
        }
        return { username, ids };
      }),
    ),
    guardMs + 10_000,
    scenario,
  ).finally(() => {
    clearTimeout(guard);
    clearInterval(sampler);
  });
  const timedOut = stop.signal.aborted;
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage().heapUsed);

  for (const result of results) {
    if (result.status === "fulfilled") {
      expect(result.value.ids).toEqual(t.core.getEvents(POOL, result.value.username)!.map((e) => e.EventId));
    } else {
      // A listing may only give up with the service's typed throttling error (or be stopped by the guard).
      expect(isTyped(result.reason)).toBe(true);
      if (!(timedOut && result.reason instanceof AbortError))
        expect(result.reason).toBeInstanceOf(TooManyRequestsException);
    }
  }
  const log = t.core.requestLog;
  // The quota was on: successful answers never exceeded 50 in any one-second window.
  // (The log is in completion order; the quota counts by arrival time.)
  const successes = log
    .filter((e) => e.status === 200)
    .map((e) => e.time)
    .sort((a, b) => a - b);
  let maxSuccessesPerSecond = 0;
  for (let i = 0, j = 0; i < successes.length; i++) {
    while (successes[j]! <= successes[i]! - 1000) j++;
    maxSuccessesPerSecond = Math.max(maxSuccessesPerSecond, i - j + 1);
  }
  const figures: Figures = {
    scenario,
    listings: LISTINGS,
    timedOut,
    completed: results.filter((r) => r.status === "fulfilled").length,
    failed: results.filter((r) => r.status === "rejected").length,
    seconds: +seconds.toFixed(2),
    requests: log.length,
    throttles: log.filter((e) => e.errorType === "TooManyRequestsException").length,
    retries,
    maxSuccessesPerSecond,
    peakHeapMB: +(peak / 2 ** 20).toFixed(1),
    heapGrowthMB: +((peak - baseline) / 2 ** 20).toFixed(1),
  };
  expect(figures.maxSuccessesPerSecond, loadLine(figures)).toBeLessThanOrEqual(QUOTA);
  expect(figures.heapGrowthMB, loadLine(figures)).toBeLessThan(HEAP_BOUND_MB);
  return figures;
}

/** The scenario's figures as one line. */
function loadLine(figures: Figures): string {
  return `LOAD ${JSON.stringify(figures)}`;
}

describe("100 concurrent paginated listings with quotas on", () => {
  it("all complete with one standard-mode client each (maxAttempts 10)", { timeout: 60_000 }, async ({ annotate }) => {
    const f = await run("standard, a client per listing, maxAttempts 10", () => t.client({ maxAttempts: 10 }), 45_000);
    await annotate(loadLine(f));
    expect(f.timedOut).toBe(false);
    expect(f.completed).toBe(LISTINGS);
    expect(f.throttles).toBeGreaterThan(0);
    expect(f.retries).toBe(f.throttles);
    expect(f.requests).toBe(LISTINGS * (EVENTS / PAGE_SIZE) + f.throttles);
  });

  it("all complete sharing one adaptive-mode client (maxAttempts 10)", { timeout: 60_000 }, async ({ annotate }) => {
    // The adaptive rate limiter must learn the quota and let every listing through in a time close
    // to what the quota allows (300 pages at 50/s: 6 s), not queue callers for minutes.
    // The adaptive mode is the Node, Deno and Bun build's.
    const shared = new NodeClient({
      region: REGION,
      credentials: EMULATOR_CREDENTIALS,
      endpoint: t.endpoint,
      retryMode: "adaptive",
      maxAttempts: 10,
    });
    const f = await run("adaptive, one shared client, maxAttempts 10", () => shared, 25_000);
    await annotate(loadLine(f));
    expect(f.timedOut).toBe(false);
    expect(f.completed).toBe(LISTINGS);
  });

  it("sharing one standard-mode client, each listing completes or fails with TooManyRequestsException: no hang, no other error", {
    timeout: 60_000,
  }, async ({ annotate }) => {
    // The retry quota (500 tokens, 5 per retry) is the client's circuit breaker, as in the AWS SDK:
    // once a storm has drained it, calls fail fast with the service's error instead of retrying.
    const shared = t.client({ maxAttempts: 10 });
    const f = await run("standard, one shared client, maxAttempts 10", () => shared, 30_000);
    await annotate(loadLine(f));
    expect(f.timedOut).toBe(false);
    expect(f.completed + f.failed).toBe(LISTINGS);
    expect(f.completed).toBeGreaterThan(0);
  });
});
