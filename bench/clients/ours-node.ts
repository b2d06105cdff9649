/** This package with its Node transport (`createNodeFetch`: node:http, keep-alive) instead of the global fetch. */
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../../src/index.ts";
import { createNodeFetch } from "../../src/node/transport.ts";
import type { CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const client = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.endpoint,
    credentials: config.credentials,
    fetch: createNodeFetch(),
  });
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
