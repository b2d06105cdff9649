/** This package with the runtime's global fetch: the client and its paginator, as the README shows them. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../../src/index.ts";
import { countPages, type CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
  });
  return (username, maxPages) =>
    countPages(
      paginateAdminListUserAuthEvents({ client, pageSize: 60 }, { UserPoolId: config.userPoolId, Username: username }),
      maxPages,
    );
};
