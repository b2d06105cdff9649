/**
 * What `new CognitoIdentityProviderClient()` takes from the environment on Node and Deno, as the AWS SDK v3 does
 * there: each setting from its environment variable, else the profile of the shared config files; the region, last,
 * from the instance metadata service; credentials from the SDK's default chain.
 *
 * Node and Deno.
 */
import { SERVICE_ID } from "../client-options.ts";
import type { DefaultsInit, RuntimeDefaults } from "../defaults.ts";
import { fromNodeProviderChain } from "./default-chain.ts";
import { requestHandlerTransport } from "../request-handler.ts";
import { instanceMetadataRegion } from "./remote-credentials.ts";
import {
  type Env,
  type SdkConfig,
  booleanSetting,
  configuredEndpoint,
  integerSetting,
  loadSdkConfig,
  setting,
  stringSetting,
} from "./sdk-config.ts";

/** Options of {@link nodeDefaults}: the client's, plus what tests inject. */
export interface NodeDefaultsInit extends DefaultsInit {
  /** Environment variables. @default process.env, read when a request first needs them */
  env?: Env;
}

/**
 * The Node and Deno defaults: AWS_REGION, then the profile's `region` (the credentials file's first), then the
 * instance metadata; the endpoint configured for the service (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, ...);
 * AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT, AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, each else the profile's
 * setting; and the default credential chain. The files are read once, when a setting first needs them.
 */
export function nodeDefaults(init: NodeDefaultsInit = {}): RuntimeDefaults {
  let loading: Promise<SdkConfig> | undefined;
  const config = () =>
    (loading ??= loadSdkConfig({ profile: init.profile, ...(init.env && { env: init.env }) }).catch(
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  return {
    async region() {
      const loaded = await config();
      return (
        loaded.env["AWS_REGION"] ||
        stringSetting(loaded.regionSettings, "region") ||
        (await instanceMetadataRegion(loaded))
      );
    },
    endpoint: async () => configuredEndpoint(await config(), SERVICE_ID),
    useFipsEndpoint: async () => booleanSetting(await config(), "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
    useDualstackEndpoint: async () =>
      booleanSetting(await config(), "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
    maxAttempts: async () => integerSetting(await config(), "AWS_MAX_ATTEMPTS", "max_attempts"),
    retryMode: async () => setting(await config(), "AWS_RETRY_MODE", "retry_mode"),
    requestHandler: requestHandlerTransport,
    credentials: fromNodeProviderChain({ profile: init.profile, ...(init.env && { env: init.env }) }),
  };
}
