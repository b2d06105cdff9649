/**
 * The settings every command that calls the service reads the way the AWS CLI does: the global options first, then
 * the environment and the shared config files' profile (src/node/config.ts).
 */

import { SERVICE_ID } from "../client-options.ts";
import { resolveEndpoint } from "../endpoint.ts";
import {
  botocoreConfiguredEndpoint,
  ignoresConfiguredEndpoints,
  loadSharedConfig,
  profileSettings,
  type SharedConfig,
} from "../node/config.ts";
import { ServicesSectionNotFoundError } from "../node/configured-endpoint.ts";
import { CliError } from "./errors.ts";
import type { GlobalValues } from "./globals.ts";
import type { CliIO } from "./io.ts";
import type { TimestampFormat } from "./operation/shape.ts";

/** Where the requests of a run go. */
export interface EndpointSetting {
  /** `undefined`: the region's endpoint. */
  readonly url: string | undefined;
  /** Why, as `--debug` says it: `from --endpoint-url`, `from AWS_ENDPOINT_URL`, `the region's`... */
  readonly source: string;
}

/** The settings of one run. */
export interface Settings {
  /** The shared config and credentials files, with the profile chosen. */
  readonly shared: SharedConfig;
  readonly region: string | undefined;
  /** `--output`, else the profile's `output`; `undefined` when neither says. */
  readonly output: string | undefined;
  readonly timestamps: TimestampFormat;
  readonly retryMode: "legacy" | "standard" | "adaptive";
  readonly maxAttempts: number;
  /** A path: `--ca-bundle`, `AWS_CA_BUNDLE` or the profile's `ca_bundle`. */
  readonly caBundle: string | undefined;
  /** The profile's `cli_follow_urlparam` is not `false`: parameter values that are URLs are fetched. */
  readonly followUrls: boolean;
  /** `--endpoint-url`, else the endpoint configured in the environment or the profile (see {@link chooseEndpoint}). */
  readonly endpoint: EndpointSetting;
}

/**
 * Reads the settings.
 * @throws CliError for a value the AWS CLI refuses (an unknown `cli_timestamp_format`, `retry_mode`...), or
 *   `ProfileNotFoundError`
 */
export async function loadSettings(values: GlobalValues, io: Pick<CliIO, "env">): Promise<Settings> {
  const profile = values["profile"];
  const shared = await loadSharedConfig({ env: io.env, ...(typeof profile === "string" && { profile }) });
  const fromProfile = profileSettings(shared);
  const format = (values["cli_timestamp_format"] as string | undefined) ?? fromProfile.cliTimestampFormat ?? "wire";
  if (format !== "wire" && format !== "none" && format !== "iso8601") {
    throw new CliError(`Unknown cli_timestamp_format value: ${format}, valid values are "none", "wire" or "iso8601"`);
  }
  const retryMode = fromProfile.retryMode ?? "legacy";
  if (retryMode !== "legacy" && retryMode !== "standard" && retryMode !== "adaptive") {
    throw new CliError(`Invalid value '${retryMode}' for retry_mode: expected legacy, standard or adaptive`);
  }
  // botocore's defaults: legacy mode makes 5 attempts, the others 3.
  let maxAttempts = retryMode === "legacy" ? 5 : 3;
  const attempts = fromProfile.maxAttempts;
  if (attempts !== undefined) {
    if (!/^\s*\d+\s*$/.test(attempts) || Number(attempts) < 1) {
      throw new CliError(`Invalid value '${attempts}' for max_attempts: expected an integer of at least 1`);
    }
    maxAttempts = Number(attempts);
  }
  return {
    shared,
    region: (values["region"] as string | undefined) ?? fromProfile.region,
    output: (values["output"] as string | undefined) ?? fromProfile.output,
    timestamps: format === "iso8601" ? "iso8601" : "wire",
    retryMode,
    maxAttempts,
    caBundle: (values["ca_bundle"] as string | undefined) ?? fromProfile.caBundle,
    followUrls: fromProfile.cliFollowUrlparam?.toLowerCase() !== "false",
    endpoint: chooseEndpoint(values, shared),
  };
}

/**
 * The endpoint as the AWS CLI chooses it: `--endpoint-url`, else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
 * AWS_ENDPOINT_URL, the profile's `services` section, its `endpoint_url` (none of these when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's `ignore_configured_endpoint_urls` is true), else the region's.
 * @throws CliError for a `services` section that does not exist (botocore's message), or a URL the client refuses
 *   (naming where it came from: a variable set long ago is easy to forget)
 */
export function chooseEndpoint(values: GlobalValues, shared: SharedConfig): EndpointSetting {
  const option = values["endpoint_url"];
  // botocore checks the option's scheme (Python's urlparse) before anything else, with these words.
  if (typeof option === "string" && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(option))
    throw new CliError(
      `Bad value for --endpoint-url "${option}": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/`,
    );
  const chosen = typeof option === "string" ? { url: option, source: "from --endpoint-url" } : configured(shared);
  if (chosen.url !== undefined) {
    try {
      resolveEndpoint({ endpoint: chosen.url });
    } catch (error) {
      throw new CliError(`Invalid endpoint ${chosen.source}: ${(error as Error).message}`);
    }
  }
  return chosen;
}

function configured(shared: SharedConfig): EndpointSetting {
  if (ignoresConfiguredEndpoints(shared))
    return { url: undefined, source: "the region's; configured endpoints ignored" };
  try {
    const found = botocoreConfiguredEndpoint(shared, SERVICE_ID);
    return found ? { url: found.url, source: `from ${found.source}` } : { url: undefined, source: "the region's" };
  } catch (error) {
    if (!(error instanceof ServicesSectionNotFoundError)) throw error;
    throw new CliError(
      `The profile is configured to use the services section but the "${error.section}" services configuration does not exist.`,
    );
  }
}

/**
 * The region, or the error that says where to set one (this CLI's own ways: a deliberate difference from the AWS
 * CLI, whose message sends people to `aws configure`).
 */
export function requireRegion(settings: Settings): string {
  if (settings.region !== undefined) return settings.region;
  throw new CliError(
    "You must specify a region: give --region, set AWS_REGION (or AWS_DEFAULT_REGION), or add region = ... to the " +
      "profile in ~/.aws/config.",
    { blankLineBefore: false },
  );
}
