/**
 * Credentials served over HTTP where the code runs, as the AWS SDK's default chain fetches them: the container
 * credentials endpoint (ECS tasks, EKS Pod Identity) and the EC2 instance metadata service (IMDSv2, with the IMDSv1
 * fallback the SDK allows unless it is disabled), and the instance's region from the latter.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html
 *
 * Node and Deno (`node:fs`).
 */
import { readFile } from "node:fs/promises";
import { type AwsCredentialIdentity, CredentialsProviderError, redacted } from "../credentials.ts";
import { exchange, jsonObject } from "./exchange.ts";
import { type SdkConfig, booleanSetting, setting } from "./sdk-config.ts";

/** Timing of the metadata requests (the SDK's defaults; tests shorten them). */
export interface MetadataTiming {
  /** Milliseconds per request. @default 1000 */
  timeout?: number;
  /** Container credentials: retries after a failure, and the wait before each. @default 3 and 1000 */
  retries?: number;
  retryDelay?: number;
}

const ECS_HOST = "http://169.254.170.2";

/** Hosts a plain-HTTP container credentials URL may name (any host is allowed over HTTPS). */
function allowedContainerHost(url: URL): boolean {
  const host = url.hostname;
  return (
    url.protocol === "https:" ||
    ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"].includes(host) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** Temporary credentials as both metadata services serve them, with the account when they name it. */
type MetadataCredentials = AwsCredentialIdentity & { accountId?: string };

/** The temporary credentials both metadata services answer with. */
function metadataCredentials(text: string, source: string): MetadataCredentials {
  const body = jsonObject(text);
  const field = (name: string) => (typeof body?.[name] === "string" ? (body[name] as string) : undefined);
  const [accessKeyId, secretAccessKey, sessionToken, expiration] = [
    "AccessKeyId",
    "SecretAccessKey",
    "Token",
    "Expiration",
  ].map(field);
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration)
    throw new CredentialsProviderError(
      `${source} answered without AccessKeyId, SecretAccessKey, Token and Expiration (${text.length} bytes)`,
    );
  const credentials: MetadataCredentials = {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: new Date(expiration),
  };
  const accountId = field("AccountId");
  if (accountId) credentials.accountId = accountId;
  return redacted(credentials);
}

/**
 * Whether container credentials are configured: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on the ECS host) or
 * AWS_CONTAINER_CREDENTIALS_FULL_URI.
 */
export function containerCredentialsConfigured(env: SdkConfig["env"]): boolean {
  return Boolean(env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
}

/**
 * Container credentials: GET the relative URI on 169.254.170.2, or the full URI (HTTPS, or plain HTTP to the ECS or
 * EKS host or loopback), with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE's content (read at each call), else
 * AWS_CONTAINER_AUTHORIZATION_TOKEN, as the Authorization header. Retried as the SDK does.
 */
export async function containerCredentials(
  env: SdkConfig["env"],
  timing: MetadataTiming = {},
): Promise<AwsCredentialIdentity> {
  const { timeout = 1000, retries = 3, retryDelay = 1000 } = timing;
  const relative = env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"];
  const full = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"];
  let url: URL;
  try {
    url = new URL(relative ? ECS_HOST + relative : full!);
  } catch {
    throw new CredentialsProviderError(
      `${relative ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI"} is not a valid URL`,
    );
  }
  if (!allowedContainerHost(url))
    throw new CredentialsProviderError(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI is not accepted: it must use HTTPS, or name the loopback address (127.0.0.0/8, [::1]), the ECS container host 169.254.170.2 or the EKS one (169.254.170.23, [fd00:ec2::23])",
    );
  const tokenFile = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"];
  for (let attempt = 0; ; attempt++) {
    try {
      const token = tokenFile ? await readFile(tokenFile, "utf8") : env["AWS_CONTAINER_AUTHORIZATION_TOKEN"];
      if (token?.includes("\r\n"))
        throw new CredentialsProviderError("The container authorization token contains a \\r\\n sequence");
      const { status, text } = await exchange(url, { timeout, ...(token && { headers: { Authorization: token } }) });
      if (status !== 200) {
        const code = jsonObject(text)?.["Code"];
        throw new CredentialsProviderError(
          `The container credentials endpoint answered HTTP ${status}${typeof code === "string" ? ` (${code})` : ""}`,
        );
      }
      return metadataCredentials(text, "The container credentials endpoint");
    } catch (error) {
      if (attempt >= retries) throw wrap(error, "container credentials endpoint");
      await new Promise((resolve) => setTimeout(resolve, retryDelay));
    }
  }
}

function wrap(error: unknown, source: string): Error {
  if (error instanceof CredentialsProviderError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CredentialsProviderError(`Could not reach the ${source} (${reason})`, { cause: error });
}

/** Instance metadata is off: AWS_EC2_METADATA_DISABLED set to anything but "false". */
export function instanceMetadataDisabled(env: SdkConfig["env"]): boolean {
  const value = env["AWS_EC2_METADATA_DISABLED"];
  return value !== undefined && value !== "" && value.toLowerCase() !== "false";
}

/** The metadata service's base URL: AWS_EC2_METADATA_SERVICE_ENDPOINT, else by the endpoint mode (IPv4 or IPv6). */
function metadataEndpoint(config: SdkConfig): string {
  const endpoint = setting(config, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
  if (endpoint) return endpoint.replace(/\/+$/, "");
  const mode =
    setting(config, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") ?? "IPv4";
  if (mode === "IPv4") return "http://169.254.169.254";
  if (mode === "IPv6") return "http://[fd00:ec2::254]";
  throw new CredentialsProviderError(
    `Unsupported instance metadata endpoint mode ${JSON.stringify(mode)}: IPv4 or IPv6`,
  );
}

/**
 * A session token for IMDSv2, or `undefined` when the service does not do tokens (403, 404, 405, no answer in time)
 * and IMDSv1 may be used; other failures are errors.
 */
async function metadataToken(config: SdkConfig, base: string, timeout: number): Promise<string | undefined> {
  try {
    const { status, text } = await exchange(`${base}/latest/api/token`, {
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" },
      timeout,
    });
    if (status === 200) return text;
    if (![403, 404, 405].includes(status))
      throw new CredentialsProviderError(`The instance metadata token request answered HTTP ${status}`);
  } catch (error) {
    if (error instanceof CredentialsProviderError || (error as Error)?.name !== "TimeoutError")
      throw wrap(error, "instance metadata service");
  }
  if (booleanSetting(config, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"))
    throw new CredentialsProviderError(
      "The instance metadata service gave no IMDSv2 token, and the IMDSv1 fallback is disabled (AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)",
    );
  return undefined;
}

/** GETs a metadata path with the session token (IMDSv1 without one). */
async function metadataGet(base: string, path: string, token: string | undefined, timeout: number): Promise<string> {
  const { status, text } = await exchange(base + path, {
    timeout,
    ...(token !== undefined && { headers: { "x-aws-ec2-metadata-token": token } }),
  }).catch((error: unknown) => {
    throw wrap(error, "instance metadata service");
  });
  if (status !== 200)
    throw new CredentialsProviderError(`The instance metadata service answered HTTP ${status} for ${path}`);
  return text;
}

/**
 * A provider of the instance profile's credentials from the instance metadata service. When a refresh fails or
 * returns expired credentials, the last ones are extended by 5 to 10 minutes, as the SDK's "static stability" does,
 * so a metadata outage does not stop a running service.
 */
export function instanceMetadataProvider(
  config: SdkConfig,
  timing: MetadataTiming = {},
): () => Promise<AwsCredentialIdentity> {
  const { timeout = 1000 } = timing;
  let last: AwsCredentialIdentity | undefined;
  const extend = (credentials: MetadataCredentials): MetadataCredentials => {
    // Field by field: a spread would skip the secret and the token, which redacted() makes non-enumerable.
    const { accessKeyId, secretAccessKey, sessionToken, accountId } = credentials;
    const expiration = new Date(Date.now() + (300 + Math.floor(Math.random() * 300)) * 1000);
    return redacted({ accessKeyId, secretAccessKey, sessionToken, expiration, ...(accountId && { accountId }) });
  };
  return async () => {
    let credentials: AwsCredentialIdentity;
    try {
      const base = metadataEndpoint(config);
      const token = await metadataToken(config, base, timeout);
      const path = "/latest/meta-data/iam/security-credentials/";
      const role = (await metadataGet(base, path, token, timeout)).trim().split("\n")[0]!.trim();
      if (!role) throw new CredentialsProviderError("The instance has no IAM role (instance profile)");
      credentials = metadataCredentials(
        await metadataGet(base, path + role, token, timeout),
        "The instance metadata service",
      );
      if (credentials.expiration!.getTime() < Date.now()) credentials = extend(credentials);
    } catch (error) {
      if (!last) throw error;
      credentials = extend(last);
    }
    last = credentials;
    return credentials;
  };
}

/** The instance's region from the instance metadata service (IMDSv2), or `undefined` when there is none. */
export async function instanceMetadataRegion(
  config: SdkConfig,
  timing: MetadataTiming = {},
): Promise<string | undefined> {
  if (instanceMetadataDisabled(config.env)) return undefined;
  const { timeout = 1000 } = timing;
  try {
    const base = metadataEndpoint(config);
    const { status, text: token } = await exchange(`${base}/latest/api/token`, {
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" },
      timeout,
    });
    if (status !== 200) return undefined;
    return (await metadataGet(base, "/latest/meta-data/placement/region", token, timeout)).trim() || undefined;
  } catch {
    // Not on EC2: no region from there.
    return undefined;
  }
}
