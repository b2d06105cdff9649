// A Lambda handler behind API Gateway: a module-level client (created once per container, from the environment),
// errors mapped to HTTP statuses by class and by name. The bottom of the file plays the Lambda runtime.
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});

export const handler = async (event) => {
  try {
    const { AuthEvents } = await client.send(
      new AdminListUserAuthEventsCommand({
        UserPoolId: process.env.COMPAT_POOL,
        Username: event.pathParameters.username,
        MaxResults: Number(event.queryStringParameters?.limit ?? 5),
      }),
    );
    return { statusCode: 200, body: JSON.stringify(AuthEvents.map((e) => [e.EventType, e.EventResponse])) };
  } catch (err) {
    if (err instanceof UserNotFoundException) return { statusCode: 404, body: err.message };
    if (err.name === "InvalidParameterException") return { statusCode: 400, body: err.message };
    if (err instanceof CognitoIdentityProviderServiceException)
      return { statusCode: err.$metadata.httpStatusCode ?? 500, body: `${err.name} (${err.$fault})` };
    throw err;
  }
};

const results = [];
for (const event of [
  { pathParameters: { username: process.env.COMPAT_USER }, queryStringParameters: { limit: "3" } },
  { pathParameters: { username: "no-such-user" } },
  { pathParameters: { username: process.env.COMPAT_USER }, queryStringParameters: { limit: "100" } },
])
  results.push(await handler(event));
console.log(JSON.stringify(results));
