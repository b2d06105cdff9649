/**
 * `CognitoIdentityProviderClient`: checks its options when created, resolves what they leave out (region, endpoint,
 * retry settings, credentials) when the first request is sent, then `send(command)` signs, sends, retries and
 * parses. Web-standard globals only (fetch, crypto.subtle, URL, Headers, AbortSignal), so the same code runs in
 * Node, Deno, Bun, Cloudflare Workers and Vercel's edge runtime. What a runtime supplies for unset options comes
 * from the client's `runtimeDefaults` (the environment here; profiles and the credential chain in the Node build).
 *
 * Longer than this package's other modules, with a long constructor (the options) and a long `#send` (the request
 * loop): it is the request path of the default entry, whose edge bundle has a gzip budget that a module boundary
 * or a helper's call costs bytes against (scripts/size.ts shows where they go). Each part keeps the AWS SDK's
 * order: every option checked or resolved in one place, every attempt signed, sent, parsed and retried in one loop.
 */
import {
  API_VERSION,
  type CognitoIdentityProviderClientConfig,
  type EndpointObject,
  type Logger,
  SERVICE_ID,
  type ValueOrProvider,
  checkOptionNames,
} from "./client-options.ts";
import type { Command, MetadataBearer, ResponseMetadata } from "./command.ts";
import { type AwsCredentialIdentity, createCredentialsProvider } from "./credentials.ts";
import { type DefaultsInit, type RuntimeDefaults, environmentDefaults, unavailable } from "./defaults.ts";
import { resolveEndpoint, validateRegion } from "./endpoint.ts";
import { AbortError, NetworkError, TimeoutError } from "./errors.ts";
import type { FetchLike } from "./fetch-like.ts";
import { CONTENT_TYPE, SERVICE_TARGET_PREFIX, buildError, decorateError, parseJson, readOutput } from "./protocol.ts";
import { redactHeaders, redactInput } from "./redact.ts";
import type { HttpHandlerLike, RequestHandlerTransport } from "./request-handler.ts";
import { type RateLimiter, RetryQuota, backoffDelay, classify, parseRetryAfter, sleep } from "./retry.ts";
import { SigV4Core } from "./sigv4.ts";

export type { CognitoIdentityProviderClientConfig, EndpointObject, Logger, ValueOrProvider } from "./client-options.ts";

/** Per-call options of {@link CognitoIdentityProviderClient.send} (the AWS SDK's `HttpHandlerOptions`). */
export interface SendOptions {
  /** Aborts the call: the request in flight and any wait between attempts. */
  abortSignal?: AbortSignal;
  /** Overrides the client's `requestTimeout` for this call. */
  requestTimeout?: number;
}

/**
 * The callback of `send(command, callback)`, called as the AWS SDK v3 calls it: `(error)` or `(null, output)`. As
 * with the SDK, an exception the callback throws is swallowed.
 */
// biome-ignore lint/suspicious/noExplicitAny: the AWS SDK types the callback's error as any.
export type SendCallback<Output> = (err: any, data?: Output) => void;

/**
 * `client.config`: the AWS SDK v3's fields and shapes where it has them (`await client.config.region()`), plus this
 * client's own (`endpointUrl`, `requestTimeout`, `validateInput`). No secrets: credentials stay behind the provider.
 */
export interface ResolvedClientConfig {
  /** The region; rejects with "Region is missing" when neither the options nor the runtime give one. */
  region(): Promise<string>;
  /** The current credentials, loaded, memoised and refreshed as for requests. */
  credentials(): Promise<AwsCredentialIdentity>;
  /**
   * The custom endpoint in the AWS SDK's shape: present when the `endpoint` option was given (as the SDK's, not for
   * an endpoint configured outside the code; `endpointUrl()` gives that one).
   */
  endpoint?: () => Promise<EndpointObject>;
  /** The URL requests go to (this client's addition). */
  endpointUrl(): Promise<URL>;
  useFipsEndpoint(): Promise<boolean>;
  useDualstackEndpoint(): Promise<boolean>;
  maxAttempts(): Promise<number>;
  retryMode(): Promise<"standard" | "adaptive">;
  readonly requestTimeout: number;
  readonly validateInput: boolean;
  /** Milliseconds added to the local clock when signing; corrected after a clock-skew error. */
  systemClockOffset: number;
  readonly disableClockSkewCorrection: boolean;
  readonly logger: Logger | undefined;
  readonly requestHandler: HttpHandlerLike | undefined;
  readonly profile: string | undefined;
  readonly serviceId: string;
  readonly apiVersion: string;
}

/** What a request needs, resolved once per client. */
interface Settings {
  region: string;
  endpoint: URL;
  maxAttempts: number;
  limiter: RateLimiter | undefined;
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

function checkRetryMode(mode: unknown, defaults: RuntimeDefaults): "standard" | "adaptive" {
  if (mode !== "standard" && mode !== "adaptive")
    throw new TypeError(`retryMode must be "standard" or "adaptive", got ${JSON.stringify(mode)}`);
  if (mode === "adaptive" && !defaults.rateLimiter) throw unavailable('retryMode "adaptive"', 'use "standard"');
  return mode;
}

const BOOLEAN_OPTIONS = [
  "useFipsEndpoint",
  "useDualstackEndpoint",
  "ignoreConfiguredEndpointUrls",
  "validateInput",
  "disableClockSkewCorrection",
] as const;

function checkBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw new TypeError(`${name} must be a boolean`);
  return value;
}

/** Memoises an async computation; a failure is not kept, so the next call tries again. */
export function lazy<T>(compute: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= compute().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/** An option's value: the value itself, or what its provider function resolves; else the runtime's default. */
async function optionValue<T>(
  given: ValueOrProvider<T> | undefined,
  fallback?: () => Promise<T | undefined>,
): Promise<T | undefined> {
  return given === undefined ? fallback?.() : typeof given === "function" ? (given as () => Promise<T>)() : given;
}

/** The `endpoint` option as a URL string: a string, a URL, or the AWS SDK's `{ url }` and `Endpoint` objects. */
function endpointString(endpoint: unknown): string | URL {
  if (typeof endpoint !== "object" || endpoint === null || endpoint instanceof URL) return endpoint as string;
  const { url, protocol, hostname, port, path = "" } = endpoint as EndpointObject & { url?: URL };
  return url ?? `${protocol}//${hostname}${port ? `:${port}` : ""}${path}`;
}

/**
 * A client for the Amazon Cognito user pools API, with the AWS SDK v3's name, options and call shapes.
 * @example
 * const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
 * const page = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username }));
 */
export class CognitoIdentityProviderClient {
  /** The configuration, with the AWS SDK's field names (`await client.config.region()`). */
  readonly config: ResolvedClientConfig;
  readonly #credentials: () => Promise<AwsCredentialIdentity>;
  /** The fetch given as an option; without one, the global fetch is looked up for each request. */
  readonly #fetch: FetchLike | undefined;
  readonly #logger: Logger | undefined;
  readonly #quota = new RetryQuota();
  readonly #settings: () => Promise<Settings>;
  #resolved: Settings | undefined;
  // Keeps the signing key between requests: one HMAC chain a day instead of one per request.
  readonly #signer: SigV4Core;
  readonly #validate: RuntimeDefaults["validate"];

  /** Checks the options given as values, and wires the ones read later; long for the reason the module gives. */
  constructor(options: CognitoIdentityProviderClientConfig = {}) {
    if (typeof options !== "object" || options === null) throw new TypeError("config must be an object");
    checkOptionNames(options);
    const { logger, fetch, requestHandler, endpoint } = options;
    if (logger !== undefined && typeof logger?.debug !== "function")
      throw new TypeError("logger must have a debug method");
    if (fetch !== undefined && typeof fetch !== "function") throw new TypeError("fetch must be a function");
    // What is given as a value is checked now, what comes from a provider or the runtime when a request is sent.
    if (typeof options.region === "string") validateRegion(options.region);
    if (typeof options.maxAttempts === "number") positiveInteger(options.maxAttempts, "maxAttempts", 3);
    for (const name of BOOLEAN_OPTIONS) if (typeof options[name] !== "function") checkBoolean(options[name], name);
    if (endpoint !== undefined && typeof endpoint !== "function")
      resolveEndpoint({
        endpoint: endpointString(endpoint),
        useFipsEndpoint: options.useFipsEndpoint === true,
        useDualstackEndpoint: options.useDualstackEndpoint === true,
      });

    const defaults = this.runtimeDefaults({ profile: options.profile });
    if (typeof options.retryMode === "string") checkRetryMode(options.retryMode, defaults);
    if (options.validateInput && !defaults.validate)
      throw unavailable("validateInput", "here the service checks inputs (InvalidParameterException)");
    this.#validate = defaults.validate;
    this.#signer = new SigV4Core({ sha256: defaults.sha256 });
    let transport: RequestHandlerTransport = {};
    if (requestHandler !== undefined) {
      if (fetch !== undefined) throw new TypeError("fetch and requestHandler: pass one of them");
      if (!defaults.requestHandler) throw unavailable("requestHandler (an AWS SDK handler)", "here pass fetch");
      transport = defaults.requestHandler(requestHandler);
    }
    const flag = (name: "useFipsEndpoint" | "useDualstackEndpoint") =>
      lazy(async () => checkBoolean(await optionValue(options[name], defaults[name]), name) ?? false);
    const region = lazy(async () => {
      const value = await optionValue(options.region, defaults.region);
      if (!value) throw new Error("Region is missing: pass the region option or set AWS_REGION");
      validateRegion(value);
      return value;
    });
    const useFipsEndpoint = flag("useFipsEndpoint");
    const useDualstackEndpoint = flag("useDualstackEndpoint");
    const config: ResolvedClientConfig = {
      region,
      credentials: () => this.#credentials(),
      endpointUrl: lazy(async () => {
        let custom = await optionValue(endpoint);
        if (custom === undefined && !options.ignoreConfiguredEndpointUrls) custom = await defaults.endpoint?.();
        const url = resolveEndpoint({
          region: await region(),
          endpoint: custom === undefined ? undefined : endpointString(custom),
          useFipsEndpoint: await useFipsEndpoint(),
          useDualstackEndpoint: await useDualstackEndpoint(),
        });
        return url;
      }),
      useFipsEndpoint,
      useDualstackEndpoint,
      maxAttempts: lazy(async () =>
        positiveInteger(await optionValue(options.maxAttempts, defaults.maxAttempts), "maxAttempts", 3),
      ),
      retryMode: lazy(async () =>
        checkRetryMode((await optionValue(options.retryMode, defaults.retryMode)) ?? "standard", defaults),
      ),
      requestTimeout: positiveInteger(options.requestTimeout ?? transport.requestTimeout, "requestTimeout", 0, 0),
      validateInput: options.validateInput === true,
      systemClockOffset: options.systemClockOffset ?? 0,
      disableClockSkewCorrection: options.disableClockSkewCorrection === true,
      logger,
      requestHandler: transport.fetch && (requestHandler as HttpHandlerLike),
      profile: options.profile,
      serviceId: SERVICE_ID,
      apiVersion: API_VERSION,
    };
    if (endpoint !== undefined) config.endpoint = async () => endpointObject(await config.endpointUrl());
    this.config = config;
    this.#settings = lazy(async () => {
      const [resolvedRegion, url, maxAttempts, retryMode] = await Promise.all([
        region(),
        config.endpointUrl(),
        config.maxAttempts(),
        config.retryMode(),
      ]);
      const settings: Settings = {
        region: resolvedRegion,
        endpoint: url,
        maxAttempts,
        limiter: retryMode === "adaptive" ? defaults.rateLimiter?.() : undefined,
      };
      this.#resolved = settings;
      return settings;
    });
    const credentials = options.credentials ?? options.credentialDefaultProvider?.(config) ?? defaults.credentials;
    this.#credentials = createCredentialsProvider(
      typeof credentials === "function" ? () => credentials({ callerClientConfig: config }) : credentials,
    );
    this.#fetch = transport.fetch ?? fetch;
    this.#logger = logger;
  }

  /**
   * Where this runtime finds what the options leave out. Here: the environment variables, where the runtime has
   * them; the Node and Deno build (the package's `node` and `deno` export conditions) overrides it with the AWS
   * SDK's Node rules: shared config files, profiles and the default credential chain.
   */
  protected runtimeDefaults(init: DefaultsInit): RuntimeDefaults {
    return environmentDefaults(init);
  }

  /** Not supported: there is no middleware. The getter throws a TypeError saying what to use instead. */
  get middlewareStack(): never {
    throw new TypeError(
      "middlewareStack is not supported by cognito-auth-events: wrap the fetch option to see or change requests",
    );
  }

  /**
   * Sends a command: signs, sends and retries as configured, and resolves with the output (timestamps as `Date`,
   * `$metadata` added) or rejects with the modelled error class; with a callback, calls it instead, as the AWS SDK
   * does.
   */
  send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    options?: SendOptions,
  ): Promise<Output>;
  send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    callback: SendCallback<Output>,
  ): void;
  send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    options: SendOptions | undefined,
    callback: SendCallback<Output>,
  ): void;
  send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    optionsOrCallback?: SendOptions | SendCallback<Output>,
    callback?: SendCallback<Output>,
  ): Promise<Output> | undefined {
    const callbackFirst = typeof optionsOrCallback === "function";
    const done = callbackFirst ? optionsOrCallback : callback;
    if (done !== undefined && typeof done !== "function")
      throw new TypeError("the callback of send must be a function");
    const pending = this.#send(command, (callbackFirst ? undefined : optionsOrCallback) ?? {});
    if (done === undefined) return pending;
    pending.then((output) => done(null, output), done).catch(() => {});
    return undefined;
  }

  /**
   * The request loop: each attempt signed, sent with its timeout, answered or failed, then retried, skew-corrected or
   * thrown. One function for the reason the module gives: the attempt's state (its signal, timer, status and
   * headers) and the call's (attempts, retry delay and cost) are locals the minifier shortens.
   */
  async #send<Input extends object, Output extends MetadataBearer>(
    command: Command<Input, Output>,
    options: SendOptions,
  ): Promise<Output> {
    const { schema, input } = command ?? {};
    if (typeof schema?.name !== "string") throw foreignCommand(command);
    const { name } = schema;
    const { config } = this;
    const { endpoint, region, maxAttempts, limiter } = this.#resolved ?? (await this.#settings());
    const log = this.#logger;
    if (config.validateInput) await this.#validate?.(name, input);
    const body = (schema.serialize ?? JSON.stringify)(input);
    const signal = options.abortSignal;
    const timeout = positiveInteger(options.requestTimeout, "requestTimeout", config.requestTimeout, 0);
    let attempts = 0;
    let totalRetryDelay = 0;
    let retryCost = 0;
    let skewCorrected = false;
    const meta = (extra?: ResponseMetadata): ResponseMetadata => ({ ...extra, attempts, totalRetryDelay });
    const aborted = (cause: unknown) => {
      // As the AWS SDK's: "Request aborted", and JSON.stringify shows its name only.
      const error = new AbortError("Request aborted", { cause, $metadata: meta() });
      return Object.defineProperty(error, "$metadata", { enumerable: false });
    };

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
      // Plain headers (lowercase, canonical values; the session token is visible ASCII): the signer's shorter path.
      // Operations modelled without auth (UpdateAuthEventFeedback: its FeedbackToken authorises it) go unsigned,
      // as the AWS SDK sends them, so they work without AWS credentials.
      if (!schema.unsigned) {
        headers = await this.#signer.signPlain(
          { method: "POST", url: endpoint, headers, body },
          {
            credentials: await this.#credentials(),
            region,
            service: "cognito-idp",
            date: new Date(Date.now() + config.systemClockOffset),
          },
        );
      }
      log?.debug(
        `${name} attempt ${attempts}: POST ${endpoint.href}`,
        redactHeaders(headers),
        redactInput(input, schema.redact),
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
      try {
        // Called unbound: workerd's fetch throws "Illegal invocation" when `this` is not the global object.
        const fetchImpl = this.#fetch ?? globalThis.fetch;
        const response = await fetchImpl(endpoint.href, {
          method: "POST",
          headers,
          body,
          signal: controller?.signal ?? signal,
          // As the SDK's handlers: a redirect is answered, not followed, so the signed request and its session token
          // never go to the Location.
          redirect: "manual",
        });
        const text = await response.text();
        done();
        const { headers: h } = response;
        status = response.status;
        // The AWS SDK's members, the absent ones included (Object.keys($metadata) reads the same).
        const $metadata = meta({
          httpStatusCode: status,
          requestId: h.get("x-amzn-requestid") ?? undefined,
          extendedRequestId: h.get("x-amz-id-2") ?? undefined,
          cfId: h.get("x-amz-cf-id") ?? undefined,
        });
        log?.debug(`${name} attempt ${attempts}: HTTP ${status} ${$metadata.requestId ?? ""}`);
        if (status < 300) {
          const parsed = parseJson(text);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            limiter?.update(false);
            this.#quota.release(retryCost);
            readOutput(parsed, schema.read, text);
            // The parsed body is this call's own object: `$metadata` goes on it, not on a copy.
            (parsed as { $metadata?: ResponseMetadata }).$metadata = $metadata;
            return parsed as Output;
          }
          error = new NetworkError(
            `${name}: HTTP ${status} with a body that is not a JSON object (${text.length} bytes)`,
            { $metadata },
          );
        } else {
          error = buildError(status, h, text, schema.errors, $metadata);
          decorateError(error, text);
          retryAfter = h.get("retry-after");
          serverDate = h.get("date");
        }
      } catch (cause) {
        done();
        if (signal?.aborted) throw aborted(signal.reason);
        // A request handler's own timeout (NodeHttpHandler's requestTimeout) is a timeout too.
        error =
          timedOut || (cause as { name?: unknown })?.name === "TimeoutError"
            ? new TimeoutError(
                `${name}: ${timedOut ? `no complete response within ${timeout} ms` : causeChain(cause)}`,
                {
                  cause,
                  $metadata: meta(),
                },
              )
            : new NetworkError(`${name}: ${causeChain(cause)}`, { cause, $metadata: meta() });
      }

      // Clock skew: correct the offset from the server's Date and retry once, whatever the attempt count.
      const server = Date.parse(serverDate!);
      if (
        !skewCorrected &&
        !config.disableClockSkewCorrection &&
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
        kind && attempts < maxAttempts
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

  /** What `JSON.stringify(client)` shows: the configuration resolved so far, never credentials. */
  toJSON(): object {
    const { region, endpoint, maxAttempts } = this.#resolved ?? {};
    const { requestTimeout, validateInput, systemClockOffset } = this.config;
    return { region, endpoint: endpoint?.href, maxAttempts, requestTimeout, validateInput, systemClockOffset };
  }
}

/** A URL in the AWS SDK's `Endpoint` shape. */
function endpointObject(url: URL): EndpointObject {
  const { protocol, hostname, port, pathname } = url;
  return { protocol, hostname, port: port ? Number(port) : undefined, path: pathname };
}

/** The error for something sent that is not one of this package's commands (the AWS SDK's, typically). */
function foreignCommand(command: unknown): TypeError {
  const { schema } = (command ?? {}) as { schema?: unknown };
  const kind = (command as { constructor?: { name?: string } } | undefined)?.constructor?.name;
  // The AWS SDK's commands carry their operation's name in a schema array: [kind, namespace, name, ...].
  const operation = Array.isArray(schema) && typeof schema[2] === "string" ? schema[2] : undefined;
  return new TypeError(
    operation
      ? `${operation}Command is the AWS SDK's: import it from "cognito-auth-events" to send it with this client`
      : `send takes a command of cognito-auth-events, got ${kind ?? typeof command}`,
  );
}

/**
 * What a failed fetch says, down to its root cause: `fetch failed: connect ECONNREFUSED 127.0.0.1:1` (undici's
 * `TypeError("fetch failed")` holds the socket's error as `cause`), as the AWS SDK's messages name the socket error.
 */
const causeChain = (e: unknown): string =>
  e instanceof Error ? e.message + (e.cause instanceof Error ? `: ${causeChain(e.cause)}` : "") : "network error";
