/**
 * The endpoint configured for a service outside the code, in the order the AWS SDKs and botocore (so the AWS CLI)
 * share: AWS_ENDPOINT_URL_<SERVICE ID>, AWS_ENDPOINT_URL, the profile's `services` section, the profile's
 * `endpoint_url`. What they do not share stays with each reader: which files' settings make the profile, how
 * `ignore_configured_endpoint_urls` is read, and what an empty `services =` means (sdk-config.ts for the SDK,
 * config.ts for the AWS CLI).
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

import type { IniSection } from "./config.ts";

/** An endpoint found in the configuration, and where: what `--debug` and error messages name. */
export interface ConfiguredEndpoint {
  readonly url: string;
  /** `AWS_ENDPOINT_URL`, `the services section "local" of profile dev`, `endpoint_url of profile dev`... */
  readonly source: string;
}

/** Where {@link findConfiguredEndpoint} looks, read by the caller's rules. */
export interface EndpointSources {
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The service's ID as its model names it, e.g. `"Cognito Identity Provider"`. */
  readonly serviceId: string;
  /** The selected profile's name, for {@link ConfiguredEndpoint.source}. */
  readonly profileName: string;
  /** The selected profile's settings. */
  readonly profile: Readonly<IniSection>;
  /** The `services` section the profile names, when it names one. */
  readonly servicesSection: string | undefined;
  /** The config file's `[services name]` sections, by name. */
  readonly services: ReadonlyMap<string, Readonly<IniSection>>;
}

/**
 * The profile names a `services` section that the config file does not have, or has empty: both the SDK and
 * botocore refuse to go on (each with its own message).
 */
export class ServicesSectionNotFoundError extends Error {
  override readonly name = "ServicesSectionNotFoundError";
  constructor(
    readonly section: string,
    readonly profileName: string,
  ) {
    super(`The services section "${section}" named by profile ${profileName} is not in the config file`);
  }
}

/** `Cognito Identity Provider` -> `COGNITO_IDENTITY_PROVIDER`, the service's part of AWS_ENDPOINT_URL_<...>. */
export function serviceEnvSuffix(serviceId: string): string {
  return serviceId.split(" ").join("_").toUpperCase();
}

/**
 * The first configured endpoint, or `undefined` (then the region's). Empty values count as unset. The caller has
 * already checked `ignore_configured_endpoint_urls`.
 * @throws ServicesSectionNotFoundError when the lookup reaches a `services` section that is missing or empty
 * @example findConfiguredEndpoint({ env: { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }, ... })?.source // "AWS_ENDPOINT_URL"
 */
export function findConfiguredEndpoint(sources: EndpointSources): ConfiguredEndpoint | undefined {
  const { env, serviceId, profileName, profile, servicesSection } = sources;
  for (const name of [`AWS_ENDPOINT_URL_${serviceEnvSuffix(serviceId)}`, "AWS_ENDPOINT_URL"]) {
    const url = env[name];
    if (url) return { url, source: name };
  }
  if (servicesSection !== undefined) {
    const section = sources.services.get(servicesSection);
    if (!section || Object.getOwnPropertyNames(section).length === 0)
      throw new ServicesSectionNotFoundError(servicesSection, profileName);
    const block = section[serviceEnvSuffix(serviceId).toLowerCase()];
    const url = typeof block === "object" ? block["endpoint_url"] : undefined;
    if (url) return { url, source: `the services section "${servicesSection}" of profile ${profileName}` };
  }
  const url = profile["endpoint_url"];
  return typeof url === "string" && url !== "" ? { url, source: `endpoint_url of profile ${profileName}` } : undefined;
}
