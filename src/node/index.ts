/**
 * `cognito-auth-events/node`: the Node- and Deno-only pieces: the AWS shared config and
 * credentials files, profiles, `credential_process` and the AWS CLI's credential chain.
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
// The benchmark work adds its node:http transport here (`export { createNodeFetch } from "./transport.ts"`).
