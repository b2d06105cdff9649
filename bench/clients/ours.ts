/**
 * This package as installed, with the runtime's global fetch: the client and its paginator, as the README shows them
 * (under Node, `cognito-auth-events` is the package's Node build).
 */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events";
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
