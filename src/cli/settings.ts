/**
 * The settings every command that calls the service reads the way the AWS CLI does: the global options first, then
 * the environment and the shared config files' profile (src/node/config.ts).
 */

import { loadSharedConfig, profileSettings, type SharedConfig } from "../node/config.ts";
import { CliError } from "./errors.ts";
import type { GlobalValues } from "./globals.ts";
import type { CliIO } from "./io.ts";
import type { TimestampFormat } from "./operation/shape.ts";

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
  };
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
