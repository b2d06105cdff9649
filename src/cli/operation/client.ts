/**
 * The client an operation command calls through: the package's client (SigV4, retries, error classes) on the CLI's
 * transport, with every response's raw text recorded so that the CLI prints what botocore would have parsed
 * (`1.7E9` stays a float) rather than what the client parsed.
 */

import pkg from "../../../package.json" with { type: "json" };
import { CognitoIdentityProviderClient } from "../../client.ts";
import { fromAwsCliChain } from "../../node/credentials.ts";
import { PROG } from "../args.ts";
import type { GlobalValues } from "../globals.ts";
import { debugExchange, type Exchange, recordingFetch, safeHeaders } from "../http.ts";
import { type CliIO, writeTo } from "../io.ts";
import { isPyObject, parseJson, type PyObject, type PyValue } from "../pyjson.ts";
import type { Settings } from "../settings.ts";
import { cliTransport } from "../transport.ts";
import type { OperationSpec } from "./model.ts";
import { parseShape } from "./shape.ts";

/** Sends an operation's commands and answers with the responses as botocore parses them. */
export interface RawClient {
  send(command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<PyObject>;
  /** The last HTTP exchange (for the AWS CLI's error messages). */
  readonly last: Exchange | undefined;
  /** Releases the transport's connections. */
  close(): void;
}

/** Headers a request signed by the client carries that an unsigned one (`--no-sign-request`) must not. */
const SIGNATURE_HEADERS = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"];

/** The client for one operation command, from the global options and the settings. */
export async function openRawClient(
  spec: OperationSpec,
  run: { values: GlobalValues; settings: Settings; region: string; io: CliIO },
): Promise<RawClient> {
  const { values, settings, region, io } = run;
  const debug = values["debug"] === true;
  const transport = await cliTransport(values, io, { caBundle: settings.caBundle });
  // A holder: the recorder sets it while `send` waits for the client.
  const seen: { last?: Exchange | undefined } = {};
  const unsigned = values["sign_request"] === false;
  const recorded = recordingFetch(
    unsigned
      ? (input, init = {}) => {
          const headers = safeHeaders(init.headers);
          for (const name of SIGNATURE_HEADERS) headers.delete(name);
          return transport.fetch(input, { ...init, headers });
        }
      : transport.fetch,
    (exchange) => {
      seen.last = exchange;
      if (debug) void io.stderr(debugExchange(exchange, spec.operation));
    },
  );
  const { endpoint } = settings;
  const client = new CognitoIdentityProviderClient({
    region,
    ...(endpoint.url !== undefined && { endpoint: endpoint.url }),
    credentials: unsigned ? { accessKeyId: "unsigned", secretAccessKey: "unsigned" } : fromAwsCliChain(settings.shared),
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode === "adaptive" ? "adaptive" : "standard",
    fetch: recorded,
    // botocore's validation ran already, with its messages (shape.ts validateParams).
    validateInput: false,
  });
  if (debug) {
    await writeTo(
      io.stderr,
      `DEBUG ${PROG} ${pkg.version}: region ${region}, endpoint ${(await client.config.endpointUrl()).href} (${endpoint.source}), profile ${settings.shared.profile}, ` +
        `retry mode ${settings.retryMode} (${settings.maxAttempts} attempts), output ${settings.output ?? "json"}, timestamps ${settings.timestamps}\n`,
    );
  }
  return {
    async send(command, options) {
      delete seen.last;
      await client.send(command as never, options);
      const text = (seen.last as Exchange | undefined)?.body ?? "";
      let parsed: PyValue = Object.create(null) as PyObject;
      try {
        parsed = text.trim() === "" ? parsed : parseJson(text);
      } catch {
        // botocore: a body that is not JSON parses as {"message": body}, which has no member of the output.
      }
      const shaped = parseShape(parsed, spec.outputShape, settings.timestamps);
      return isPyObject(shaped) ? shaped : (Object.create(null) as PyObject);
    },
    get last() {
      return seen.last;
    },
    close: () => transport.close(),
  };
}
