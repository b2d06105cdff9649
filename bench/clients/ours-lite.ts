/** cognito-auth-events/lite with the runtime's global fetch: its client and paginator, as src/lite/README.md shows them. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../../src/lite/index.ts";
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
