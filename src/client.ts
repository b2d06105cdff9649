/**
 * `CognitoIdentityProviderClient`: resolves its configuration once, then `send(command)` validates, signs, sends,
 * retries and parses. Web-standard globals only (fetch, crypto.subtle, URL, Headers, AbortSignal), so the same code
 * runs in Node, Deno, Bun, Cloudflare Workers and Vercel's edge runtime.
 */
import type { Command, MetadataBearer, ResponseMetadata } from "./command.ts";
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  createCredentialsProvider,
  readEnv,
} from "./credentials.ts";
import { resolveEndpoint } from "./endpoint.ts";
import { AbortError, NetworkError, TimeoutError } from "./errors.ts";
import { CONTENT_TYPE, SERVICE_TARGET_PREFIX, buildError, parseJson, reviveDates } from "./protocol.ts";
import { AdaptiveRateLimiter, RetryQuota, backoffDelay, classify, parseRetryAfter, sleep } from "./retry.ts";
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
   * Use the dual-stack (IPv4 and IPv6) endpoint the service's endpoint rules give (in the `aws` partition Cognito's
   * usual hosts already serve both; elsewhere the partition's dual-stack domain, e.g. `api.amazonwebservices.com.cn`).
   * @default false
   */
  useDualstackEndpoint?: boolean;
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

const SKEW_ERRORS = new Set([
  "InvalidSignatureException",
  "RequestExpired",
  "RequestTimeTooSkewed",
  "SignatureDoesNotMatch",
  "RequestInTheFuture",
]);

function positiveInteger(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min)
    throw new TypeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  return value as number;
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
    const retryMode = config.retryMode ?? "standard";
    const fetch = config.fetch ?? globalThis.fetch;
    const logger = config.logger;
    let region = config.region;
    try {
      region ??= readEnv("AWS_REGION") ?? readEnv("AWS_DEFAULT_REGION");
    } catch {
      // Deno without --allow-env: no environment, not a crash.
    }
    if (region === undefined) throw new TypeError("region is required: pass { region } or set AWS_REGION");
    if (retryMode !== "standard" && retryMode !== "adaptive") {
      throw new TypeError(`retryMode must be "standard" or "adaptive", got ${JSON.stringify(retryMode)}`);
    }
    if (typeof fetch !== "function") throw new TypeError("fetch must be a function (no global fetch in this runtime)");
    if (logger !== undefined && typeof logger?.debug !== "function")
      throw new TypeError("logger must have a debug method");
    this.config = {
      region,
      endpoint: resolveEndpoint({
        region,
        endpoint: config.endpoint,
        useFipsEndpoint: config.useFipsEndpoint,
        useDualstackEndpoint: config.useDualstackEndpoint,
      }),
      maxAttempts: positiveInteger(config.maxAttempts, "maxAttempts", 3),
      retryMode,
      requestTimeout: positiveInteger(config.requestTimeout, "requestTimeout", 0, 0),
      validateInput: config.validateInput ?? true,
      systemClockOffset: config.systemClockOffset ?? 0,
    };
    this.#credentials = createCredentialsProvider(config.credentials);
    // createNodeFetch's private lean exchange when given one: the same request, a response without web streams.
    this.#fetch = (fetch as unknown as { [key: symbol]: typeof fetch })[Symbol.for("cae.lean")] ?? fetch;
    this.#logger = logger;
    if (retryMode === "adaptive") this.#limiter = new AdaptiveRateLimiter();
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
    const { name } = schema;
    const { config } = this;
    const { endpoint, region } = config;
    const limiter = this.#limiter;
    const log = this.#logger;
    if (config.validateInput) validate(name, input, schema.rules);
    const body = (schema.serialize ?? JSON.stringify)(input);
    const signal = options.abortSignal;
    const timeout = positiveInteger(options.requestTimeout, "requestTimeout", config.requestTimeout, 0);
    let attempts = 0;
    let totalRetryDelay = 0;
    let retryCost = 0;
    let skewCorrected = false;
    const meta = (extra?: ResponseMetadata): ResponseMetadata => ({ ...extra, attempts, totalRetryDelay });
    const aborted = (cause: unknown) => new AbortError("The operation was aborted", { cause, $metadata: meta() });

    for (;;) {
      if (signal?.aborted) throw aborted(signal.reason);
      if (limiter) {
        await limiter.acquire(signal).catch((reason: unknown) => {
          throw aborted(reason);
        });
      }
      attempts++;
      let headers: Record<string, string> = {
        "content-type": CONTENT_TYPE,
        "x-amz-target": SERVICE_TARGET_PREFIX + name,
      };
      // Operations modelled without auth (UpdateAuthEventFeedback: its FeedbackToken authorises it) go unsigned,
      // as the AWS SDK sends them, so they work without AWS credentials.
      if (!schema.unsigned) {
        const date = new Date(Date.now() + config.systemClockOffset);
        // Without `host` (signed all the same): fetch sets it from the URL; some runtimes refuse it as a header.
        // Synchronous where node:crypto is available (no await: one page costs one signature).
        const signed = signPost(endpoint, headers, body, await this.#credentials(), region, "cognito-idp", date, true);
        headers = typeof signed.then === "function" ? await signed : (signed as Record<string, string>);
      }
      log?.debug(
        `${name} attempt ${attempts}: POST ${endpoint.href}`,
        redactHeaders(headers),
        redactSensitive(input, schema.rules),
      );

      let error: Error;
      let status: number | undefined;
      let retryAfter: string | null = null;
      let serverDate: string | null = null;
      // This attempt's signal: the caller's signal plus the attempt timeout. Without a timeout the caller's signal (or
      // none) goes to fetch as is: a signal costs undici measurable time per request (bench/).
      const controller = timeout > 0 ? new AbortController() : undefined;
      const forward = () => controller!.abort(signal!.reason);
      if (controller) signal?.addEventListener("abort", forward, { once: true });
      let timedOut = false;
      const timer = controller
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new Error(`timed out after ${timeout} ms`));
          }, timeout)
        : undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", forward);
      };
      const fetchSignal = controller?.signal ?? signal;
      try {
        // Called unbound: workerd's fetch throws "Illegal invocation" when `this` is not the global object.
        const fetchImpl = this.#fetch;
        const response = await fetchImpl(
          endpoint.href,
          fetchSignal ? { method: "POST", headers, body, signal: fetchSignal } : { method: "POST", headers, body },
        );
        const text = await response.text();
        done();
        const { headers: h } = response;
        const $metadata = meta({ httpStatusCode: response.status, requestId: h.get("x-amzn-requestid") ?? undefined });
        log?.debug(`${name} attempt ${attempts}: HTTP ${response.status} ${$metadata.requestId ?? ""}`);
        if (response.ok) {
          const parsed = parseJson(text);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            limiter?.update(false);
            this.#quota.release(retryCost);
            reviveDates(parsed, schema.date);
            return { ...parsed, $metadata } as Output;
          }
          error = new NetworkError(
            `${name}: HTTP ${response.status} with a body that is not a JSON object (${text.length} bytes)`,
            { $metadata },
          );
        } else {
          error = buildError((status = response.status), h, text, schema.errors, $metadata);
          retryAfter = h.get("retry-after");
          serverDate = h.get("date");
        }
      } catch (cause) {
        done();
        if (signal?.aborted) throw aborted(signal.reason);
        error = timedOut
          ? new TimeoutError(`${name}: no complete response within ${timeout} ms`, { cause, $metadata: meta() })
          : new NetworkError(`${name}: ${causeChain(cause)}`, { cause, $metadata: meta() });
      }

      // Clock skew: correct the offset from the server's Date and retry once, whatever the attempt count.
      const server = Date.parse(serverDate!);
      if (
        !skewCorrected &&
        SKEW_ERRORS.has(error.name) &&
        Math.abs(server - Date.now() - config.systemClockOffset) >= 300_000
      ) {
        config.systemClockOffset = server - Date.now();
        skewCorrected = true;
        log?.debug(`${name}: clock skew corrected by ${config.systemClockOffset} ms`);
        continue;
      }
      const kind = classify({ name: error.name, status });
      if (kind) {
        if (kind === "throttling") limiter?.update(true);
        (error as { $retryable?: { throttling: boolean } }).$retryable = { throttling: kind === "throttling" };
      }
      const cost =
        kind && attempts < config.maxAttempts
          ? this.#quota.acquire(error.name === "TimeoutError" ? "timeout" : "other")
          : undefined;
      if (cost === undefined) throw error;
      retryCost += cost;
      const delay = backoffDelay(attempts, kind, parseRetryAfter(retryAfter));
      log?.debug(`${name}: ${error.name}, retrying in ${delay} ms`);
      await sleep(delay, signal).catch((reason: unknown) => {
        throw aborted(reason);
      });
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

function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const name of ["authorization", "x-amz-security-token"]) if (out[name]) out[name] = "***";
  return out;
}

/**
 * What a failed fetch says, down to its root cause: `fetch failed: connect ECONNREFUSED 127.0.0.1:1` (undici's
 * `TypeError("fetch failed")` holds the socket's error as `cause`), as the AWS SDK's messages name the socket error.
 */
const causeChain = (e: unknown): string =>
  e instanceof Error ? e.message + (e.cause instanceof Error ? `: ${causeChain(e.cause)}` : "") : "network error";
