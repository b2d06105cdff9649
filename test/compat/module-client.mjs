// A service module: the client is created when the module loads, from the environment only (AWS_REGION,
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ACCESS_KEY_ID...), and a function lists a user's recent sign-ins.
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  EventType,
  RiskDecisionType,
} from "@aws-sdk/client-cognito-identity-provider";

const cognito = new CognitoIdentityProviderClient({});

export async function recentSignIns(userPoolId, username) {
  const { AuthEvents = [], NextToken } = await cognito.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: userPoolId, Username: username, MaxResults: 10 }),
  );
  return {
    signIns: AuthEvents.filter((e) => e.EventType === EventType.SignIn).map((e) => ({
      id: e.EventId,
      at: e.CreationDate instanceof Date ? e.CreationDate.toISOString() : `not a Date: ${e.CreationDate}`,
      blocked: e.EventRisk?.RiskDecision === RiskDecisionType.Block,
      city: e.EventContextData?.City ?? null,
    })),
    more: NextToken !== undefined,
  };
}

console.log(JSON.stringify(await recentSignIns(process.env.COMPAT_POOL, process.env.COMPAT_USER)));
