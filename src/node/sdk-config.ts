/**
 * The shared config files as the AWS SDK for JavaScript v3 reads them on Node, which differs from the AWS CLI's
 * reading in `config.ts` in three ways: the profile is `profile` option, else AWS_PROFILE, else `default`
 * (AWS_DEFAULT_PROFILE does not count, and a profile missing from the files is an empty one, not an error); a
 * setting is looked up in the environment first, then in the profile, with the config file's value winning over the
 * credentials file's (but for `region`, where the credentials file wins); and a `true`/`false` setting is exactly
 * one of those words (anything else is an error). A configured endpoint is looked up in the order both share
 * (configured-endpoint.ts).
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 *
 * Node and Deno (`node:fs`, through `config.ts`).
 */
import { builtin, type IniSection, loadSharedConfig, mergeSections, processEnv, sectionsNamed } from "./config.ts";
import { findConfiguredEndpoint, ServicesSectionNotFoundError } from "./configured-endpoint.ts";

/** Environment variables, as `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where the files are read from; every field defaults to the real process's. */
export interface SdkConfigOptions {
  /** @default process.env, read when the files are loaded */
  env?: Env;
  /** The profile; else AWS_PROFILE, else `default`. */
  profile?: string | undefined;
  /** Reads a file; resolves `undefined` when it does not exist. @default node:fs readFile */
  readFile?: (path: string) => Promise<string | undefined>;
}

/** A profile's settings, keys lower-cased; nested blocks (`s3 =` then indented lines) are objects. */
export type Profile = Readonly<IniSection>;

/** The shared files, loaded once, with the AWS SDK's lookups. */
export interface SdkConfig {
  readonly env: Env;
  /** The selected profile's name. */
  readonly profileName: string;
  /** Every profile, the credentials file's keys over the config file's (the SDK's `parseKnownFiles`). */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** The selected profile for settings: the config file's keys over the credentials file's. */
  readonly settings: Profile;
  /** The selected profile for `region`: the credentials file's keys over the config file's. */
  readonly regionSettings: Profile;
  /** `[sso-session name]` sections of the config file, by name. */
  readonly ssoSessions: ReadonlyMap<string, Profile>;
  /** `[services name]` sections of the config file, by name. */
  readonly services: ReadonlyMap<string, Profile>;
  /** The config and credentials files' paths. */
  readonly configFile: string;
  readonly credentialsFile: string;
}

/** Loads the shared config and credentials files (a missing file is an empty one). */
export async function loadSdkConfig(options: SdkConfigOptions = {}): Promise<SdkConfig> {
  const env = options.env ?? processEnv();
  const profileName = options.profile || env["AWS_PROFILE"] || "default";
  // Without the profile variables: config.ts would refuse a profile missing from the files, which the SDK allows.
  const read = options.readFile ?? ((path: string) => builtin("node:fs/promises").readFile(path, "utf8"));
  const shared = await loadSharedConfig({
    env: { ...env, AWS_PROFILE: undefined, AWS_DEFAULT_PROFILE: undefined },
    // As the SDK: a file that cannot be read is an empty one (Deno without --allow-read, a directory, no access).
    readFile: (path) => read(path).catch(() => undefined),
  });
  const profiles = new Map<string, Profile>();
  for (const name of new Set([...shared.configProfiles.keys(), ...shared.credentialProfiles.keys()]))
    profiles.set(name, mergeSections(shared.configProfiles.get(name), shared.credentialProfiles.get(name)));
  const fromConfig = shared.configProfiles.get(profileName);
  const fromCredentials = shared.credentialProfiles.get(profileName);
  return {
    env,
    profileName,
    profiles,
    // Merged as config.ts merges, so the secret keys stay hidden.
    settings: mergeSections(fromCredentials, fromConfig),
    regionSettings: mergeSections(fromConfig, fromCredentials),
    ssoSessions: sectionsNamed(shared, "sso-session"),
    services: sectionsNamed(shared, "services"),
    configFile: shared.configFile,
    credentialsFile: shared.credentialsFile,
  };
}

/** A string setting of a profile (nested blocks and empty values are no value). */
export function stringSetting(profile: Profile | undefined, key: string): string | undefined {
  const value = profile?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * A setting from the environment variable, else the profile (the SDK's `loadConfig` order). Empty values count as
 * unset.
 */
export function setting(config: SdkConfig, envName: string | undefined, key: string): string | undefined {
  return (envName !== undefined ? config.env[envName] || undefined : undefined) ?? stringSetting(config.settings, key);
}

/** A `true`/`false` setting, as the SDK's `booleanSelector` reads it: any other value is an error naming where. */
export function booleanSetting(config: SdkConfig, envName: string, key: string): boolean | undefined {
  const fromEnv = config.env[envName];
  const [value, where] =
    fromEnv !== undefined
      ? [fromEnv, `the environment variable ${envName}`]
      : [config.settings[key], `${key} in the profile`];
  if (value === undefined) return undefined;
  if (value === "true" || value === "false") return value === "true";
  throw new TypeError(`${where} must be "true" or "false", got ${JSON.stringify(value)}`);
}

/** An integer setting; anything else is an error naming where it came from. */
export function integerSetting(config: SdkConfig, envName: string, key: string): number | undefined {
  const value = setting(config, envName, key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number))
    throw new TypeError(`${envName} (or ${key} in the profile) must be an integer, got ${JSON.stringify(value)}`);
  return number;
}

/**
 * The endpoint configured for a service outside the code, as the SDK finds it (configured-endpoint.ts): the
 * environment, then the profile's `services` section and `endpoint_url`, the config file's keys over the credentials
 * file's; nothing when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's `ignore_configured_endpoint_urls` is
 * true (any value but `true` or `false` is an error).
 * @example configuredEndpoint(config, "Cognito Identity Provider") // AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER...
 */
export function configuredEndpoint(config: SdkConfig, serviceId: string): string | undefined {
  if (booleanSetting(config, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls"))
    return undefined;
  try {
    return findConfiguredEndpoint({
      env: config.env,
      serviceId,
      profileName: config.profileName,
      profile: config.settings,
      // The SDK: an empty `services =` names no section.
      servicesSection: stringSetting(config.settings, "services"),
      services: config.services,
    })?.url;
  } catch (error) {
    if (!(error instanceof ServicesSectionNotFoundError)) throw error;
    throw new TypeError(
      `The services section "${error.section}" named by profile ${config.profileName} is not in ${config.configFile}`,
    );
  }
}
