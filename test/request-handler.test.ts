/**
 * `requestHandler` on Node (the Node build's client): an AWS SDK handler's `handle()` is the transport, so its
 * timeouts and agents apply (`new NodeHttpHandler({ requestTimeout, httpAgent })`), as does any object with
 * `handle()`; the handler-options object form honours `requestTimeout` and refuses the rest by name. Against the
 * emulator over real HTTP on 127.0.0.1.
 */
import { Agent } from "node:http";
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { CognitoIdentityProviderClient, ListUsersCommand, UserNotFoundException } from "../src/node/default-entry.ts";
import { AdminListUserAuthEventsCommand } from "../src/index.ts";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 3 });
});
afterAll(() => emulator.close());

const demo = () => emulator.core.demo!;
const client = (config: Record<string, unknown>) =>
  new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: emulator.url,
    credentials: demo().credentials!,
    ...config,
  });

describe("requestHandler", () => {
  it("sends through a NodeHttpHandler and its http agent", async () => {
    const agent = new Agent({ keepAlive: true });
    let sockets = 0;
    agent.on("free", () => sockets++);
    const c = client({ requestHandler: new NodeHttpHandler({ httpAgent: agent }) });
    const page = await c.send(new ListUsersCommand({ UserPoolId: demo().poolId, Limit: 2 }));
    expect(page.Users).toHaveLength(2);
    expect(page.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(sockets).toBeGreaterThan(0);
    // Errors are the modelled classes, as with fetch.
    await expect(
      c.send(new AdminListUserAuthEventsCommand({ UserPoolId: demo().poolId, Username: "nobody" })),
    ).rejects.toBeInstanceOf(UserNotFoundException);
    agent.destroy();
  });

  it("honours the handler's requestTimeout as the SDK does: a warning by default, a retried TimeoutError with throwOnRequestTimeout", async () => {
    const removeFault = emulator.core.addFault({ kind: "slow", delayMs: 1_000, operation: "ListUsers" });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    try {
      const input = { UserPoolId: demo().poolId, Limit: 1 };
      // The handler's default: it warns on its logger and lets the answer arrive.
      const warned = client({ requestHandler: new NodeHttpHandler({ requestTimeout: 100, logger }) });
      expect((await warned.send(new ListUsersCommand(input))).Users).toHaveLength(1);
      expect(warnings.join("\n")).toContain("exceeded the configured 100 ms requestTimeout");
      const strict = new NodeHttpHandler({ requestTimeout: 100, throwOnRequestTimeout: true });
      const ours = (await client({ requestHandler: strict, maxAttempts: 2 })
        .send(new ListUsersCommand(input))
        .catch((e: unknown) => e)) as Error;
      expect(ours).toMatchObject({ name: "TimeoutError", $metadata: { attempts: 2 } });
      const theirs = (await new Sdk.CognitoIdentityProviderClient({
        region: "us-east-1",
        endpoint: emulator.url,
        credentials: demo().credentials!,
        requestHandler: strict,
        maxAttempts: 2,
      })
        .send(new Sdk.ListUsersCommand(input))
        .catch((e: unknown) => e)) as Error & { $metadata: { attempts: number } };
      expect([ours.name, (ours as typeof theirs).$metadata.attempts]).toEqual([theirs.name, theirs.$metadata.attempts]);
    } finally {
      removeFault();
    }
  });

  it("takes any object with the handler's handle()", async () => {
    const seen: { path: string; target: unknown }[] = [];
    const handler = {
      async handle(request: { path: string; headers: Record<string, string> }) {
        seen.push({ path: request.path, target: request.headers["x-amz-target"] });
        return { response: { statusCode: 200, headers: { "x-amzn-requestid": "h" }, body: '{"Users":[]}' } };
      },
    };
    const page = await client({ requestHandler: handler }).send(new ListUsersCommand({ UserPoolId: demo().poolId }));
    expect(page).toEqual({
      Users: [],
      $metadata: { httpStatusCode: 200, requestId: "h", attempts: 1, totalRetryDelay: 0 },
    });
    expect(seen).toEqual([{ path: "/", target: "AWSCognitoIdentityProviderService.ListUsers" }]);
  });

  it("the options-object form honours requestTimeout and refuses agent and socket settings by name", async () => {
    expect(client({ requestHandler: { requestTimeout: 1234 } }).config.requestTimeout).toBe(1234);
    expect(() => client({ requestHandler: { httpsAgent: {} } })).toThrow(
      "requestHandler.httpsAgent needs the handler itself: pass requestHandler: new NodeHttpHandler({ httpsAgent })",
    );
    expect(() => client({ requestHandler: new NodeHttpHandler(), fetch })).toThrow(
      "fetch and requestHandler: pass one of them",
    );
  });
});
