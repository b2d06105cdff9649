/**
 * Where a client finds what its options leave out. This module is the edge runtimes' answer (the environment
 * variables, where the runtime has them); `cognito-auth-events` resolved under the `node` or `deno` export condition
 * uses `src/node/defaults.ts` instead, with the AWS SDK's Node rules (shared config files, profiles, the default
 * credential chain), so edge bundles carry none of it.
 *
 * @module
 */
import { type AwsCredentialIdentityProvider, fromEnv, readEnv } from "./credentials.ts";
import type { RequestHandlerTransport } from "./request-handler.ts";
import type { RateLimiter } from "./retry.ts";
import type { Sha256 } from "./sha256.ts";

/** What a runtime supplies for the settings a client was not given; each resolves `undefined` when not set. */
export interface RuntimeDefaults {
  region(): Promise<string | undefined>;
  /** The default credentials provider. */
  credentials: AwsCredentialIdentityProvider;
  /** The endpoint configured outside the code (AWS_ENDPOINT_URL_*, the profile's `endpoint_url`). */
  endpoint?(): Promise<string | undefined>;
  useFipsEndpoint?(): Promise<boolean | undefined>;
  useDualstackEndpoint?(): Promise<boolean | undefined>;
  maxAttempts?(): Promise<number | undefined>;
  retryMode?(): Promise<string | undefined>;
  /**
   * Reads the `requestHandler` option (the AWS SDK's handlers are Node's): absent where it is not honoured, and the
   * client refuses the option.
   */
  requestHandler?(requestHandler: unknown): RequestHandlerTransport;
  /**
   * Checks an input against the model's constraints (`validateInput: true`), rejecting with a `ValidationError`:
   * absent where the build does not carry the model's rules, and the client refuses the option.
   */
  validate?(operation: string, input: unknown): Promise<void>;
  /**
   * A rate limiter for `retryMode: "adaptive"`, one per client: absent where the build does not carry it, and the
   * client refuses the mode.
   */
  rateLimiter?(): RateLimiter;
  /** The hash backend the client signs with (`node:crypto`'s where the build has it); absent: WebCrypto. */
  readonly sha256?: Sha256;
}

/**
 * The error for an option the Node, Deno and Bun build honours and this one does not carry: one sentence for every
 * such refusal, naming the option and what to do here instead.
 */
export const unavailable = (what: string, instead: string): TypeError =>
  new TypeError(`${what} is in the Node, Deno and Bun build of cognito-auth-events, not this one: ${instead}`);

/** The client options that decide where defaults come from. */
export interface DefaultsInit {
  /** The shared config files' profile (Node and Deno). */
  profile?: string | undefined;
}

/**
 * The edge runtimes' defaults: the region from AWS_REGION (or AWS_DEFAULT_REGION) and credentials from
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, where the runtime has an environment.
 */
export function environmentDefaults(init: DefaultsInit): RuntimeDefaults {
  if (init.profile !== undefined) throw unavailable("profile (the shared config files)", "pass region and credentials");
  return {
    async region() {
      try {
        return readEnv("AWS_REGION") ?? readEnv("AWS_DEFAULT_REGION");
      } catch {
        // Deno without --allow-env: no region from the environment, not a crash.
        return undefined;
      }
    },
    credentials: fromEnv(),
  };
}
