// A service in an ECS task (or on EC2): no keys anywhere, the default chain finds the task role's temporary
// credentials at the container credentials endpoint (or the instance's at the metadata service), and refreshes them.
import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});
const { Users } = await client.send(new ListUsersCommand({ UserPoolId: process.env.COMPAT_POOL, Limit: 2 }));
const credentials = await client.config.credentials();
console.log(
  JSON.stringify({
    users: Users.length,
    accessKeyId: credentials.accessKeyId,
    temporary: typeof credentials.sessionToken === "string" && credentials.expiration instanceof Date,
  }),
);
