/**
 * The client of `cognito-auth-events/lite`: the default entry's name and call shape, `send(command)` signing with
 * SigV4 (src/lite/sigv4.ts), retrying and parsing as the full client does (the same protocol and retry code), without
 * the features an edge function does without. What it leaves out, and why, is in src/lite/README.md.
 *
 * Web-standard globals only.
 */
import type { Command, MetadataBearer, ResponseMetadata } from "../command.ts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "../credentials.ts";
import { AbortError, NetworkError } from "../errors.ts";
import type { FetchLike } from "../fetch-like.ts";
import { CONTENT_TYPE, SERVICE_TARGET_PREFIX, buildError, parseJson, readOutput } from "../protocol.ts";
import { classify, jitter, sleep } from "../retry.ts";
import { type LiteSign, liteSigner } from "./sigv4.ts";

/**
 * Options of the lite {@link CognitoIdentityProviderClient}: the full client's, minus what reads the environment or
 * the model (no defaults from `AWS_*` variables, no FIPS or dual-stack endpoints, no input validation, logger,
 * adaptive mode or attempt timeout).
 * @example
 * new CognitoIdentityProviderClient({ region: env.AWS_REGION, credentials: { accessKeyId: env.KEY, secretAccessKey: env.SECRET } })
 */
export interface LiteClientConfig {
  /** The AWS region of the user pool, e.g. `"eu-west-1"`. */
  region: string;
  /**
   * Static credentials, or an async provider function (called again when what it returned expires within five
   * minutes).
   */
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Send requests here instead of `https://cognito-idp.{region}.amazonaws.com` (`.amazonaws.com.cn` in China).
   * @example "http://127.0.0.1:4566"
   */
  endpoint?: string | URL;
  /**
   * Attempts per call, the first included (standard mode: backoff with full jitter, throttling and transient
   * errors retried).
   * @default 3
   */
  maxAttempts?: number;
  /**
   * What sends the requests: a `fetch`, or any function with fetch's arguments that answers with the part of a
   * `Response` the client reads ({@link ResponseLike}: `status`, `headers.get`, `text()`).
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
}

/** Per-call options of {@link CognitoIdentityProviderClient.send}. */
export interface LiteSendOptions {
  /** Aborts the call: the request in flight and any wait between attempts (`AbortSignal.timeout(ms)` for a deadline). */
  abortSignal?: AbortSignal;
}

/** The lite client's configuration once resolved (no secrets). */
export interface ResolvedLiteClientConfig {
  readonly region: string;
  readonly endpoint: URL;
  readonly maxAttempts: number;
}

// Credentials go into request headers: anything but visible ASCII would make fetch fail with a message quoting them.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

function checked(c: AwsCredentialIdentity | undefined): AwsCredentialIdentity {
  for (const key of ["accessKeyId", "secretAccessKey", "sessionToken"] as const) {
    const value = c?.[key];
    // A test of undefined or null would pass: it tests the string "undefined".
    if ((value !== undefined || key !== "sessionToken") && !(typeof value === "string" && HEADER_SAFE.test(value))) {
      throw new TypeError(`credentials.${key} must be a visible-ASCII string`);
    }
  }
  return c!;
}

/**
 * A lean client for the Amazon Cognito user pools API, with the AWS SDK v3's name and call shape.
 * @example
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials });
 * const page = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username }));
 */
export class CognitoIdentityProviderClient {
  /** The resolved configuration. */
  readonly config: ResolvedLiteClientConfig;
  readonly #credentials: () => Promise<AwsCredentialIdentity>;
  readonly #fetch: FetchLike;
  readonly #sign: LiteSign;

  constructor(config: LiteClientConfig) {
    const { region, credentials, endpoint, maxAttempts = 3, fetch = globalThis.fetch } = config ?? {};
    // A region name, which goes into the host name and the signature (undefined and null would pass as strings).
    if (!/^[a-z]{2}(-[a-z0-9]+)*-\d+$/.test(region)) throw new TypeError('region must be like "eu-west-1"');
    if (!(Number.isInteger(maxAttempts) && maxAttempts > 0)) throw new TypeError("maxAttempts must be an integer >= 1");
    if (typeof fetch !== "function") throw new TypeError("fetch must be a function");
    let url: URL;
    let plain = "";
    try {
      url = new URL(endpoint ?? `https://cognito-idp.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`);
      // A user name or password would reach error messages and the config: an "@" makes the check below fail.
      plain = url.protocol + (url.username + url.password && "@") + url.pathname + url.search;
    } catch {}
    // The lean signer takes a path that needs no encoding and no query (src/lite/sigv4.ts); the full entry takes any.
    if (!/^https?:(\/[\w.~-]+)*\/?$/.test(plain)) {
      throw new TypeError("endpoint must be an http(s) URL, path of [A-Za-z0-9-._~/], no query or user:password");
    }
    this.config = { region, endpoint: url!, maxAttempts };
    this.#sign = liteSigner(url!, region, "cognito-idp");
    this.#fetch = fetch;
    const source = typeof credentials === "function" ? credentials : (checked(credentials), async () => credentials);
    let last: AwsCredentialIdentity | undefined;
    let pending: Promise<AwsCredentialIdentity> | undefined;
    // A provider is called again when what it returned expires within five minutes; concurrent calls share one load.
    this.#credentials = async () =>
      // No expiration: +undefined is NaN, never less, so static credentials are kept.
      last && !(+last.expiration! - Date.now() < 300_000)
        ? last
        : (pending ??= source()
            .then((c) => (last = checked(c)))
            .finally(() => (pending = undefined)));
  }

  /**
   * Sends a command: signs, sends and retries, and resolves with the output (timestamps as `Date`, `$metadata`
   * added) or rejects with the modelled error class, {@link NetworkError} or {@link AbortError}.
   */
  async send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    options?: LiteSendOptions,
  ): Promise<Output> {
    const { schema } = command;
    const { name } = schema;
    const { endpoint, maxAttempts } = this.config;
    const signal = options?.abortSignal;
    const body = (schema.serialize ?? JSON.stringify)(command.input);
    let attempts = 0;
    let totalRetryDelay = 0;
    const meta = (extra?: ResponseMetadata): ResponseMetadata => ({ ...extra, attempts, totalRetryDelay });
    const aborted = () => new AbortError("The operation was aborted", { cause: signal!.reason, $metadata: meta() });

    for (;;) {
      if (signal?.aborted) throw aborted();
      attempts++;
      let headers: Record<string, string> = {
        "content-type": CONTENT_TYPE,
        "x-amz-target": SERVICE_TARGET_PREFIX + name,
      };
      // UpdateAuthEventFeedback is modelled without auth (its FeedbackToken authorises it): sent unsigned, as the SDK does.
      if (!schema.unsigned) {
        headers = await this.#sign(headers, body, await this.#credentials(), new Date());
      }
      let error: Error;
      let status: number | undefined;
      try {
        const fetchImpl = this.#fetch; // unbound: workerd's fetch refuses another `this`
        const response = await fetchImpl(endpoint.href, { method: "POST", headers, body, signal });
        const text = await response.text();
        const h = response.headers;
        status = response.status;
        const $metadata = meta({ httpStatusCode: status, requestId: h.get("x-amzn-requestid") ?? undefined });
        if (status < 300) {
          const parsed = parseJson(text);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            readOutput(parsed, schema.read, text);
            // The parsed body is the client's own: it takes `$metadata` last, as a spread into a copy would put it.
            (parsed as MetadataBearer).$metadata = $metadata;
            return parsed as Output;
          }
          error = new NetworkError(`${name}: HTTP ${status}, body not a JSON object`, { $metadata });
        } else {
          error = buildError(status, h, text, schema.errors, $metadata);
        }
      } catch (cause) {
        if (signal?.aborted) throw aborted();
        error = new NetworkError(`${name}: ${cause}`, { cause, $metadata: meta() });
      }
      // `$retryable` stays what the model says (none of this operation's errors has the trait), as in the SDK.
      const kind = classify({ name: error.name, status });
      if (!kind || attempts >= maxAttempts) throw error;
      // Retry-After is not read: Cognito does not send it (the full client honours it, for proxies that do).
      const delay = jitter(attempts, kind);
      await sleep(delay, signal).catch(() => {
        throw aborted();
      });
      totalRetryDelay += delay;
    }
  }

  /** Nothing to release (fetch owns its connections); kept for the AWS SDK's call shape. */
  destroy(): void {}
}
