/**
 * The AWS SDK for JavaScript v3's default credential chain on Node (`defaultProvider` of
 * `@aws-sdk/credential-provider-node`), in its order:
 * 1. the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION),
 *    skipped when a profile is named (the `profile` option or AWS_PROFILE);
 * 2. the profile of the shared files: `role_arn` with `source_profile` or `credential_source` (STS AssumeRole),
 *    static keys, `web_identity_token_file` with `role_arn`, `credential_process`, SSO, `login_session`;
 * 3. web identity from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS);
 * 4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI: ECS, EKS Pod Identity), else the
 *    instance metadata service (EC2), unless AWS_EC2_METADATA_DISABLED.
 * A source that is not configured is skipped; one that is configured and fails stops the chain with its error
 * (the SDK goes on to the next and reports only "Could not load credentials from any providers").
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 *
 * Node and Deno.
 */
import { readFile } from "node:fs/promises";
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  CredentialsProviderError,
  redacted,
} from "../credentials.ts";
import { MissingOptionalPackageError, OPTIONAL_PROVIDERS_PACKAGE, fromCredentialProcess } from "./credentials.ts";
import { chainStartsWithEnvironment, environmentCredentials } from "./environment-credentials.ts";
import {
  type MetadataTiming,
  containerCredentials,
  containerCredentialsConfigured,
  instanceMetadataDisabled,
  instanceMetadataProvider,
} from "./remote-credentials.ts";
import { type Env, type Profile, type SdkConfig, loadSdkConfig, stringSetting } from "./sdk-config.ts";
import { isSsoProfile, ssoCredentials } from "./sso.ts";
import { assumeRole, assumeRoleWithWebIdentity } from "./sts.ts";

/** Options of {@link fromNodeProviderChain}. */
export interface NodeProviderChainOptions {
  /** The profile of the shared files; else AWS_PROFILE, else `default`. */
  profile?: string | undefined;
  /** Environment variables. @default process.env, read at each call */
  env?: Env;
  /**
   * The region STS is called in: a role profile's `region`, else this, else the client's (the `callerClientConfig`
   * the client passes), else AWS_REGION, the profile's `region`, us-east-1.
   */
  region?: () => Promise<string | undefined>;
  /** Timing of the metadata requests (tests shorten them). */
  metadata?: MetadataTiming;
}

/** The AWS SDK's `{ callerClientConfig }` argument: the client the credentials are for. */
interface IdentityProperties {
  callerClientConfig?: { region?: () => Promise<string> };
}

function staticCredentials(profile: Profile): AwsCredentialIdentity | undefined {
  const accessKeyId = stringSetting(profile, "aws_access_key_id");
  const secretAccessKey = stringSetting(profile, "aws_secret_access_key");
  if (!accessKeyId || !secretAccessKey) return undefined;
  const credentials: AwsCredentialIdentity = { accessKeyId, secretAccessKey };
  const token = stringSetting(profile, "aws_session_token");
  if (token) credentials.sessionToken = token;
  return redacted(credentials);
}

/** Everything a link of the chain needs. */
interface ChainContext {
  config: SdkConfig;
  region: string | undefined;
  metadata: MetadataTiming;
}

async function webIdentity(
  context: ChainContext,
  tokenFile: string,
  roleArn: string,
  sessionName: string | undefined,
): Promise<AwsCredentialIdentity> {
  const token = await readFile(tokenFile, "utf8").catch((error: unknown) => {
    throw new CredentialsProviderError(`Could not read the web identity token file ${tokenFile}`, { cause: error });
  });
  return assumeRoleWithWebIdentity(
    { RoleArn: roleArn, RoleSessionName: sessionName ?? `aws-sdk-js-session-${Date.now()}`, WebIdentityToken: token },
    context,
  );
}

async function credentialSource(
  context: ChainContext,
  source: string,
  profileName: string,
): Promise<AwsCredentialIdentity> {
  const { env } = context.config;
  if (source === "Environment") {
    const found = environmentCredentials(env);
    if (!found)
      throw new CredentialsProviderError(
        `Profile ${profileName}: credential_source Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set`,
      );
    return found;
  }
  if (source === "EcsContainer") return containerCredentials(env, context.metadata);
  if (source === "Ec2InstanceMetadata") return instanceMetadataProvider(context.config, context.metadata)();
  throw new CredentialsProviderError(
    `Unsupported credential source in profile ${profileName}. Got ${source}, expected EcsContainer or Ec2InstanceMetadata or Environment.`,
  );
}

/** Credentials of a profile, or `undefined` when it configures none (the SDK's `resolveProfileData`). */
async function profileCredentials(
  context: ChainContext,
  name: string,
  visited: ReadonlySet<string> = new Set(),
): Promise<AwsCredentialIdentity | undefined> {
  const { config } = context;
  const profile = config.profiles.get(name);
  if (!profile) return undefined;
  const get = (key: string) => stringSetting(profile, key);
  const roleArn = get("role_arn");
  const sourceProfile = get("source_profile");
  const source = get("credential_source");
  // A profile reached as another's source_profile uses its static keys first.
  const fixed = staticCredentials(profile);
  if (visited.size > 0 && fixed) return fixed;
  // An assume-role profile (role_arn with one of source_profile and credential_source), or, reached as a source,
  // one that only names a credential_source.
  const assumes = roleArn ? (sourceProfile !== undefined) !== (source !== undefined) : visited.size > 0 && !!source;
  if (assumes) {
    let sourceCredentials: AwsCredentialIdentity | undefined;
    if (sourceProfile !== undefined) {
      if (visited.has(sourceProfile))
        throw new CredentialsProviderError(
          `Detected a cycle attempting to resolve credentials for profile ${config.profileName}. Profiles visited: ${[...visited].join(", ")}`,
        );
      sourceCredentials = await profileCredentials(context, sourceProfile, new Set([...visited, sourceProfile]));
      if (!sourceCredentials)
        throw new CredentialsProviderError(`Profile ${name}: its source_profile ${sourceProfile} has no credentials`);
    } else sourceCredentials = await credentialSource(context, source!, name);
    if (!roleArn) return sourceCredentials;
    if (get("mfa_serial"))
      throw new CredentialsProviderError(
        `Profile ${name} requires multi-factor authentication (mfa_serial): pass credentials: fromIni({ profile: "${name}", mfaCodeProvider }) from ${OPTIONAL_PROVIDERS_PACKAGE}`,
      );
    const region = get("region") ?? context.region;
    return assumeRole(
      {
        RoleArn: roleArn,
        RoleSessionName: get("role_session_name") ?? `aws-sdk-js-${Date.now()}`,
        ExternalId: get("external_id"),
        DurationSeconds: get("duration_seconds") ?? "3600",
      },
      sourceCredentials,
      { ...context, region },
    );
  }
  if (fixed) return fixed;
  const tokenFile = get("web_identity_token_file");
  if (tokenFile && roleArn) return webIdentity(context, tokenFile, roleArn, get("role_session_name"));
  const process = get("credential_process");
  if (process) return fromCredentialProcess(process)();
  if (isSsoProfile(profile)) return ssoCredentials(config, profile);
  if (get("login_session")) return optionalProfileProvider(name, "uses login_session (aws login)");
  return undefined;
}

/** Profiles this chain does not implement itself go to `fromIni` of the optional @aws-sdk/credential-providers. */
async function optionalProfileProvider(profile: string, reason: string): Promise<AwsCredentialIdentity> {
  type Module = { fromIni(init: { profile: string }): AwsCredentialIdentityProvider };
  let module: Module;
  try {
    // A literal specifier, so that `deno publish` maps it (deno.json "imports") to its npm: specifier for Deno.
    // @ts-expect-error: the optional package is not installed here; Module declares what is used of it.
    module = (await import(/* @vite-ignore */ "@aws-sdk/credential-providers")) as Module;
  } catch (error) {
    throw new MissingOptionalPackageError(
      `Profile ${profile} ${reason}, which needs the optional package ${OPTIONAL_PROVIDERS_PACKAGE}: install it next to this one (npm install ${OPTIONAL_PROVIDERS_PACKAGE}).`,
      { cause: error },
    );
  }
  return module.fromIni({ profile })();
}

/**
 * The AWS SDK's default credential chain for Node and Deno (see the module's documentation): what
 * `new CognitoIdentityProviderClient()` uses there when no `credentials` are given. Lazy: nothing is read or
 * fetched until it is called; the client memoises it and calls it again before the credentials expire.
 * @example
 * new CognitoIdentityProviderClient({ credentials: fromNodeProviderChain({ profile: "dev" }) })
 */
export function fromNodeProviderChain(options: NodeProviderChainOptions = {}): AwsCredentialIdentityProvider {
  // Instance metadata keeps its last credentials between calls (static stability), so its provider lives here.
  let imds: (() => Promise<AwsCredentialIdentity>) | undefined;
  return async (properties?: IdentityProperties) => {
    const config = await loadSdkConfig({ profile: options.profile, ...(options.env && { env: options.env }) });
    const { env } = config;
    // STS is called in the client's region; without one, as the SDK's STS client: AWS_REGION, the profile's, us-east-1.
    const region =
      (await options.region?.()) ??
      (await properties?.callerClientConfig?.region?.().catch(() => undefined)) ??
      (env["AWS_REGION"] || stringSetting(config.regionSettings, "region"));
    const context: ChainContext = { config, region, metadata: options.metadata ?? {} };
    if (chainStartsWithEnvironment(options.profile, env)) {
      const fromEnvironment = environmentCredentials(env);
      if (fromEnvironment) return fromEnvironment;
    }
    const fromProfile = await profileCredentials(context, config.profileName);
    if (fromProfile) return fromProfile;
    const tokenFile = env["AWS_WEB_IDENTITY_TOKEN_FILE"];
    const roleArn = env["AWS_ROLE_ARN"];
    if (tokenFile && roleArn) return webIdentity(context, tokenFile, roleArn, env["AWS_ROLE_SESSION_NAME"]);
    if (containerCredentialsConfigured(env)) return containerCredentials(env, context.metadata);
    if (!instanceMetadataDisabled(env)) {
      imds ??= instanceMetadataProvider(config, context.metadata);
      try {
        return await imds();
      } catch (error) {
        throw new CredentialsProviderError(
          `Could not load credentials from any providers: none in the environment, profile ${config.profileName} or the container, and the instance metadata service failed (${error instanceof Error ? error.message : error})`,
          { cause: error },
        );
      }
    }
    throw new CredentialsProviderError(
      `Could not load credentials from any providers: none in the environment, profile ${config.profileName}, web identity or the container, and instance metadata is disabled`,
    );
  };
}
