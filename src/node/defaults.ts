/**
 * What `new CognitoIdentityProviderClient()` takes from the environment on Node and Deno, as the AWS SDK v3 does
 * there: each setting from its environment variable, else the profile of the shared config files; the region, last,
 * from the instance metadata service; credentials from the SDK's default chain. And what this build adds to the
 * client: input validation against the model's rules and the adaptive retry mode's rate limiter.
 *
 * The shared files' reader (src/node/lazy-settings.ts), the credential chain (src/node/lazy-chain.ts) and the
 * validation rules are loaded when a request first needs them, not when the package is imported: a program that
 * passes its region and credentials, or has them in the environment, and does not validate, never loads the chain or
 * the rules.
 *
 * Node and Deno.
 */
import { AdaptiveRateLimiter } from "../adaptive-rate-limiter.ts";
import { lazy } from "../client.ts";
import { SERVICE_ID } from "../client-options.ts";
import type { AwsCredentialIdentityProvider } from "../credentials.ts";
import type { DefaultsInit, RuntimeDefaults } from "../defaults.ts";
import { requestHandlerTransport } from "../request-handler.ts";
import { fastestSha256 } from "../sha256.ts";
import { ValidationError } from "../errors.ts";
import { chainStartsWithEnvironment, environmentCredentials, processEnv } from "./environment-credentials.ts";
import type { Env, SdkConfig } from "./sdk-config.ts";

/** What src/node/lazy-settings.ts gives. */
type Settings = typeof import("./lazy-settings.ts");

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
  const options = { profile: init.profile, ...(init.env && { env: init.env }) };
  const chainModules = lazy(() => import("./lazy-chain.ts"));
  const loaded = lazy(async () => {
    const settings = await import("./lazy-settings.ts");
    return { settings, config: await settings.loadSdkConfig(options) };
  });
  /** A setting read from the loaded configuration. */
  const read =
    <T>(pick: (settings: Settings, config: SdkConfig) => T) =>
    async (): Promise<T> => {
      const { settings, config } = await loaded();
      return pick(settings, config);
    };
  const chain = lazy(async () => (await chainModules()).fromNodeProviderChain(options));
  // The chain's first link answers here, without loading the chain (a separate file: src/node/lazy-chain.ts) for
  // the programs that take their credentials from the environment (AWS Lambda, containers, CI).
  const credentials: AwsCredentialIdentityProvider = async (properties) => {
    const env = init.env ?? processEnv();
    return (
      (chainStartsWithEnvironment(init.profile, env) && environmentCredentials(env)) || (await chain())(properties)
    );
  };
  const validator = lazy(async () => new (await import("../validate.ts")).InputValidator());
  return {
    async region() {
      const { settings, config } = await loaded();
      return (
        config.env["AWS_REGION"] ||
        settings.stringSetting(config.regionSettings, "region") ||
        (await (await chainModules()).instanceMetadataRegion(config))
      );
    },
    endpoint: read((settings, config) => settings.configuredEndpoint(config, SERVICE_ID)),
    useFipsEndpoint: read((settings, config) =>
      settings.booleanSetting(config, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
    ),
    useDualstackEndpoint: read((settings, config) =>
      settings.booleanSetting(config, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
    ),
    maxAttempts: read((settings, config) => settings.integerSetting(config, "AWS_MAX_ATTEMPTS", "max_attempts")),
    retryMode: read((settings, config) => settings.setting(config, "AWS_RETRY_MODE", "retry_mode")),
    requestHandler: requestHandlerTransport,
    credentials,
    async validate(operation, input) {
      const issues = (await validator()).check(operation, input);
      if (issues.length) throw new ValidationError(operation, issues);
    },
    rateLimiter: () => new AdaptiveRateLimiter(),
    sha256: fastestSha256(),
  };
}
