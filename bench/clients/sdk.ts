/** The AWS SDK v3 client and its paginator, default configuration (on Node: its node:http handler, keep-alive). */
import {
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
} from "@aws-sdk/client-cognito-identity-provider";
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
