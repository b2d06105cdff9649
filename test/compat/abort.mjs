// Cancelling: an abort signal already fired, and one fired while the request is in flight (the emulator is slow).
import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});
const read = (err) => ({ name: err.name, message: err.message, json: JSON.stringify(err) });

const before = new AbortController();
before.abort();
const results = {};
try {
  await client.send(new ListUsersCommand({ UserPoolId: process.env.COMPAT_POOL }), { abortSignal: before.signal });
} catch (err) {
  results.alreadyAborted = read(err);
}
try {
  await client.send(new ListUsersCommand({ UserPoolId: process.env.COMPAT_SLOW_POOL }), {
    abortSignal: AbortSignal.timeout(200),
  });
} catch (err) {
  results.abortedInFlight = read(err);
}
console.log(JSON.stringify(results));
