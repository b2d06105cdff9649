/**
 * The CLI's global options (awscli/data/cli.json, plus `--cli-timestamp-format`), accepted
 * before or after the command by every command, `audit` included, and the transport they
 * configure: timeouts, certificate verification and CA bundle (see http.ts).
 */

import { readFile } from "node:fs/promises";
import { isAbsolute, resolve as resolvePath } from "node:path";
import type { OptionSpec, ParsedValue } from "./args.ts";
import { type CliFetch, createCliFetch, insecureRequestWarning } from "./http.ts";
import type { CliIO } from "./io.ts";

/** Output formats: the AWS CLI's three, plus ndjson and csv. */
export const OUTPUT_FORMATS = ["json", "text", "table", "ndjson", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The global options (awscli/data/cli.json) plus `--cli-timestamp-format`. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flag: "--debug", dest: "debug", kind: "flag" },
  { flag: "--endpoint-url", dest: "endpoint_url", kind: "value" },
  { flag: "--no-verify-ssl", dest: "verify_ssl", kind: "flag", flagValue: false },
  { flag: "--no-paginate", dest: "paginate", kind: "flag", flagValue: false },
  { flag: "--output", dest: "output", kind: "value", choices: OUTPUT_FORMATS },
  { flag: "--query", dest: "query", kind: "value" },
  { flag: "--profile", dest: "profile", kind: "value" },
  { flag: "--region", dest: "region", kind: "value" },
  { flag: "--version", dest: "version", kind: "flag", version: true },
  { flag: "--color", dest: "color", kind: "value", choices: ["on", "off", "auto"] },
  { flag: "--no-sign-request", dest: "sign_request", kind: "flag", flagValue: false },
  { flag: "--ca-bundle", dest: "ca_bundle", kind: "value" },
  { flag: "--cli-read-timeout", dest: "read_timeout", kind: "value", int: true },
  { flag: "--cli-connect-timeout", dest: "connect_timeout", kind: "value", int: true },
  { flag: "--cli-timestamp-format", dest: "cli_timestamp_format", kind: "value", choices: ["wire", "none", "iso8601"] },
  { flag: "--v2-debug", dest: "v2_debug", kind: "flag" },
];

/**
 * The global options with `--output` taking any value: for `audit`, whose formats
 * (`summary`, `summary-json`...) are its own and which checks them itself.
 */
export const GLOBAL_OPTIONS_ANY_OUTPUT: readonly OptionSpec[] = GLOBAL_OPTIONS.map((o) =>
  o.dest === "output" ? { flag: o.flag, dest: o.dest, kind: o.kind } : o,
);

/** Parsed global options, by `dest`. */
export type GlobalValues = Readonly<Record<string, ParsedValue | undefined>>;

const ERRNO: Readonly<Record<string, string>> = {
  ENOENT: "[Errno 2] No such file or directory",
  EACCES: "[Errno 13] Permission denied",
  EISDIR: "[Errno 21] Is a directory",
};

/**
 * Reads `--ca-bundle` / `ca_bundle` / `AWS_CA_BUNDLE` (relative to the working directory). A file
 * that cannot be read is not an error yet: as with the AWS CLI, each HTTPS request then fails
 * with "SSL validation failed for URL [Errno 2] No such file or directory" (and HTTP ones work).
 */
async function readCaBundle(path: string, io: Pick<CliIO, "cwd">): Promise<string | Error> {
  const full = isAbsolute(path) ? path : resolvePath(io.cwd, path);
  try {
    return await readFile(full, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    return new Error(ERRNO[code] ?? (error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

const caOption = (ca: string | Error): { ca: string } | { caError: Error } =>
  typeof ca === "string" ? { ca } : { caError: ca };

/** How {@link cliTransport} reports `--no-verify-ssl` requests. */
export interface CliTransportOptions {
  /** The CA bundle to trust, from the command line or the profile chain (a path). */
  caBundle?: string | undefined;
  /**
   * `"every"`: {@link insecureRequestWarning} on stderr before each unverified HTTPS request, as
   * the AWS CLI prints it; `"once"`: only before the first one (the audit makes thousands).
   * @default "every"
   */
  insecureWarnings?: "every" | "once";
  /** Connections kept per host. @default 10 */
  maxSockets?: number;
}

/**
 * The transport the global options ask for: `--cli-connect-timeout`, `--cli-read-timeout`
 * (seconds, 0 = none, default 60), `--no-verify-ssl`, the CA bundle; or the fetch the IO carries
 * (tests).
 * @example const transport = await cliTransport(g, io, { caBundle }); ... transport.close();
 */
export async function cliTransport(g: GlobalValues, io: CliIO, options: CliTransportOptions = {}): Promise<CliFetch> {
  if (io.fetch) return { fetch: io.fetch, close: () => {} };
  const seconds = (name: string) => {
    const v = g[name];
    return typeof v === "number" ? Math.max(0, v) * 1000 : 60_000;
  };
  let warned = false;
  return createCliFetch({
    connectTimeoutMs: seconds("connect_timeout"),
    readTimeoutMs: seconds("read_timeout"),
    verifySsl: g["verify_ssl"] !== false,
    ...(options.caBundle ? caOption(await readCaBundle(options.caBundle, io)) : {}),
    ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
    onInsecureRequest: (host) => {
      if (options.insecureWarnings === "once" && warned) return;
      warned = true;
      void Promise.resolve(io.stderr(insecureRequestWarning(host))).catch(() => {});
    },
  });
}
