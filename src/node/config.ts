/**
 * The AWS shared configuration files (`~/.aws/config`, `~/.aws/credentials`) and the profile
 * settings the AWS CLI v1 reads from them and from the environment, with botocore's rules:
 * https://docs.aws.amazon.com/cli/v1/userguide/cli-configure-files.html
 *
 * - files: `AWS_CONFIG_FILE` (default `~/.aws/config`), `AWS_SHARED_CREDENTIALS_FILE` (default
 *   `~/.aws/credentials`); a missing file is an empty one;
 * - sections: `[default]` and `[profile name]` in the config file, `[name]` in the credentials
 *   file; keys are case-insensitive, values trimmed, indented lines continue a value (nested
 *   sections such as `s3 =` become sub-objects, whose keys keep their case);
 * - the profile: `--profile`, else `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`, else `default`;
 *   naming a profile that neither file has is an error ({@link ProfileNotFoundError}).
 *
 * Node and Deno (`node:fs`, `node:os`, `node:path`, taken when first used: {@link builtin}).
 */

import type * as Fs from "node:fs/promises";
import type * as Os from "node:os";
import type * as Path from "node:path";
import { redacted } from "../credentials.ts";
import { type ConfiguredEndpoint, findConfiguredEndpoint } from "./configured-endpoint.ts";

/** A section of an INI file: keys lower-cased; a nested block (`s3 =` then indented lines) is an object. */
export type IniSection = { [key: string]: string | { [key: string]: string } };

/** Keys whose values are secrets: they read by name but do not show (see {@link redacted}). */
const SECRET_KEYS = ["aws_secret_access_key", "aws_session_token", "aws_security_token"];

/**
 * `{ ...a, ...b }` for sections, keeping the secret keys of both readable (and still hidden).
 * @example mergeSections(configProfiles.get("dev"), credentialProfiles.get("dev"))["aws_secret_access_key"]
 */
export function mergeSections(a: IniSection | undefined, b: IniSection | undefined): IniSection {
  if (!a) return b ?? {};
  if (!b) return a;
  const merged: IniSection = {};
  // Own names, hidden ones included (a spread would drop them).
  for (const section of [a, b]) for (const key of Object.getOwnPropertyNames(section)) merged[key] = section[key]!;
  return redacted(merged, SECRET_KEYS);
}

/**
 * Parses an AWS config/credentials file as botocore does (configparser plus nested sections).
 * Secret values (`aws_secret_access_key`, `aws_session_token`) read by name but do not show when
 * a section is inspected, serialised or spread.
 */
export function parseIni(text: string): Map<string, IniSection> {
  const sections = new Map<string, IniSection>();
  let current: IniSection | undefined;
  let lastKey: string | undefined;
  const raw = new Map<IniSection, Map<string, string>>();
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line) || line.trim() === "") {
      // configparser keeps blank lines inside a continued value only when followed by more of it; nested blocks do not use them.
      continue;
    }
    const header = /^\[\s*([^\]]*?)\s*\]\s*$/.exec(line);
    if (header) {
      const name = header[1]!;
      current = sections.get(name) ?? {};
      sections.set(name, current);
      if (!raw.has(current)) raw.set(current, new Map());
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    const values = raw.get(current)!;
    if (/^\s/.test(line) && lastKey !== undefined) {
      values.set(lastKey, `${values.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    lastKey = m[1]!.toLowerCase();
    values.set(lastKey, m[2]!.trim());
  }
  for (const [section, values] of raw) {
    for (const [key, value] of values) {
      section[key] = value.startsWith("\n") ? parseNested(value) : value;
    }
  }
  for (const section of sections.values()) redacted(section, SECRET_KEYS);
  return sections;
}

/** A nested block's lines; its keys keep their case (botocore and the SDK both match them exactly). */
function parseNested(value: string): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const line of value.split("\n")) {
    const m = /^([^=]+?)\s*=\s*(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** `--profile x` names a profile that neither shared file has. */
export class ProfileNotFoundError extends Error {
  override readonly name = "ProfileNotFoundError";
  constructor(readonly profile: string) {
    super(`The config profile (${profile}) could not be found`);
  }
}

/** Where to find things; every field defaults to the real process's. */
export interface SharedConfigOptions {
  /** Environment variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The profile named on the command line (`--profile`); it also switches off the environment credentials. */
  profile?: string;
  /** Reads a file; resolves `undefined` when it does not exist. @default node:fs readFile */
  readFile?: (path: string) => Promise<string | undefined>;
}

/** The shared files, loaded, and the selected profile. */
export interface SharedConfig {
  /** The selected profile's name. */
  readonly profile: string;
  /** Whether the profile was chosen explicitly (`--profile`, `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`). */
  readonly explicitProfile: boolean;
  /** Whether it came from `--profile` (botocore then ignores the environment's credentials). */
  readonly profileFromCommandLine: boolean;
  /**
   * The selected profile's settings: its config-file section, with its credentials-file section
   * merged over it (botocore's `full_config` does the same, so `region` there counts too).
   */
  readonly config: IniSection;
  /** The selected profile's section of the credentials file. */
  readonly credentials: IniSection;
  /** Every profile of the config file, by name (`[profile x]` -> `x`). */
  readonly configProfiles: ReadonlyMap<string, IniSection>;
  /** Every section of the config file, raw (`sso-session x`, `services x`...). */
  readonly configSections: ReadonlyMap<string, IniSection>;
  /** Every profile of the credentials file. */
  readonly credentialProfiles: ReadonlyMap<string, IniSection>;
  readonly configFile: string;
  readonly credentialsFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The Node built-ins this module reads with. */
interface Builtins {
  "node:fs/promises": typeof Fs;
  "node:os": typeof Os;
  "node:path": typeof Path;
}

/** The runtime's `process`, where it has one. */
const runtimeProcess = () => (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;

/** The built-ins {@link importBuiltins} imported, on a runtime without `process.getBuiltinModule`. */
let imported: Builtins | undefined;

/**
 * A Node built-in module, taken when a function first needs it rather than imported: the Node build carries this
 * module, and importing built-ins would cost every `import "cognito-auth-events"` about 0.6 ms (bench/), also in
 * programs that never read the files. From `process.getBuiltinModule` (Node >= 20.16, Deno >= 2.1, Bun); on a
 * runtime without it, from {@link importBuiltins}, which {@link loadSharedConfig} awaits before it reads.
 */
export function builtin<K extends keyof Builtins>(id: K): Builtins[K] {
  const process = runtimeProcess();
  const module = (process?.getBuiltinModule ? process.getBuiltinModule(id) : imported?.[id]) as Builtins[K];
  if (!module)
    throw new TypeError(
      `${id} is not loaded: this runtime has no process.getBuiltinModule, and the shared config files were not read yet (loadSharedConfig imports it)`,
    );
  return module;
}

/** Imports the built-ins {@link builtin} gives, where the runtime has no `process.getBuiltinModule` (Deno < 2.1). */
export async function importBuiltins(): Promise<void> {
  if (runtimeProcess()?.getBuiltinModule || imported) return;
  const [fs, os, path] = await Promise.all([import("node:fs/promises"), import("node:os"), import("node:path")]);
  imported = { "node:fs/promises": fs, "node:os": os, "node:path": path };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await builtin("node:fs/promises").readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw error;
  }
}

/** `~` and `~/x` as botocore's `os.path.expanduser` expands them (HOME first). */
export function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = env["HOME"] ?? env["USERPROFILE"] ?? builtin("node:os").homedir();
  return builtin("node:path").join(home, path.slice(1));
}

/** `process.env` where the runtime has it (Node, Deno, Bun), else none. */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * Loads the shared config and credentials files and selects the profile.
 * @throws ProfileNotFoundError when an explicitly named profile is in neither file
 * @example const shared = await loadSharedConfig({ profile: "dev" }); shared.config.region
 */
export async function loadSharedConfig(options: SharedConfigOptions = {}): Promise<SharedConfig> {
  await importBuiltins();
  const env = options.env ?? processEnv();
  const read = options.readFile ?? readIfExists;
  const configFile = expandHome(env["AWS_CONFIG_FILE"] || "~/.aws/config", env);
  const credentialsFile = expandHome(env["AWS_SHARED_CREDENTIALS_FILE"] || "~/.aws/credentials", env);
  const [configText, credentialsText] = await Promise.all([read(configFile), read(credentialsFile)]);
  const configSections = parseIni(configText ?? "");
  const configProfiles = new Map<string, IniSection>();
  for (const [name, section] of configSections) {
    if (name === "default") configProfiles.set("default", mergeSections(configProfiles.get("default"), section));
    const m = /^profile\s+(.+)$/.exec(name);
    if (m) configProfiles.set(m[1]!.trim(), mergeSections(configProfiles.get(m[1]!.trim()), section));
  }
  const credentialProfiles = parseIni(credentialsText ?? "");
  const fromEnv = env["AWS_DEFAULT_PROFILE"] || env["AWS_PROFILE"] || undefined;
  const profile = options.profile ?? fromEnv ?? "default";
  const explicitProfile = options.profile !== undefined || fromEnv !== undefined;
  if (explicitProfile && !configProfiles.has(profile) && !credentialProfiles.has(profile))
    throw new ProfileNotFoundError(profile);
  return {
    profile,
    explicitProfile,
    profileFromCommandLine: options.profile !== undefined,
    config: mergeSections(configProfiles.get(profile), credentialProfiles.get(profile)),
    credentials: credentialProfiles.get(profile) ?? {},
    configProfiles,
    configSections,
    credentialProfiles,
    configFile,
    credentialsFile,
    env,
  };
}

/**
 * The config file's sections `[<prefix> name]` (`services`, `sso-session`), by name.
 * @example sectionsNamed(shared, "services").get("local")
 */
export function sectionsNamed(shared: SharedConfig, prefix: string): Map<string, IniSection> {
  const found = new Map<string, IniSection>();
  const pattern = new RegExp(`^${prefix}\\s+(.+)$`);
  for (const [name, section] of shared.configSections) {
    const m = pattern.exec(name);
    if (m) found.set(m[1]!.trim(), section);
  }
  return found;
}

/**
 * Whether configured endpoints are off, as botocore reads it: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS when it is set
 * (even empty), else the profile's `ignore_configured_endpoint_urls`; `true` in any case is true, anything else false
 * (botocore's `ensure_boolean`).
 */
export function ignoresConfiguredEndpoints(shared: SharedConfig): boolean {
  const value = shared.env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? shared.config["ignore_configured_endpoint_urls"];
  return typeof value === "string" && value.toLowerCase() === "true";
}

/**
 * The endpoint configured for a service outside the command line, as botocore finds it (configured-endpoint.ts):
 * the environment, then the profile's `services` section and `endpoint_url`, the credentials file's keys over the
 * config file's; nothing when {@link ignoresConfiguredEndpoints}. A `services =` line names a section even when empty.
 * @throws ServicesSectionNotFoundError when the profile names a section the config file lacks
 * @example botocoreConfiguredEndpoint(shared, "Cognito Identity Provider")?.url
 */
export function botocoreConfiguredEndpoint(shared: SharedConfig, serviceId: string): ConfiguredEndpoint | undefined {
  if (ignoresConfiguredEndpoints(shared)) return undefined;
  const services = shared.config["services"];
  return findConfiguredEndpoint({
    env: shared.env,
    serviceId,
    profileName: shared.profile,
    profile: shared.config,
    servicesSection: typeof services === "string" ? services : undefined,
    services: sectionsNamed(shared, "services"),
  });
}

/** A string setting of the selected profile's config section (nested sections ignored). */
export function profileSetting(shared: SharedConfig, key: string): string | undefined {
  const value = shared.config[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The settings the CLI takes from the environment and the profile, each `undefined` when unset. */
export interface ProfileSettings {
  /** `AWS_DEFAULT_REGION`, else the profile's `region`. */
  readonly region?: string;
  /** `AWS_DEFAULT_OUTPUT`, else the profile's `output`. */
  readonly output?: string;
  /** The profile's `cli_timestamp_format` (`wire`, `none` or `iso8601`). */
  readonly cliTimestampFormat?: string;
  /** The profile's `cli_follow_urlparam` (`false`: `http://` and `https://` parameter values are not fetched). */
  readonly cliFollowUrlparam?: string;
  /** `AWS_RETRY_MODE`, else the profile's `retry_mode` (`legacy`, `standard`, `adaptive`). */
  readonly retryMode?: string;
  /** `AWS_MAX_ATTEMPTS`, else the profile's `max_attempts`, as written. */
  readonly maxAttempts?: string;
  /** `AWS_CA_BUNDLE`, else the profile's `ca_bundle`. */
  readonly caBundle?: string;
}

/**
 * The CLI-relevant settings, environment first then profile (botocore's config chain; the
 * command line overrides both and is applied by the caller).
 */
export function profileSettings(shared: SharedConfig): ProfileSettings {
  const { env } = shared;
  const pick = (envName: string | undefined, key: string): string | undefined =>
    (envName !== undefined && env[envName] ? env[envName] : undefined) ?? profileSetting(shared, key);
  const settings: Record<string, string | undefined> = {
    region: pick("AWS_DEFAULT_REGION", "region"),
    output: pick("AWS_DEFAULT_OUTPUT", "output"),
    cliTimestampFormat: pick(undefined, "cli_timestamp_format"),
    cliFollowUrlparam: pick(undefined, "cli_follow_urlparam"),
    retryMode: pick("AWS_RETRY_MODE", "retry_mode"),
    maxAttempts: pick("AWS_MAX_ATTEMPTS", "max_attempts"),
    caBundle: pick("AWS_CA_BUNDLE", "ca_bundle"),
  };
  for (const key of Object.keys(settings)) if (settings[key] === undefined) delete settings[key];
  return settings as ProfileSettings;
}
