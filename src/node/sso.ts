/**
 * IAM Identity Center (SSO) credentials, as the AWS SDK's default chain gets them for a profile with `sso_session`
 * (or the legacy `sso_start_url`): the access token `aws sso login` cached in `~/.aws/sso/cache/<sha1>.json`
 * (refreshed through the SSO OIDC `CreateToken` call when it expires within 5 minutes and the cache has a refresh
 * token, then written back), exchanged for role credentials by the portal's `GetRoleCredentials`.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html
 *
 * Node and Deno (`node:crypto`, `node:fs`).
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { type AwsCredentialIdentity, CredentialsProviderError, redacted } from "../credentials.ts";
import { partitionOf } from "../endpoint.ts";
import { expandHome } from "./config.ts";
import { exchange, jsonObject } from "./exchange.ts";
import { type Profile, type SdkConfig, configuredEndpoint, stringSetting } from "./sdk-config.ts";

const REFRESH = "To refresh this SSO session, run aws sso login with the corresponding profile.";
const EXPIRY_WINDOW_MS = 5 * 60 * 1000;

/** Whether a profile is an SSO one (any of its `sso_*` settings). */
export function isSsoProfile(profile: Profile | undefined): boolean {
  return ["sso_start_url", "sso_account_id", "sso_session", "sso_region", "sso_role_name"].some(
    (key) => stringSetting(profile, key) !== undefined,
  );
}

/** The token cache file of a session name (or, for legacy profiles, a start URL). */
function cacheFile(config: SdkConfig, id: string): string {
  const name = createHash("sha1").update(id).digest("hex");
  return expandHome(`~/.aws/sso/cache/${name}.json`, config.env);
}

function serviceUrl(config: SdkConfig, serviceId: string, host: string, region: string): string {
  return (
    configuredEndpoint(config, serviceId) ?? `https://${host}.${region}.${partitionOf(region).dnsSuffix}`
  ).replace(/\/+$/, "");
}

interface CachedToken {
  accessToken?: unknown;
  expiresAt?: unknown;
  clientId?: unknown;
  clientSecret?: unknown;
  refreshToken?: unknown;
}

/** The cached access token of a session, refreshed when it is about to expire and can be. */
async function accessToken(
  config: SdkConfig,
  session: string,
  region: string | undefined,
  legacy: boolean,
): Promise<string> {
  const file = cacheFile(config, session);
  const cached = jsonObject(await readFile(file, "utf8").catch(() => "")) as CachedToken | undefined;
  if (typeof cached?.accessToken !== "string" || typeof cached.expiresAt !== "string")
    throw new CredentialsProviderError(
      `The SSO session of profile ${config.profileName} has no valid cached token. ${REFRESH}`,
    );
  const expiresAt = new Date(cached.expiresAt).getTime();
  if (expiresAt - Date.now() > EXPIRY_WINDOW_MS) return cached.accessToken;
  const { clientId, clientSecret, refreshToken } = cached;
  if (
    !legacy &&
    region &&
    typeof clientId === "string" &&
    typeof clientSecret === "string" &&
    typeof refreshToken === "string"
  ) {
    try {
      const { status, text } = await exchange(`${serviceUrl(config, "SSO OIDC", "oidc", region)}/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientId, clientSecret, refreshToken, grantType: "refresh_token" }),
        timeout: 10_000,
      });
      const answer = jsonObject(text);
      if (status === 200 && typeof answer?.["accessToken"] === "string" && typeof answer["expiresIn"] === "number") {
        const token = answer["accessToken"];
        const expires = new Date(Date.now() + answer["expiresIn"] * 1000).toISOString();
        const next = {
          ...cached,
          accessToken: token,
          expiresAt: expires,
          refreshToken: answer["refreshToken"] ?? refreshToken,
        };
        // As the SDK: a cache that cannot be written does not fail the call.
        await writeFile(file, JSON.stringify(next, null, 2)).catch(() => undefined);
        return token;
      }
    } catch {
      // As the SDK: a failed refresh falls back to the cached token while it has not expired.
    }
  }
  if (expiresAt <= Date.now())
    throw new CredentialsProviderError(`The SSO session of profile ${config.profileName} has expired. ${REFRESH}`);
  return cached.accessToken;
}

/** Role credentials for an SSO profile. */
export async function ssoCredentials(config: SdkConfig, profile: Profile): Promise<AwsCredentialIdentity> {
  const sessionName = stringSetting(profile, "sso_session");
  let startUrl = stringSetting(profile, "sso_start_url");
  let region = stringSetting(profile, "sso_region");
  if (sessionName !== undefined) {
    const session = config.ssoSessions.get(sessionName);
    if (!session) throw new CredentialsProviderError(`The sso-session ${sessionName} is not in ${config.configFile}`);
    const conflict = (what: string) =>
      new CredentialsProviderError(
        `Conflicting SSO ${what} in profile ${config.profileName} and sso-session ${sessionName}`,
      );
    if (region && region !== stringSetting(session, "sso_region")) throw conflict("region");
    if (startUrl && startUrl !== stringSetting(session, "sso_start_url")) throw conflict("start_url");
    region = stringSetting(session, "sso_region");
    startUrl = stringSetting(session, "sso_start_url");
  }
  const accountId = stringSetting(profile, "sso_account_id");
  const roleName = stringSetting(profile, "sso_role_name");
  if (!startUrl || !accountId || !region || !roleName)
    throw new CredentialsProviderError(
      `Profile ${config.profileName} is configured with incomplete SSO settings: it needs sso_account_id, sso_role_name, and sso_region and sso_start_url (in the profile or its sso-session)`,
    );
  const token = await accessToken(config, sessionName ?? startUrl, region, sessionName === undefined);
  const query = `account_id=${encodeURIComponent(accountId)}&role_name=${encodeURIComponent(roleName)}`;
  const { status, text } = await exchange(
    `${serviceUrl(config, "SSO", "portal.sso", region)}/federation/credentials?${query}`,
    {
      headers: { "x-amz-sso_bearer_token": token },
      timeout: 10_000,
    },
  ).catch((error: unknown) => {
    throw new CredentialsProviderError(
      `SSO GetRoleCredentials failed: ${error instanceof Error ? error.message : error}`,
      {
        cause: error,
      },
    );
  });
  const role = jsonObject(text)?.["roleCredentials"] as Record<string, unknown> | undefined;
  if (status !== 200 || !role) {
    const type = jsonObject(text)?.["__type"] ?? `HTTP ${status}`;
    throw new CredentialsProviderError(`SSO GetRoleCredentials failed: ${String(type)}. ${REFRESH}`);
  }
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = role;
  if (
    typeof accessKeyId !== "string" ||
    typeof secretAccessKey !== "string" ||
    typeof sessionToken !== "string" ||
    typeof expiration !== "number"
  )
    throw new CredentialsProviderError("SSO GetRoleCredentials answered with incomplete credentials");
  return redacted({ accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration), accountId });
}
