import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmulatorCore } from "../src/emulator/core.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/server.ts";
import type { EmulatorOptions, FaultRule } from "../src/emulator/types.ts";
import { call, NOW, POOL, request, send } from "./fixtures/emulator/helpers.ts";

const list = { UserPoolId: POOL, Username: "alice", MaxResults: 5 };
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ users: 3, events: 10 });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.core.clearFaults();
});

const inject = (rule: FaultRule) => emulator.core.addFault(rule);

describe("fault modes over HTTP", () => {
  it("throttle: TooManyRequestsException 'Rate exceeded' at HTTP 400", async () => {
    inject({ kind: "throttle" });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("TooManyRequestsException:");
    expect(await res.json()).toEqual({ __type: "TooManyRequestsException", message: "Rate exceeded" });
  });

  it("throttle-429: the same error at HTTP 429", async () => {
    inject({ kind: "throttle-429" });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(429);
    expect((await res.json()).__type).toBe("TooManyRequestsException");
  });

  it("http-500: InternalErrorException at HTTP 500", async () => {
    inject({ kind: "http-500" });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(500);
    expect((await res.json()).__type).toBe("InternalErrorException");
  });

  it("http-503: ServiceUnavailableException at HTTP 503", async () => {
    inject({ kind: "http-503" });
    const res = await send(emulator.url, "ListUsers", { UserPoolId: POOL });
    expect(res.status).toBe(503);
    expect((await res.json()).__type).toBe("ServiceUnavailableException");
  });

  it("error: any modelled error with its status and message", async () => {
    inject({ kind: "error", errorType: "NotAuthorizedException", message: "Not allowed.", status: 400 });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: "NotAuthorizedException", message: "Not allowed." });
  });

  it("html: an HTML error page as a load balancer sends it", async () => {
    inject({ kind: "html", status: 504 });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(504);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toContain("<title>504 Gateway Timeout</title>");
  });

  it("slow: the normal answer after the delay", async () => {
    inject({ kind: "slow", delayMs: 300 });
    const started = performance.now();
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect((await res.json()).AuthEvents).toHaveLength(5);
  });

  it("reset: headers and part of the body, then the body read fails", async () => {
    inject({ kind: "reset" });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("reset: a TCP RST on the socket after the bytes it promised", async () => {
    inject({ kind: "reset", afterBytes: 10 });
    const req = await request(`${emulator.url}/`, "AdminListUserAuthEvents", list, { date: new Date() });
    const head = [
      `POST / HTTP/1.1`,
      ...Object.entries({
        ...req.headers,
        host: `127.0.0.1:${emulator.port}`,
        "content-length": String(Buffer.byteLength(req.body)),
      }).map(([k, v]) => `${k}: ${v}`),
    ];
    const { data, error } = await new Promise<{ data: string; error?: NodeJS.ErrnoException }>((resolve) => {
      let data = "";
      const socket = connect(emulator.port, "127.0.0.1", () => socket.write(`${head.join("\r\n")}\r\n\r\n${req.body}`));
      socket.on("data", (chunk) => (data += chunk.toString("utf8")));
      socket.on("error", (error) => resolve({ data, error }));
      socket.on("close", () => resolve({ data }));
    });
    // The server sends RST; a client that reads the data and the RST in one wake-up may only
    // see the stream end, so both count, as long as the body stops at the promised bytes.
    expect(error?.code ?? "end of stream").toMatch(/^(ECONNRESET|end of stream)$/);
    expect(data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const length = Number(/content-length: (\d+)/i.exec(data)?.[1]);
    expect(length).toBeGreaterThan(10);
    expect(data.slice(data.indexOf("\r\n\r\n") + 4)).toBe('{"AuthEven');
  });

  it("reset with afterBytes 0: the connection drops before any response", async () => {
    inject({ kind: "reset", afterBytes: 0 });
    await expect(send(emulator.url, "AdminListUserAuthEvents", list)).rejects.toThrow(/fetch failed/);
  });

  it("truncated-json: HTTP 200 with half a JSON body and a matching Content-Length", async () => {
    inject({ kind: "truncated-json" });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
    expect(text.startsWith('{"AuthEvents":[')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it("skewed-date: the Date header is off by skewSeconds", async () => {
    inject({ kind: "skewed-date", skewSeconds: -3600 });
    const res = await send(emulator.url, "AdminListUserAuthEvents", list);
    expect(res.status).toBe(200);
    const skew = Date.parse(res.headers.get("date") ?? "") - Date.now();
    expect(skew).toBeGreaterThan(-3605_000);
    expect(skew).toBeLessThan(-3595_000);
  });
});

describe("fault selection", () => {
  const newCore = (faults: FaultRule[], seed?: string) =>
    new EmulatorCore({ now: () => NOW, users: 3, events: 3, faults, ...(seed ? { seed } : {}) });
  const statuses = async (
    core: EmulatorCore,
    n: number,
    input: Record<string, unknown> = list,
    operation = "AdminListUserAuthEvents",
  ) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await call(core, operation, input)).response.status);
    return out;
  };

  it("counts matching requests: after, every and times", async () => {
    expect(await statuses(newCore([{ kind: "http-500", after: 1, every: 2, times: 2 }]), 7)).toEqual([
      200, 500, 200, 500, 200, 200, 200,
    ]);
  });

  it("matches by operation, pool and user", async () => {
    const core = newCore([
      { kind: "throttle", operation: "ListUsers" },
      { kind: "http-503", userPoolId: POOL, username: "bob.nohistory" },
    ]);
    expect(await statuses(core, 1)).toEqual([200]);
    expect(await statuses(core, 1, { UserPoolId: POOL }, "ListUsers")).toEqual([400]);
    expect(await statuses(core, 1, { UserPoolId: POOL, Username: "bob.nohistory" })).toEqual([503]);
  });

  it("draws probabilities from the seed: the same seed injects into the same requests", async () => {
    const rule: FaultRule = { kind: "http-500", probability: 0.5 };
    const a = await statuses(newCore([rule], "p"), 20);
    expect(await statuses(newCore([rule], "p"), 20)).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it("adds and removes rules at run time", async () => {
    const core = newCore([]);
    const remove = core.addFault({ kind: "http-500" });
    expect(await statuses(core, 1)).toEqual([500]);
    remove();
    expect(await statuses(core, 1)).toEqual([200]);
    core.addFault({ kind: "http-500" });
    core.clearFaults();
    expect(await statuses(core, 1)).toEqual([200]);
  });

  it("records injected faults in the request log", async () => {
    const core = newCore([{ kind: "slow", delayMs: 1 }, { kind: "skewed-date" }]);
    const { response } = await call(core, "AdminListUserAuthEvents", list);
    expect(response.delayMs).toBe(1);
    expect(core.requestLog.at(-1)?.faults).toEqual(["slow", "skewed-date"]);
  });
});

describe("quotas", () => {
  const clock = { t: NOW };
  const quotaCore = (quotas: EmulatorOptions["quotas"]) =>
    new EmulatorCore({ now: () => clock.t, users: 4, events: 1, ...(quotas === undefined ? {} : { quotas }) });

  it("allows 10 reads per second per user, then TooManyRequestsException, then again a second later", async () => {
    clock.t = NOW;
    const core = quotaCore(true);
    const results: number[] = [];
    for (let i = 0; i < 11; i++) results.push((await call(core, "AdminListUserAuthEvents", list)).response.status);
    expect(results).toEqual([...Array(10).fill(200), 400]);
    const throttled = await call(core, "AdminListUserAuthEvents", list);
    expect(throttled.json).toEqual({ __type: "TooManyRequestsException", message: "Rate exceeded" });
    expect((await call(core, "AdminListUserAuthEvents", { ...list, Username: "bob.nohistory" })).response.status).toBe(
      200,
    );
    clock.t = NOW + 1001;
    expect((await call(core, "AdminListUserAuthEvents", list)).response.status).toBe(200);
  });

  it("limits AdminListUserAuthEvents across users, ListUsers and feedback by their own quotas", async () => {
    clock.t = NOW;
    const core = quotaCore({ adminListUserAuthEvents: 3, listUsers: 2, feedback: 1 });
    const users = ["alice", "bob.nohistory", "alice", "bob.nohistory"];
    const reads: number[] = [];
    for (const Username of users)
      reads.push((await call(core, "AdminListUserAuthEvents", { ...list, Username })).response.status);
    expect(reads).toEqual([200, 200, 200, 400]);
    const listUsers: number[] = [];
    for (let i = 0; i < 3; i++) listUsers.push((await call(core, "ListUsers", { UserPoolId: POOL })).response.status);
    expect(listUsers).toEqual([200, 200, 400]);
    const eventId = core.getEvents(POOL, "alice")?.[0]?.EventId;
    const fb = { UserPoolId: POOL, Username: "alice", EventId: eventId, FeedbackValue: "Valid" };
    expect((await call(core, "AdminUpdateAuthEventFeedback", fb)).response.status).toBe(200);
    expect((await call(core, "AdminUpdateAuthEventFeedback", fb)).json.__type).toBe("TooManyRequestsException");
  });

  it("counts the two feedback operations against one quota of 25 per second", async () => {
    clock.t = NOW;
    const core = quotaCore(true);
    const events = core.getEvents(POOL, "alice")!;
    const admin = { UserPoolId: POOL, Username: "alice", EventId: events[0]!.EventId, FeedbackValue: "Valid" };
    const user = { ...admin, FeedbackToken: core.getFeedbackToken(POOL, "alice", events[0]!.EventId!) };
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) {
      const [operation, input] =
        i % 2 === 0 ? ["AdminUpdateAuthEventFeedback", admin] : ["UpdateAuthEventFeedback", user];
      statuses.push((await call(core, operation as never, input)).response.status);
    }
    expect(statuses).toEqual([...Array(25).fill(200), 400]);
    clock.t = NOW + 1001;
    expect((await call(core, "UpdateAuthEventFeedback", user)).response.status).toBe(200);
  });

  it("enforces nothing unless asked", async () => {
    clock.t = NOW;
    const core = quotaCore(undefined);
    const results = new Set<number>();
    for (let i = 0; i < 60; i++) results.add((await call(core, "AdminListUserAuthEvents", list)).response.status);
    expect([...results]).toEqual([200]);
  });
});
