/** The AWS SDK v3 client and its paginator, default configuration (on Node: its node:http handler, keep-alive). */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "@aws-sdk/client-cognito-identity-provider";
import type { CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const client = new CognitoIdentityProviderClient({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });
  return async (username, maxPages = Infinity) => {
    let pages = 0;
    let events = 0;
    for await (const page of paginateAdminListUserAuthEvents({ client, pageSize: 60 }, { UserPoolId: config.userPoolId, Username: username })) {
      pages++;
      events += page.AuthEvents?.length ?? 0;
      if (pages >= maxPages) break;
    }
    return { pages, events };
  };
};
