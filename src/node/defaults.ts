/**
 * What `new CognitoIdentityProviderClient()` takes from the environment on Node and Deno, as the AWS SDK v3 does
 * there: each setting from its environment variable, else the profile of the shared config files; the region, last,
 * from the instance metadata service; credentials from the SDK's default chain. And what this build adds to the
 * client: input validation against the model's rules and the adaptive retry mode's rate limiter.
 *
 * The credential chain (src/node/lazy-chain.ts) and the validation rules are loaded when a request first needs them,
 * not when the package is imported: the chain when the credentials come neither from the options nor from the
 * environment (or a profile is named), or when the region comes from nowhere but the instance metadata; the rules when
 * the client validates. The shared files' reader is part of the Node build: nearly every client reads a setting from
 * the files at its first request (the retry settings, FIPS and dual-stack), and a module loaded then, however small,
 * cost that request about 2.5 ms in Node 20's module loader (bench/).
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
import { processEnv } from "./config.ts";
import { chainStartsWithEnvironment, environmentCredentials } from "./environment-credentials.ts";
import {
  booleanSetting,
  configuredEndpoint,
  type Env,
  integerSetting,
  loadSdkConfig,
  type SdkConfig,
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
  const options = { profile: init.profile, ...(init.env && { env: init.env }) };
  const chainModules = lazy(() => import("./lazy-chain.ts"));
  /** The files, read once, when a setting first needs them. */
  const loaded = lazy(() => loadSdkConfig(options));
  /** A setting read from the loaded configuration. */
  const read =
    <T>(pick: (config: SdkConfig) => T) =>
    async (): Promise<T> =>
      pick(await loaded());
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
      const config = await loaded();
      return (
        config.env["AWS_REGION"] ||
        stringSetting(config.regionSettings, "region") ||
        (await (await chainModules()).instanceMetadataRegion(config))
      );
    },
    endpoint: read((config) => configuredEndpoint(config, SERVICE_ID)),
    useFipsEndpoint: read((config) => booleanSetting(config, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")),
    useDualstackEndpoint: read((config) =>
      booleanSetting(config, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
    ),
    maxAttempts: read((config) => integerSetting(config, "AWS_MAX_ATTEMPTS", "max_attempts")),
    retryMode: read((config) => setting(config, "AWS_RETRY_MODE", "retry_mode")),
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
