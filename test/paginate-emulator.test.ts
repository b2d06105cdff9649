/**
 * Pagination against the emulator, with boto3's own paginator (installed, driven through test/oracle) as the
 * reference: for a table of (pageSize, maxItems, startingToken) the same items, pages and resume tokens, byte for
 * byte; and a listing interrupted anywhere and resumed, here or by boto3, loses and repeats nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { pyRepr, toPyValue } from "../src/cli/pyjson.ts";
import {
  CognitoIdentityProviderClient,
  StartingTokenError,
  paginateAdminListUserAuthEvents,
  paginateListUsers,
} from "../src/index.ts";
import { base64Encode } from "../src/resume-token.ts";
import { Oracle } from "./oracle/harness.ts";

const POOL = "us-east-1_demoPlus";
const USER = "alice";
const EVENTS = 130;
let emulator: RunningEmulator;
let oracle: Oracle;
let client: CognitoIdentityProviderClient;
let all: string[];

beforeAll(async () => {
  emulator = await startEmulator({ seed: 7, users: 25, events: EVENTS });
  oracle = new Oracle();
  client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: emulator.url,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
  });
  all = [];
  for await (const e of paginateAdminListUserAuthEvents.items({ client }, { UserPoolId: POOL, Username: USER }))
    all.push(e.EventId!);
});
afterAll(async () => {
  await oracle?.close();
  await emulator?.close();
});

type Boto3Listing = {
  pages: Array<Record<string, Array<Record<string, string>>>>;
  resumeToken?: string | null;
  error?: unknown;
};

function boto3(
  operation: string,
  params: object,
  config: { pageSize?: number; maxItems?: number; startingToken?: string },
) {
  const paginationConfig: Record<string, unknown> = {};
  if (config.pageSize !== undefined) paginationConfig.PageSize = config.pageSize;
  if (config.maxItems !== undefined) paginationConfig.MaxItems = config.maxItems;
  if (config.startingToken !== undefined) paginationConfig.StartingToken = config.startingToken;
  return oracle.call<Boto3Listing>({
    op: "paginate_boto3",
    endpoint: emulator.url,
    operation,
    params,
    paginationConfig,
    accessKeyId: "AKIDEMULATOR",
    secretAccessKey: "emulator-secret",
  });
}

async function ours(config: { pageSize?: number; maxItems?: number; startingToken?: string }) {
  const pages: string[][] = [];
  let token: string | undefined;
  for await (const page of paginateAdminListUserAuthEvents(
    { client, ...config },
    { UserPoolId: POOL, Username: USER },
  )) {
    pages.push((page.AuthEvents ?? []).map((e) => e.EventId!));
    token = page.NextToken;
  }
  return { pages, resumeToken: config.maxItems !== undefined ? (token ?? null) : null };
}

describe("AdminListUserAuthEvents pagination equals boto3's on the emulator", () => {
  it("the emulator user has the expected history", () => {
    expect(all).toHaveLength(EVENTS);
    expect(new Set(all).size).toBe(EVENTS);
  });

  const cases: Array<{ pageSize?: number; maxItems?: number }> = [
    {},
    { pageSize: 60 },
    { pageSize: 25 },
    { maxItems: 1 },
    { maxItems: 60 },
    { maxItems: 61 },
    { pageSize: 10, maxItems: 13 },
    { pageSize: 10, maxItems: 20 },
    { pageSize: 7, maxItems: 129 },
    { pageSize: 50, maxItems: 130 },
    { pageSize: 50, maxItems: 500 },
    { pageSize: 3, maxItems: 0 },
  ];
  it.each(cases)("pages, items and resume token for %o", async (config) => {
    const [theirs, mine] = await Promise.all([
      boto3("admin_list_user_auth_events", { UserPoolId: POOL, Username: USER }, config),
      ours(config),
    ]);
    expect(theirs.error).toBeUndefined();
    expect(mine.pages).toEqual(theirs.pages.map((p) => (p.AuthEvents ?? []).map((e) => e.EventId)));
    if (config.maxItems !== undefined) expect(mine.resumeToken).toBe(theirs.resumeToken ?? null);
  });

  it("resuming each other's tokens, with the same and a different page size", async () => {
    const first = await boto3(
      "admin_list_user_auth_events",
      { UserPoolId: POOL, Username: USER },
      { pageSize: 10, maxItems: 13 },
    );
    for (const pageSize of [10, 4, 60]) {
      const config = { pageSize, maxItems: 9, startingToken: first.resumeToken! };
      const [theirs, mine] = await Promise.all([
        boto3("admin_list_user_auth_events", { UserPoolId: POOL, Username: USER }, config),
        ours(config),
      ]);
      expect(mine.pages).toEqual(theirs.pages.map((p) => (p.AuthEvents ?? []).map((e) => e.EventId)));
      expect(mine.resumeToken).toBe(theirs.resumeToken);
    }
    const mine = await ours({ pageSize: 10, maxItems: 22 });
    const theirs = await boto3(
      "admin_list_user_auth_events",
      { UserPoolId: POOL, Username: USER },
      { pageSize: 10, startingToken: mine.resumeToken! },
    );
    expect([...mine.pages.flat(), ...theirs.pages.flatMap((p) => (p.AuthEvents ?? []).map((e) => e.EventId))]).toEqual(
      all,
    );
  });

  it("a listing interrupted at any item and resumed from its token (same page size) loses and repeats nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        async (pageSize, cuts) => {
          const seen: string[] = [];
          let startingToken: string | undefined;
          for (const maxItems of cuts) {
            const run = await ours({ pageSize, maxItems, ...(startingToken ? { startingToken } : {}) });
            seen.push(...run.pages.flat());
            if (!run.resumeToken) break;
            startingToken = run.resumeToken;
          }
          if (startingToken && seen.length < all.length)
            seen.push(...(await ours({ pageSize, startingToken })).pages.flat());
          expect(seen).toEqual(all);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("ListUsers pagination equals boto3's on the emulator", () => {
  it.each([{ pageSize: 7, maxItems: 10 }, { pageSize: 60 }, { maxItems: 3 }])("for %o", async (config) => {
    const theirs = await boto3("list_users", { UserPoolId: POOL }, config);
    const pages: string[][] = [];
    let token: string | undefined;
    for await (const page of paginateListUsers({ client, ...config }, { UserPoolId: POOL })) {
      pages.push((page.Users ?? []).map((u) => u.Username!));
      token = page.PaginationToken;
    }
    expect(pages).toEqual(theirs.pages.map((p) => (p.Users ?? []).map((u) => u.Username)));
    if (config.maxItems !== undefined) expect(token).toBe(theirs.resumeToken);
  });
});

describe("starting tokens as botocore reads them: every key is a request parameter (boto3 on the emulator)", () => {
  const json = (value: unknown) => base64Encode(new TextEncoder().encode(JSON.stringify(value)));
  const input = { UserPoolId: POOL, Username: USER };

  /** Our listing with a client that counts its requests; the error thrown, if any. */
  async function oursCounting(config: { pageSize?: number; maxItems?: number; startingToken: string }) {
    let requests = 0;
    const counting = new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
      fetch: (request, init) => {
        requests++;
        return fetch(request, init);
      },
    });
    const pages: string[][] = [];
    try {
      for await (const page of paginateAdminListUserAuthEvents({ client: counting, ...config }, input))
        pages.push((page.AuthEvents ?? []).map((e) => e.EventId!));
      return { pages, requests, error: undefined };
    } catch (error) {
      return { pages, requests, error: error as StartingTokenError };
    }
  }

  it("a ListUsers resume token given to AdminListUserAuthEvents fails before any request, in botocore's words", async () => {
    let listUsersToken: string | undefined;
    // Cut inside the second page: the token holds the service's PaginationToken.
    for await (const page of paginateListUsers({ client, maxItems: 4, pageSize: 3 }, { UserPoolId: POOL }))
      listUsersToken = page.PaginationToken;
    expect(JSON.parse(atob(listUsersToken!)).PaginationToken).toEqual(expect.any(String));
    for (const startingToken of [listUsersToken!, json({ foo: 1 }), json({ NextToken: null, a: "x", b: "y" })]) {
      const [theirs, mine] = await Promise.all([
        boto3("admin_list_user_auth_events", input, { startingToken }),
        oursCounting({ startingToken }),
      ]);
      expect(theirs.error, atob(startingToken)).toMatchObject({ type: "ParamValidationError" });
      expect(mine.error).toBeInstanceOf(StartingTokenError);
      expect(mine.error!.botocoreMessage).toBe((theirs.error as { message: string }).message);
      expect(mine.requests).toBe(0);
    }
  });

  it("a token that decodes to a JSON scalar fails before any request, in botocore's words", async () => {
    for (const text of ["1", "1.5", '"abc"', "true", "null"]) {
      const startingToken = json(JSON.parse(text));
      const [theirs, mine] = await Promise.all([
        boto3("admin_list_user_auth_events", input, { startingToken }),
        oursCounting({ startingToken }),
      ]);
      expect(theirs.error).toMatchObject({ type: "AttributeError" });
      expect(mine.error!.botocoreMessage).toBe((theirs.error as { message: string }).message);
      expect(mine.requests).toBe(0);
    }
  });

  it("a token's other parameters (Username, MaxResults) are sent, the page size over them; same pages and tokens", async () => {
    let other = "";
    for await (const user of paginateListUsers.items({ client }, { UserPoolId: POOL }))
      if (user.Username !== USER) other = user.Username!;
    const cases = [
      { startingToken: json({ NextToken: null, MaxResults: 7 }) },
      { startingToken: json({ NextToken: null, MaxResults: 7 }), pageSize: 20, maxItems: 20 },
      { startingToken: json({ NextToken: null, MaxResults: 7 }), maxItems: 14 },
      { startingToken: json({ Username: other, NextToken: null }), maxItems: 1000 },
    ];
    for (const config of cases) {
      const [theirs, mine] = await Promise.all([
        boto3("admin_list_user_auth_events", input, config),
        oursCounting(config),
      ]);
      expect(theirs.error, JSON.stringify(config)).toBeUndefined();
      expect(mine.error, JSON.stringify(config)).toBeUndefined();
      expect(mine.pages).toEqual(theirs.pages.map((p) => (p.AuthEvents ?? []).map((e) => e.EventId)));
      expect(mine.pages.flat().length).toBeGreaterThan(0);
    }
  });

  it("a token that set more than NextToken has no resume token inside its first page (botocore: Bad starting token)", async () => {
    const config = { startingToken: json({ NextToken: null, MaxResults: 7 }), maxItems: 3 };
    const [theirs, mine] = await Promise.all([
      boto3("admin_list_user_auth_events", input, config),
      oursCounting(config),
    ]);
    expect(theirs.error).toEqual({
      type: "ValueError",
      message: "Bad starting token: {'NextToken': None, 'MaxResults': 7, 'boto_truncate_amount': 3}",
    });
    expect(mine.error).toBeInstanceOf(StartingTokenError);
    expect(`Bad starting token: ${pyRepr(toPyValue(Object.fromEntries(mine.error!.token!)))}`).toBe(
      (theirs.error as { message: string }).message,
    );
  });
});
