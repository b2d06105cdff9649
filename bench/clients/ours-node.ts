/** This package with its Node transport (`createNodeFetch`: node:http, keep-alive) instead of the global fetch. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../../src/index.ts";
import { createNodeFetch } from "../../src/node/transport.ts";
import { countPages, type CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    fetch: createNodeFetch(),
  });
  return (username, maxPages) =>
    countPages(
      paginateAdminListUserAuthEvents({ client, pageSize: 60 }, { UserPoolId: config.userPoolId, Username: username }),
      maxPages,
    );
};
