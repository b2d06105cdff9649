/**
 * Fault injection: every fault mode of the emulator, over real HTTP and over MSW. Each call either
 * succeeds after retries within the configured attempts, or fails with the right typed error and
 * `$metadata.attempts`; never an untyped exception, never a hang. Long listings with faults between
 * and inside pages return every event exactly once.
 */

import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderServiceException,
  InternalErrorException,
  InvalidParameterException,
  NotAuthorizedException,
  TooManyRequestsException,
  paginateAdminListUserAuthEvents,
} from "../src/index.ts";
import type { FaultRule } from "../src/emulator/types.ts";
import {
  MSW_ENDPOINT,
  POOL,
  TRANSPORTS,
  describeError,
  fastBackoff,
  isTyped,
  rejection,
  within,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

const INPUT = { UserPoolId: POOL, Username: "alice", MaxResults: 10 };
const SEED = "reliability-faults";
/** requestTimeout for the `slow` cases: the fault's delay is well past it. */
// Generous enough for a loaded 2-core CI machine; a slow fault answers well after it.
const TIMEOUT_MS = 1000;
const SLOW_MS = 2500;

let restoreRandom: () => void;
beforeAll(() => {
  restoreRandom = fastBackoff();
});
afterAll(() => restoreRandom());

/** Faults a client must ride out: injected `times` times, then the real answer. */
const RECOVERABLE: Array<[string, FaultRule]> = [
  ["throttle storm (TooManyRequestsException at 400)", { kind: "throttle", times: 2 }],
  ["throttle storm at 429", { kind: "throttle-429", times: 2 }],
  ["500 burst", { kind: "http-500", times: 2 }],
  ["503 burst", { kind: "http-503", times: 2 }],
  ["connection reset mid-body", { kind: "reset", times: 2 }],
  ["connection reset before any byte", { kind: "reset", afterBytes: 0, times: 2 }],
  ["truncated JSON with a matching Content-Length", { kind: "truncated-json", times: 2 }],
  ["HTML 502 page from a load balancer", { kind: "html", status: 502, times: 2 }],
  ["HTML 504 page from a proxy", { kind: "html", status: 504, times: 2 }],
  ["slow response past requestTimeout", { kind: "slow", delayMs: SLOW_MS, times: 2 }],
];

/** Faults that outlast the attempts: the error each must end with, after exactly maxAttempts attempts. */
const PERSISTENT: Array<[string, FaultRule, Record<string, unknown>, abstract new (...args: never[]) => Error]> = [
  [
    "throttled at 400",
    { kind: "throttle" },
    { name: "TooManyRequestsException", $fault: "client", httpStatusCode: 400, $retryable: { throttling: true } },
    TooManyRequestsException,
  ],
  [
    "throttled at 429",
    { kind: "throttle-429" },
    { name: "TooManyRequestsException", httpStatusCode: 429, $retryable: { throttling: true } },
    TooManyRequestsException,
  ],
  [
    "HTTP 500",
    { kind: "http-500" },
    { name: "InternalErrorException", $fault: "server", httpStatusCode: 500, $retryable: { throttling: false } },
    InternalErrorException,
  ],
  [
    "HTTP 503 (not a modelled error)",
    { kind: "http-503" },
    { name: "ServiceUnavailableException", $fault: "server", httpStatusCode: 503 },
    CognitoIdentityProviderServiceException,
  ],
  ["reset mid-body", { kind: "reset" }, { name: "NetworkError" }, Error],
  ["reset before any byte", { kind: "reset", afterBytes: 0 }, { name: "NetworkError" }, Error],
  ["truncated JSON", { kind: "truncated-json" }, { name: "NetworkError", httpStatusCode: 200 }, Error],
  [
    "an HTML 502 page",
    { kind: "html", status: 502 },
    { $fault: "server", httpStatusCode: 502 },
    CognitoIdentityProviderServiceException,
  ],
  ["slow past requestTimeout", { kind: "slow", delayMs: SLOW_MS }, { name: "TimeoutError" }, Error],
];

describe.each(TRANSPORTS)("faults over $name", ({ start }) => {
  let t: Transport;
  beforeAll(async () => {
    t = await start({ seed: SEED, users: 3, events: 400 });
  });
  afterAll(() => t.close());
  afterEach(() => t.core.clearFaults());

  const send = (config: Parameters<Transport["client"]>[0] = {}, input: object = INPUT) =>
    within(
      t
        .client({ requestTimeout: TIMEOUT_MS, ...config })
        .send(new AdminListUserAuthEventsCommand(input as typeof INPUT)),
      10_000,
    );

  it.each(RECOVERABLE)("recovers from a %s within maxAttempts", async (_, rule) => {
    t.core.addFault({ ...rule, operation: "AdminListUserAuthEvents" });
    const out = await send({ maxAttempts: 3 });
    expect(out.AuthEvents).toHaveLength(10);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 3 });
    expect(t.core.requestLog.slice(-3).map((e) => e.faults.length > 0)).toEqual([true, true, false]);
  });

  it.each(PERSISTENT)(
    "fails with the typed error after maxAttempts when %s persists",
    async (_, rule, expected, Class) => {
      t.core.addFault({ ...rule, operation: "AdminListUserAuthEvents" });
      const error = await rejection(send({ maxAttempts: 3 }));
      expect(error).toBeInstanceOf(Class);
      expect(describeError(error)).toMatchObject({ typed: true, attempts: 3, ...expected });
    },
  );

  it("does not retry a client error: an HTML 403 page from a proxy fails at once", async () => {
    t.core.addFault({ kind: "html", status: 403 });
    const error = await rejection(send({ maxAttempts: 5 }));
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "client", httpStatusCode: 403, attempts: 1 });
    expect((error as Error).message).toContain("403");
  });

  it("does not retry a modelled client error injected by the server", async () => {
    t.core.addFault({ kind: "error", errorType: "NotAuthorizedException", message: "Nope.", status: 400 });
    const error = await rejection(send({ maxAttempts: 5 }));
    expect(error).toBeInstanceOf(NotAuthorizedException);
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "client", httpStatusCode: 400, attempts: 1 });
    expect((error as Error).message).toBe("Nope.");
  });

  it("fails with InvalidParameterException, at once, for a NextToken the server rejects", async () => {
    const error = await rejection(send({ maxAttempts: 5 }, { ...INPUT, NextToken: "made-up-token" }));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "client", httpStatusCode: 400, attempts: 1 });
    expect((error as Error).message).toBe("Invalid NextToken.");
  });

  it("surfaces a tampered starting token as InvalidParameterException from the paginator", async () => {
    const first = await send();
    const token = first.NextToken!;
    const tampered = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
    const pages = paginateAdminListUserAuthEvents(
      { client: t.client(), startingToken: tampered },
      { UserPoolId: POOL, Username: "alice" },
    );
    const error = await rejection(within(pages.next(), 5_000));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(describeError(error)).toMatchObject({ typed: true, attempts: 1 });
  });

  it("ignores a skewed Date header on a successful answer", async () => {
    t.core.addFault({ kind: "skewed-date", skewSeconds: 3600 });
    const client = t.client();
    const out = await within(client.send(new AdminListUserAuthEventsCommand(INPUT)), 5_000);
    expect(out.$metadata.attempts).toBe(1);
    expect(client.config.systemClockOffset).toBe(0);
  });

  it("never reports success for a page whose body was cut, whatever the cut", async () => {
    // Every length from 0 to the whole body less one byte, for one real answer: a cut body is a
    // NetworkError (retried), never a partial page.
    const full = await send();
    const whole = JSON.stringify({ AuthEvents: [], NextToken: full.NextToken }).length;
    for (const afterBytes of [1, 2, 15, 100, Math.max(whole, 300)]) {
      t.core.addFault({ kind: "reset", afterBytes, times: 1 });
      const out = await send({ maxAttempts: 2 });
      expect(out.AuthEvents?.map((e) => e.EventId)).toEqual(full.AuthEvents?.map((e) => e.EventId));
      expect(out.$metadata.attempts).toBe(2);
      t.core.clearFaults();
    }
  });
});

describe.each(TRANSPORTS)("skewed server clocks over $name", ({ start }) => {
  it.each([900, -900, 6 * 3600])("corrects the clock once and succeeds when the server runs %i s off", async (skew) => {
    const t = await start({ seed: SEED, users: 2, events: 5, clockSkewSeconds: skew });
    try {
      const client = t.client({ maxAttempts: 1 });
      const first = await within(client.send(new AdminListUserAuthEventsCommand(INPUT)), 5_000);
      expect(first.AuthEvents).toHaveLength(5);
      expect(first.$metadata.attempts).toBe(2);
      expect(t.core.requestLog.map((e) => e.errorType)).toEqual(["InvalidSignatureException", undefined]);
      expect(Math.abs(client.config.systemClockOffset - skew * 1000)).toBeLessThan(5_000);
      const second = await within(client.send(new AdminListUserAuthEventsCommand(INPUT)), 5_000);
      expect(second.$metadata.attempts).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe("empty and odd error bodies (MSW)", () => {
  let t: Transport;
  beforeAll(async () => {
    t = await TRANSPORTS[1].start({ seed: SEED, users: 2, events: 20 });
  });
  afterAll(() => t.close());
  // Back to the emulator's handlers only (drops one-off answers a test left unused).
  afterEach(() => t.server!.resetHandlers());

  /** The next `n` requests get this answer instead of the emulator's. */
  const answer = (n: number, make: () => Response) => {
    for (let i = 0; i < n; i++) t.server!.use(http.post(MSW_ENDPOINT, () => make(), { once: true }));
  };
  const send = (maxAttempts = 3) =>
    within(t.client({ maxAttempts }).send(new AdminListUserAuthEventsCommand(INPUT)), 5_000);

  it("retries a 503 with an empty body, then succeeds", async () => {
    answer(2, () => new HttpResponse(null, { status: 503 }));
    const out = await send();
    expect(out.$metadata.attempts).toBe(3);
    expect(out.AuthEvents).toHaveLength(10);
  });

  it("fails with a typed server error naming the status when 500s with empty bodies persist", async () => {
    answer(3, () => new HttpResponse(null, { status: 500 }));
    const error = await rejection(send());
    expect(error).toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "server", httpStatusCode: 500, attempts: 3 });
    expect((error as Error).message).toContain("500");
  });

  it("does not retry a 400 with an empty body, and says so", async () => {
    answer(1, () => new HttpResponse("", { status: 400 }));
    const error = await rejection(send());
    expect(describeError(error)).toMatchObject({ typed: true, $fault: "client", httpStatusCode: 400, attempts: 1 });
    expect((error as Error).message).toMatch(/empty body/);
  });

  it("types an empty-bodied throttle from its x-amzn-ErrorType header and retries it", async () => {
    answer(
      1,
      () => new HttpResponse(null, { status: 400, headers: { "x-amzn-ErrorType": "TooManyRequestsException:" } }),
    );
    const out = await send();
    expect(out.$metadata.attempts).toBe(2);
  });

  it("retries a 502 whose body is plain text, not JSON", async () => {
    answer(
      1,
      () =>
        new HttpResponse("upstream connect error or disconnect/reset before headers", {
          status: 502,
          headers: { "content-type": "text/plain" },
        }),
    );
    const out = await send();
    expect(out.$metadata.attempts).toBe(2);
  });

  it("retries a 200 whose JSON body is not an object, then succeeds", async () => {
    answer(
      1,
      () => new HttpResponse("[1,2,3]", { status: 200, headers: { "content-type": "application/x-amz-json-1.1" } }),
    );
    const out = await send();
    expect(out.$metadata.attempts).toBe(2);
  });

  it("corrects the clock at most once (no loop) when every signature error carries a lying Date header", async () => {
    const lying = () => new Date(Date.now() + 2 * 3600_000).toUTCString();
    answer(5, () =>
      HttpResponse.json(
        { __type: "InvalidSignatureException", message: "Signature expired" },
        { status: 400, headers: { "x-amzn-ErrorType": "InvalidSignatureException:", Date: lying() } },
      ),
    );
    const client = t.client({ maxAttempts: 5 });
    const error = await rejection(within(client.send(new AdminListUserAuthEventsCommand(INPUT)), 5_000));
    expect(describeError(error)).toMatchObject({
      typed: true,
      name: "InvalidSignatureException",
      $fault: "client",
      httpStatusCode: 400,
      attempts: 2,
    });
  });

  it("fails with a typed NetworkError when fetch itself fails every time", async () => {
    answer(3, () => HttpResponse.error());
    const error = await rejection(send());
    expect(describeError(error)).toMatchObject({ typed: true, name: "NetworkError", attempts: 3 });
  });
});

describe.each(TRANSPORTS)("long listings under faults over $name", ({ start }) => {
  let t: Transport;
  beforeAll(async () => {
    t = await start({ seed: SEED, users: 3, events: 400 });
  });
  afterAll(() => t.close());
  afterEach(() => t.core.clearFaults());

  const only = { operation: "AdminListUserAuthEvents" } as const;
  /** About one request in four gets a fault: between pages (replacing answers) and inside them (cut bodies, slowness). */
  const MIXED: FaultRule[] = [
    { kind: "throttle", probability: 0.05, ...only },
    { kind: "throttle-429", probability: 0.03, ...only },
    { kind: "http-500", probability: 0.03, ...only },
    { kind: "http-503", probability: 0.03, ...only },
    { kind: "html", status: 502, probability: 0.02, ...only },
    { kind: "reset", probability: 0.03, ...only },
    { kind: "reset", afterBytes: 0, probability: 0.02, ...only },
    { kind: "truncated-json", probability: 0.03, ...only },
    { kind: "slow", delayMs: 600, probability: 0.02, ...only },
    { kind: "skewed-date", skewSeconds: 7200, probability: 0.03, ...only },
  ];
  const expectedIds = () => t.core.getEvents(POOL, "alice")!.map((e) => e.EventId);

  it.each([0, 1] as const)(
    "returns every event exactly once, in order, with faults between and inside pages (prefetch %i)",
    async (prefetch) => {
      for (const rule of MIXED) t.core.addFault(rule);
      const before = t.core.requestLog.length;
      const client = t.client({ maxAttempts: 8, requestTimeout: 300 });
      const ids: string[] = [];
      const items = paginateAdminListUserAuthEvents.items(
        { client, pageSize: 7, prefetch },
        { UserPoolId: POOL, Username: "alice" },
      );
      await within(
        (async () => {
          for await (const event of items) ids.push(event.EventId!);
        })(),
        60_000,
        "listing",
      );
      expect(ids).toHaveLength(400);
      expect(new Set(ids).size).toBe(400);
      expect(ids).toEqual(expectedIds());
      const log = t.core.requestLog.slice(before);
      const injected = new Set(log.flatMap((e) => e.faults));
      // Both sorts happened: answers replaced between pages, and bodies cut inside them.
      expect(injected).toContain("throttle");
      expect(injected).toContain("reset");
      expect(injected).toContain("truncated-json");
      expect(log.length).toBeGreaterThan(Math.ceil(400 / 7));
    },
  );

  it("loses no event when a listing dies after exhausting its retries and resumes from its resume token", async () => {
    t.core.addFault({ kind: "throttle", probability: 0.35, ...only });
    t.core.addFault({ kind: "reset", probability: 0.1, ...only });
    const client = t.client({ maxAttempts: 2 });
    const ids: string[] = [];
    let startingToken: string | undefined;
    let failures = 0;
    for (let round = 0; round < 500; round++) {
      const items = paginateAdminListUserAuthEvents.items(
        { client, pageSize: 9, ...(startingToken === undefined ? {} : { startingToken }) },
        { UserPoolId: POOL, Username: "alice" },
      );
      try {
        await within(
          (async () => {
            for await (const event of items) ids.push(event.EventId!);
          })(),
          20_000,
          "listing round",
        );
        startingToken = undefined;
        break;
      } catch (error) {
        expect(isTyped(error)).toBe(true);
        failures++;
        startingToken = items.resumeToken;
      }
    }
    expect(startingToken).toBeUndefined();
    expect(failures).toBeGreaterThan(0);
    expect(ids).toEqual(expectedIds());
  });

  it("loses no event when a consumer stops after each item-limited chunk and resumes, with faults", async () => {
    for (const rule of MIXED) t.core.addFault(rule);
    const client = t.client({ maxAttempts: 8, requestTimeout: 300 });
    const ids: string[] = [];
    let startingToken: string | undefined;
    for (let round = 0; round < 100; round++) {
      const result = await within(
        paginateAdminListUserAuthEvents.buildFullResult(
          { client, pageSize: 11, maxItems: 37, ...(startingToken === undefined ? {} : { startingToken }) },
          { UserPoolId: POOL, Username: "alice" },
        ),
        20_000,
        "chunk",
      );
      ids.push(...(result.AuthEvents ?? []).map((e) => e.EventId!));
      startingToken = result.NextToken;
      if (startingToken === undefined) break;
    }
    expect(ids).toEqual(expectedIds());
  });
});
