// A table of a user's latest 20 sign-ins.
//   deno run --allow-net --allow-env main.ts eu-west-1_AbCdEf123 alice
// Region and credentials come from AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);
// COGNITO_ENDPOINT=http://127.0.0.1:PORT points it at the local emulator.
import { CognitoIdentityProviderClient, EventType, paginateAdminListUserAuthEvents } from "cognito-auth-events";

const [UserPoolId, Username] = Deno.args;
const client = new CognitoIdentityProviderClient({ endpoint: Deno.env.get("COGNITO_ENDPOINT") });

const signIns = [];
for await (const event of paginateAdminListUserAuthEvents.items({ client }, { UserPoolId, Username })) {
  if (event.EventType !== EventType.SignIn) continue;
  signIns.push({
    date: event.CreationDate?.toISOString(),
    result: event.EventResponse,
    risk: event.EventRisk?.RiskDecision ?? "-",
    city: event.EventContextData?.City ?? "-",
  });
  if (signIns.length === 20) break;
}
console.table(signIns);
