/**
 * The clients as `cognito-auth-events` gives them on Node and Deno (its `node` and `deno` export conditions, and
 * `cognito-auth-events/node`): the same classes, with what the options leave out taken as the AWS SDK v3 takes it
 * there: environment variables, the shared config files' profile, the default credential chain.
 *
 * Node and Deno.
 */
import { withOperations } from "../../generated/aggregated.ts";
import type { CognitoIdentityProviderConstructor } from "../aggregated.ts";
import { CognitoIdentityProviderClient as BaseClient } from "../client.ts";
import type { DefaultsInit, RuntimeDefaults } from "../defaults.ts";
import { nodeDefaults } from "./defaults.ts";

/**
 * `CognitoIdentityProviderClient` for Node and Deno: region, endpoint, retry settings and credentials the options
 * leave out come from the environment, the profile (`~/.aws/config`, `~/.aws/credentials`) and the AWS SDK's
 * default credential chain.
 * @example
 * const client = new CognitoIdentityProviderClient(); // AWS_REGION or the profile's region; the default chain
 */
export class CognitoIdentityProviderClient extends BaseClient {
  protected override runtimeDefaults(init: DefaultsInit): RuntimeDefaults {
    return nodeDefaults(init);
  }
}

/** The aggregated client on Node and Deno: {@link CognitoIdentityProviderClient} with a method per operation. */
export const CognitoIdentityProvider: CognitoIdentityProviderConstructor = /* @__PURE__ */ withOperations(
  CognitoIdentityProviderClient,
) as unknown as CognitoIdentityProviderConstructor;
