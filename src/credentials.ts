/**
 * Where signing credentials come from: a static object, an async provider function of the AWS SDK
 * v3's `AwsCredentialIdentityProvider` shape (so `@aws-sdk/credential-providers` plug in), or the
 * environment. Web-standard globals only: the environment is read through
 * `globalThis.process?.env` or `globalThis.Deno?.env`, guarded.
 *
 * @module
 */
import type { SigV4Credentials } from "./sigv4.ts";

/** Credentials as the AWS SDK v3 types them (`AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials' token. */
  sessionToken?: string;
  /** When temporary credentials stop working; they are refreshed {@link REFRESH_WINDOW_MS} before. */
  expiration?: Date;
}

/**
 * An async function returning credentials: the AWS SDK v3's `AwsCredentialIdentityProvider`. The client calls it
 * with `{ callerClientConfig }` (its `config`), as the SDK does.
 */
export type AwsCredentialIdentityProvider = (
  identityProperties?: Record<string, unknown>,
) => Promise<AwsCredentialIdentity>;

/**
 * The `credentials` option.
 * @default undefined (read AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN from the environment)
 * @example
 * { accessKeyId: "AKIA...", secretAccessKey: "...", sessionToken: "..." }
 * @example
 * fromNodeProviderChain() // from @aws-sdk/credential-providers
 */
export type CredentialsInput = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

/** Credentials ready to sign with, plus their expiration when known. */
export interface ResolvedCredentials extends SigV4Credentials {
  expiration?: Date;
}

/** A memoised credentials provider, as returned by {@link createCredentialsProvider}. */
export type CredentialsProvider = () => Promise<ResolvedCredentials>;

/** Temporary credentials are refreshed when they expire in less than this (5 minutes, like the AWS SDK). */
export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** The environment variables read when no `credentials` are given. */
export const ENV_VARS = {
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
  sessionToken: "AWS_SESSION_TOKEN",
  expiration: "AWS_CREDENTIAL_EXPIRATION",
} as const;

/**
 * No credentials could be found or loaded. Same name as the AWS SDK's class, so code that checks
 * `error.name === "CredentialsProviderError"` works with both.
 */
export class CredentialsProviderError extends Error {
  override name = "CredentialsProviderError" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

type EnvGlobals = {
  process?: { env?: Record<string, string | undefined> };
  Deno?: { env?: { get(name: string): string | undefined } };
};

/**
 * Reads one environment variable; `undefined` when the runtime has no environment (edge runtimes).
 * @throws CredentialsProviderError when the runtime refuses (Deno without `--allow-env`), naming the flag.
 */
export function readEnv(name: string): string | undefined {
  const { Deno, process } = globalThis as EnvGlobals;
  try {
    // Deno first: its `process` shim needs the same permission, and Deno.env says so more clearly.
    return typeof Deno?.env?.get === "function" ? Deno.env.get(name) : process?.env?.[name];
  } catch (error) {
    // Deno without --allow-env throws NotCapable (PermissionDenied before Deno 2).
    throw new CredentialsProviderError(
      `Could not read ${name} from the environment (${errorName(error)}). Under Deno, run with ` +
        `--allow-env=${Object.values(ENV_VARS)}, or pass \`credentials\` to the client.`,
      { cause: error },
    );
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * A provider reading AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
 * AWS_CREDENTIAL_EXPIRATION (ISO 8601) when called. Rejects with {@link CredentialsProviderError}
 * naming what to set when they are missing, or the Deno flag when reading is not allowed.
 */
export function fromEnv(): AwsCredentialIdentityProvider {
  return async () => {
    const { Deno, process } = globalThis as EnvGlobals;
    if (typeof Deno?.env?.get !== "function" && typeof process?.env !== "object") {
      throw new CredentialsProviderError(
        "Could not find AWS credentials: this runtime has no environment variables; pass `credentials` to the client.",
      );
    }
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = ENV_VARS;
    const credentials: AwsCredentialIdentity = {
      accessKeyId: readEnv(accessKeyId) ?? "",
      secretAccessKey: readEnv(secretAccessKey) ?? "",
    };
    // An empty variable counts as missing.
    const missing = [accessKeyId, secretAccessKey].filter(
      (_, i) => !(i ? credentials.secretAccessKey : credentials.accessKeyId),
    );
    if (missing.length) {
      throw new CredentialsProviderError(
        `Could not find AWS credentials: ${missing.join(" and ")} ${missing[1] ? "are" : "is"} not set; pass \`credentials\` or set ${accessKeyId} and ${secretAccessKey} (and ${sessionToken} for temporary credentials).`,
      );
    }
    const token = readEnv(sessionToken);
    if (token) credentials.sessionToken = token;
    const expires = readEnv(expiration);
    if (expires) {
      credentials.expiration = new Date(expires);
      if (Number.isNaN(credentials.expiration.getTime())) {
        throw new CredentialsProviderError(`${expiration} is not an ISO 8601 date: ${JSON.stringify(expires)}.`);
      }
    }
    return redacted(credentials);
  };
}

/**
 * Checks the shape of credentials and returns a fresh object with only the known fields.
 * TypeError naming the field (never its value) when something is wrong.
 */
export function validateCredentials(value: unknown, source = "credentials"): ResolvedCredentials {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${source} must be an object with accessKeyId and secretAccessKey, got ${describe(value)}`);
  }
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = value as Record<string, unknown>;
  const fail = (field: string, what: string, v: unknown): never => {
    throw new TypeError(`${source}.${field} must be ${what}, got ${describe(v)}`);
  };
  if (typeof accessKeyId !== "string" || !accessKeyId) fail("accessKeyId", "a non-empty string", accessKeyId);
  if (typeof secretAccessKey !== "string" || !secretAccessKey)
    fail("secretAccessKey", "a non-empty string", secretAccessKey);
  if (sessionToken != null && typeof sessionToken !== "string")
    fail("sessionToken", "a string when present", sessionToken);
  // Both go in HTTP headers: a control character would be refused by fetch, whose message quotes the value.
  if (!/^[\x21-\x7e]+$/.test(accessKeyId as string))
    fail("accessKeyId", "visible ASCII only (it is sent in a header)", "x");
  if (sessionToken && !/^[\x21-\x7e]+$/.test(sessionToken as string))
    fail("sessionToken", "visible ASCII only (it is sent in a header)", "x");
  if (expiration != null && !(expiration instanceof Date && !Number.isNaN(expiration.getTime()))) {
    fail("expiration", "a valid Date when present", expiration);
  }
  const resolved: ResolvedCredentials = {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
  };
  if (sessionToken) resolved.sessionToken = sessionToken as string;
  if (expiration) resolved.expiration = new Date((expiration as Date).getTime());
  // Shared by every caller of a memoised provider: nobody may change it under the others.
  return Object.freeze(redacted(resolved));
}

/**
 * Hides `keys` of `value` (by default the secret and the token of credentials) in place and returns it: they
 * still read by name, but are non-enumerable and left out of Node's `util.inspect`, so JSON.stringify,
 * console.log, Object.keys, spreads and structuredClone skip them. The one way the package hides secrets:
 * credentials here and in cognito-auth-events/node, and the secret keys of shared config sections.
 */
export function redacted<T extends object>(value: T, keys: readonly string[] = ["secretAccessKey", "sessionToken"]): T {
  const out = value as Record<string, unknown>;
  // Non-enumerable: the serialisers and printers above skip them; signing reads them by name.
  for (const key of keys) if (key in out) Object.defineProperty(out, key, { enumerable: false });
  // `util.inspect(x, { showHidden: true })` shows non-enumerable properties; this hook shows the enumerable ones.
  Object.defineProperty(out, Symbol.for("nodejs.util.inspect.custom"), { value: () => ({ ...out }) });
  return value;
}

/** Type (and for strings, length) of a value: enough to debug, nothing secret. */
function describe(value: unknown): string {
  return value === null
    ? "null"
    : value instanceof Date
      ? "an invalid Date"
      : typeof value === "string"
        ? value
          ? `a string of length ${value.length}`
          : "an empty string"
        : typeof value === "object"
          ? "an object"
          : typeof value;
}

/**
 * The loader behind a `credentials` option: validates static credentials now (a TypeError naming
 * the field), calls a provider function (or reads the environment) each time it is called.
 */
function loader(input: CredentialsInput): () => Promise<ResolvedCredentials> {
  if (input !== undefined && typeof input !== "function") {
    if (typeof input !== "object" || input === null) {
      throw new TypeError(
        `credentials must be an object { accessKeyId, secretAccessKey, sessionToken? }, an async function returning one, or undefined (environment), got ${describe(input)}`,
      );
    }
    const fixed = validateCredentials(input);
    return async () => fixed;
  }
  const [provider, source] = input
    ? [input, "the credentials provider's result"]
    : [fromEnv(), "environment credentials"];
  return async () => {
    let value: unknown;
    try {
      value = await provider();
    } catch (error) {
      // Keep the provider's own CredentialsProviderError (ours or the SDK's); wrap anything else.
      if (error instanceof Error && error.name === "CredentialsProviderError") throw error;
      throw new CredentialsProviderError(`The credentials provider failed (${errorName(error)}); see cause.`, {
        cause: error,
      });
    }
    return validateCredentials(value, source);
  };
}

/**
 * Resolves credentials once, without memoising: a static object is validated and copied, a
 * provider function is called, `undefined` reads the environment.
 */
export async function resolveCredentials(input: CredentialsInput): Promise<ResolvedCredentials> {
  return loader(input)();
}

/** Whether credentials expire within {@link REFRESH_WINDOW_MS}. */
export function needsRefresh(credentials: ResolvedCredentials, now = Date.now()): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - now < REFRESH_WINDOW_MS;
}

/**
 * A memoised provider for the `credentials` option. Static credentials are validated now (a
 * TypeError naming the field) and returned as they are. Provider functions and the environment are
 * called on first use, then again only when the credentials expire within 5 minutes (as the AWS SDK
 * does); concurrent calls share one in-flight load; a failed load is not cached, so the
 * next call tries again.
 * @example
 * const getCredentials = createCredentialsProvider(config.credentials);
 * const { accessKeyId, secretAccessKey, sessionToken } = await getCredentials();
 */
export function createCredentialsProvider(input: CredentialsInput): CredentialsProvider {
  const load = loader(input);
  let current: ResolvedCredentials | undefined;
  let pending: Promise<ResolvedCredentials> | undefined;
  return () =>
    current && !needsRefresh(current)
      ? Promise.resolve(current)
      : (pending ??= load()
          .then((credentials) => {
            current = credentials;
            return credentials;
          })
          .finally(() => {
            pending = undefined;
          }));
}
