// GET /?username=alice -> the user's latest 50 auth events, and whether the latest one was blocked.
// Secrets: `wrangler secret put AWS_ACCESS_KEY_ID` (and AWS_SECRET_ACCESS_KEY); vars in wrangler.jsonc.
import {
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
  RiskDecisionType,
  UserNotFoundException,
} from "cognito-auth-events";

export interface Env {
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  USER_POOL_ID: string;
  /** Only to point the Worker at the local emulator. */
  COGNITO_ENDPOINT?: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const username = new URL(request.url).searchParams.get("username");
    if (!username) return Response.json({ error: "?username= is required" }, { status: 400 });
    const client = new CognitoIdentityProviderClient({
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      endpoint: env.COGNITO_ENDPOINT || undefined,
    });
    try {
      const { AuthEvents = [] } = await paginateAdminListUserAuthEvents.buildFullResult(
        { client, maxItems: 50 },
        { UserPoolId: env.USER_POOL_ID, Username: username },
      );
      const blocked = AuthEvents[0]?.EventRisk?.RiskDecision === RiskDecisionType.Block;
      return Response.json({ blocked, events: AuthEvents });
    } catch (error) {
      if (error instanceof UserNotFoundException) return Response.json({ error: "no such user" }, { status: 404 });
      throw error;
    }
  },
};
