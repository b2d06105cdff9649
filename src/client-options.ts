/**
 * The options of `CognitoIdentityProviderClient`, and the check that every option of the AWS SDK v3's client is
 * either honoured or refused by name: code moved from the SDK never has a setting silently dropped.
 *
 * @module
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "./credentials.ts";
import type { FetchLike, ResponseLike } from "./fetch-like.ts";
import type { HttpHandlerLike } from "./request-handler.ts";

/** The AWS SDK v3's logger shape: `console` fits. */
export interface Logger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/** A value, or an async function returning it (the AWS SDK's `Provider<T>`): read when the first request is sent. */
export type ValueOrProvider<T> = T | (() => Promise<T>);

/** An endpoint as the AWS SDK v3 describes one (`Endpoint`), e.g. from another SDK client's `config.endpoint()`. */
export interface EndpointObject {
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  query?: Record<string, string | string[] | null> | undefined;
}

/**
 * The AWS SDK handlers' options, given as a plain object instead of a handler (`requestHandler: { requestTimeout }`).
 * Only `requestTimeout` has a meaning without the SDK's handler; for agents and socket timeouts, pass the handler
 * itself (`new NodeHttpHandler({ httpsAgent, connectionTimeout })`).
 */
export interface RequestHandlerOptions {
  /** Milliseconds an attempt may take; the same as the client's `requestTimeout`. */
  requestTimeout?: number;
}

/**
 * Options of {@link CognitoIdentityProviderClient}: the AWS SDK v3 client's, for the ones it honours, plus a few of
 * its own (`fetch`, `requestTimeout`, `validateInput`). An SDK option it does not support is refused with a TypeError
 * naming it and what to use instead.
 * @example
 * new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } })
 */
export interface CognitoIdentityProviderClientConfig {
  /**
   * The AWS region of the user pool, e.g. `"eu-west-1"`, or an async function returning it. Resolved when the first
   * request is sent: a client without one can be created, and its requests fail with "Region is missing".
   * @default AWS_REGION; on Node and Deno then the profile's `region` in the shared config files, then the instance
   * metadata (as the AWS SDK); elsewhere AWS_REGION or AWS_DEFAULT_REGION where the runtime has an environment
   */
  region?: ValueOrProvider<string>;
  /**
   * Static credentials, or an async provider function (the AWS SDK's `AwsCredentialIdentityProvider`, so
   * `@aws-sdk/credential-providers` plug in).
   * @default on Node and Deno the AWS SDK's default chain (environment, shared files with SSO, `credential_process`
   * and web identity, container credentials, instance metadata); elsewhere the AWS_ACCESS_KEY_ID,
   * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN environment variables
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Node and Deno: the profile of the shared config files to read settings and credentials from.
   * @default AWS_PROFILE, else "default"
   */
  profile?: string;
  /**
   * Send requests here instead of `https://cognito-idp.{region}.amazonaws.com` (the emulator, a proxy). Takes
   * precedence over the endpoint configured outside the code.
   * @default on Node and Deno AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL, then the profile's
   * `services` section and `endpoint_url` (as the AWS SDK; see `ignoreConfiguredEndpointUrls`)
   * @example "http://127.0.0.1:4566"
   */
  endpoint?: ValueOrProvider<string | URL | EndpointObject | { url: URL }>;
  /**
   * Ignore the endpoint configured outside the code (AWS_ENDPOINT_URL..., the profile's `endpoint_url`).
   * @default AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, else the profile's `ignore_configured_endpoint_urls`, else false
   */
  ignoreConfiguredEndpointUrls?: boolean;
  /**
   * Use the FIPS endpoint.
   * @default AWS_USE_FIPS_ENDPOINT, else the profile's `use_fips_endpoint` (Node and Deno), else false
   */
  useFipsEndpoint?: ValueOrProvider<boolean>;
  /**
   * Use the dual-stack (IPv4 and IPv6) endpoint the service's endpoint rules give (in the `aws` partition Cognito's
   * usual hosts already serve both; elsewhere the partition's dual-stack domain, e.g. `api.amazonwebservices.com.cn`).
   * @default AWS_USE_DUALSTACK_ENDPOINT, else the profile's `use_dualstack_endpoint` (Node and Deno), else false
   */
  useDualstackEndpoint?: ValueOrProvider<boolean>;
  /**
   * Attempts per call, the first included.
   * @default AWS_MAX_ATTEMPTS, else the profile's `max_attempts` (Node and Deno), else 3
   */
  maxAttempts?: ValueOrProvider<number>;
  /**
   * `"standard"`: backoff with jitter and a retry quota. `"adaptive"`: the same plus a client-side rate limiter
   * that slows down after throttling; it is in the Node, Deno and Bun build (the package's `node`, `deno` and `bun`
   * export conditions), and the edge build refuses it with a TypeError.
   * @default AWS_RETRY_MODE, else the profile's `retry_mode` (Node and Deno), else "standard"
   */
  retryMode?: ValueOrProvider<"standard" | "adaptive" | (string & {})>;
  /**
   * Milliseconds an attempt may take (headers and body) before it is abandoned and retried; 0 means no limit.
   * @default 0
   */
  requestTimeout?: number;
  /**
   * What sends the requests: a `fetch`, or any function with fetch's arguments that answers with the part of a
   * `Response` the client reads ({@link ResponseLike}: `status`, `headers.get`, `text()`). Without it,
   * `globalThis.fetch` is looked up for each request, so one patched later (MSW's `server.listen()`, after a client
   * was created at module load) is the one used.
   * @default globalThis.fetch, at each request
   * @example
   * // Node: the node:http transport's exchange (no web Response built per page)
   * import { createNodeFetch } from "cognito-auth-events/node";
   * new CognitoIdentityProviderClient({ region: "eu-west-1", fetch: createNodeFetch().exchange })
   */
  fetch?: FetchLike;
  /**
   * An AWS SDK request handler (`new NodeHttpHandler({ requestTimeout, httpsAgent })`, `new FetchHttpHandler()`, or
   * any object with its `handle(request, { abortSignal })`): requests go through its `handle()`, so its agents,
   * proxies and timeouts apply. As a plain options object, only `requestTimeout` is honoured. Not with `fetch`.
   */
  requestHandler?: HttpHandlerLike | RequestHandlerOptions;
  /**
   * Where debug output goes (requests and responses, with credentials and sensitive members redacted).
   * @default none
   */
  logger?: Logger;
  /**
   * Check inputs against the model's constraints before sending, and throw a {@link ValidationError} instead of
   * sending. Off, as in the AWS SDK: the service checks, and its `InvalidParameterException` is what catch blocks see.
   * The model's rules are in the Node, Deno and Bun build (loaded the first time a client validates); the edge build
   * refuses `true` with a TypeError.
   * @default false
   */
  validateInput?: boolean;
  /**
   * Milliseconds to add to the local clock when signing; corrected automatically after a clock-skew error.
   * @default 0
   */
  systemClockOffset?: number;
  /**
   * Do not correct `systemClockOffset` from the server's clock after a clock-skew error.
   * @default false
   */
  disableClockSkewCorrection?: boolean;
  /**
   * Called with the client's configuration when no `credentials` are given; returns the credentials provider to use
   * instead of the default chain (the AWS SDK's option of the same name).
   */
  credentialDefaultProvider?: (input: unknown) => AwsCredentialIdentityProvider;
  /** The service's API version; only `"2016-04-18"`, the one this client speaks, is accepted. */
  apiVersion?: string;
  /** The service's SDK id; only `"Cognito Identity Provider"` is accepted. */
  serviceId?: string;
}

/** The service's SDK id, as the AWS SDK's `config.serviceId` (and the suffix of AWS_ENDPOINT_URL_*). */
export const SERVICE_ID = "Cognito Identity Provider";
/** The API version of the model. */
export const API_VERSION = "2016-04-18";

/**
 * The AWS SDK v3 client options this client refuses, by what to do instead (names separated by spaces: the table
 * ships in every edge bundle).
 */
const REFUSED: readonly (readonly [names: string, instead: string])[] = [
  ["extensions cacheMiddleware", "there is no middleware: wrap the fetch option to see or change requests"],
  [
    "protocol protocolSettings sha256 urlParser bodyLengthChecker streamCollector base64Decoder base64Encoder utf8Decoder utf8Encoder runtime disableHostPrefix",
    "this client has no such internal to replace",
  ],
  ["defaultUserAgentProvider customUserAgent userAgentAppId", "no User-Agent is sent: add headers by wrapping fetch"],
  ["retryStrategy defaultsMode", "use maxAttempts, retryMode and requestTimeout"],
  ["endpointProvider serviceConfiguredEndpoint tls", "use endpoint"],
  [
    "signer signerConstructor signingEscapePath signingRegion authSchemePreference httpAuthSchemes httpAuthSchemeProvider",
    "requests are signed with SigV4 from region and credentials",
  ],
];

/** The options this client reads. */
const KNOWN =
  " region credentials profile endpoint ignoreConfiguredEndpointUrls useFipsEndpoint useDualstackEndpoint maxAttempts retryMode requestTimeout fetch requestHandler logger validateInput systemClockOffset disableClockSkewCorrection credentialDefaultProvider apiVersion serviceId ";

/**
 * Throws a TypeError for an option this client does not honour (an AWS SDK option it refuses, or a name it does
 * not know), naming it and what to use instead. Options set to `undefined` count as not given.
 */
export function checkOptionNames(config: object): void {
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || KNOWN.includes(` ${name} `)) continue;
    const instead = REFUSED.find(([names]) => ` ${names} `.includes(` ${name} `))?.[1];
    throw new TypeError(
      instead
        ? `${name} is an AWS SDK option that cognito-auth-events does not support: ${instead}`
        : `${name} is not an option of CognitoIdentityProviderClient`,
    );
  }
  const { apiVersion, serviceId } = config as CognitoIdentityProviderClientConfig;
  if (apiVersion !== undefined && apiVersion !== API_VERSION)
    throw new TypeError(`apiVersion must be "${API_VERSION}", the API this client speaks`);
  if (serviceId !== undefined && serviceId !== SERVICE_ID)
    throw new TypeError(`serviceId must be "${SERVICE_ID}", the service this client speaks`);
}
