// Callback-style code and the aggregated client, as older services and scripts use them.
import {
  CognitoIdentityProvider,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";

const UserPoolId = process.env.COMPAT_POOL;
const client = new CognitoIdentityProviderClient({});
const cognito = new CognitoIdentityProvider({});

const viaCallback = (send) =>
  new Promise((resolve) => send((err, data) => resolve(err ? { error: err.name } : { users: data.Users.length })));

console.log(
  JSON.stringify({
    sendCallback: await viaCallback((cb) => client.send(new ListUsersCommand({ UserPoolId, Limit: 2 }), cb)),
    sendOptionsCallback: await viaCallback((cb) => client.send(new ListUsersCommand({ UserPoolId, Limit: 3 }), {}, cb)),
    sendCallbackError: await viaCallback((cb) => client.send(new ListUsersCommand({ UserPoolId: "bad id" }), cb)),
    returnsUndefined: client.send(new ListUsersCommand({ UserPoolId }), () => {}) === undefined,
    aggregatedPromise: (await cognito.listUsers({ UserPoolId, Limit: 1 })).Users.length,
    aggregatedCallback: await viaCallback((cb) => cognito.listUsers({ UserPoolId, Limit: 2 }, cb)),
    aggregatedIsAClient: cognito instanceof CognitoIdentityProviderClient,
    aggregatedEvents: (
      await cognito.adminListUserAuthEvents({ UserPoolId, Username: process.env.COMPAT_USER, MaxResults: 2 })
    ).AuthEvents.length,
    region: await cognito.config.region(),
  }),
);
