/**
 * `cognito-auth-events/node`: the Node- and Deno-only pieces: the clients with the AWS SDK's Node configuration (the
 * same ones `cognito-auth-events` gives under its `node` and `deno` export conditions; here for runtimes without
 * export conditions, such as JSR), the SDK's default credential chain, the AWS shared config and credentials files,
 * profiles, `credential_process`, the AWS CLI's credential chain, and a node:http transport.
 *
 * @example
 * import { CognitoIdentityProviderClient } from "cognito-auth-events";
 * import { fromAwsCliChain, loadSharedConfig, profileSettings } from "cognito-auth-events/node";
 * const shared = await loadSharedConfig({ profile: "dev" });
 * const client = new CognitoIdentityProviderClient({
 *   region: profileSettings(shared).region,
 *   credentials: fromAwsCliChain(shared),
 * });
 *
 * @module
 */

export {
  expandHome,
  loadSharedConfig,
  parseIni,
  profileSetting,
  profileSettings,
  ProfileNotFoundError,
  type IniSection,
  type ProfileSettings,
  type SharedConfig,
  type SharedConfigOptions,
} from "./config.ts";
export {
  CredentialRetrievalError,
  fromAwsCliChain,
  fromCredentialProcess,
  MissingOptionalPackageError,
  NoCredentialsError,
  OPTIONAL_PROVIDERS_PACKAGE,
  PartialCredentialsError,
  shellSplit,
  type AwsCliChainOptions,
} from "./credentials.ts";
export { CognitoIdentityProvider, CognitoIdentityProviderClient } from "./client.ts";
export { fromNodeProviderChain, type NodeProviderChainOptions } from "./default-chain.ts";
/**
 * A fetch over node:http(s) with keep-alive, and its `exchange`, for
 * `new CognitoIdentityProviderClient({ fetch: createNodeFetch().exchange })`: more pages per second than Node's global
 * fetch (bench/RESULTS.md).
 */
export { createNodeFetch, type NodeFetch, type NodeFetchOptions } from "./transport.ts";
