// A test suite's shape: the module under test creates its client at load, then the test starts MSW with the
// emulator's handlers (onUnhandledRequest: "error") and calls it. Requests must reach MSW, never AWS.
import {
  CognitoIdentityProviderClient,
  AdminListUserAuthEventsCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { EmulatorCore, createEmulatorHandlers } from "cognito-auth-events/msw";
import { setupServer } from "msw/node";

const core = new EmulatorCore({ seed: "compat-msw" });
const { poolId, username, credentials } = core.demo;
// The module under test.
const client = new CognitoIdentityProviderClient({ region: "us-east-1", credentials });

const server = setupServer(...createEmulatorHandlers(core));
server.listen({ onUnhandledRequest: "error" });
try {
  const page = await client.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: 4 }),
  );
  let missing;
  try {
    await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "ghost" }));
  } catch (err) {
    missing = err instanceof UserNotFoundException;
  }
  console.log(
    JSON.stringify({ events: page.AuthEvents.map((e) => e.EventId), missing, handled: core.requestLog.length }),
  );
} finally {
  server.close();
}
