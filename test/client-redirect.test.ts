/**
 * The default entry's client answers a redirect with an error, as the AWS SDK's does, whatever `fetch` it sends with:
 * a signed request and its session token never go to a `Location`. (The lite client leaves redirects to its fetch.)
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AdminListUserAuthEventsCommand, CognitoIdentityProviderClient } from "../src/index.ts";
import { createNodeFetch } from "../src/node/index.ts";

const reached: string[] = [];
let redirecting: Server;
let target: Server;
const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  target = createServer((req, res) => {
    reached.push(String(req.headers["x-amz-security-token"]));
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end('{"AuthEvents":[]}');
  });
  target.listen(0, "127.0.0.1");
  await once(target, "listening");
  // Another origin for the target: localhost instead of 127.0.0.1.
  const location = `${origin(target).replace("127.0.0.1", "localhost")}/loot`;
  redirecting = createServer((_req, res) => res.writeHead(307, { location }).end());
  redirecting.listen(0, "127.0.0.1");
  await once(redirecting, "listening");
});
afterAll(() => {
  redirecting.close();
  target.close();
});

const nodeFetch = createNodeFetch();
afterAll(() => nodeFetch.close());

it.each([
  ["the global fetch", undefined],
  ["createNodeFetch() as a fetch", nodeFetch],
  ["createNodeFetch().exchange", nodeFetch.exchange],
])("with %s, a 307 fails the call with its status and nothing reaches the Location", async (_name, fetch) => {
  reached.length = 0;
  const client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: origin(redirecting),
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "session-token" },
    maxAttempts: 1,
    ...(fetch ? { fetch } : {}),
  });
  const error = await client
    .send(new AdminListUserAuthEventsCommand({ UserPoolId: "us-east-1_example", Username: "alice" }))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toMatchObject({ $fault: "client", $metadata: { httpStatusCode: 307 } });
  expect(reached).toEqual([]);
});
