/**
 * cognito-auth-events: the Amazon Cognito user pools API for any JavaScript runtime, with the AWS SDK v3's names.
 *
 * This entry is edge-safe: web-standard globals only, no Node built-ins. Everything is tree-shakable: a bundle that
 * sends one command carries that command, its errors and the client, nothing else.
 *
 * @example
 * import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "cognito-auth-events";
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
 * for await (const page of paginateAdminListUserAuthEvents({ client }, { UserPoolId, Username })) { ... }
 *
 * @module
 */
export * from "./exports.ts";
export { CognitoIdentityProviderClient } from "./client.ts";
export { CognitoIdentityProvider } from "./aggregated.ts";
