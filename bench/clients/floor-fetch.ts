/** Reference floor: the global fetch in a NextToken loop. No signing, retries, validation or date parsing. */
import type { CreateLister } from "./types.ts";

/** The floor's loop over any fetch (bench/clients/transport-loop.ts runs it with the Node transport). */
export const fetchLoop =
  (fetchImpl: typeof fetch): CreateLister =>
  (config) => {
    const headers = {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.AdminListUserAuthEvents",
    };
    return async (username, maxPages = Infinity) => {
      let pages = 0;
      let events = 0;
      let token: string | undefined;
      do {
        const body = JSON.stringify({
          UserPoolId: config.userPoolId,
          Username: username,
          MaxResults: 60,
          ...(token ? { NextToken: token } : {}),
        });
        const response = await fetchImpl(config.endpoint, { method: "POST", headers, body });
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

export const createLister: CreateLister = (config) => fetchLoop(fetch)(config);
