// Prints every auth event of one user as JSON lines, newest first.
//   npm install cognito-auth-events
//   AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... node list-events.mjs eu-west-1_AbCdEf123 alice
// (COGNITO_ENDPOINT=http://127.0.0.1:PORT points it at the local emulator: `npx cognito-auth-events emulator`.)
import {
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
  UserNotFoundException,
} from "cognito-auth-events";

const [UserPoolId, Username] = process.argv.slice(2);
const client = new CognitoIdentityProviderClient({ endpoint: process.env.COGNITO_ENDPOINT }); // region, credentials: AWS_* env

try {
  for await (const event of paginateAdminListUserAuthEvents.items({ client, pageSize: 60 }, { UserPoolId, Username })) {
    const { EventId, CreationDate, EventType, EventResponse, EventRisk } = event;
    console.log(
      JSON.stringify({ EventId, CreationDate, EventType, EventResponse, RiskDecision: EventRisk?.RiskDecision }),
    );
  }
} catch (error) {
  if (!(error instanceof UserNotFoundException)) throw error;
  console.error(`No user ${Username} in ${UserPoolId}`);
  process.exitCode = 1;
}
