/**
 * The Node transport alone: the raw fetch floor's loop with `createNodeFetch()` as its fetch. No signing, retries or
 * date parsing, so against the node:http floor it measures what the transport costs over plain node:http.
 */
import { createNodeFetch } from "../../src/node/transport.ts";
import type { CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => {
  const nodeFetch = createNodeFetch();
  const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents" };
  return async (username, maxPages = Infinity) => {
    let pages = 0;
    let events = 0;
    let token: string | undefined;
    do {
      const body = JSON.stringify({ UserPoolId: config.userPoolId, Username: username, MaxResults: 60, ...(token ? { NextToken: token } : {}) });
      const response = await nodeFetch(config.endpoint, { method: "POST", headers, body });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = JSON.parse(text) as { AuthEvents?: unknown[]; NextToken?: string };
      pages++;
      events += page.AuthEvents?.length ?? 0;
      token = page.NextToken;
    } while (token && pages < maxPages);
    return { pages, events };
  };
};
