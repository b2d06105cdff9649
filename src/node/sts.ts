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

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** Whether a code point is a character XML allows (https://www.w3.org/TR/xml/#NT-Char). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * The text of the first `<name>` element, entities decoded. An undeclared entity or a character reference to no XML
 * character makes the answer malformed XML: a {@link CredentialsProviderError} (never the text: it may be a secret).
 */
function element(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const malformed = (what: string): never => {
    throw new CredentialsProviderError(`STS answered malformed XML: ${what} in <${name}>`);
  };
  return text?.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_entity, ref: string) => {
    if (ref[0] !== "#") return ENTITIES.get(ref) ?? malformed("an undeclared entity");
    const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return isXmlChar(code) ? String.fromCodePoint(code) : malformed("a character reference to no XML character");
  });
}

/** Visible ASCII: what may go in the HTTP header an access key id or a session token is sent in. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

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
  const invalid = (what: string) => new CredentialsProviderError(`STS ${action} answered ${what}`);
  if (!HEADER_SAFE.test(accessKeyId)) throw invalid("an AccessKeyId that is not visible ASCII");
  if (sessionToken) {
    if (!HEADER_SAFE.test(sessionToken)) throw invalid("a SessionToken that is not visible ASCII");
    credentials.sessionToken = sessionToken;
  }
  if (expiration) {
    credentials.expiration = new Date(expiration);
    if (Number.isNaN(credentials.expiration.getTime())) throw invalid("an Expiration that is not a date");
  }
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
