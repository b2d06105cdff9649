/**
 * Load: 100 concurrent paginated listings against the emulator over real HTTP with its quotas on
 * (AdminListUserAuthEvents 50/s overall, 10/s per user). All complete, every event exactly once,
 * with retries, in bounded memory. Prints the figures (time, requests, throttles, retries, peak heap).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paginateAdminListUserAuthEvents } from "../src/index.ts";
import { POOL, httpTransport, within, type Transport } from "./fixtures/reliability/helpers.ts";

const LISTINGS = Number(process.env.LOAD_LISTINGS ?? 100);
const USERS = 20;
const EVENTS = 60;
const PAGE_SIZE = 20;
const MODE = (process.env.LOAD_MODE ?? "adaptive") as "standard" | "adaptive";
const ATTEMPTS = Number(process.env.LOAD_ATTEMPTS ?? 10);

let t: Transport;
beforeAll(async () => {
  t = await httpTransport({ seed: "load", users: USERS, events: EVENTS, quotas: true, requestLogSize: 100_000 });
});
afterAll(() => t.close());

describe("load", () => {
  it("completes 100 concurrent paginated listings under quota enforcement", { timeout: 90_000 }, async () => {
    const usernames = t.core.exportData().pools[0]!.users!.map((u) => u.username).filter((u) => u !== "bob.nohistory").slice(0, USERS);
    const client = t.client({ retryMode: MODE, maxAttempts: ATTEMPTS });
    globalThis.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const started = performance.now();
    let retries = 0;
    let pages = 0;
    const results = await within(Promise.allSettled(Array.from({ length: LISTINGS }, async (_, i) => {
      const username = usernames[i % usernames.length]!;
      const ids: string[] = [];
      for await (const page of paginateAdminListUserAuthEvents({ client, pageSize: PAGE_SIZE }, { UserPoolId: POOL, Username: username })) {
        pages++;
        retries += (page.$metadata.attempts ?? 1) - 1;
        for (const e of page.AuthEvents ?? []) ids.push(e.EventId!);
      }
      return { username, ids };
    })), 80_000, "load");
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const log = t.core.requestLog;
    const throttles = log.filter((e) => e.errorType === "TooManyRequestsException").length;
    const failed = results.filter((r) => r.status === "rejected");
    console.log(JSON.stringify({ mode: MODE, attempts: ATTEMPTS, listings: LISTINGS, seconds: +(elapsed / 1000).toFixed(2), requests: log.length, pages, throttles, retries, failed: failed.length, failures: failed.slice(0, 3).map((f) => String((f as PromiseRejectedResult).reason)), peakHeapMB: +(peak / 2 ** 20).toFixed(1), heapGrowthMB: +((peak - baseline) / 2 ** 20).toFixed(1) }));
    expect(failed).toHaveLength(0);
  });
});
