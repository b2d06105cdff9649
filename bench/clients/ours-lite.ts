/** cognito-auth-events/lite with the runtime's global fetch: its client and paginator, as src/lite/README.md shows them. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events/lite";
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
