/**
 * Pagination against the emulator, with boto3's own paginator (installed, driven through test/oracle) as the
 * reference: for a table of (pageSize, maxItems, startingToken) the same items, pages and resume tokens, byte for
 * byte; and a listing interrupted anywhere and resumed, here or by boto3, loses and repeats nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents, paginateListUsers } from "../src/index.ts";
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
