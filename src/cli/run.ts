/**
 * The `cognito-auth-events` command: parses the command line as the AWS CLI v1 does, calls the
 * operation through {@link CognitoIdentityProviderClient} (SigV4, retries, timeouts) and
 * src/paginate.ts (botocore's pagination and resume tokens), and prints the raw response text
 * as the AWS CLI would (json, text, table), or as ndjson or csv.
 *
 * Why raw text: the AWS CLI prints what Python's `json` parsed (`1.7E9` -> `1700000000.0`), so the
 * client's parsed output (numbers, `Date`s) cannot be printed byte-identically. The client gets a
 * `fetch` that records each response's text (http.ts `recordingFetch`); the CLI parses that text
 * with a number-preserving parser (pyjson.ts) and shapes it by the model (shape.ts), while the
 * client still does the signing, retrying and error classification.
 */

import jmespath from "jmespath";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve as resolvePath } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { CognitoIdentityProviderClient } from "../client.ts";
import { runEmulatorCli } from "../emulator/cli.ts";
import { AbortError, NetworkError } from "../errors.ts";
import { type SharedConfig, loadSharedConfig, profileSettings } from "../node/config.ts";
import { NoCredentialsError, fromAwsCliChain } from "../node/credentials.ts";
import { PaginationError } from "../paginate.ts";
import { TRUNCATE_AMOUNT_KEY, encodeResumeToken, parseStartingToken } from "../resume-token.ts";
import { type OptionSpec, type ParsedValue, PROG, UnknownArgumentError, UsageError, parseKnownArgs } from "./args.ts";
import { type CliCommand, COMMANDS, commandOptions, isListTarget } from "./commands.ts";
import {
  CliError,
  CliPaginationError,
  ParamError,
  ParamValidationError,
  clientErrorMessage,
  errorCodeAndMessage,
} from "./errors.ts";
import { CsvWriter, flatten, formatJson, formatNdjson, formatText } from "./format.ts";
import { commandHelp, mainHelp } from "./help.ts";
import { GLOBAL_OPTIONS, OUTPUT_FORMATS, type OutputFormat, cliTransport } from "./globals.ts";
import { type Exchange, TransportError, debugExchange, recordingFetch, safeHeaders } from "./http.ts";
import { type AuditIO, runAudit } from "./audit.ts";
import { runFeedback } from "./feedback.ts";
import type { CliIO } from "./io.ts";
import {
  JsonSyntaxError,
  type PyObject,
  type PyValue,
  isPyObject,
  parseJson,
  pyJsonDumps,
  toPyValue,
} from "./pyjson.ts";
import type { Rules } from "../../generated/schemas.ts";
import { type TimestampFormat, parseShape, skeleton, validateParams } from "./shape.ts";
import { formatTable } from "./table.ts";

export { GLOBAL_OPTIONS, OUTPUT_FORMATS, type OutputFormat } from "./globals.ts";

/** Commands that are not operations. */
const OTHER_COMMANDS = ["emulator", "audit", "feedback", "report", "help"];

/**
 * The `audit` command (src/cli/audit.ts): it gets every argument but the command's name, the
 * global options included wherever they were, and parses both itself.
 */
export type AuditCommand = (argv: string[], io: AuditIO) => Promise<number>;
let auditCommand: AuditCommand = runAudit;
/** Replaces the `audit` command (tests); `undefined` restores the built-in one. */
export function setAuditCommand(command: AuditCommand | undefined): void {
  auditCommand = command ?? runAudit;
}

const write = async (sink: (text: string) => void | Promise<void>, text: string) => {
  if (text !== "") await sink(text);
};

/**
 * Runs the CLI with these arguments (without the program name) and resolves with the exit code:
 * 0, 2 (usage), 255 (any other failure, as the AWS CLI), 130 (interrupted).
 * @example process.exitCode = await runCli(process.argv.slice(2), processIO());
 */
export async function runCli(argv: readonly string[], io: AuditIO): Promise<number> {
  const args = [...argv];
  if (args[0] === "emulator")
    return runEmulatorCli(args.slice(1), { stdout: (t) => void io.stdout(t), stderr: (t) => void io.stderr(t) });
  const own = ownParserCommand(args);
  if (own !== undefined) {
    const rest = [...args.slice(0, own.position), ...args.slice(own.position + 1)];
    if (own.command === "audit") return auditCommand(rest, io);
    if (own.command === "feedback") return runFeedback(rest, io);
    // `report` is loaded when asked for: its renderers and d3 stay out of every other command's start-up.
    return (await import("./report.ts")).runReport(rest, io);
  }

  let debug = args.includes("--debug");
  try {
    const global = parseKnownArgs(args, GLOBAL_OPTIONS, [
      { dest: "command", optional: false, choices: [...COMMANDS.keys(), ...OTHER_COMMANDS] },
    ]);
    if (global.version) {
      await write(io.stdout, `${pkg.version}\n`);
      return 0;
    }
    const g = global.values;
    debug = g["debug"] === true;
    const command = g["command"] as string;
    const rest = global.extras;
    if (command === "emulator") {
      const without = [...args];
      without.splice(global.positions["command"] ?? args.indexOf(command), 1);
      return runEmulatorCli(without, { stdout: (t) => void io.stdout(t), stderr: (t) => void io.stderr(t) });
    }
    if (command === "help") {
      const target = rest[0] !== undefined ? COMMANDS.get(rest[0]) : undefined;
      await write(io.stdout, target ? commandHelp(target) : mainHelp());
      return 0;
    }
    const cmd = COMMANDS.get(command)!;
    if (rest.includes("--help") || rest.includes("-h") || (rest.length === 1 && rest[0] === "help")) {
      await write(io.stdout, commandHelp(cmd));
      return 0;
    }
    // Before the operation's options are parsed: a bad --query, a bad timestamp format (awscli checks both first).
    const query = compileQuery(g["query"] as string | undefined);
    const skeletonIndex = rest.indexOf("--generate-cli-skeleton");
    const overrideRequired =
      rest.includes("--cli-input-json") || (skeletonIndex >= 0 && rest[skeletonIndex + 1] !== "output");
    const parsed = parseKnownArgs(rest, commandOptions(cmd), [{ dest: "help", optional: true }], overrideRequired);
    const remaining = [...parsed.extras];
    if (parsed.values["help"] === "help") {
      await write(io.stdout, commandHelp(cmd));
      return 0;
    }
    if (typeof parsed.values["help"] === "string") remaining.push(parsed.values["help"]);
    if (remaining.length > 0) throw new UnknownArgumentError(remaining);
    return await runOperation(cmd, g, parsed.values, query, io);
  } catch (error) {
    return report(error, io, debug);
  }
}

/** The global options without their value checks: only to find which command is asked for. */
const GLOBAL_OPTIONS_UNCHECKED: readonly OptionSpec[] = GLOBAL_OPTIONS.map((o) => ({
  flag: o.flag,
  dest: o.dest,
  kind: o.kind,
  ...(o.flagValue !== undefined ? { flagValue: o.flagValue } : {}),
  ...(o.version ? { version: true } : {}),
}));

/**
 * Where the command `audit`, `feedback` or `report` is in these arguments, if it is the command. Found with the global
 * options' rules (values taken, abbreviations), but before their checks: `--output summary` is
 * one of the audit's formats and `report --output` takes a file name, both of which the operations'
 * `--output` refuses, and these commands report a bad value with their own usage.
 */
function ownParserCommand(args: readonly string[]): { command: string; position: number } | undefined {
  try {
    const probe = parseKnownArgs(args, GLOBAL_OPTIONS_UNCHECKED, [{ dest: "command", optional: false }]);
    const command = probe.values["command"];
    const position = probe.positions["command"];
    return (command === "audit" || command === "feedback" || command === "report") && position !== undefined
      ? { command, position }
      : undefined;
  } catch {
    // Not parseable as any command: the full parse below says why.
    return undefined;
  }
}

async function report(error: unknown, io: CliIO, debug: boolean): Promise<number> {
  if (error instanceof UsageError) {
    await write(io.stderr, error.output);
    return error.exitCode;
  }
  if (error instanceof UnknownArgumentError) {
    await write(io.stderr, error.output);
    return error.exitCode;
  }
  if (error instanceof AbortError || (error instanceof Error && error.name === "AbortError")) {
    // awscli: a newline on stdout, exit 128 + SIGINT.
    await write(io.stdout, "\n");
    return 130;
  }
  if (debug && error instanceof Error && !(error instanceof CliError))
    await write(io.stderr, `${error.stack ?? error.message}\n`);
  const blank = !(error instanceof CliError) || error.blankLineBefore;
  await write(io.stderr, `${blank ? "\n" : ""}${error instanceof Error ? error.message : String(error)}\n`);
  return error instanceof CliError ? error.exitCode : 255;
}

type Query = { search(data: PyValue): PyValue };

function compileQuery(expression: string | undefined): Query | undefined {
  if (expression === undefined) return undefined;
  try {
    (jmespath as unknown as { compile(expression: string): unknown }).compile(expression);
  } catch (error) {
    throw new CliError(
      `Bad value for --query ${expression}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { search: (data) => toPyValue(jmespath.search(data as never, expression) as unknown) };
}

/**
 * awscli's paramfile: `file://` (text) and `fileb://` prefixes read a local file; `http://` and `https://` values are
 * fetched (AWS CLI v1's default; the profile's `cli_follow_urlparam = false` turns it off), except for
 * `--cli-input-json`, which reads local files only. `followUrls` is asked only for such a value.
 */
async function paramFile(
  value: string,
  param: string,
  io: CliIO,
  followUrls?: () => Promise<boolean>,
): Promise<string | undefined> {
  if (followUrls && /^https?:\/\//.test(value) && (await followUrls())) {
    try {
      // awscli's get_uri: requests.get, then the body of a 200 answer, else "received non 200 status code of N".
      const response = await fetch(value);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`received non 200 status code of ${response.status}`);
      // requests' `text`: the charset the answer names; text/* without one is ISO-8859-1 (byte = code point);
      // otherwise requests guesses, and UTF-8 is what it finds for UTF-8 bytes.
      const type = response.headers.get("content-type") ?? "";
      const charset = /;\s*charset=["']?([^"';\s]+)/i.exec(type)?.[1];
      if (!charset && /^\s*text\//i.test(type)) return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
      return new TextDecoder(charset ?? "utf-8").decode(bytes);
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? `${error.message} (${error.cause.message})`
            : error.message
          : String(error);
      throw new ParamError(param, `Unable to retrieve ${value}: ${reason}`);
    }
  }
  const prefix = value.startsWith("file://") ? "file://" : value.startsWith("fileb://") ? "fileb://" : undefined;
  if (!prefix) return undefined;
  const path = value.slice(prefix.length);
  const home = io.env["HOME"] ?? "";
  const expanded = path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
  const full = isAbsolute(expanded) ? expanded : resolvePath(io.cwd, expanded);
  try {
    return await readFile(full, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "ENOENT"
        ? `[Errno 2] No such file or directory: '${expanded}'`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new ParamError(param, `Unable to load paramfile ${value}: ${reason}`);
  }
}

interface Settings {
  readonly shared: SharedConfig;
  readonly region: string | undefined;
  readonly output: OutputFormat;
  readonly timestamps: TimestampFormat;
  readonly retryMode: "legacy" | "standard" | "adaptive";
  readonly maxAttempts: number;
  readonly caBundle: string | undefined;
}

async function loadSettings(g: Record<string, ParsedValue | undefined>, io: CliIO): Promise<Settings> {
  const shared = await loadSharedConfig({
    env: io.env,
    ...(typeof g["profile"] === "string" ? { profile: g["profile"] } : {}),
  });
  const s = profileSettings(shared);
  const output = (g["output"] as string | undefined) ?? s.output ?? "json";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) throw new CliError(`Unknown output type: ${output}`);
  const format = (g["cli_timestamp_format"] as string | undefined) ?? s.cliTimestampFormat ?? "wire";
  if (format !== "wire" && format !== "none" && format !== "iso8601") {
    throw new CliError(`Unknown cli_timestamp_format value: ${format}, valid values are "none", "wire" or "iso8601"`);
  }
  const retryMode = s.retryMode ?? "legacy";
  if (retryMode !== "legacy" && retryMode !== "standard" && retryMode !== "adaptive") {
    throw new CliError(`Invalid value '${retryMode}' for retry_mode: expected legacy, standard or adaptive`);
  }
  let maxAttempts = retryMode === "legacy" ? 5 : 3;
  if (s.maxAttempts !== undefined) {
    if (!/^\s*\d+\s*$/.test(s.maxAttempts) || Number(s.maxAttempts) < 1) {
      throw new CliError(`Invalid value '${s.maxAttempts}' for max_attempts: expected an integer of at least 1`);
    }
    maxAttempts = Number(s.maxAttempts);
  }
  return {
    shared,
    region: (g["region"] as string | undefined) ?? s.region,
    output: output as OutputFormat,
    timestamps: format === "iso8601" ? "iso8601" : "wire",
    retryMode,
    maxAttempts,
    caBundle: (g["ca_bundle"] as string | undefined) ?? s.caBundle,
  };
}

/** Builds the call parameters from the command line (awscli `_build_call_parameters`), then `--cli-input-json`. */
async function callParameters(
  cmd: CliCommand,
  values: Record<string, ParsedValue | undefined>,
  io: CliIO,
  paginationOff: boolean,
  followUrls: () => Promise<boolean>,
): Promise<PyObject> {
  const params = Object.create(null) as PyObject;
  for (const m of cmd.members) {
    const raw = values[m.member];
    if (raw === undefined) continue;
    const name = m.flag;
    if (isListTarget(m.target)) {
      let list = raw as string[];
      const files = await Promise.all(list.map((v) => paramFile(v, name, io, followUrls)));
      list = list.map((v, i) => files[i] ?? v);
      if (list.length === 1 && list[0]!.trim().startsWith("[")) params[m.member] = parseJsonParam(list[0]!, name);
      else params[m.member] = list;
      continue;
    }
    const text = (await paramFile(raw as string, name, io, followUrls)) ?? (raw as string);
    if (m.target === "integer" || m.target === "long") {
      const n = /^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) throw new CliError(`invalid literal for int() with base 10: ${pyStrRepr(text)}`);
      params[m.member] = n;
    } else {
      params[m.member] = text;
    }
  }
  if (paginationOff) {
    // The paging options that got past the --no-paginate check (falsy values) still land in the
    // call as PaginationConfig, which botocore's validation then refuses, as with the AWS CLI.
    const config = Object.create(null) as PyObject;
    if (values["starting_token"] !== undefined) config["StartingToken"] = values["starting_token"] as string;
    if (values["page_size"] !== undefined) config["PageSize"] = values["page_size"] as number;
    if (values["max_items"] !== undefined) config["MaxItems"] = values["max_items"] as number;
    if (Object.keys(config).length > 0) params["PaginationConfig"] = config;
  }
  const inputJson = values["cli_input_json"];
  if (typeof inputJson === "string") {
    const text = (await paramFile(inputJson, "cli-input-json", io)) ?? inputJson;
    const data = parseJsonParam(text, "cli-input-json");
    if (!isPyObject(data))
      throw new CliError(`'${Array.isArray(data) ? "list" : typeof data}' object has no attribute 'keys'`);
    for (const key of Object.keys(data)) if (!(key in params)) params[key] = data[key]!;
  }
  return params;
}

function pyStrRepr(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function parseJsonParam(text: string, param: string): PyValue {
  try {
    return parseJson(text);
  } catch (error) {
    const message = error instanceof JsonSyntaxError ? error.message : String(error);
    throw new ParamError(param, `Invalid JSON: ${message}\nJSON received: ${text}`);
  }
}

async function runOperation(
  cmd: CliCommand,
  g: Record<string, ParsedValue | undefined>,
  values: Record<string, ParsedValue | undefined>,
  query: Query | undefined,
  io: CliIO,
): Promise<number> {
  const debug = g["debug"] === true;
  let paginate = g["paginate"] !== false;
  const startingToken = values["starting_token"] as string | undefined;
  const pageSize = values["page_size"] as number | undefined;
  const maxItems = values["max_items"] as number | undefined;
  if (cmd.paginator) {
    // A service paging member given by hand (--max-results, --next-token...) turns pagination off.
    if (cmd.members.some((m) => m.paging && values[m.member] !== undefined)) paginate = false;
    if (!paginate) {
      const used = (
        [
          ["--starting-token", startingToken],
          ["--page-size", pageSize],
          ["--max-items", maxItems],
        ] as const
      ).filter(([, v]) => v !== undefined && v !== "" && v !== 0);
      if (used.length > 0) {
        throw new CliPaginationError(
          `Cannot specify --no-paginate along with pagination arguments: ${used.map(([f]) => f).join(", ")}`,
        );
      }
    }
  }
  // Read only when a parameter value is a URL: the profile's cli_follow_urlparam.
  const followUrls = async () => {
    const shared = await loadSharedConfig({
      env: io.env,
      ...(typeof g["profile"] === "string" ? { profile: g["profile"] } : {}),
    });
    return profileSettings(shared).cliFollowUrlparam?.toLowerCase() !== "false";
  };
  const params = await callParameters(cmd, values, io, !paginate && cmd.paginator !== undefined, followUrls);
  if (maxItems !== undefined && maxItems <= 0)
    await write(io.stderr, "warning: Non-positive values for --max-items may result in undefined behavior.\n");

  const skeletonMode = values["generate_cli_skeleton"] as string | undefined;
  if (skeletonMode === "input") {
    await write(io.stdout, `${pyJsonDumps(skeleton(cmd.inputShape), { indent: 4 })}\n`);
    return 0;
  }

  const settings = await loadSettings(g, io);
  const output = settings.output;
  const color = g["color"] === "on" || (g["color"] !== "off" && io.isTTY);
  const terminalWidth = io.isTTY
    ? ((globalThis as { process?: { stdout?: { columns?: number } } }).process?.stdout?.columns ?? 80)
    : 80;
  const rows = new RowWriter(output, cmd, query !== undefined, io);
  const print = async (value: PyValue) => {
    if (output === "json") await write(io.stdout, formatJson(value));
    else if (output === "table") await write(io.stdout, formatTable(cmd.operation, value, { color, terminalWidth }));
    else if (output === "text") await write(io.stdout, formatText(value));
    else if (query) await rows.write(value);
    else if (cmd.paginator && isPyObject(value)) {
      // Without --query, ndjson and csv list the items; the service's token goes to stderr.
      const items = value[cmd.paginator.resultKey];
      await rows.write(Array.isArray(items) ? items : []);
      const token = value[cmd.paginator.outputToken];
      if (typeof token === "string" && token !== "") await write(io.stderr, `NextToken: ${token}\n`);
    } else await rows.write(isPyObject(value) && Object.keys(value).length === 0 ? [] : value);
    if (output === "ndjson" || output === "csv") await rows.finish();
  };

  // The request the paginator starts with, for validation (botocore validates every request).
  const firstRequest = Object.assign(Object.create(null) as PyObject, params);
  if (cmd.paginator && paginate) {
    if (pageSize !== undefined) firstRequest[cmd.paginator.limitKey] = pageSize;
    if (startingToken !== undefined) {
      const token = parseStartingToken(startingToken, [cmd.paginator.inputToken]).tokens.get(cmd.paginator.inputToken);
      if (token !== null && token !== undefined && token !== "None") firstRequest[cmd.paginator.inputToken] = token;
    }
  }
  const rules = (cmd.makeCommand({}) as { schema?: { rules?: Rules } }).schema?.rules;
  const report = validateParams(firstRequest, cmd.inputShape, rules);
  if (report.length > 0) throw new ParamValidationError(report);

  if (skeletonMode === "output") {
    const stub = parseShape(skeleton(cmd.outputShape, true), cmd.outputShape, "wire");
    await print(query ? query.search(stub) : stub);
    return 0;
  }

  if (settings.region === undefined) {
    throw new CliError('You must specify a region. You can also configure your region by running "aws configure".', {
      blankLineBefore: false,
    });
  }
  const transport = await cliTransport(g, io, { caBundle: settings.caBundle });
  // The last HTTP exchange (a holder: the recorder and the page reader both update it).
  const seen: { last?: Exchange | undefined } = {};
  const unsigned = g["sign_request"] === false;
  const recorded = recordingFetch(
    unsigned
      ? (input, init = {}) => {
          const headers = safeHeaders(init.headers);
          for (const h of ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"])
            headers.delete(h);
          return transport.fetch(input, { ...init, headers });
        }
      : transport.fetch,
    (exchange) => {
      seen.last = exchange;
      if (debug) void io.stderr(debugExchange(exchange, cmd.operation));
    },
  );
  const client = new CognitoIdentityProviderClient({
    region: settings.region,
    ...(typeof g["endpoint_url"] === "string" ? { endpoint: g["endpoint_url"] } : {}),
    credentials: unsigned ? { accessKeyId: "unsigned", secretAccessKey: "unsigned" } : fromAwsCliChain(settings.shared),
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode === "adaptive" ? "adaptive" : "standard",
    fetch: recorded,
    validateInput: false,
  });
  if (debug) {
    await write(
      io.stderr,
      `DEBUG ${PROG} ${pkg.version}: region ${settings.region}, endpoint ${client.config.endpoint.href}, profile ${settings.shared.profile}, ` +
        `retry mode ${settings.retryMode} (${settings.maxAttempts} attempts), output ${output}, timestamps ${settings.timestamps}\n`,
    );
  }

  /** One page: the raw text of the successful response, shaped by the model. */
  const rawClient = {
    send: async (command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<PyObject> => {
      delete seen.last;
      await client.send(command as never, options);
      const text = (seen.last as Exchange | undefined)?.body ?? "";
      let parsed: PyValue = Object.create(null) as PyObject;
      try {
        parsed = text.trim() === "" ? parsed : parseJson(text);
      } catch {
        // botocore: a body that is not JSON parses as {"message": body}, which has no member of the output.
      }
      const shaped = parseShape(parsed, cmd.outputShape, settings.timestamps);
      return isPyObject(shaped) ? shaped : (Object.create(null) as PyObject);
    },
  };

  const signal = io.signal;
  try {
    if (cmd.paginator && paginate) {
      await paginated(
        cmd,
        params,
        { startingToken, pageSize, maxItems },
        rawClient,
        output,
        query,
        print,
        rows,
        io,
        signal,
      );
    } else {
      const response = await rawClient.send(
        cmd.makeCommand(params as Record<string, unknown>),
        signal ? { abortSignal: signal } : {},
      );
      await print(query ? query.search(response) : response);
    }
    return 0;
  } catch (error) {
    throw translate(error, cmd.operation, seen.last, settings.maxAttempts);
  } finally {
    transport.close();
  }
}

/** The AWS CLI's message for a failed call. */
function translate(error: unknown, operation: string, last: Exchange | undefined, maxAttempts: number): unknown {
  if (error instanceof AbortError || error instanceof CliError) return error;
  // The client wraps what the credential chain threw; the chain's errors carry botocore's wording.
  const cause = error instanceof Error && error.name === "CredentialsProviderError" ? error.cause : undefined;
  if (cause instanceof NoCredentialsError) {
    return new CliError(`${cause.message}. You can configure credentials by running "aws configure".`, {
      blankLineBefore: false,
    });
  }
  if (cause instanceof Error) return new CliError(cause.message, { cause });
  const meta = (error as { $metadata?: { attempts?: number; httpStatusCode?: number } }).$metadata;
  const retryable = (error as { $retryable?: unknown }).$retryable !== undefined;
  const attempts = meta?.attempts ?? 1;
  const exhausted = retryable && attempts >= maxAttempts ? attempts - 1 : undefined;
  if (error instanceof NetworkError && error.cause instanceof TransportError) return new CliError(error.cause.message);
  if (error instanceof NetworkError && last && last.status < 300) {
    // A 2xx answer whose body is not JSON, after every retry.
    return new CliError(clientErrorMessage(String(last.status), "the response body is not JSON", operation, exhausted));
  }
  if (error instanceof PaginationError) {
    const token = last ? /"(?:NextToken|PaginationToken)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(last.body)?.[1] : undefined;
    return new CliPaginationError(
      `The same next token was received twice: {'${token === undefined ? "NextToken" : "NextToken"}': '${token ?? ""}'}`,
    );
  }
  if (last && last.status >= 300 && meta?.httpStatusCode !== undefined) {
    const { code, message } = errorCodeAndMessage(last.status, last.body);
    return new CliError(clientErrorMessage(code, message, operation, exhausted));
  }
  if (error instanceof NetworkError && error.cause instanceof Error) return new CliError(error.cause.message);
  return error;
}

interface PagingOptions {
  readonly startingToken: string | undefined;
  readonly pageSize: number | undefined;
  readonly maxItems: number | undefined;
}

async function paginated(
  cmd: CliCommand,
  params: PyObject,
  paging: PagingOptions,
  client: { send(command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<PyObject> },
  output: OutputFormat,
  query: Query | undefined,
  print: (value: PyValue) => Promise<void>,
  rows: RowWriter,
  io: CliIO,
  signal: AbortSignal | undefined,
): Promise<void> {
  const spec = cmd.paginator!;
  const resultKey = spec.resultKey;
  const negative = paging.maxItems !== undefined && paging.maxItems < 0;
  const config = {
    client,
    ...(paging.pageSize !== undefined ? { pageSize: paging.pageSize } : {}),
    ...(paging.startingToken !== undefined ? { startingToken: paging.startingToken } : {}),
    ...(paging.maxItems !== undefined && !negative ? { maxItems: paging.maxItems } : {}),
    ...(signal ? { abortSignal: signal } : {}),
  };
  const pages = spec.paginate(config as never, params as never) as AsyncGenerator<PyObject>;

  let collected: PyValue[] | undefined;
  let resume: string | undefined;
  for await (let page of pages) {
    if (negative) {
      // botocore with a negative MaxItems: the first page loses its last |n| items, and the resume
      // token says so (boto_truncate_amount = n).
      const starting =
        paging.startingToken === undefined ? undefined : parseStartingToken(paging.startingToken, [spec.inputToken]);
      const fetchedWith =
        starting?.tokens ??
        new Map([
          [spec.inputToken, typeof params[spec.inputToken] === "string" ? (params[spec.inputToken] as string) : null],
        ]);
      const items = Array.isArray(page[resultKey]) ? (page[resultKey] as PyValue[]) : [];
      resume = encodeResumeToken(
        new Map<string, unknown>([
          ...fetchedWith,
          [TRUNCATE_AMOUNT_KEY, paging.maxItems! + (starting?.truncateAmount ?? 0)],
        ]),
      );
      page = Object.assign(Object.create(null) as PyObject, page, {
        [resultKey]: items.slice(0, paging.maxItems),
        [spec.outputToken]: resume,
      });
    }
    // With --max-items, the paginator puts the resume token in the output token of the page where it stopped.
    const token = page[spec.outputToken];
    resume = paging.maxItems !== undefined && typeof token === "string" && token !== "" ? token : undefined;
    const items = page[resultKey];
    if (output === "json" || output === "table") {
      if (Array.isArray(items)) (collected ??= []).push(...items);
    } else {
      // The text format's per-page view: the result key only (set even when the page lacks it).
      const current = Object.create(null) as PyObject;
      current[resultKey] = items ?? null;
      const value = query ? query.search(current) : current;
      if (output === "text") await write(io.stdout, formatText(value));
      else await rows.write(query ? value : Array.isArray(items) ? items : []);
    }
    if (negative) break;
  }
  if (output === "json" || output === "table") {
    const full = Object.create(null) as PyObject;
    if (collected !== undefined) full[resultKey] = collected;
    if (resume !== undefined) full["NextToken"] = resume;
    await print(query ? query.search(full) : full);
    return;
  }
  await rows.finish();
  if (resume === undefined) return;
  if (output === "text") {
    const tokenView = Object.create(null) as PyObject;
    tokenView["NextToken"] = Object.assign(Object.create(null) as PyObject, { NextToken: resume });
    await write(io.stdout, formatText(query ? query.search(tokenView) : tokenView));
  } else {
    // ndjson and csv keep stdout to the items: the resume token goes to stderr.
    await write(io.stderr, `NextToken: ${resume}\n`);
  }
}

/** CSV columns of a listing: the item shape's members, nested structures flattened (`EventRisk.RiskDecision`). */
function csvColumns(cmd: CliCommand): string[] {
  const sample = skeleton(cmd.outputShape, true);
  const list = isPyObject(sample) && cmd.paginator ? sample[cmd.paginator.resultKey] : undefined;
  const item = Array.isArray(list) ? list[0] : undefined;
  const columns: string[] = [];
  const walk = (value: PyValue | undefined, prefix: string) => {
    if (!isPyObject(value)) return;
    for (const key of Object.keys(value)) {
      const v = value[key]!;
      const name = prefix ? `${prefix}.${key}` : key;
      if (isPyObject(v)) walk(v, name);
      else columns.push(name);
    }
  };
  walk(item, "");
  return columns;
}

/**
 * Writes ndjson lines or csv records as pages arrive. CSV columns: the item shape's (from the
 * model) without --query; with --query, the first row's keys (or `value` for scalars).
 */
class RowWriter {
  #csv: CsvWriter | undefined;
  constructor(
    readonly output: OutputFormat,
    readonly cmd: CliCommand,
    readonly queried: boolean,
    readonly io: CliIO,
  ) {
    if (output === "csv" && !queried && cmd.paginator) this.#csv = new CsvWriter(csvColumns(cmd));
  }

  /** A list writes one row per element; anything else one row. */
  async write(value: PyValue): Promise<void> {
    const list = Array.isArray(value) ? value : [value];
    if (this.output === "ndjson") {
      await write(this.io.stdout, formatNdjson(list));
      return;
    }
    if (list.length === 0) return;
    if (!this.#csv) {
      const head = list[0];
      this.#csv = new CsvWriter(isPyObject(head) ? [...flatten(head).keys()] : ["value"]);
    }
    await write(this.io.stdout, this.#csv.write(list));
  }

  /** An empty listing still gets its CSV header. */
  async finish(): Promise<void> {
    if (this.#csv) await write(this.io.stdout, this.#csv.finish());
  }
}
