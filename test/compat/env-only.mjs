// Configuration from the shared files only (a developer laptop): AWS_PROFILE selects a profile whose region,
// credentials and endpoint (a services section) come from ~/.aws/config and ~/.aws/credentials.
import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient();
const out = await client.send(new ListUsersCommand({ UserPoolId: process.env.COMPAT_POOL, Limit: 2 }));
const credentials = await client.config.credentials();
console.log(
  JSON.stringify({
    region: await client.config.region(),
    maxAttempts: await client.config.maxAttempts(),
    accessKeyId: credentials.accessKeyId,
    users: out.Users.length,
    endpoint: await client.config.endpoint?.(),
  }),
);
