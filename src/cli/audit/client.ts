/**
 * The client the audit reads through: the CLI's settings chain and transport (timeouts, TLS, the CA bundle), one
 * attempt per call (the audit paces and retries every attempt itself), and `--debug`'s log of every exchange.
 */

import pkg from "../../../package.json" with { type: "json" };
import { CognitoIdentityProviderClient } from "../../client.ts";
import { fromAwsCliChain } from "../../node/credentials.ts";
import { terminalText } from "../../terminal-text.ts";
import { PROG } from "../args.ts";
import type { GlobalValues } from "../globals.ts";
import { debugExchange, operationOf, recordingFetch, safeHeaders } from "../http.ts";
import { type CliIO, writeTo } from "../io.ts";
import { loadSettings, requireRegion } from "../settings.ts";
import { cliTransport } from "../transport.ts";

/** The audit's client and the connections to release at the end. */
export interface AuditClient {
  readonly client: CognitoIdentityProviderClient;
  close(): void;
}

/** Connections beyond the workers': ListUsers reading ahead, and a spare. */
const EXTRA_SOCKETS = 2;
const DEFAULT_SOCKETS = 10;

/**
 * Opens the audit's client.
 * @throws CliError or the settings chain's error (no region, a profile that does not exist...)
 */
export async function openAuditClient(
  globals: GlobalValues,
  options: { io: CliIO; concurrency: number | undefined; command?: string },
): Promise<AuditClient> {
  const { io, concurrency, command = "audit" } = options;
  const debug = globals["debug"] === true;
  const settings = await loadSettings(globals, io);
  const region = requireRegion(settings);
  const transport = await cliTransport(globals, io, {
    caBundle: settings.caBundle,
    insecureWarnings: "once",
    maxSockets: Math.max(DEFAULT_SOCKETS, (concurrency ?? DEFAULT_SOCKETS) + EXTRA_SOCKETS),
  });
  const { endpoint } = settings;
  const client = new CognitoIdentityProviderClient({
    region,
    credentials: fromAwsCliChain(settings.shared),
    // One attempt per call: the audit paces every attempt and retries throttling itself, so it sees every throttle.
    maxAttempts: 1,
    ...(endpoint.url !== undefined && { endpoint: endpoint.url }),
    fetch: debug ? debugFetch(transport.fetch, io) : transport.fetch,
  });
  if (debug) {
    const tls =
      globals["verify_ssl"] === false
        ? "unverified"
        : settings.caBundle !== undefined
          ? `verified with ${settings.caBundle}`
          : "verified";
    await writeTo(
      io.stderr,
      `DEBUG ${PROG} ${pkg.version}: ${command}, region ${region}, endpoint ${(await client.config.endpointUrl()).href} (${endpoint.source}), profile ${settings.shared.profile}, TLS ${tls}\n`,
    );
  }
  return { client, close: () => transport.close() };
}

/** `--debug`: every exchange on stderr (secrets redacted, see http.ts), and every request that got no answer. */
function debugFetch(inner: typeof fetch, io: CliIO): typeof fetch {
  const log = (text: string) => void Promise.resolve(io.stderr(text)).catch(() => {});
  const recorded = recordingFetch(inner, (exchange) => log(debugExchange(exchange)));
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    try {
      return await recorded(input, init);
    } catch (error) {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      let operation = "request";
      try {
        operation = operationOf(safeHeaders(init.headers));
      } catch {
        // Headers that cannot be sent: the error below says so.
      }
      const why = error instanceof Error ? error.message : String(error);
      const line = `DEBUG ${operation} request: ${init.method ?? "GET"} ${url} failed: ${why}`;
      await writeTo(io.stderr, `${terminalText(line)}\n`);
      throw error;
    }
  }) as typeof fetch;
}
