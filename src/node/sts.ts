/**
 * The two AWS STS calls of the default credential chain, on the query protocol (a form POST, an XML answer):
 * AssumeRoleWithWebIdentity (unsigned: the token authorises it; EKS service accounts, `web_identity_token_file`
 * profiles) and AssumeRole (signed with the source credentials; `role_arn` profiles). The endpoint is the one
 * configured for STS (AWS_ENDPOINT_URL_STS, ...), else the regional `https://sts.{region}.{dnsSuffix}`.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 *
 * Node and Deno.
 */
import { type AwsCredentialIdentity, CredentialsProviderError, redacted } from "../credentials.ts";
import { partitionOf } from "../endpoint.ts";
import { fastestSha256 } from "../sha256.ts";
import { SigV4Signer } from "../sigv4.ts";
import { exchange } from "./exchange.ts";
import { type SdkConfig, configuredEndpoint } from "./sdk-config.ts";

/** Where and how STS is called. */
export interface StsContext {
  config: SdkConfig;
  /** The region of the client the credentials are for (STS is called in it); else us-east-1. */
  region: string | undefined;
  /** Milliseconds per call. @default 10_000 */
  timeout?: number;
}

/** The STS endpoint for a region, or the one configured for STS. */
export function stsEndpoint(config: SdkConfig, region: string | undefined): string {
  const configured = configuredEndpoint(config, "STS");
  if (configured) return configured;
  const name = region ?? "us-east-1";
  return name === "aws-global" ? "https://sts.amazonaws.com/" : `https://sts.${name}.${partitionOf(name).dnsSuffix}/`;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text of the first `<name>` element, XML entities decoded. */
function element(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text?.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, ref: string) =>
    ref[0] === "#"
      ? String.fromCodePoint(Number(ref[1] === "x" || ref[1] === "X" ? `0${ref.slice(1)}` : ref.slice(1)))
      : (ENTITIES[ref] ?? entity),
  );
}

/** Calls an STS action and reads the temporary credentials of its answer. */
async function call(
  action: string,
  params: Record<string, string | undefined>,
  context: StsContext,
  source?: AwsCredentialIdentity,
): Promise<AwsCredentialIdentity> {
  const url = stsEndpoint(context.config, context.region);
  const body = Object.entries({ Action: action, Version: "2011-06-15", ...params })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value!)}`)
    .join("&");
  let headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (source) {
    const region = context.region ?? "us-east-1";
    // Without a host header: the signer signs the URL's host, and fetch sends it from the URL.
    headers = await new SigV4Signer({ sha256: fastestSha256() }).sign(
      { method: "POST", url: new URL(url), headers, body },
      { credentials: source, region, service: "sts", date: new Date() },
    );
  }
  const { status, text } = await exchange(url, {
    method: "POST",
    headers,
    body,
    timeout: context.timeout ?? 10_000,
  }).catch((error: unknown) => {
    throw new CredentialsProviderError(`STS ${action} failed: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  });
  if (status !== 200) {
    // The error's code and message only: never the body, which may echo the request.
    const code = element(text, "Code") ?? `HTTP ${status}`;
    throw new CredentialsProviderError(`STS ${action} failed: ${code}: ${element(text, "Message") ?? ""}`.trim());
  }
  const accessKeyId = element(text, "AccessKeyId");
  const secretAccessKey = element(text, "SecretAccessKey");
  if (!accessKeyId || !secretAccessKey)
    throw new CredentialsProviderError(`STS ${action} answered without credentials (role ${params["RoleArn"]})`);
  const credentials: AwsCredentialIdentity & { accountId?: string } = { accessKeyId, secretAccessKey };
  const sessionToken = element(text, "SessionToken");
  const expiration = element(text, "Expiration");
  if (sessionToken) credentials.sessionToken = sessionToken;
  if (expiration) credentials.expiration = new Date(expiration);
  // The account: the fifth field of the assumed role's ARN (arn:aws:sts::123456789012:assumed-role/...).
  const accountId = element(text, "Arn")?.split(":")[4];
  if (accountId) credentials.accountId = accountId;
  return redacted(credentials);
}

/** What {@link assumeRoleWithWebIdentity} sends. */
export interface WebIdentityParameters {
  RoleArn: string;
  RoleSessionName: string;
  WebIdentityToken: string;
}

/** STS AssumeRoleWithWebIdentity: unsigned, the token authorises it. */
export function assumeRoleWithWebIdentity(
  params: WebIdentityParameters,
  context: StsContext,
): Promise<AwsCredentialIdentity> {
  return call("AssumeRoleWithWebIdentity", { ...params }, context);
}

/** What {@link assumeRole} sends. */
export interface AssumeRoleParameters {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId?: string | undefined;
  DurationSeconds?: string | undefined;
}

/** STS AssumeRole, signed with the source credentials. */
export function assumeRole(
  params: AssumeRoleParameters,
  source: AwsCredentialIdentity,
  context: StsContext,
): Promise<AwsCredentialIdentity> {
  return call("AssumeRole", { ...params }, context, source);
}
