/**
 * The usual shape of a service and its test suite: the client is created when its module loads, and the test's MSW
 * server starts listening afterwards. The client looks `globalThis.fetch` up for each request, so its requests reach
 * MSW (and an unhandled one is an error), never the real service; a `fetch` given as an option stays fixed.
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EmulatorCore, createEmulatorHandlers } from "../src/emulator/msw.ts";
import { AdminListUserAuthEventsCommand, CognitoIdentityProviderClient, ListUsersCommand } from "../src/index.ts";

const core = new EmulatorCore({ seed: 7 });
const { poolId, username, credentials } = core.demo!;

// Module load: before any MSW server patches fetch.
const moduleClient = new CognitoIdentityProviderClient({ region: "us-east-1", credentials: credentials! });
const unhandledClient = new CognitoIdentityProviderClient({
  region: "us-east-1",
  credentials: credentials!,
  endpoint: "https://unhandled.example.invalid",
  maxAttempts: 1,
});
const fixedFetch = vi.fn(async () => Response.json({ Users: [] }, { headers: { "x-amzn-requestid": "fixed" } }));
const clientWithFetch = new CognitoIdentityProviderClient({
  region: "us-east-1",
  credentials: credentials!,
  fetch: fixedFetch,
});

const server = setupServer(...createEmulatorHandlers(core));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describe("a client created at module load, before server.listen()", () => {
  it("sends to MSW's emulator handlers", async () => {
    const page = await moduleClient.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }),
    );
    expect(page.AuthEvents?.length).toBeGreaterThan(0);
    expect(page.$metadata.httpStatusCode).toBe(200);
  });

  it("an unhandled request is MSW's error, not a request to the network", async () => {
    // MSW also reports it on console.error: held here, so the test output stays the test results.
    const reported: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void reported.push(...args));
    const err = (await unhandledClient
      .send(new ListUsersCommand({ UserPoolId: poolId }))
      .catch((e: unknown) => e)
      .finally(() => spy.mockRestore())) as Error;
    expect(err).toMatchObject({ name: "NetworkError" });
    expect(String((err.cause as Error)?.cause ?? err.cause)).toMatch(/\[MSW\]/);
    expect(reported.join("\n")).toMatch(/\[MSW\].*without a matching request handler/);
  });

  it("a fetch given as an option stays the one used", async () => {
    const page = await clientWithFetch.send(new ListUsersCommand({ UserPoolId: poolId }));
    expect(page.$metadata.requestId).toBe("fixed");
    expect(fixedFetch).toHaveBeenCalledTimes(1);
  });
});
