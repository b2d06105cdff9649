/**
 * Differential tests against the AWS SDK v3 (`@aws-sdk/client-cognito-identity-provider`) on the
 * same emulator over real HTTP. For every covered operation and a table of inputs: the same request
 * body and signed headers (the SDK's own telemetry headers apart), deep-equal outputs (dates
 * included); for errors, the same class, name, `$fault`, `$metadata.httpStatusCode` and attempts.
 * Requests are captured at the emulator, so both clients are seen exactly as the service sees them.
 */

import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UpdateAuthEventFeedbackCommand,
  paginateAdminListUserAuthEvents,
  paginateListUsers,
} from "../src/index.ts";
import type { FaultRule } from "../src/emulator/types.ts";
import { parseAuthorization } from "../src/emulator/auth.ts";
import {
  EMULATOR_CREDENTIALS,
  LITE_POOL,
  POOL,
  REGION,
  captureRequests,
  fastBackoff,
  httpTransport,
  rejection,
  type CapturedRequest,
  type Transport,
} from "./fixtures/reliability/helpers.ts";

/**
 * Headers the SDK adds and signs that this package does not send: its telemetry (user agent,
 * invocation id, attempt counter) and Content-Length, which fetch computes after signing. Any other
 * difference in the signed set fails the test.
 */
const SDK_ONLY_SIGNED = ["amz-sdk-invocation-id", "amz-sdk-request", "content-length", "x-amz-user-agent"];

type Operation = "AdminListUserAuthEvents" | "AdminUpdateAuthEventFeedback" | "UpdateAuthEventFeedback" | "ListUsers";
const OURS = {
  AdminListUserAuthEvents: AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedback: AdminUpdateAuthEventFeedbackCommand,
  UpdateAuthEventFeedback: UpdateAuthEventFeedbackCommand,
  ListUsers: ListUsersCommand,
} as const;
const THEIRS = {
  AdminListUserAuthEvents: Sdk.AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedback: Sdk.AdminUpdateAuthEventFeedbackCommand,
  UpdateAuthEventFeedback: Sdk.UpdateAuthEventFeedbackCommand,
  ListUsers: Sdk.ListUsersCommand,
} as const;

let t: Transport;
let restoreRandom: () => void;
let captured: CapturedRequest[];

beforeAll(async () => {
  t = await httpTransport({ seed: "differential", users: 8, events: 75 });
  captured = captureRequests(t.core).captured;
  restoreRandom = fastBackoff();
});
afterAll(async () => {
  restoreRandom();
  await t.close();
});
afterEach(() => {
  t.core.clearFaults();
  captured.length = 0;
});

interface Clients {
  ours: CognitoIdentityProviderClient;
  sdk: Sdk.CognitoIdentityProviderClient;
}
function clients(
  options: { maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Clients {
  const common = {
    region: REGION,
    endpoint: t.endpoint,
    credentials: options.credentials ?? EMULATOR_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  };
  // Ours does not check inputs here, so both send the same request and the service judges it.
  return {
    ours: new CognitoIdentityProviderClient({ ...common, validateInput: false }),
    sdk: new Sdk.CognitoIdentityProviderClient(common),
  };
}

type Settled = { ok: true; value: Record<string, unknown> } | { ok: false; error: Record<string, unknown> & Error };
async function settle(promise: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: (await promise) as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: error as Record<string, unknown> & Error };
  }
}

/** Sends the same input with both clients; returns both results and both requests as the emulator saw them (last attempt each). */
async function both(operation: Operation, input: Record<string, unknown>, c: Clients = clients()) {
  captured.length = 0;
  const SdkCommand = THEIRS[operation] as unknown as new (
    input: unknown,
  ) => Parameters<Sdk.CognitoIdentityProviderClient["send"]>[0];
  const theirs = await settle(c.sdk.send(new SdkCommand(input)));
  const sdkRequests = captured.splice(0);
  const ours = await settle(c.ours.send(new OURS[operation](input as never) as never));
  const ourRequests = captured.splice(0);
  return { theirs, ours, sdkRequests, ourRequests };
}

/** Same body bytes, same signed headers (bar the SDK's own), same values for each. */
function expectSameRequest(sdkRequest: CapturedRequest | undefined, ourRequest: CapturedRequest | undefined) {
  expect(sdkRequest).toBeDefined();
  expect(ourRequest).toBeDefined();
  const a = sdkRequest!;
  const b = ourRequest!;
  expect(b.body).toBe(a.body);
  expect(b.headers["x-amz-target"]).toBe(a.headers["x-amz-target"]);
  expect(b.headers["content-type"]).toBe(a.headers["content-type"]);
  const theirAuth = a.headers.authorization === undefined ? undefined : parseAuthorization(a.headers.authorization);
  const ourAuth = b.headers.authorization === undefined ? undefined : parseAuthorization(b.headers.authorization);
  if (theirAuth === undefined || ourAuth === undefined) {
    // Unsigned operations: both unsigned.
    expect(ourAuth).toEqual(theirAuth);
    return;
  }
  expect(ourAuth.signedHeaders).toEqual(theirAuth.signedHeaders.filter((h) => !SDK_ONLY_SIGNED.includes(h)));
  expect({ ...ourAuth, signedHeaders: [], signature: "" }).toEqual({ ...theirAuth, signedHeaders: [], signature: "" });
  for (const name of ourAuth.signedHeaders) {
    if (name === "x-amz-date") continue; // both sign their own clock; the emulator checks each within 5 minutes
    expect(b.headers[name], name).toBe(a.headers[name]);
  }
}

function withoutMetadata(value: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _, ...rest } = value;
  return rest;
}

function expectSameOutcome(r: Awaited<ReturnType<typeof both>>) {
  if (!r.theirs.ok) throw new Error(`the SDK failed: ${r.theirs.error.name}: ${r.theirs.error.message}`);
  if (!r.ours.ok) throw new Error(`we failed: ${r.ours.error.name}: ${r.ours.error.message}`);
  expect(withoutMetadata(r.ours.value)).toEqual(withoutMetadata(r.theirs.value));
  const [ours, theirs] = [r.ours.value.$metadata, r.theirs.value.$metadata] as Array<Record<string, unknown>>;
  expect({ status: ours!.httpStatusCode, attempts: ours!.attempts }).toEqual({
    status: theirs!.httpStatusCode,
    attempts: theirs!.attempts,
  });
  expect(ours!.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

function expectSameError(r: Awaited<ReturnType<typeof both>>, name: string) {
  if (r.theirs.ok) throw new Error("the SDK succeeded");
  if (r.ours.ok) throw new Error("we succeeded");
  const pick = (e: Record<string, unknown>) => ({
    name: e.name,
    message: e.message,
    $fault: e.$fault,
    httpStatusCode: (e.$metadata as Record<string, unknown>)?.httpStatusCode,
    attempts: (e.$metadata as Record<string, unknown>)?.attempts,
  });
  expect(pick(r.ours.error)).toEqual(pick(r.theirs.error));
  expect(r.ours.error.name).toBe(name);
  // instanceof works both ways for modelled errors (same shape ids), and both are service exceptions.
  expect(r.ours.error).toBeInstanceOf(Sdk.CognitoIdentityProviderServiceException);
  const SdkClass = (Sdk as unknown as Record<string, unknown>)[name];
  if (typeof SdkClass === "function") expect(r.ours.error).toBeInstanceOf(SdkClass);
}

describe("the same requests and outputs as the AWS SDK v3", () => {
  const alice = () => t.core.exportData().pools[0]!.users!.find((u) => u.username === "alice")!;
  const oddUser = () => t.core.exportData().pools[0]!.users!.find((u) => /[^\x20-\x7e]/.test(u.username))!;
  const listTable: Array<[string, () => Record<string, unknown>]> = [
    ["the first page at the default size", () => ({ UserPoolId: POOL, Username: "alice" })],
    ["MaxResults 0 (the service's default)", () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 0 })],
    ["MaxResults 1", () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 1 })],
    ["MaxResults 60", () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 60 })],
    ["the user named by sub", () => ({ UserPoolId: POOL, Username: alice().sub })],
    ["the user named by email alias", () => ({ UserPoolId: POOL, Username: alice().attributes!.email })],
    ["a non-ASCII username", () => ({ UserPoolId: POOL, Username: oddUser().username, MaxResults: 7 })],
    ["a user with no history", () => ({ UserPoolId: POOL, Username: "bob.nohistory" })],
  ];

  it.each(listTable)("AdminListUserAuthEvents: %s", async (_, input) => {
    const r = await both("AdminListUserAuthEvents", input());
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
    expect(r.ours.ok && r.ours.value.AuthEvents).toBeInstanceOf(Array);
  });

  it("AdminListUserAuthEvents: the second page, from the first page's NextToken", async () => {
    const first = await clients().ours.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice", MaxResults: 10 }),
    );
    const r = await both("AdminListUserAuthEvents", {
      UserPoolId: POOL,
      Username: "alice",
      MaxResults: 10,
      NextToken: first.NextToken,
    });
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
  });

  it("AdminListUserAuthEvents: every timestamp is the same Date (CreationDate, FeedbackDate)", async () => {
    const r = await both("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice", MaxResults: 60 });
    if (!r.ours.ok || !r.theirs.ok) throw new Error("both must succeed");
    const dates = (v: Record<string, unknown>) =>
      (v.AuthEvents as Array<{ CreationDate: Date; EventFeedback?: { FeedbackDate?: Date } }>).flatMap((e) => [
        e.CreationDate,
        e.EventFeedback?.FeedbackDate,
      ]);
    const ours = dates(r.ours.value);
    expect(ours.filter((d) => d !== undefined).every((d) => d instanceof Date && !Number.isNaN(d.getTime()))).toBe(
      true,
    );
    expect(ours.some((d) => d !== undefined && d.getUTCMilliseconds() !== 0)).toBe(true); // fractional seconds kept
    expect(ours.map((d) => d?.getTime())).toEqual(dates(r.theirs.value).map((d) => d?.getTime()));
  });

  const usersTable: Array<[string, Record<string, unknown>]> = [
    ["all users", { UserPoolId: POOL }],
    ["Limit 3", { UserPoolId: POOL, Limit: 3 }],
    ["AttributesToGet", { UserPoolId: POOL, AttributesToGet: ["email"], Limit: 5 }],
    ["a prefix Filter", { UserPoolId: POOL, Filter: 'username ^= "a"' }],
    ["a status Filter", { UserPoolId: POOL, Limit: 4, Filter: 'status = "Enabled"' }],
    ["the pool without threat protection", { UserPoolId: LITE_POOL, Limit: 2 }],
  ];
  it.each(usersTable)("ListUsers: %s", async (_, input) => {
    const r = await both("ListUsers", input);
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
    expect(r.ours.ok && (r.ours.value.Users as Array<{ UserCreateDate: unknown }>)[0]?.UserCreateDate).toBeInstanceOf(
      Date,
    );
  });

  it("ListUsers: the second page, from the first page's PaginationToken", async () => {
    const first = await clients().ours.send(new ListUsersCommand({ UserPoolId: POOL, Limit: 3 }));
    const r = await both("ListUsers", { UserPoolId: POOL, Limit: 3, PaginationToken: first.PaginationToken });
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
  });

  it("AdminUpdateAuthEventFeedback: an empty output and the same signed request", async () => {
    const eventId = t.core.getEvents(POOL, "alice")![3]!.EventId;
    const r = await both("AdminUpdateAuthEventFeedback", {
      UserPoolId: POOL,
      Username: "alice",
      EventId: eventId,
      FeedbackValue: "Invalid",
    });
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
    expect(r.ours.ok && withoutMetadata(r.ours.value)).toEqual({});
  });

  it("UpdateAuthEventFeedback: both unsigned, the same body and output", async () => {
    const eventId = t.core.getEvents(POOL, "alice")![4]!.EventId!;
    const token = t.core.getFeedbackToken(POOL, "alice", eventId);
    const r = await both("UpdateAuthEventFeedback", {
      UserPoolId: POOL,
      Username: "alice",
      EventId: eventId,
      FeedbackToken: token,
      FeedbackValue: "Valid",
    });
    expect(r.ourRequests[0]?.headers.authorization).toBeUndefined();
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameOutcome(r);
  });

  it("sends the same JSON when the caller's input lists members in another order (bytes may differ: ours keeps the caller's order)", async () => {
    const r = await both("AdminListUserAuthEvents", { MaxResults: 2, Username: "alice", UserPoolId: POOL });
    expect(JSON.parse(r.ourRequests[0]!.body)).toEqual(JSON.parse(r.sdkRequests[0]!.body));
    expectSameOutcome(r);
  });

  it("pages the same as the SDK's paginator, page for page", async () => {
    const c = clients();
    const input = { UserPoolId: POOL, Username: "alice" };
    const theirs: unknown[] = [];
    for await (const page of Sdk.paginateAdminListUserAuthEvents({ client: c.sdk, pageSize: 7 }, { ...input }))
      theirs.push(withoutMetadata(page as never));
    const ours: unknown[] = [];
    for await (const page of paginateAdminListUserAuthEvents({ client: c.ours, pageSize: 7 }, input))
      ours.push(withoutMetadata(page as never));
    expect(ours).toHaveLength(Math.ceil(75 / 7));
    expect(ours).toEqual(theirs);
    const users: unknown[] = [];
    for await (const page of paginateListUsers({ client: c.ours, pageSize: 3 }, { UserPoolId: POOL }))
      users.push(withoutMetadata(page as never));
    const sdkUsers: unknown[] = [];
    for await (const page of Sdk.paginateListUsers({ client: c.sdk, pageSize: 3 }, { UserPoolId: POOL }))
      sdkUsers.push(withoutMetadata(page as never));
    expect(users).toEqual(sdkUsers);
  });
});

describe("the same errors as the AWS SDK v3", () => {
  const eventId = () => t.core.getEvents(POOL, "alice")![0]!.EventId;
  const table: Array<[string, Operation, () => Record<string, unknown>, string]> = [
    [
      "an unknown user",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: POOL, Username: "nobody" }),
      "UserNotFoundException",
    ],
    [
      "an unknown pool",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: "us-east-1_nope", Username: "alice" }),
      "ResourceNotFoundException",
    ],
    [
      "a pool without threat protection",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: LITE_POOL, Username: "alice" }),
      "UserPoolAddOnNotEnabledException",
    ],
    [
      "a NextToken the service rejects",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: POOL, Username: "alice", NextToken: "bogus" }),
      "InvalidParameterException",
    ],
    [
      "MaxResults out of range",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 61 }),
      "InvalidParameterException",
    ],
    [
      "a malformed pool id",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: "nope", Username: "alice" }),
      "InvalidParameterException",
    ],
    [
      "a member of the wrong JSON type",
      "AdminListUserAuthEvents",
      () => ({ UserPoolId: POOL, Username: "alice", MaxResults: "5" }),
      "SerializationException",
    ],
    [
      "a Filter the service cannot parse",
      "ListUsers",
      () => ({ UserPoolId: POOL, Filter: "username contains x" }),
      "InvalidParameterException",
    ],
    [
      "a PaginationToken the service rejects",
      "ListUsers",
      () => ({ UserPoolId: POOL, PaginationToken: "bogus" }),
      "InvalidParameterException",
    ],
    [
      "an unknown event",
      "AdminUpdateAuthEventFeedback",
      () => ({ UserPoolId: POOL, Username: "alice", EventId: "nope", FeedbackValue: "Valid" }),
      "ResourceNotFoundException",
    ],
    [
      "a wrong feedback token",
      "UpdateAuthEventFeedback",
      () => ({
        UserPoolId: POOL,
        Username: "alice",
        EventId: eventId(),
        FeedbackToken: "wrong",
        FeedbackValue: "Valid",
      }),
      "NotAuthorizedException",
    ],
  ];
  it.each(table)("%s (%s)", async (_, operation, input, name) => {
    const r = await both(operation, input());
    expectSameRequest(r.sdkRequests[0], r.ourRequests[0]);
    expectSameError(r, name);
  });

  const faults: Array<[string, FaultRule, string]> = [
    ["throttling at HTTP 400", { kind: "throttle" }, "TooManyRequestsException"],
    ["throttling at HTTP 429", { kind: "throttle-429" }, "TooManyRequestsException"],
    ["an internal error (500)", { kind: "http-500" }, "InternalErrorException"],
    ["an unmodelled 503", { kind: "http-503" }, "ServiceUnavailableException"],
    [
      "an unmodelled client error",
      { kind: "error", errorType: "SomethingNewException", message: "New.", status: 400 },
      "SomethingNewException",
    ],
    [
      "a namespaced error type",
      {
        kind: "error",
        errorType: "com.amazonaws.cognitoidentityprovider#UserNotFoundException",
        message: "User does not exist.",
      },
      "UserNotFoundException",
    ],
  ];
  it.each(faults)("%s, without retries", async (_, rule, name) => {
    t.core.addFault(rule);
    const r = await both("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
    expectSameError(r, name);
  });

  it.each(faults.slice(0, 4))("%s, after the same number of retries", async (_, rule, name) => {
    t.core.addFault(rule);
    const r = await both(
      "AdminListUserAuthEvents",
      { UserPoolId: POOL, Username: "alice" },
      clients({ maxAttempts: 3 }),
    );
    expect(r.sdkRequests).toHaveLength(3);
    expect(r.ourRequests).toHaveLength(3);
    expectSameError(r, name);
  });

  it("recovers from the same burst with the same number of attempts", async () => {
    t.core.addFault({ kind: "throttle", times: 2 });
    const c = clients({ maxAttempts: 3 });
    const theirs = await c.sdk.send(
      new Sdk.AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice", MaxResults: 3 }),
    );
    t.core.clearFaults();
    t.core.addFault({ kind: "throttle", times: 2 });
    const ours = await c.ours.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice", MaxResults: 3 }),
    );
    expect(ours.$metadata.attempts).toBe(3);
    expect(ours.$metadata.attempts).toBe(theirs.$metadata.attempts);
    expect(withoutMetadata(ours as never)).toEqual(withoutMetadata(theirs as never));
  });

  it.each([
    [
      "an unknown access key",
      { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "emulator-secret" },
      "UnrecognizedClientException",
    ],
    [
      "a wrong secret key",
      { accessKeyId: "AKIDEMULATOR", secretAccessKey: "not-the-secret" },
      "InvalidSignatureException",
    ],
  ] as const)("%s", async (_, credentials, name) => {
    const r = await both("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" }, clients({ credentials }));
    expectSameError(r, name);
    expect(r.ours.ok ? "" : r.ours.error.message).not.toContain(credentials.secretAccessKey);
  });

  it("where the SDK throws an untyped SyntaxError (HTML or truncated bodies), we throw typed errors", async () => {
    // A deliberate difference, checked so it stays deliberate.
    for (const rule of [{ kind: "html", status: 502 }, { kind: "truncated-json" }] as FaultRule[]) {
      t.core.clearFaults();
      t.core.addFault(rule);
      const r = await both("AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" });
      expect(r.theirs.ok ? undefined : r.theirs.error.name).toBe("SyntaxError");
      const error = await rejection(Promise.reject(r.ours.ok ? new Error("we succeeded") : r.ours.error));
      expect((error as Error).name).toMatch(/^(NetworkError|UnknownServerError)$/);
    }
  });
});
