/**
 * `CognitoIdentityProviderClient`: resolves its configuration once, then `send(command)` validates, signs, sends,
 * retries and parses. Web-standard globals only (fetch, crypto.subtle, URL, Headers, AbortSignal), so the same code
 * runs in Node, Deno, Bun, Cloudflare Workers and Vercel's edge runtime.
 */
import type { Command, MetadataBearer, ResponseMetadata } from "./command.ts";
import { type AwsCredentialIdentity, type AwsCredentialIdentityProvider, createCredentialsProvider } from "./credentials.ts";
import { resolveEndpoint } from "./endpoint.ts";
import { AbortError, NetworkError, TimeoutError } from "./errors.ts";
import { CONTENT_TYPE, SERVICE_TARGET_PREFIX, buildError, parseJson, reviveDates, serializeBody } from "./protocol.ts";
import {
  AdaptiveRateLimiter,
  RetryQuota,
  backoffDelay,
  classify,
  parseRetryAfter,
  sleep,
} from "./retry.ts";
import { signPost } from "./sigv4.ts";
import { redactSensitive, validate } from "./validate.ts";

/** The AWS SDK v3's logger shape: `console` fits. */
export interface Logger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/**
 * Options of {@link CognitoIdentityProviderClient}.
 * @example
 * new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } })
 */
export interface CognitoIdentityProviderClientConfig {
  /**
   * The AWS region of the user pool, e.g. `"eu-west-1"`.
   * @default the AWS_REGION or AWS_DEFAULT_REGION environment variable, where the runtime has one
   */
  region?: string;
  /**
   * Static credentials, or an async provider function (the AWS SDK's `AwsCredentialIdentityProvider`, so
   * `@aws-sdk/credential-providers` plug in).
   * @default the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN environment variables
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Send requests here instead of `https://cognito-idp.{region}.amazonaws.com` (the emulator, a proxy).
   * @example "http://127.0.0.1:4566"
   */
  endpoint?: string | URL;
  /**
   * Use the FIPS endpoint.
   * @default false
   */
  useFipsEndpoint?: boolean;
  /**
   * Attempts per call, the first included.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * `"standard"`: backoff with jitter and a retry quota. `"adaptive"`: the same plus a client-side rate limiter
   * that slows down after throttling.
   * @default "standard"
   */
  retryMode?: "standard" | "adaptive";
  /**
   * Milliseconds an attempt may take (headers and body) before it is abandoned and retried; 0 means no limit.
   * @default 0
   */
  requestTimeout?: number;
  /**
   * The fetch to use.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Where debug output goes (requests and responses, with credentials and sensitive members redacted).
   * @default none
   */
  logger?: Logger;
  /**
   * Check inputs against the model's constraints before sending.
   * @default true
   */
  validateInput?: boolean;
  /**
   * Milliseconds to add to the local clock when signing; corrected automatically after a clock-skew error.
   * @default 0
   */
  systemClockOffset?: number;
}

/** Per-call options of {@link CognitoIdentityProviderClient.send}. */
export interface SendOptions {
  /** Aborts the call: the request in flight and any wait between attempts. */
  abortSignal?: AbortSignal;
  /** Overrides the client's `requestTimeout` for this call. */
  requestTimeout?: number;
}

/** The client's configuration once resolved (no secrets: credentials stay behind the provider function). */
export interface ResolvedClientConfig {
  readonly region: string;
  readonly endpoint: URL;
  readonly maxAttempts: number;
  readonly retryMode: "standard" | "adaptive";
  readonly requestTimeout: number;
  readonly validateInput: boolean;
  systemClockOffset: number;
}

const SIGNING_NAME = "cognito-idp";
const SKEW_ERRORS = new Set(["InvalidSignatureException", "RequestExpired", "RequestTimeTooSkewed", "SignatureDoesNotMatch", "RequestInTheFuture"]);
const FIVE_MINUTES = 5 * 60 * 1000;

function env(name: string): string | undefined {
  try {
    const g = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env: { get(n: string): string | undefined } } };
    return g.process?.env?.[name] ?? g.Deno?.env.get(name);
  } catch {
    // Deno without --allow-env: no environment, not a crash.
    return undefined;
  }
}

function positiveInteger(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * A client for the Amazon Cognito user pools API, with the AWS SDK v3's name and call shape.
 * @example
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
 * const page = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username }));
 */
export class CognitoIdentityProviderClient {
  /** The resolved configuration. */
  readonly config: ResolvedClientConfig;
  readonly #credentials: () => Promise<AwsCredentialIdentity>;
  readonly #fetch: typeof fetch;
  readonly #logger: Logger | undefined;
  readonly #quota = new RetryQuota();
  readonly #limiter: AdaptiveRateLimiter | undefined;

  constructor(config: CognitoIdentityProviderClientConfig = {}) {
    if (typeof config !== "object" || config === null) throw new TypeError("config must be an object");
    const region = config.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION");
    if (region === undefined) throw new TypeError("region is required: pass { region } or set AWS_REGION");
    const retryMode = config.retryMode ?? "standard";
    if (retryMode !== "standard" && retryMode !== "adaptive") {
      throw new TypeError(`retryMode must be "standard" or "adaptive", got ${JSON.stringify(retryMode)}`);
    }
    const fetchImpl = config.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("fetch must be a function (no global fetch in this runtime)");
    if (config.logger !== undefined && typeof config.logger?.debug !== "function") throw new TypeError("logger must have a debug method");
    this.config = {
      region,
      endpoint: resolveEndpoint({ region, endpoint: config.endpoint, useFipsEndpoint: config.useFipsEndpoint ?? false }),
      maxAttempts: positiveInteger(config.maxAttempts, "maxAttempts", 3),
      retryMode,
      requestTimeout: positiveInteger(config.requestTimeout, "requestTimeout", 0, 0),
      validateInput: config.validateInput ?? true,
      systemClockOffset: config.systemClockOffset ?? 0,
    };
    this.#credentials = createCredentialsProvider(config.credentials);
    this.#fetch = fetchImpl;
    this.#logger = config.logger;
    this.#limiter = retryMode === "adaptive" ? new AdaptiveRateLimiter() : undefined;
  }

  /**
   * Sends a command: validates its input, signs, sends and retries as configured, and resolves with the output
   * (timestamps as `Date`, `$metadata` added) or rejects with the modelled error class.
   */
  async send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    options: SendOptions = {},
  ): Promise<Output> {
    const { schema, input } = command;
    if (this.config.validateInput) validate(schema.name, input, schema.rules);
    const body = serializeBody(input);
    const signal = options.abortSignal;
    const timeout = positiveInteger(options.requestTimeout, "requestTimeout", this.config.requestTimeout, 0);
    const log = this.#logger;
    let attempts = 0;
    let totalRetryDelay = 0;
    let retryCost = 0;
    let skewCorrected = false;
    const meta = (extra: ResponseMetadata = {}): ResponseMetadata => ({ ...extra, attempts, totalRetryDelay });

    for (;;) {
      if (signal?.aborted) throw new AbortError("The operation was aborted", { cause: signal.reason, $metadata: meta() });
      if (this.#limiter) await this.#limiter.acquire(signal).catch((reason: unknown) => {
        throw new AbortError("The operation was aborted", { cause: reason, $metadata: meta() });
      });
      attempts++;
      const request = {
        method: "POST",
        url: this.config.endpoint,
        headers: { "content-type": CONTENT_TYPE, "x-amz-target": SERVICE_TARGET_PREFIX + schema.name } as Record<string, string>,
        body,
      };
      // Operations modelled without auth (UpdateAuthEventFeedback: its FeedbackToken authorises it) go unsigned,
      // as the AWS SDK sends them, so they work without AWS credentials.
      const headers = schema.unsigned
        ? request.headers
        : await signPost(this.config.endpoint, request.headers, body, await this.#credentials(), this.config.region, SIGNING_NAME, new Date(Date.now() + this.config.systemClockOffset));
      delete headers.host; // fetch sets it from the URL; some runtimes refuse it as a header
      log?.debug(`${schema.name} attempt ${attempts}: POST ${this.config.endpoint.href}`, redactHeaders(headers), redactSensitive(input, schema.rules));

      let failure: { error: Error; status?: number; retryAfterMs?: number; serverDate?: string | null };
      const attempt = attemptSignal(signal, timeout);
      try {
        const response = await this.#fetch(this.config.endpoint.href, { method: "POST", headers, body, signal: attempt.signal });
        const text = await response.text();
        attempt.done();
        const requestId = response.headers.get("x-amzn-requestid") ?? undefined;
        log?.debug(`${schema.name} attempt ${attempts}: HTTP ${response.status} ${requestId ?? ""}`);
        if (response.ok) {
          const parsed = parseJson(text);
          if (parsed !== undefined && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
            this.#limiter?.update(false);
            this.#quota.release(retryCost);
            reviveDates(parsed, schema.date);
            return { ...(parsed as object), $metadata: meta({ httpStatusCode: response.status, requestId }) } as Output;
          }
          failure = {
            error: new NetworkError(`${schema.name}: HTTP ${response.status} with a body that is not a JSON object (${text.length} bytes)`, {
              $metadata: meta({ httpStatusCode: response.status, requestId }),
            }),
          };
        } else {
          const error = buildError(response.status, response.headers, text, schema.errors, meta({ httpStatusCode: response.status, requestId }));
          failure = {
            error,
            status: response.status,
            retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
            serverDate: response.headers.get("date"),
          };
        }
      } catch (cause) {
        attempt.done();
        if (signal?.aborted) throw new AbortError("The operation was aborted", { cause: signal.reason, $metadata: meta() });
        failure = attempt.timedOut()
          ? { error: new TimeoutError(`${schema.name}: no complete response within ${timeout} ms`, { cause, $metadata: meta() }) }
          : { error: new NetworkError(`${schema.name}: ${cause instanceof Error ? cause.message : "network error"}`, { cause, $metadata: meta() }) };
      }

      const { error } = failure;
      // Clock skew: correct the offset from the server's Date and retry once, whatever the attempt count.
      if (!skewCorrected && SKEW_ERRORS.has(error.name) && failure.serverDate) {
        const server = Date.parse(failure.serverDate);
        const local = Date.now() + this.config.systemClockOffset;
        if (!Number.isNaN(server) && Math.abs(server - local) >= FIVE_MINUTES) {
          this.config.systemClockOffset = server - Date.now();
          skewCorrected = true;
          log?.debug(`${schema.name}: clock skew corrected by ${this.config.systemClockOffset} ms`);
          continue;
        }
      }
      const kind = classify({ name: error.name, status: failure.status });
      if (kind === "throttling") this.#limiter?.update(true);
      const cost = kind && attempts < this.config.maxAttempts ? this.#quota.acquire(error.name === "TimeoutError" ? "timeout" : "other") : undefined;
      if (kind) {
        const retryable = error as { $retryable?: { throttling?: boolean } };
        retryable.$retryable = { throttling: kind === "throttling" };
      }
      if (cost === undefined) throw error;
      retryCost += cost;
      const delay = backoffDelay(attempts, kind, failure.retryAfterMs);
      log?.debug(`${schema.name}: ${error.name}, retrying in ${delay} ms`);
      try {
        await sleep(delay, signal);
      } catch (reason) {
        throw new AbortError("The operation was aborted", { cause: reason, $metadata: meta() });
      }
      totalRetryDelay += delay;
    }
  }

  /** Nothing to release (fetch owns its connections); kept for the AWS SDK's call shape. */
  destroy(): void {}

  /** What `JSON.stringify(client)` shows: the configuration, never credentials. */
  toJSON(): ResolvedClientConfig {
    return this.config;
  }
}

const REDACTED_HEADERS = new Set(["authorization", "x-amz-security-token"]);
function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = REDACTED_HEADERS.has(k) ? "***" : v;
  return out;
}

/** One attempt's signal: the caller's signal plus the attempt timeout. */
function attemptSignal(outer: AbortSignal | undefined, timeout: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(outer!.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  const timer = timeout > 0 ? setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeout} ms`));
  }, timeout) : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
