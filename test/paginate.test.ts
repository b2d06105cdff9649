import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { AbortError } from "../src/errors.ts";
import { createPaginator, type ItemIterator, PaginationError } from "../src/paginate.ts";
import { encodeResumeToken } from "../src/resume-token.ts";
import {
  AUTH_EVENTS_SPEC,
  FakeService,
  LIST_USERS_SPEC,
  type OracleCase,
  paginatorFor,
  sleep,
} from "./oracle/harness.ts";

const paginate = paginatorFor(AUTH_EVENTS_SPEC);
const listing = (n: number, extra: Partial<OracleCase> = {}): OracleCase => ({ spec: AUTH_EVENTS_SPEC, n, ...extra });
const ids = (page: Record<string, unknown>) =>
  ((page["AuthEvents"] as { Id: string }[] | undefined) ?? []).map((e) => e.Id);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `e${from + i}`);

async function collect(gen: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const pages: Record<string, unknown>[] = [];
  for await (const page of gen) pages.push(page);
  return pages;
}

describe("pages", () => {
  it("fetches a page only when the consumer asks for it", async () => {
    const service = new FakeService(listing(35));
    const pages = paginate({ client: service, pageSize: 10 }, {});
    expect(service.requests).toHaveLength(0);
    await pages.next();
    expect(service.requests).toHaveLength(1);
    await pages.next();
    expect(service.requests).toHaveLength(2);
    await pages.return();
    expect(service.requests).toHaveLength(2);
  });

  it("yields every page in order and ends when the service sends no token", async () => {
    const service = new FakeService(listing(25));
    const pages = await collect(paginate({ client: service, pageSize: 10 }, { UserPoolId: "p", Username: "u" }));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 20), range(20, 25)]);
    expect(service.requests).toEqual([
      { token: null, limit: 10 },
      { token: "tok:10", limit: 10 },
      { token: "tok:20", limit: 10 },
    ]);
    // Intermediate pages keep the service's own token, as the SDK's do.
    expect(pages.map((p) => p["NextToken"])).toEqual(["tok:10", "tok:20", undefined]);
  });

  it.each(["null", "empty"] as const)("treats a %s token on the last page as the end of the listing", async (end) => {
    const service = new FakeService(listing(20, { end }));
    const pages = await collect(paginate({ client: service, pageSize: 10 }, {}));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 20)]);
    expect(service.requests).toHaveLength(2);
  });

  it("never mutates the caller's input and gives each request its own input object", async () => {
    const input = Object.freeze({ UserPoolId: "p", Username: "u", MaxResults: 5 });
    const service = new FakeService(listing(12));
    const pages = await collect(paginate({ client: service, pageSize: 4, startingToken: "tok:0" }, input));
    expect(pages.flatMap(ids)).toEqual(range(0, 12));
    expect(input).toEqual({ UserPoolId: "p", Username: "u", MaxResults: 5 });
    expect(new Set(service.inputs).size).toBe(service.inputs.length);
    expect(service.inputs.every((i) => i !== input)).toBe(true);
    expect(service.inputs[1]).toMatchObject({ UserPoolId: "p", Username: "u", MaxResults: 4, NextToken: "tok:4" });
  });

  it("lets pageSize replace the input's page-size member, as botocore does, and sends the input's own otherwise", async () => {
    const withConfig = new FakeService(listing(10));
    await collect(paginate({ client: withConfig, pageSize: 3 }, { MaxResults: 7 }));
    expect(withConfig.requests[0]).toEqual({ token: null, limit: 3 });
    const inputOnly = new FakeService(listing(10));
    await collect(paginate({ client: inputOnly }, { MaxResults: 7 }));
    expect(inputOnly.requests.map((r) => r.limit)).toEqual([7, 7]);
  });

  it("sends pageSize 0 as MaxResults 0 (the service's default page)", async () => {
    const service = new FakeService(listing(70));
    const pages = await collect(paginate({ client: service, pageSize: 0 }, {}));
    expect(service.requests[0]).toEqual({ token: null, limit: 0 });
    expect(pages.map((p) => ids(p).length)).toEqual([60, 10]);
  });

  it("uses the operation's own member names (ListUsers: PaginationToken, Limit, Users)", async () => {
    const service = new FakeService({ spec: LIST_USERS_SPEC, n: 5 });
    const pages = await collect(paginatorFor(LIST_USERS_SPEC)({ client: service, pageSize: 2, maxItems: 3 }, {}));
    expect(pages.map((p) => (p["Users"] as { Id: string }[]).map((u) => u.Id))).toEqual([range(0, 2), ["e2"]]);
    expect(service.inputs[1]).toEqual({ Limit: 2, PaginationToken: "tok:2" });
    expect(pages[1]!["PaginationToken"]).toBe(
      encodeResumeToken(
        new Map<string, unknown>([
          ["PaginationToken", "tok:2"],
          ["boto_truncate_amount", 1],
        ]),
      ),
    );
  });
});

describe("maxItems and resume tokens", () => {
  it("cuts the last page and gives it the resume token as its NextToken when stopping mid-page", async () => {
    const service = new FakeService(listing(25));
    const pages = await collect(paginate({ client: service, pageSize: 10, maxItems: 13 }, {}));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 13)]);
    expect(pages[1]!["NextToken"]).toBe(encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 3 }));
    expect(service.requests).toHaveLength(2);
  });

  it("wraps the service's token when stopping on a page boundary", async () => {
    const service = new FakeService(listing(25));
    const pages = await collect(paginate({ client: service, pageSize: 10, maxItems: 20 }, {}));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 20)]);
    expect(pages[1]!["NextToken"]).toBe(encodeResumeToken({ NextToken: "tok:20" }));
    expect(service.requests).toHaveLength(2);
  });

  it("gives no resume token when maxItems is reached exactly at the end of the listing", async () => {
    const pages = await collect(paginate({ client: new FakeService(listing(20)), pageSize: 10, maxItems: 20 }, {}));
    expect(pages.flatMap(ids)).toEqual(range(0, 20));
    expect(pages[1]!["NextToken"]).toBeUndefined();
  });

  it("fetches one page and returns no item for maxItems 0, like the AWS CLI's --max-items 0", async () => {
    const service = new FakeService(listing(25));
    const pages = await collect(paginate({ client: service, pageSize: 10, maxItems: 0 }, {}));
    expect(pages.map(ids)).toEqual([[]]);
    expect(pages[0]!["NextToken"]).toBe(encodeResumeToken({ NextToken: null, boto_truncate_amount: 0 }));
    expect(service.requests).toHaveLength(1);
  });

  it("resumes from its own token, skipping the items already returned from that page", async () => {
    const first = await collect(paginate({ client: new FakeService(listing(25)), pageSize: 10, maxItems: 13 }, {}));
    const service = new FakeService(listing(25));
    const rest = await collect(
      paginate({ client: service, pageSize: 10, startingToken: first.at(-1)!["NextToken"] as string }, {}),
    );
    expect(rest.map(ids)).toEqual([range(13, 20), range(20, 25)]);
    expect(service.requests[0]).toEqual({ token: "tok:10", limit: 10 });
  });

  it("adds the starting truncation when a resumed page is cut again (boto_truncate_amount accumulates)", async () => {
    const start = encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 3 });
    const pages = await collect(
      paginate({ client: new FakeService(listing(25)), pageSize: 10, maxItems: 4, startingToken: start }, {}),
    );
    expect(pages.map(ids)).toEqual([range(13, 17)]);
    expect(pages[0]!["NextToken"]).toBe(encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 7 }));
  });

  it("records the input's own NextToken in a resume token cut from the first page (botocore would write null)", async () => {
    const pages = await collect(
      paginate({ client: new FakeService(listing(25)), pageSize: 10, maxItems: 2 }, { NextToken: "tok:10" }),
    );
    expect(pages.map(ids)).toEqual([range(10, 12)]);
    expect(pages[0]!["NextToken"]).toBe(encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 2 }));
  });

  it("lets startingToken replace the input's NextToken, and a null token in it removes the input's", async () => {
    const service = new FakeService(listing(25));
    await collect(
      paginate(
        {
          client: service,
          pageSize: 10,
          maxItems: 1,
          startingToken: encodeResumeToken({ NextToken: null, boto_truncate_amount: 1 }),
        },
        { NextToken: "tok:20" },
      ),
    );
    expect(service.requests[0]).toEqual({ token: null, limit: 10 });
    expect("NextToken" in service.inputs[0]!).toBe(false);
  });

  it("resumes a listing interrupted after any number of items, with the same page size, losing and repeating nothing (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 25 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }),
        async (n, pageSize, chunks) => {
          const seen: string[] = [];
          let startingToken: string | undefined;
          for (let i = 0; ; i++) {
            // Chunks of 0 make no progress: always end with an unlimited listing.
            const maxItems = i < chunks.length ? chunks[i] : undefined;
            const pages = await collect(
              paginate(
                {
                  client: new FakeService(listing(n)),
                  pageSize,
                  ...(maxItems !== undefined ? { maxItems } : {}),
                  ...(startingToken !== undefined ? { startingToken } : {}),
                },
                {},
              ),
            );
            for (const page of pages) seen.push(...ids(page));
            const resume = pages.at(-1)?.["NextToken"];
            if (maxItems === undefined || typeof resume !== "string") break;
            startingToken = resume;
          }
          expect(seen).toEqual(range(0, n));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("the same token twice", () => {
  it("throws a PaginationError after yielding the repeated page, instead of looping", async () => {
    const service = new FakeService(listing(50, { stuckAt: 20 }));
    const pages = paginate({ client: service, pageSize: 10 }, {});
    const seen: string[][] = [];
    const error = await (async () => {
      try {
        for await (const page of pages) seen.push(ids(page));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/same NextToken twice in a row/);
    // page 2 answered tok:20, and so did page 3, fetched with it
    expect(seen).toEqual([range(0, 10), range(10, 20), range(20, 30)]);
    expect(service.requests.map((r) => r.token)).toEqual([null, "tok:10", "tok:20"]);
  });

  it("ends quietly with stopOnSameToken when the service answers with the token it was sent, as the SDK does", async () => {
    const service = new FakeService(listing(50, { stuckAt: 20 }));
    const pages = await collect(paginate({ client: service, pageSize: 10, stopOnSameToken: true }, {}));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 20), range(20, 30)]);
    expect(service.requests).toHaveLength(3);
  });
});

describe("abort", () => {
  it("passes the abort signal to every send", async () => {
    const controller = new AbortController();
    const service = new FakeService(listing(25));
    await collect(paginate({ client: service, pageSize: 10, abortSignal: controller.signal }, {}));
    expect(service.options.map((o) => o?.abortSignal)).toEqual([
      controller.signal,
      controller.signal,
      controller.signal,
    ]);
  });

  it("stops between requests: no further request once aborted", async () => {
    const controller = new AbortController();
    const service = new FakeService(listing(25));
    const pages = paginate({ client: service, pageSize: 10, abortSignal: controller.signal }, {});
    await pages.next();
    const reason = new Error("stop now");
    controller.abort(reason);
    const error = await pages.next().catch((e: unknown) => e);
    // the client's class for an abort, with the signal's reason as cause
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    expect(service.requests).toHaveLength(1);
  });

  it("stops within a request: the pending page rejects with the abort reason", async () => {
    const controller = new AbortController();
    const service = new FakeService(listing(25), { delayMs: () => 10_000 });
    const pages = paginate({ client: service, pageSize: 10, abortSignal: controller.signal }, {});
    const next = pages.next();
    setTimeout(() => controller.abort(new Error("taking too long")), 5);
    await expect(next).rejects.toThrow("taking too long");
    expect(service.requests).toHaveLength(1);
  });

  it("makes no request at all when the signal is already aborted", async () => {
    const service = new FakeService(listing(25));
    const pages = paginate({ client: service, abortSignal: AbortSignal.abort(new Error("already")) }, {});
    await expect(pages.next()).rejects.toThrow(AbortError);
    expect(service.requests).toHaveLength(0);
  });
});

describe("prefetch", () => {
  it("requests the next page while the consumer holds the current one, one page ahead at most", async () => {
    const service = new FakeService(listing(45));
    const pages = paginate({ client: service, pageSize: 10, prefetch: 1 }, {});
    const seen: string[][] = [];
    for await (const page of pages) {
      seen.push(ids(page));
      // the page in hand plus at most one more has been requested
      expect(service.requests.length).toBeLessThanOrEqual(seen.length + 1);
      await sleep(2);
      if (seen.length < 5) expect(service.requests).toHaveLength(seen.length + 1);
    }
    expect(seen).toEqual([range(0, 10), range(10, 20), range(20, 30), range(30, 40), range(40, 45)]);
    expect(service.maxInFlight).toBe(1);
  });

  it("keeps page order when requests finish out of order in time", async () => {
    const service = new FakeService(listing(40), { delayMs: (i) => [30, 1, 20, 1][i] ?? 0 });
    const pages = await collect(paginate({ client: service, pageSize: 10, prefetch: 1 }, {}));
    expect(pages.map(ids)).toEqual([range(0, 10), range(10, 20), range(20, 30), range(30, 40)]);
  });

  it("reports a failed prefetched page only when the consumer reaches it", async () => {
    const service = new FakeService(listing(45), { failAt: 1 });
    const pages = paginate({ client: service, pageSize: 10, prefetch: 1 }, {});
    const first = await pages.next();
    await sleep(5);
    expect(service.requests).toHaveLength(2);
    expect(ids(first.value as Record<string, unknown>)).toEqual(range(0, 10));
    await expect(pages.next()).rejects.toThrow("request 1 failed");
  });

  it("does not read ahead past maxItems or the end of the listing", async () => {
    const service = new FakeService(listing(45));
    const pages = await collect(paginate({ client: service, pageSize: 10, maxItems: 20, prefetch: 1 }, {}));
    expect(pages.flatMap(ids)).toEqual(range(0, 20));
    expect(service.requests).toHaveLength(2);
  });

  it("cancels the read-ahead request when the consumer stops early", async () => {
    const service = new FakeService(listing(45), { delayMs: (i) => (i === 1 ? 10_000 : 0) });
    const pages = paginate({ client: service, pageSize: 10, prefetch: 1 }, {});
    await pages.next();
    await pages.return();
    const signal = service.options[1]?.abortSignal;
    expect(signal?.aborted).toBe(true);
    expect(service.requests).toHaveLength(2);
  });

  it("forwards the caller's abort to the read-ahead request", async () => {
    const controller = new AbortController();
    const service = new FakeService(listing(45), { delayMs: (i) => (i === 1 ? 10_000 : 0) });
    const pages = paginate({ client: service, pageSize: 10, prefetch: 1, abortSignal: controller.signal }, {});
    await pages.next();
    controller.abort(new Error("user abort"));
    expect(service.options[1]?.abortSignal?.reason).toEqual(new Error("user abort"));
    await expect(pages.next()).rejects.toThrow(AbortError);
  });
});

describe("items view", () => {
  const items = paginate.items;

  it("yields the items one at a time across pages, honouring maxItems", async () => {
    const seen: unknown[] = [];
    const iterator = items({ client: new FakeService(listing(25)), pageSize: 10, maxItems: 13 }, {});
    for await (const item of iterator) seen.push(item);
    expect(seen).toEqual(range(0, 13).map((Id) => ({ Id })));
    expect(iterator.resumeToken).toBe(encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 3 }));
  });

  it("exposes a resume token after any item that resumes right after it, losing and repeating nothing (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 60 }),
        async (n, pageSize, stopAfter) => {
          const iterator = items({ client: new FakeService(listing(n)), pageSize }, {});
          const seen: string[] = [];
          for await (const item of iterator) {
            seen.push((item as { Id: string }).Id);
            if (seen.length === stopAfter) break;
          }
          const resume = iterator.resumeToken;
          if (resume !== undefined) {
            for await (const item of items(
              { client: new FakeService(listing(n)), pageSize, startingToken: resume },
              {},
            ))
              seen.push((item as { Id: string }).Id);
          }
          expect(seen).toEqual(range(0, n));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("has no resume token once the listing is exhausted, and the startingToken before the first item", async () => {
    const iterator = items({ client: new FakeService(listing(3)), startingToken: "tok:1" }, {});
    expect(iterator.resumeToken).toBe("tok:1");
    for await (const _ of iterator) void _;
    expect(iterator.resumeToken).toBeUndefined();
  });
});

describe("buildFullResult", () => {
  it("aggregates every page's items and sets NextToken to the resume token when stopped early", async () => {
    const full = await paginate.buildFullResult(
      { client: new FakeService(listing(25)), pageSize: 10, maxItems: 13 },
      {},
    );
    expect(Object.keys(full)).toEqual(["AuthEvents", "NextToken"]);
    expect((full.AuthEvents as { Id: string }[]).map((e) => e.Id)).toEqual(range(0, 13));
    expect(full.NextToken).toBe(encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 3 }));
  });

  it("has no NextToken when the listing is complete", async () => {
    const full = await paginate.buildFullResult({ client: new FakeService(listing(25)), pageSize: 10 }, {});
    expect(full).toEqual({ AuthEvents: range(0, 25).map((Id) => ({ Id })) });
  });

  it("names the resume token NextToken for ListUsers too, as botocore and the AWS CLI do", async () => {
    const full = (await paginatorFor(LIST_USERS_SPEC).buildFullResult(
      { client: new FakeService({ spec: LIST_USERS_SPEC, n: 5 }), pageSize: 2, maxItems: 2 },
      {},
    )) as Record<string, unknown>;
    expect(Object.keys(full)).toEqual(["Users", "NextToken"]);
    expect(full["NextToken"]).toBe(encodeResumeToken({ PaginationToken: "tok:2" }));
  });
});

describe("configuration errors", () => {
  const client = new FakeService(listing(5));
  it.each([
    [{ maxItems: -1 }, /^maxItems must be a non-negative integer, got -1$/],
    [{ maxItems: 1.5 }, /^maxItems must be a non-negative integer, got 1.5$/],
    [{ maxItems: "3" }, /^maxItems must be a non-negative integer, got a value of type string$/],
    [{ pageSize: -2 }, /^pageSize must be a non-negative integer/],
    [{ pageSize: Number.NaN }, /^pageSize must be a non-negative integer/],
    [{ prefetch: 2 }, /^prefetch must be 0 or 1/],
    [{ startingToken: 5 }, /^startingToken must be a string/],
    [{ startingToken: "a___b___c" }, /^startingToken: Bad starting token: a___b___c$/],
    [{ stopOnSameToken: "yes" }, /^stopOnSameToken must be a boolean/],
    [{ abortSignal: {} }, /^abortSignal must be an AbortSignal/],
    [{ client: {} }, /^client must be a client with a send method/],
  ])("throws a TypeError naming the option for %o", (bad, message) => {
    const config = { client, ...bad } as unknown as Parameters<typeof paginate>[0];
    expect(() => paginate(config, {})).toThrow(TypeError);
    expect(() => paginate(config, {})).toThrow(message);
    expect(client.requests).toHaveLength(0);
  });

  it("refuses pageSize and maxItems for an operation without a page-size member or items list", () => {
    const bare = createPaginator<object, object>({ inputToken: "NextToken", outputToken: "NextToken" }, (input) => ({
      input,
    }));
    expect(() => bare({ client, pageSize: 5 }, {})).toThrow(/^pageSize is not supported/);
    expect(() => bare({ client, maxItems: 5 }, {})).toThrow(/^maxItems is not supported/);
    expect(() => bare.items({ client }, {})).toThrow(/^items is not supported/);
  });

  it("rejects an invalid paginator spec when the paginator is created", () => {
    expect(() => createPaginator({ inputToken: "", outputToken: "NextToken" }, (input: object) => ({ input }))).toThrow(
      /^spec.inputToken/,
    );
  });
});

describe("types", () => {
  it("infers the item type from the output type and a literal spec", () => {
    type Output = { AuthEvents?: { EventId?: string }[]; NextToken?: string };
    const typed = createPaginator<{ UserPoolId: string }, Output, "AuthEvents">(AUTH_EVENTS_SPEC, (input) => ({
      input,
    }));
    expectTypeOf(typed.items).returns.toEqualTypeOf<ItemIterator<{ EventId?: string }>>();
    expectTypeOf(typed.buildFullResult).returns.resolves.toEqualTypeOf<
      { AuthEvents?: { EventId?: string }[] } & { NextToken?: string }
    >();
    expectTypeOf(typed).returns.toEqualTypeOf<AsyncGenerator<Output, void, undefined>>();
    expect(typed.spec).toBe(AUTH_EVENTS_SPEC);
  });

  it("infers the items key from the spec when no type argument is given", () => {
    const inferred = createPaginator(
      { inputToken: "NextToken", outputToken: "NextToken", items: "AuthEvents" },
      (input: object) => ({ input }),
    );
    expectTypeOf(inferred.buildFullResult).returns.resolves.toHaveProperty("AuthEvents");
    expect(inferred.spec.items).toBe("AuthEvents");
  });
});
