// Vercel Edge Function: GET /api/latest-sign-in?username=alice -> the user's latest auth event and its risk.
// Environment variables (project settings): AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, USER_POOL_ID.
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from "cognito-auth-events";

export const config = { runtime: "edge" };

// Region and credentials: from the AWS_* environment variables.
const client = new CognitoIdentityProviderClient({ endpoint: process.env.COGNITO_ENDPOINT });

export default async function handler(request: Request): Promise<Response> {
  const username = new URL(request.url).searchParams.get("username");
  if (!username) return Response.json({ error: "?username= is required" }, { status: 400 });
  try {
    const { AuthEvents = [] } = await client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: process.env.USER_POOL_ID!, Username: username, MaxResults: 1 }),
    );
    const latest = AuthEvents[0];
    return Response.json({ latest: latest ?? null, risk: latest?.EventRisk?.RiskDecision ?? null });
  } catch (error) {
    if (error instanceof UserNotFoundException) return Response.json({ error: "no such user" }, { status: 404 });
    throw error;
  }
}
