/**
 * The first link of the AWS SDK's default credential chain on Node (`fromEnv`): AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION when set. A module of its own so that
 * the Node build's defaults (src/node/defaults.ts) answer from the environment without loading the rest of the chain
 * (src/node/default-chain.ts), which the Node build keeps in another file.
 *
 * Node and Deno.
 */
import { type AwsCredentialIdentity, redacted } from "../credentials.ts";
import type { Env } from "./sdk-config.ts";

/** The environment's credentials, or `undefined` when it has no access key id and secret access key. */
export function environmentCredentials(env: Env): AwsCredentialIdentity | undefined {
  const accessKeyId = env["AWS_ACCESS_KEY_ID"];
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const credentials: AwsCredentialIdentity = { accessKeyId, secretAccessKey };
  const token = env["AWS_SESSION_TOKEN"];
  const expiration = env["AWS_CREDENTIAL_EXPIRATION"];
  if (token) credentials.sessionToken = token;
  if (expiration) credentials.expiration = new Date(expiration);
  return redacted(credentials);
}

/**
 * Whether the chain starts with the environment: not when a profile is named, by the `profile` option or else
 * AWS_PROFILE, as the SDK's `defaultProvider` decides it (`init.profile ?? AWS_PROFILE`: an empty `profile` option
 * names none, and then AWS_PROFILE is not looked at).
 */
export const chainStartsWithEnvironment = (profile: string | undefined, env: Env): boolean =>
  !(profile ?? env["AWS_PROFILE"]);
