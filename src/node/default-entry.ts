/**
 * `cognito-auth-events` under the `node`, `deno` and `bun` export conditions: the default entry's names, with the
 * clients that read the AWS SDK's Node configuration (environment, shared config files, the default credential
 * chain). Edge bundlers resolve the default entry instead, which carries none of it.
 *
 * @module
 */
export * from "../exports.ts";
export { CognitoIdentityProvider, CognitoIdentityProviderClient } from "./client.ts";
