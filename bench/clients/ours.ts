/** This package with the runtime's global fetch: the client and its paginator, as the README shows them. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../../src/index.ts";
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
