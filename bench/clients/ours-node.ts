/**
 * This package with its Node transport instead of the global fetch: `createNodeFetch().exchange` (node:http,
 * keep-alive, answering without building a web Response), as the README recommends on Node.
 */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events";
import { createNodeFetch } from "cognito-auth-events/node";
import { countPages, type CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    fetch: createNodeFetch().exchange,
  });
  return (username, maxPages) =>
    countPages(
      paginateAdminListUserAuthEvents({ client, pageSize: 60 }, { UserPoolId: config.userPoolId, Username: username }),
      maxPages,
    );
};
