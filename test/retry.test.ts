import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  TooManyRequestsException,
} from "../src/index.ts";
import { AdaptiveRateLimiter } from "../src/adaptive-rate-limiter.ts";
import { CognitoIdentityProviderClient as NodeClient } from "../src/node/client.ts";
import { RetryQuota, backoffDelay, classify, parseRetryAfter, sleep } from "../src/retry.ts";

const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key" };

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;
const err = (status: number, type: string, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify({ __type: type, message: type }),
  headers,
});
const ok: Reply = { status: 200, body: '{"AuthEvents":[]}' };

/** A fetch that answers from a script and records each request's x-amz-date and signature. */
function scripted(...replies: Reply[]) {
  const calls: Array<{ date: string; auth: string; at: number }> = [];
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const h = init.headers as Record<string, string>;
    calls.push({ date: h["x-amz-date"]!, auth: h.authorization!, at: Date.now() });
    const r = replies[Math.min(calls.length - 1, replies.length - 1)]!;
    if (r instanceof Error) throw r;
    return new Response(r.body ?? "", { status: r.status, headers: r.headers });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const client = (fetch: typeof globalThis.fetch, extra: object = {}) =>
  new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, fetch, ...extra });

/** Lets real async work (WebCrypto signing) settle; setImmediate is not faked. */
const tick = () => new Promise((r) => setImmediate(r));

/**
 * Runs a send to completion under fake timers, jumping the clock to each timer as it is scheduled, so the time a
 * request is made is exactly when its backoff timer fired. Returns the output or the error.
 */
async function run(c: CognitoIdentityProviderClient) {
  let done = false;
  const settled = (outcome: unknown) => {
    done = true;
    return outcome;
  };
  const p = c.send(new AdminListUserAuthEventsCommand(input)).then(settled, settled);
  while (!done) {
    if (vi.getTimerCount() > 0) await vi.runOnlyPendingTimersAsync();
    else await tick();
  }
  return p;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.spyOn(Math, "random").mockReturnValue(0.5);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("which failures are retried", () => {
  it.each([
    ["TooManyRequestsException at HTTP 400", err(400, "TooManyRequestsException")],
    ["HTTP 429", err(429, "SomethingElse")],
    ["HTTP 500", err(500, "InternalErrorException")],
    ["HTTP 502", { status: 502, body: "<html>Bad Gateway</html>" }],
    ["HTTP 503", { status: 503, body: "" }],
    ["HTTP 504", { status: 504, body: "" }],
    ["a network error", new TypeError("fetch failed")],
    ["a 200 whose body is not JSON", { status: 200, body: '{"AuthEvents":[{"Event' }],
  ] as Array<[string, Reply]>)("%s is retried and the call then succeeds", async (_, failure) => {
    const { fetch, calls } = scripted(failure, ok);
    const out = (await run(client(fetch))) as { $metadata: { attempts: number } };
    expect(out.$metadata.attempts).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it.each([
    ["UserNotFoundException", err(400, "UserNotFoundException")],
    ["NotAuthorizedException", err(400, "NotAuthorizedException")],
    ["an HTTP 403 HTML page", { status: 403, body: "<html>Forbidden</html>" }],
  ] as Array<[string, Reply]>)("%s is not retried", async (_, failure) => {
    const { fetch, calls } = scripted(failure, ok);
    const e = (await run(client(fetch))) as { $metadata: { attempts: number } };
    expect(e).toBeInstanceOf(Error);
    expect(e.$metadata.attempts).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it("gives up after maxAttempts (3 by default) with the last error, typed, and its attempt count", async () => {
    const { fetch, calls } = scripted(err(400, "TooManyRequestsException"));
    const e = await run(client(fetch));
    expect(e).toBeInstanceOf(TooManyRequestsException);
    expect(e).toMatchObject({ $metadata: { attempts: 3, httpStatusCode: 400 }, $retryable: { throttling: true } });
    expect(calls).toHaveLength(3);
  });

  it("maxAttempts is configurable (the CLI uses 5)", async () => {
    const { fetch, calls } = scripted({ status: 503, body: "" });
    await run(client(fetch, { maxAttempts: 5 }));
    expect(calls).toHaveLength(5);
  });
});

describe("delays", () => {
  it("waits full-jitter exponential backoff: base 100 ms, doubling", async () => {
    const { fetch, calls } = scripted({ status: 503 }, { status: 503 }, { status: 503 }, ok);
    const out = (await run(client(fetch, { maxAttempts: 4 }))) as { $metadata: { totalRetryDelay: number } };
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(gaps).toEqual([50, 100, 200]); // random() = 0.5 of 100, 200, 400
    expect(out.$metadata.totalRetryDelay).toBe(350);
  });

  it("throttling backs off from 500 ms", async () => {
    const { fetch, calls } = scripted(err(400, "TooManyRequestsException"), err(400, "TooManyRequestsException"), ok);
    await run(client(fetch));
    expect(calls.slice(1).map((c, i) => c.at - calls[i]!.at)).toEqual([250, 500]);
  });

  it("honours Retry-After (seconds)", async () => {
    const { fetch, calls } = scripted(err(429, "TooManyRequestsException", { "retry-after": "3" }), ok);
    await run(client(fetch));
    expect(calls[1]!.at - calls[0]!.at).toBe(3000);
  });

  it("caps the delay at 20 s", () => {
    expect(backoffDelay(30, "throttling", undefined, () => 0.999)).toBeLessThanOrEqual(20_000);
    expect(backoffDelay(1, "transient", 60_000, () => 0)).toBe(20_000);
  });

  it("re-signs every attempt", async () => {
    const busy = { status: 503, headers: { "retry-after": "2" } };
    const { fetch, calls } = scripted(busy, busy, ok);
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    await run(client(fetch));
    expect(calls.map((c) => c.date)).toEqual(["20260101T000000Z", "20260101T000002Z", "20260101T000004Z"]);
    expect(new Set(calls.map((c) => c.auth)).size).toBe(3);
  });

  it("an abort during the wait between attempts ends the call at once", async () => {
    const { fetch, calls } = scripted(err(400, "TooManyRequestsException", { "retry-after": "15" }), ok);
    const controller = new AbortController();
    const p = client(fetch)
      .send(new AdminListUserAuthEventsCommand(input), { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    while (vi.getTimerCount() === 0) await tick();
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    const e = await p;
    expect(e).toMatchObject({ name: "AbortError", $metadata: { attempts: 1 } });
    expect(calls).toHaveLength(1);
  });
});

describe("retry quota", () => {
  it("stops retrying when the quota is spent, and refills on success", () => {
    const q = new RetryQuota();
    let retries = 0;
    while (q.acquire("other") !== undefined) retries++;
    expect(retries).toBe(100);
    q.release(5);
    expect(q.acquire("other")).toBe(5);
    expect(q.acquire("timeout")).toBeUndefined();
  });

  it("a client whose quota is spent fails at once instead of retrying", async () => {
    const { fetch, calls } = scripted({ status: 503 });
    const c = client(fetch, { maxAttempts: 2 });
    for (let i = 0; i < 100; i++) await run(c); // each failed call spends 5 of the 500 tokens on its one retry
    expect(calls).toHaveLength(200);
    const last = (await run(c)) as { $metadata: { attempts: number } };
    expect(last.$metadata.attempts).toBe(1);
  });
});

describe("helpers", () => {
  it("classifies by error name as well as status", () => {
    expect(classify({ name: "TooManyRequestsException", status: 400 })).toBe("throttling");
    expect(classify({ name: "X", status: 429 })).toBe("throttling");
    expect(classify({ name: "X", status: 503 })).toBe("transient");
    expect(classify({ name: "TimeoutError" })).toBe("transient");
    expect(classify({ name: "UserNotFoundException", status: 400 })).toBeUndefined();
    expect(classify({ name: "X", status: 501 })).toBeUndefined();
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("sleep rejects with the signal's reason when aborted", async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal).catch((e: unknown) => e);
    c.abort("stop");
    expect(await p).toBe("stop");
  });
});

describe("adaptive mode", () => {
  describe("the limiter (its clock is Date.now, which the fake timers move)", () => {
    /** Seconds `n` calls of `acquire()` wait, one after the other. */
    async function waited(limiter: AdaptiveRateLimiter, n: number): Promise<number> {
      const start = Date.now();
      for (let i = 0; i < n; i++) {
        let done = false;
        const acquired = limiter.acquire().then(() => {
          done = true;
        });
        while (!done) await (vi.getTimerCount() > 0 ? vi.runOnlyPendingTimersAsync() : tick());
        await acquired;
      }
      return (Date.now() - start) / 1000;
    }

    it("lets requests through freely until throttled, then limits the rate and recovers", async () => {
      const limiter = new AdaptiveRateLimiter();
      expect(await waited(limiter, 1)).toBe(0);
      for (let i = 0; i < 40; i++) {
        vi.advanceTimersByTime(50); // 20 requests/s
        limiter.update(false);
      }
      expect(limiter.rate).toBe(Infinity);
      limiter.update(true);
      const throttledRate = limiter.rate;
      expect(throttledRate).toBeLessThan(20);
      expect(throttledRate).toBeGreaterThan(0);
      expect(await waited(limiter, 10)).toBeGreaterThan(0);
      for (let i = 0; i < 100; i++) {
        vi.advanceTimersByTime(100);
        limiter.update(false);
      }
      expect(limiter.rate).toBeGreaterThan(throttledRate);
    });

    it("a maxRate ceiling holds from the first request", async () => {
      const limiter = new AdaptiveRateLimiter({ maxRate: 10 });
      // 10 tokens to start with, then 10 a second: 20 more take about 2 s.
      expect(await waited(limiter, 30)).toBeGreaterThan(1);
      for (let i = 0; i < 200; i++) {
        vi.advanceTimersByTime(10);
        limiter.update(false);
      }
      expect(limiter.rate).toBeLessThanOrEqual(10);
    });
  });

  it("is refused by the edge build with a TypeError naming it and the mode to use there", () => {
    expect(() => client(globalThis.fetch, { retryMode: "adaptive" })).toThrow(
      /^retryMode "adaptive" is in the Node, Deno and Bun build .*use "standard"/,
    );
  });

  it("an adaptive client retries a throttle, then spaces its next requests where a standard one does not", async () => {
    const gapsAfterThrottle = async (retryMode: "standard" | "adaptive") => {
      const { fetch, calls } = scripted(err(400, "TooManyRequestsException"), ok);
      // The adaptive mode is the Node, Deno and Bun build's.
      const c = new NodeClient({ region: "eu-west-1", credentials, fetch, retryMode });
      const first = (await run(c)) as { $metadata: { attempts: number } };
      expect(first.$metadata.attempts).toBe(2);
      for (let i = 0; i < 4; i++) await run(c);
      return calls.slice(2).map((call, i) => call.at - calls[i + 1]!.at);
    };
    expect(await gapsAfterThrottle("standard")).toEqual([0, 0, 0, 0]);
    const adaptive = await gapsAfterThrottle("adaptive");
    expect(adaptive.some((gap) => gap > 0)).toBe(true);
  });
});
