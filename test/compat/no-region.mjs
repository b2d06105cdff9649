// A module-level client where neither the environment nor the files give a region: importing the module works,
// the first call fails.
import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});
const result = { created: true };
try {
  await client.send(new ListUsersCommand({ UserPoolId: "us-east-1_x" }));
} catch (err) {
  Object.assign(result, { name: err.name, regionMissing: err.message.startsWith("Region is missing") });
}
console.log(JSON.stringify(result));
