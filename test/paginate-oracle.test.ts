/**
 * Differential tests: our paginator against botocore's PageIterator (the code behind boto3's
 * paginators and the AWS CLI's --max-items/--starting-token), over the same in-memory fake
 * service implemented twice (test/oracle/harness.ts and test/oracle/botocore_paginate.py).
 * Pages, requests sent, resume tokens (byte for byte) and errors must all agree.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pyRepr, toPyValue } from "../src/cli/pyjson.ts";
import { StartingTokenError, base64Encode, encodeResumeToken } from "../src/resume-token.ts";
import {
  AUTH_EVENTS_SPEC,
  configOf,
  FakeService,
  LIST_USERS_SPEC,
  type ListingResult,
  Oracle,
  type OracleCase,
  paginatorFor,
  runOurs,
} from "./oracle/harness.ts";

let oracle: Oracle;
beforeAll(() => {
  oracle = new Oracle();
});
afterAll(() => oracle.close());

/** Error messages differ by design (ours name the option, botocore's print the token); the kind must match. */
function comparable(r: ListingResult): ListingResult {
  const strip = (e: { type: string; message?: string }) => ({ type: e.type });
  return {
    ...r,
    ...(r.error ? { error: strip(r.error) } : {}),
    ...(r.full && "error" in r.full ? { full: { error: strip(r.full.error) } } : {}),
  };
}

async function compareAll(cases: OracleCase[]): Promise<void> {
  const theirs = await oracle.call<ListingResult[]>(cases.map((c) => ({ op: "paginate", ...c })));
  for (const [i, c] of cases.entries()) {
    const ours = await runOurs(c);
    expect(theirs[i], JSON.stringify(c)).not.toHaveProperty("oracleFailure");
    expect(comparable(ours), JSON.stringify(c)).toEqual(comparable(theirs[i]!));
  }
}

const auth = (n: number, extra: Partial<OracleCase> = {}): OracleCase => ({
  spec: AUTH_EVENTS_SPEC,
  n,
  full: true,
  ...extra,
});
const pageSizes = [undefined, 0, 1, 10, 60];
const maxItemsValues = [undefined, 0, 1, 10, 13, 60, 200];

describe("pages, requests and resume tokens agree with botocore", () => {
  it("over a table of listing sizes, page sizes and maxItems", async () => {
    const cases: OracleCase[] = [];
    for (const n of [0, 1, 9, 10, 11, 25, 60, 61, 130]) {
      for (const pageSize of pageSizes) {
        for (const maxItems of maxItemsValues) cases.push(auth(n, { pageSize, maxItems }));
      }
    }
    await compareAll(cases);
  });

  it("for ListUsers (PaginationToken, Limit, Users)", async () => {
    await compareAll(
      [0, 1, 2, 7, 60, 61].flatMap((maxItems) => [
        { spec: LIST_USERS_SPEC, n: 75, maxItems, full: true },
        { spec: LIST_USERS_SPEC, n: 75, pageSize: 7, maxItems, full: true },
      ]),
    );
  });

  it("with service tokens holding non-ASCII, quotes, backslashes and control characters (byte-identical tokens)", async () => {
    const prefixes = ['tök/é😀"\\:', "\u0000\u007f\u2028|", "a+b/c=", "None"];
    await compareAll(
      prefixes.flatMap((tokenPrefix) =>
        [3, 10, 17].map((maxItems) => auth(40, { tokenPrefix, pageSize: 10, maxItems })),
      ),
    );
  });

  it("when the last page's token is absent, null or empty", async () => {
    await compareAll(
      (["absent", "null", "empty"] as const).flatMap((end) =>
        [undefined, 20, 25].map((maxItems) => auth(20, { end, pageSize: 10, maxItems })),
      ),
    );
  });

  it("when the service repeats a token (PaginationError on both sides, after the same pages)", async () => {
    await compareAll([
      auth(50, { pageSize: 10, stuckAt: 10 }),
      auth(50, { pageSize: 10, stuckAt: 30, maxItems: 35 }),
      auth(50, { pageSize: 10, stuckAt: 20, maxItems: 30 }),
    ]);
  });

  it("when the service rejects a request (a page size over 60)", async () => {
    await compareAll([auth(100, { pageSize: 61 }), auth(100, { pageSize: 61, maxItems: 0 })]);
  });
});

describe("starting tokens agree with botocore", () => {
  it("for botocore's own resume tokens, resumed with the same and with different page sizes", async () => {
    const cuts: OracleCase[] = [];
    for (const pageSize of [undefined, 1, 7, 10])
      for (const maxItems of [0, 1, 5, 10, 13, 21]) cuts.push(auth(40, { pageSize, maxItems }));
    const theirs = await oracle.call<ListingResult[]>(cuts.map((c) => ({ op: "paginate", ...c })));
    const resumes: OracleCase[] = [];
    theirs.forEach((r, i) => {
      expect(r.resumeToken).toEqual(expect.any(String));
      for (const pageSize of [undefined, 3, 7, 10, 60]) {
        for (const maxItems of [undefined, 0, 2, 9])
          resumes.push(auth(40, { startingToken: r.resumeToken!, pageSize, maxItems, itemPrefix: `from${i}-` }));
      }
    });
    await compareAll(resumes);
  });

  it("for legacy token___n forms, raw service tokens, undecodable strings and odd encoded tokens", async () => {
    const tokens = [
      "tok:10___3",
      "tok:10___-2",
      "tok:10___ 1_2 ",
      "tok:10___x",
      "None___4",
      "___0",
      "tok:20",
      "None",
      "",
      "garbage",
      "a___b___c",
      encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 25 }),
      encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: -3 }),
      encodeResumeToken({ NextToken: null, boto_truncate_amount: 2 }),
      encodeResumeToken({ NextToken: "None", boto_truncate_amount: 2 }),
      encodeResumeToken({ boto_truncate_amount: 1, NextToken: "tok:5" }),
      ` ${encodeResumeToken({ NextToken: "tok:5", boto_truncate_amount: 1 })}\n`,
    ];
    const cases = tokens.flatMap((startingToken) =>
      [undefined, 0, 3, 12].map((maxItems) => auth(40, { startingToken, pageSize: 10, maxItems })),
    );
    // "a___b___c" fails on both sides, before any request, with botocore's message (a ValueError there).
    const [bad, good] = [
      cases.filter((c) => c.startingToken === "a___b___c"),
      cases.filter((c) => c.startingToken !== "a___b___c"),
    ];
    await compareAll(good);
    for (const c of bad) {
      const [theirs, ours] = [await oracle.paginate(c), await runOurs(c)];
      expect(theirs.error).toEqual({ type: "ValueError", message: "Bad starting token: a___b___c" });
      expect(ours.error).toEqual({
        type: "StartingTokenError",
        message: "startingToken: Bad starting token: a___b___c",
      });
      expect([theirs.requests, ours.requests]).toEqual([[], []]);
    }
  });

  it("sends every key of a decoded token as a request parameter, the page size after them, as botocore does", async () => {
    const json = (value: unknown) => base64Encode(new TextEncoder().encode(JSON.stringify(value)));
    const tokens = [
      json({ NextToken: "tok:10", MaxResults: 5 }),
      json({ MaxResults: 7, NextToken: null }),
      json({ NextToken: "tok:3", Unrelated: "x" }),
      json({ boto_truncate_amount: 2 }),
      json({}),
    ];
    const cases = tokens.flatMap((startingToken) =>
      [undefined, 10].flatMap((pageSize) =>
        [undefined, 5, 7, 30].map((maxItems) => auth(40, { startingToken, pageSize, maxItems, full: false })),
      ),
    );
    const theirs = await oracle.call<ListingResult[]>(cases.map((c) => ({ op: "paginate", ...c })));
    // Both outcomes occur: listings that run, and tokens botocore cannot resume inside their first page.
    expect(theirs.filter((t) => t.error).length).toBeGreaterThan(4);
    expect(theirs.filter((t) => !t.error).length).toBeGreaterThan(15);
    for (const [i, c] of cases.entries()) {
      const label = JSON.stringify(c);
      const ours = await runOurs(c);
      const answer = theirs[i]!;
      expect(ours.pages, label).toEqual(answer.pages);
      expect(ours.requests, label).toEqual(answer.requests);
      if (!answer.error) {
        expect(ours.error, label).toBeUndefined();
        expect(ours.resumeToken ?? null, label).toBe(answer.resumeToken ?? null);
        continue;
      }
      // Cut inside the first page, a token that set more than NextToken has no resume token (botocore's
      // resume_token setter raises ValueError("Bad starting token: <repr>")); ours refuses the same token.
      expect(answer.error.type, label).toBe("ValueError");
      const thrown = await (async () => {
        try {
          for await (const _ of paginatorFor(c.spec)(configOf(c, new FakeService(c)), {}));
        } catch (error) {
          return error as StartingTokenError;
        }
      })();
      expect(thrown, label).toBeInstanceOf(StartingTokenError);
      expect(`Bad starting token: ${pyRepr(toPyValue(Object.fromEntries(thrown!.token!)))}`, label).toBe(
        answer.error.message,
      );
      expect(ours.error?.type, label).toBe("StartingTokenError");
    }
  });

  it("the items view's resume token after k items equals botocore's with MaxItems = k", async () => {
    const setups: OracleCase[] = [
      auth(25, { pageSize: 10 }),
      auth(25, { pageSize: 10, startingToken: encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 4 }) }),
      auth(130, {}),
    ];
    for (const setup of setups) {
      const ks = Array.from({ length: Math.min(setup.n, 70) }, (_, i) => i + 1);
      const theirs = await oracle.call<ListingResult[]>(
        ks.map((k) => ({ op: "paginate", ...setup, full: false, maxItems: k })),
      );
      const ours: (string | null)[] = [];
      for (const k of ks) {
        const iterator = paginatorFor(setup.spec).items(
          {
            client: new FakeService(setup),
            ...(setup.pageSize !== undefined ? { pageSize: setup.pageSize } : {}),
            ...(setup.startingToken ? { startingToken: setup.startingToken } : {}),
          },
          {},
        );
        let read = 0;
        for await (const _ of iterator) if (++read === k) break;
        ours.push(iterator.resumeToken ?? null);
      }
      expect(ours).toEqual(theirs.map((t) => t.resumeToken ?? null));
    }
  });
});

describe("properties", () => {
  const prefixes = fc.constantFrom("tok:", 'tök😀\\":', "\u007f");
  const listingArb = fc.record({
    n: fc.integer({ min: 0, max: 150 }),
    pageSize: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    maxItems: fc.option(fc.integer({ min: 0, max: 160 }), { nil: undefined }),
    tokenPrefix: prefixes,
  });

  it("any listing, resumed from any botocore-made or legacy token with any page size, agrees with botocore", async () => {
    await fc.assert(
      fc.asyncProperty(
        listingArb,
        fc.option(fc.integer({ min: 0, max: 160 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        fc.integer({ min: -3, max: 70 }),
        fc.constantFrom("botocore", "legacy", "raw", "none"),
        async (base, firstMax, firstPageSize, offsetOrSkip, kind) => {
          let startingToken: string | undefined;
          if (kind === "botocore") {
            const first = await oracle.paginate({
              spec: AUTH_EVENTS_SPEC,
              n: base.n,
              tokenPrefix: base.tokenPrefix,
              pageSize: firstPageSize,
              maxItems: firstMax ?? 0,
            });
            const ours = await runOurs({
              spec: AUTH_EVENTS_SPEC,
              n: base.n,
              tokenPrefix: base.tokenPrefix,
              pageSize: firstPageSize,
              maxItems: firstMax ?? 0,
            });
            expect(comparable(ours)).toEqual(comparable(first));
            startingToken = first.resumeToken ?? undefined;
          } else if (kind === "legacy") {
            startingToken = `${base.tokenPrefix}${Math.max(offsetOrSkip, 0)}___${offsetOrSkip % 7}`;
          } else if (kind === "raw") {
            startingToken = `${base.tokenPrefix}${Math.max(offsetOrSkip, 0)}`;
          }
          await compareAll([auth(base.n, { ...base, startingToken })]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("a listing cut and resumed any number of times, alternating implementations at random, yields every item once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        prefixes,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
        async (n, pageSize, tokenPrefix, steps) => {
          const seen: string[] = [];
          let startingToken: string | undefined;
          for (let i = 0; ; i++) {
            const [maxItems, useBotocore] = steps[i] ?? [undefined, i % 2 === 0];
            const c: OracleCase = { spec: AUTH_EVENTS_SPEC, n, tokenPrefix, pageSize, maxItems, startingToken };
            const result = useBotocore ? await oracle.paginate(c) : await runOurs(c);
            expect(result.error).toBeUndefined();
            seen.push(...result.pages.flat());
            if (maxItems === undefined || !result.resumeToken) break;
            startingToken = result.resumeToken;
          }
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => `e${i}`));
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * The same fake over real HTTP (awsJson1_1), for boto3's own paginator and the AWS CLI. This is the
 * harness the emulator tests can reuse: point `paginate_boto3` and the CLI at the emulator instead.
 */
describe("boto3 and the AWS CLI over HTTP", () => {
  let server: Server;
  let endpoint: string;
  let home: string;
  const c: OracleCase = { spec: AUTH_EVENTS_SPEC, n: 25, tokenPrefix: "tök:" };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "paginate-oracle-"));
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (d: string) => (body += d));
      req.on("end", async () => {
        try {
          const out = (await new FakeService(c).send({ input: JSON.parse(body) as object })) as Record<string, unknown>;
          const events = (out["AuthEvents"] as { Id: string }[]).map((e) => ({ EventId: e.Id }));
          res
            .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
            .end(JSON.stringify({ ...out, AuthEvents: events }));
        } catch (e) {
          res
            .writeHead(400, { "content-type": "application/x-amz-json-1.1" })
            .end(JSON.stringify({ __type: (e as Error).name, message: (e as Error).message }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(home, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      "aws",
      [
        "cognito-idp",
        "admin-list-user-auth-events",
        "--user-pool-id",
        "eu-west-1_abc",
        "--username",
        "u",
        "--endpoint-url",
        endpoint,
        "--output",
        "json",
        ...args,
      ],
      {
        env: {
          PATH: process.env["PATH"] ?? "",
          HOME: home,
          AWS_CONFIG_FILE: join(home, "config"),
          AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
          AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
          AWS_SECRET_ACCESS_KEY: "oracle-secret",
          AWS_DEFAULT_REGION: "eu-west-1",
          AWS_EC2_METADATA_DISABLED: "true",
        },
      },
    );
    return JSON.parse(stdout) as { AuthEvents: { EventId: string }[]; NextToken?: string };
  };

  it("boto3's paginator cuts where ours does and prints the same resume token", async () => {
    const boto3 = await oracle.call<{ pages: { AuthEvents: { EventId: string }[] }[]; resumeToken: string }>({
      op: "paginate_boto3",
      endpoint,
      operation: "admin_list_user_auth_events",
      params: { UserPoolId: "eu-west-1_abc", Username: "u" },
      paginationConfig: { PageSize: 10, MaxItems: 13 },
    });
    const ours = await runOurs({ ...c, pageSize: 10, maxItems: 13 });
    expect(boto3.pages.map((p) => p.AuthEvents.map((e) => e.EventId))).toEqual(ours.pages);
    expect(boto3.resumeToken).toBe(ours.resumeToken);
  });

  it("a listing cut by the AWS CLI resumes here, and one cut here resumes in the AWS CLI, losing and repeating nothing", async () => {
    const first = await cli("--page-size", "10", "--max-items", "13");
    expect(first.AuthEvents.map((e) => e.EventId)).toEqual(Array.from({ length: 13 }, (_, i) => `e${i}`));
    const ours = await runOurs({ ...c, pageSize: 10, maxItems: 9, startingToken: first.NextToken! });
    expect(ours.pages.flat()).toEqual(Array.from({ length: 9 }, (_, i) => `e${13 + i}`));
    const rest = await cli("--page-size", "10", "--starting-token", ours.resumeToken!);
    expect(rest.AuthEvents.map((e) => e.EventId)).toEqual(Array.from({ length: 3 }, (_, i) => `e${22 + i}`));
    expect(rest.NextToken).toBeUndefined();
  });
});
