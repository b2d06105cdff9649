/**
 * A request that gets no answer fails with a NetworkError whose message names the root cause (the socket's error,
 * two causes deep in the runtime's `fetch failed`), as the AWS SDK's messages do; the original error stays its cause.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { CognitoIdentityProviderClient } from "../src/client.ts";
import { NetworkError } from "../src/errors.ts";
import { ListUsersCommand } from "../generated/commands.ts";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it("a refused connection reads 'ListUsers: fetch failed: connect ECONNREFUSED 127.0.0.1:PORT'", async () => {
  const port = await closedPort();
  const client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  const error = await client.send(new ListUsersCommand({ UserPoolId: "us-east-1_x" })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as Error).message).toBe(`ListUsers: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  expect((error as Error).cause).toBeInstanceOf(TypeError);
  expect((error as Error).message).not.toContain("secret");
});
