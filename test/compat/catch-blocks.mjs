// Catch blocks as services write them: by class, by name, by fault, by status, and the error logged as JSON.
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  InvalidParameterException,
  ListUsersCommand,
  UserNotFoundException,
  UserPoolAddOnNotEnabledException,
} from "@aws-sdk/client-cognito-identity-provider";

const client = new CognitoIdentityProviderClient({});
const pool = process.env.COMPAT_POOL;

async function outcome(command) {
  try {
    const out = await client.send(command);
    return { ok: Object.keys(out).sort() };
  } catch (err) {
    // The request id differs per run; everything else is compared.
    const logged = JSON.parse(JSON.stringify(err));
    if (logged.$metadata) logged.$metadata.requestId = typeof logged.$metadata.requestId;
    return {
      name: err.name,
      message: err.message,
      fault: err.$fault,
      status: err.$metadata?.httpStatusCode,
      byClass: {
        UserNotFoundException: err instanceof UserNotFoundException,
        InvalidParameterException: err instanceof InvalidParameterException,
        UserPoolAddOnNotEnabledException: err instanceof UserPoolAddOnNotEnabledException,
        ServiceException: err instanceof CognitoIdentityProviderServiceException,
        Error: err instanceof Error,
      },
      byName:
        err.name === "InvalidParameterException"
          ? "invalid input"
          : err.name === "UserNotFoundException"
            ? "no user"
            : "other",
      logged,
    };
  }
}

console.log(
  JSON.stringify([
    await outcome(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "nobody" })),
    // An unset environment variable where the pool id should be: the service says so.
    await outcome(new ListUsersCommand({ UserPoolId: process.env.COMPAT_UNSET })),
    await outcome(new ListUsersCommand({ UserPoolId: pool, Limit: 100 })),
    await outcome(new ListUsersCommand({ UserPoolId: "not a pool id" })),
    await outcome(
      new AdminListUserAuthEventsCommand({
        UserPoolId: process.env.COMPAT_LITE_POOL,
        Username: process.env.COMPAT_USER,
      }),
    ),
    await outcome(new ListUsersCommand({ UserPoolId: pool, Limit: 1 })),
  ]),
);
