/**
 * AWS credentials the way the AWS CLI v1 (botocore) finds them, in its order:
 * environment (unless `--profile` was given), assume role / web identity / SSO from the profile,
 * the shared credentials file, `credential_process`, the config file, then container and instance
 * metadata. Static keys and `credential_process` are handled here; assume role, web identity,
 * SSO, container and instance metadata use `@aws-sdk/credential-providers` when it is installed
 * (an optional peer), and otherwise fail with a message naming that package.
 * https://docs.aws.amazon.com/cli/v1/userguide/cli-chap-authentication.html
 *
 * Node and Deno (`node:child_process`).
 */

import { execFile } from "node:child_process";
import { type AwsCredentialIdentity, type AwsCredentialIdentityProvider, redacted } from "../credentials.ts";
import { NOT_A_HEADER_VALUE } from "../header-value.ts";
import { type SharedConfig, profileSetting } from "./config.ts";

/** botocore's NoCredentialsError: nothing in the chain had credentials. */
export class NoCredentialsError extends Error {
  override readonly name = "NoCredentialsError";
  constructor() {
    super("Unable to locate credentials");
  }
}

/** botocore's PartialCredentialsError: an access key without its secret, or the reverse. */
export class PartialCredentialsError extends Error {
  override readonly name = "PartialCredentialsError";
  constructor(
    readonly provider: string,
    readonly missing: string,
  ) {
    super(`Partial credentials found in ${provider}, missing: ${missing}`);
  }
}

/** botocore's CredentialRetrievalError (a failing `credential_process`, an unusable answer). */
export class CredentialRetrievalError extends Error {
  override readonly name = "CredentialRetrievalError";
  constructor(
    readonly provider: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Error when retrieving credentials from ${provider}: ${detail}`, options);
  }
}

/** A credential source needs `@aws-sdk/credential-providers`, which is not installed. */
export class MissingOptionalPackageError extends Error {
  override readonly name = "MissingOptionalPackageError";
}

function checkHeaderSafe(provider: string, name: string, value: string | undefined): void {
  if (value !== undefined && NOT_A_HEADER_VALUE.test(value)) {
    throw new CredentialRetrievalError(provider, `${name} holds characters that cannot be sent in an HTTP header`);
  }
}

/** The optional package's providers this module uses. */
interface CredentialProvidersModule {
  fromIni(init: { profile?: string; filepath?: string; configFilepath?: string }): AwsCredentialIdentityProvider;
  fromTokenFile(init?: object): AwsCredentialIdentityProvider;
  fromContainerMetadata(init?: { timeout?: number; maxRetries?: number }): AwsCredentialIdentityProvider;
  fromInstanceMetadata(init?: { timeout?: number; maxRetries?: number }): AwsCredentialIdentityProvider;
}

/** The optional peer dependency for SSO, assume role, web identity and metadata credentials. */
export const OPTIONAL_PROVIDERS_PACKAGE = "@aws-sdk/credential-providers";

/** Options of {@link fromAwsCliChain}; everything is injectable for tests. */
export interface AwsCliChainOptions {
  /** Runs `credential_process`: resolves stdout, stderr and the exit code. @default node:child_process execFile */
  runProcess?: (argv: readonly string[]) => Promise<{ stdout: string; stderr: string; code: number }>;
  /** Imports a module by name (for the optional package). @default dynamic `import()` */
  importModule?: (name: string) => Promise<unknown>;
  /** Try instance metadata (IMDS) last, when the optional package is installed. @default true unless AWS_EC2_METADATA_DISABLED=true */
  instanceMetadata?: boolean;
}

function defaultRunProcess(argv: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) {
      reject(new TypeError("credential_process is empty"));
      return;
    }
    execFile(file, args, { encoding: "utf8", maxBuffer: 1 << 20, windowsHide: true }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && typeof code !== "number") {
        reject(error);
        return;
      }
      resolve({ stdout, stderr, code: typeof code === "number" ? code : 0 });
    });
  });
}

/**
 * POSIX `shlex.split`, as botocore splits `credential_process` (no shell: quotes and backslashes
 * only).
 * @example shellSplit(`/bin/creds --profile "my dev"`) // ["/bin/creds", "--profile", "my dev"]
 */
export function shellSplit(command: string): string[] {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < command.length && '\\"$`\n'.includes(command[i + 1]!)) current += command[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new CredentialRetrievalError("custom-process", "No closing quotation");
  if (inWord) out.push(current);
  return out;
}

/**
 * A provider running `credential_process` and reading its JSON answer
 * (`{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`).
 */
export function fromCredentialProcess(
  command: string,
  options: Pick<AwsCliChainOptions, "runProcess"> = {},
): AwsCredentialIdentityProvider {
  const run = options.runProcess ?? defaultRunProcess;
  return async () => {
    const result = await run(shellSplit(command)).catch((error: unknown) => {
      throw new CredentialRetrievalError("custom-process", error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    });
    if (result.code !== 0) throw new CredentialRetrievalError("custom-process", result.stderr);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    } catch {
      // No cause: JSON.parse's message quotes the output, which holds the secret.
      throw new CredentialRetrievalError("custom-process", "the process did not print a JSON object");
    }
    if (parsed["Version"] !== 1) {
      throw new CredentialRetrievalError(
        "custom-process",
        `Unsupported version '${String(parsed["Version"])}' for credential process provider, supported versions: 1`,
      );
    }
    for (const key of ["AccessKeyId", "SecretAccessKey"]) {
      if (typeof parsed[key] !== "string")
        throw new CredentialRetrievalError("custom-process", `Missing required key in response: '${key}'`);
    }
    const credentials: AwsCredentialIdentity = {
      accessKeyId: parsed["AccessKeyId"] as string,
      secretAccessKey: parsed["SecretAccessKey"] as string,
    };
    if (typeof parsed["SessionToken"] === "string") credentials.sessionToken = parsed["SessionToken"];
    if (typeof parsed["Expiration"] === "string") {
      const expiration = new Date(parsed["Expiration"]);
      if (!Number.isNaN(expiration.getTime())) credentials.expiration = expiration;
    }
    checkHeaderSafe("custom-process", "AccessKeyId", credentials.accessKeyId);
    checkHeaderSafe("custom-process", "SessionToken", credentials.sessionToken);
    return redacted(credentials);
  };
}

function staticCredentials(
  section: Readonly<Record<string, unknown>>,
  provider: string,
): AwsCredentialIdentity | undefined {
  const get = (key: string) => (typeof section[key] === "string" ? (section[key] as string) : undefined);
  const accessKeyId = get("aws_access_key_id");
  if (accessKeyId === undefined) return undefined;
  const secretAccessKey = get("aws_secret_access_key");
  if (!accessKeyId) throw new PartialCredentialsError(provider, "aws_access_key_id");
  if (!secretAccessKey) throw new PartialCredentialsError(provider, "aws_secret_access_key");
  const credentials: AwsCredentialIdentity = { accessKeyId, secretAccessKey };
  const token = get("aws_session_token") ?? get("aws_security_token");
  if (token) credentials.sessionToken = token;
  checkHeaderSafe(provider, "aws_access_key_id", credentials.accessKeyId);
  checkHeaderSafe(provider, "aws_session_token", credentials.sessionToken);
  return redacted(credentials);
}

function envCredentials(env: Readonly<Record<string, string | undefined>>): AwsCredentialIdentity | undefined {
  // botocore's EnvProvider: an empty AWS_ACCESS_KEY_ID is no key at all (the chain goes on);
  // a key without its secret is an error.
  const accessKeyId = env["AWS_ACCESS_KEY_ID"];
  if (!accessKeyId) return undefined;
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
  if (!secretAccessKey) throw new PartialCredentialsError("env", "AWS_SECRET_ACCESS_KEY");
  const credentials: AwsCredentialIdentity = { accessKeyId, secretAccessKey };
  const token = env["AWS_SESSION_TOKEN"] || env["AWS_SECURITY_TOKEN"];
  if (token) credentials.sessionToken = token;
  checkHeaderSafe("env", "AWS_ACCESS_KEY_ID", credentials.accessKeyId);
  checkHeaderSafe("env", "AWS_SESSION_TOKEN", credentials.sessionToken);
  return redacted(credentials);
}

/**
 * The AWS CLI's credential chain for a loaded profile. The provider is lazy (nothing is read or
 * run until it is called) and memoised by the client.
 * @example
 * const shared = await loadSharedConfig({ profile: "dev" });
 * const client = new CognitoIdentityProviderClient({ region, credentials: fromAwsCliChain(shared) });
 */
export function fromAwsCliChain(shared: SharedConfig, options: AwsCliChainOptions = {}): AwsCredentialIdentityProvider {
  const { env } = shared;
  const importModule =
    options.importModule ??
    // A literal specifier, so that `deno publish` maps it (deno.json "imports") to its npm: specifier for Deno.
    // @ts-expect-error: the optional package is not installed here; CredentialProvidersModule declares what is used of it.
    (() => import(/* @vite-ignore */ "@aws-sdk/credential-providers"));
  const providers = async (reason: string): Promise<CredentialProvidersModule> => {
    try {
      return (await importModule(OPTIONAL_PROVIDERS_PACKAGE)) as CredentialProvidersModule;
    } catch (error) {
      throw new MissingOptionalPackageError(
        `${reason} needs the optional package ${OPTIONAL_PROVIDERS_PACKAGE}: install it next to this one (npm install ${OPTIONAL_PROVIDERS_PACKAGE}), or use static keys, credential_process or environment variables.`,
        { cause: error },
      );
    }
  };
  const iniInit = { profile: shared.profile, filepath: shared.credentialsFile, configFilepath: shared.configFile };

  return async () => {
    // botocore: an explicitly provided --profile negates the environment provider.
    if (!shared.profileFromCommandLine) {
      const fromEnv = envCredentials(env);
      if (fromEnv) return fromEnv;
    }
    const setting = (key: string) => profileSetting(shared, key);
    if (setting("role_arn")) {
      return (await providers(`Profile ${shared.profile} assumes a role (role_arn)`)).fromIni(iniInit)();
    }
    if (!shared.profileFromCommandLine && env["AWS_WEB_IDENTITY_TOKEN_FILE"] && env["AWS_ROLE_ARN"]) {
      return (await providers("AWS_WEB_IDENTITY_TOKEN_FILE (web identity)")).fromTokenFile()();
    }
    if (setting("web_identity_token_file")) {
      return (await providers(`Profile ${shared.profile} uses web_identity_token_file`)).fromIni(iniInit)();
    }
    if (setting("sso_session") || setting("sso_start_url")) {
      return (await providers(`Profile ${shared.profile} uses IAM Identity Center (SSO)`)).fromIni(iniInit)();
    }
    const fromCredentialsFile = staticCredentials(shared.credentials, "shared-credentials-file");
    if (fromCredentialsFile) return fromCredentialsFile;
    const process = setting("credential_process");
    if (process) return fromCredentialProcess(process, options)();
    const configSection = shared.configProfiles.get(shared.profile) ?? {};
    const fromConfigFile = staticCredentials(configSection, "config-file");
    if (fromConfigFile) return fromConfigFile;
    if (env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
      return (await providers("Container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)")).fromContainerMetadata({
        timeout: 1000,
        maxRetries: 0,
      })();
    }
    const imds = options.instanceMetadata ?? env["AWS_EC2_METADATA_DISABLED"]?.toLowerCase() !== "true";
    if (imds) {
      // Instance metadata is the chain's last resort: without the optional package, there are simply no credentials.
      const module = await importModule(OPTIONAL_PROVIDERS_PACKAGE).catch(() => undefined);
      if (module) {
        try {
          return await (module as CredentialProvidersModule).fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })();
        } catch {
          // botocore: no instance metadata is not an error of its own.
        }
      }
    }
    throw new NoCredentialsError();
  };
}
