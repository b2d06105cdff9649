import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorCore } from "../src/emulator/core.ts";
import { createEmulatorHandlers } from "../src/emulator/msw.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/server.ts";
import type { EmulatorOptions } from "../src/emulator/types.ts";
import { countingIds, CREDENTIALS, ENDPOINT, NOW, POOL, request, send } from "./fixtures/emulator/helpers.ts";

const MSW_ENDPOINT = "https://cognito-idp.us-east-1.amazonaws.com/";
const sameOptions = (): EmulatorOptions => ({
  seed: "adapters",
  users: 4,
  events: 12,
  now: () => NOW,
  requestId: countingIds(),
  faults: [
    { kind: "truncated-json", operation: "ListUsers", after: 1, times: 1 },
    { kind: "html", operation: "ListUsers", after: 2, times: 1 },
    { kind: "throttle-429", username: "nobody", after: 1 },
  ],
});

// The same core is served by real HTTP and by MSW; MSW lets loopback traffic through.
const mswCore = new EmulatorCore(sameOptions());
const msw = setupServer(...createEmulatorHandlers(mswCore, { endpoint: MSW_ENDPOINT }));
let http: RunningEmulator;
let sdkEmulator: RunningEmulator;

beforeAll(async () => {
  msw.listen({
    onUnhandledRequest: (req, print) => {
      if (new URL(req.url).hostname !== "127.0.0.1") print.error();
    },
  });
  http = await startEmulator(sameOptions());
  sdkEmulator = await startEmulator({ users: 3, events: 75 });
});
afterAll(async () => {
  msw.close();
  await http.close();
  await sdkEmulator.close();
});

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}
async function over(url: string, operation: string, input: unknown, unsigned = false): Promise<Seen> {
  const req = await request(url, operation, input, { unsigned });
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(url, { method: "POST", headers, body: req.body });
  const seen: Record<string, string> = {};
  // Connection management headers belong to the HTTP transport, not to the answer.
  res.headers.forEach((value, name) => {
    if (!["connection", "keep-alive", "transfer-encoding"].includes(name)) seen[name] = value;
  });
  return { status: res.status, headers: seen, body: await res.text() };
}

describe("MSW handlers and HTTP server", () => {
  it("answer every request identically: status, headers and body", async () => {
    const steps: Array<[string, (prev: Seen | undefined) => unknown, boolean?]> = [
      ["AdminListUserAuthEvents", () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 5 })],
      [
        "AdminListUserAuthEvents",
        (prev) => ({
          UserPoolId: POOL,
          Username: "alice",
          MaxResults: 5,
          NextToken: JSON.parse(prev?.body ?? "{}").NextToken,
        }),
      ],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: POOL, Username: "nobody" })],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: POOL, Username: "nobody" })],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: "bad", Username: "alice", MaxResults: 99 })],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: "us-east-1_demoLite", Username: "alice" })],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: POOL, Username: "alice" }), true],
      ["ListUsers", () => ({ UserPoolId: POOL, Filter: 'username ^= "a"' })],
      ["ListUsers", () => ({ UserPoolId: POOL })],
      ["ListUsers", () => ({ UserPoolId: POOL })],
      [
        "AdminUpdateAuthEventFeedback",
        () => ({
          UserPoolId: POOL,
          Username: "alice",
          EventId: mswCore.getEvents(POOL, "alice")?.[1]?.EventId,
          FeedbackValue: "Invalid",
        }),
      ],
      ["AdminListUserAuthEvents", () => ({ UserPoolId: POOL, Username: "alice", MaxResults: 2 })],
      ["NotAnOperation", () => ({})],
    ];
    let previous: Seen | undefined;
    const statuses: number[] = [];
    for (const [operation, input, unsigned] of steps) {
      const body = input(previous);
      const viaMsw = await over(MSW_ENDPOINT, operation, body, unsigned);
      const viaHttp = await over(http.url, operation, body, unsigned);
      expect(viaHttp, `${operation} ${JSON.stringify(body)}`).toEqual(viaMsw);
      statuses.push(viaMsw.status);
      previous = viaMsw;
    }
    expect(statuses).toEqual([200, 200, 400, 429, 400, 400, 400, 200, 200, 502, 200, 200, 400]);
    expect(previous?.headers["x-amzn-requestid"]).toBe("00000000-0000-4000-8000-000000000013");
  });

  it("MSW: a reset mid-body fails the body read, a reset at 0 bytes fails the fetch", async () => {
    const removeMid = mswCore.addFault({ kind: "reset", times: 1 });
    const res = await send(
      MSW_ENDPOINT,
      "AdminListUserAuthEvents",
      { UserPoolId: POOL, Username: "alice" },
      { date: new Date(NOW) },
    );
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    removeMid();
    mswCore.addFault({ kind: "reset", afterBytes: 0, times: 1 });
    await expect(
      send(MSW_ENDPOINT, "AdminListUserAuthEvents", { UserPoolId: POOL, Username: "alice" }, { date: new Date(NOW) }),
    ).rejects.toThrow();
  });

  it("MSW: a slow answer arrives after its delay", async () => {
    mswCore.addFault({ kind: "slow", delayMs: 200, times: 1 });
    const started = performance.now();
    const res = await send(MSW_ENDPOINT, "ListUsers", { UserPoolId: POOL, Limit: 1 }, { date: new Date(NOW) });
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
    expect(res.status).toBe(200);
  });

  it("creates its own core from options and intercepts every region by default", async () => {
    const handlers = createEmulatorHandlers({ checkSignatures: false, users: 2, events: 1 });
    expect(handlers).toHaveLength(1);
    msw.use(...handlers);
    try {
      const res = await send(
        "https://cognito-idp.eu-west-1.amazonaws.com/",
        "ListUsers",
        { UserPoolId: POOL },
        { unsigned: true },
      );
      expect(((await res.json()) as { Users: unknown[] }).Users).toHaveLength(2);
    } finally {
      msw.resetHandlers();
    }
  });
});

describe("AWS SDK v3 against the emulator", () => {
  // The MSW core's clock is fixed at NOW: the SDK signs at that time through systemClockOffset.
  const sdk = (endpoint: string, clockOffset = 0) =>
    new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      systemClockOffset: clockOffset,
    });

  it("lists events with Date timestamps over HTTP and pages with its paginator", async () => {
    const client = sdk(sdkEmulator.url);
    const page = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "alice", MaxResults: 3 }),
    );
    expect(page.AuthEvents).toHaveLength(3);
    expect(page.AuthEvents?.[0]?.CreationDate).toBeInstanceOf(Date);
    let total = 0;
    for await (const p of paginateAdminListUserAuthEvents(
      { client, pageSize: 25 },
      { UserPoolId: POOL, Username: "alice" },
    )) {
      total += p.AuthEvents?.length ?? 0;
    }
    expect(total).toBe(75);
  });

  it("gets the SDK's UserNotFoundException class, through MSW too", async () => {
    for (const [endpoint, offset] of [
      [sdkEmulator.url, 0],
      [ENDPOINT, NOW - Date.now()],
    ] as const) {
      const error = await sdk(endpoint, offset)
        .send(new AdminListUserAuthEventsCommand({ UserPoolId: POOL, Username: "no-such-user" }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserNotFoundException);
      expect((error as UserNotFoundException).message).toBe("User does not exist.");
      expect((error as UserNotFoundException).$metadata.httpStatusCode).toBe(400);
    }
  });
});

describe("HTTP server lifecycle", () => {
  it("binds 127.0.0.1 on an ephemeral port", async () => {
    const a = await startEmulator({ users: 1, events: 0 });
    const b = await startEmulator({ core: a.core });
    try {
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      expect(a.port).toBeGreaterThan(0);
      expect(b.port).not.toBe(a.port);
      expect(b.core).toBe(a.core);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("close() drops keep-alive connections and pending slow answers, then refuses connections", async () => {
    const emulator = await startEmulator({ users: 1, events: 1 });
    const first = await send(emulator.url, "ListUsers", { UserPoolId: POOL });
    expect(first.status).toBe(200);
    await first.text();
    emulator.core.addFault({ kind: "slow", delayMs: 10_000 });
    const pending = send(emulator.url, "ListUsers", { UserPoolId: POOL }).then(
      () => "answered",
      () => "failed",
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBe("failed");
    await expect(send(emulator.url, "ListUsers", { UserPoolId: POOL })).rejects.toThrow();
  });

  it("rejects a bad port with a TypeError", async () => {
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(/port/);
  });
});
