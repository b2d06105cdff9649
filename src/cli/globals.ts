/**
 * The one table of global options (awscli/data/cli.json, plus `--cli-timestamp-format` and `--help`), accepted
 * before or after the command by every command that has a use for them: what the parser takes, what help pages say
 * of them, what shell completion offers.
 */

import type { OptionSpec, ParsedValue } from "./args.ts";

/** A global option, with its type as help pages print it. */
export interface GlobalOption extends OptionSpec {
  readonly type: "boolean" | "string" | "int";
  readonly help: string;
}

/** `--help` and `-h`: the help of the level they are given at (a deliberate difference from the AWS CLI). */
export const HELP_OPTION: GlobalOption = {
  flag: "--help",
  aliases: ["-h"],
  dest: "show_help",
  kind: "flag",
  exits: "help",
  type: "boolean",
  help: "Print the help of the command it follows (or of the program), and exit.",
};

/** The global options, in the AWS CLI's order, then this CLI's. */
export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    flag: "--debug",
    dest: "debug",
    kind: "flag",
    type: "boolean",
    help: "Turn on debug logging: requests and responses on standard error, with Authorization, session tokens and feedback tokens redacted.",
  },
  {
    flag: "--endpoint-url",
    dest: "endpoint_url",
    kind: "value",
    type: "string",
    metavar: "URL",
    help: "Override command's default URL with the given URL (e.g. the emulator's).",
  },
  {
    flag: "--no-verify-ssl",
    dest: "verify_ssl",
    kind: "flag",
    flagValue: false,
    type: "boolean",
    help: "Do not verify TLS certificates (Node; under Deno run with --unsafely-ignore-certificate-errors).",
  },
  {
    flag: "--no-paginate",
    dest: "paginate",
    kind: "flag",
    flagValue: false,
    type: "boolean",
    help: "Disable automatic pagination: make one call, for the first page of results.",
  },
  {
    // Its choices depend on the command (each command's `outputs`).
    flag: "--output",
    dest: "output",
    kind: "value",
    type: "string",
    metavar: "FORMAT",
    help: "The formatting style for command output (the command's formats are listed with it).",
  },
  {
    flag: "--query",
    dest: "query",
    kind: "value",
    type: "string",
    metavar: "JMESPATH",
    help: "A JMESPath query to use in filtering the response data (per page with --output text, ndjson and csv).",
  },
  {
    flag: "--profile",
    dest: "profile",
    kind: "value",
    type: "string",
    metavar: "NAME",
    help: "Use a specific profile from your credential file.",
  },
  {
    flag: "--region",
    dest: "region",
    kind: "value",
    type: "string",
    metavar: "REGION",
    help: "The region to use. Overrides config/env settings.",
  },
  {
    flag: "--version",
    dest: "version",
    kind: "flag",
    exits: "version",
    type: "string",
    help: "Display the version of this tool.",
  },
  {
    flag: "--color",
    dest: "color",
    kind: "value",
    choices: ["on", "off", "auto"],
    type: "string",
    help: "Turn on/off color output (on, off, auto) of --output table.",
  },
  {
    flag: "--no-sign-request",
    dest: "sign_request",
    kind: "flag",
    flagValue: false,
    type: "boolean",
    help: "Do not sign requests. Credentials will not be loaded if this argument is provided.",
  },
  {
    flag: "--ca-bundle",
    dest: "ca_bundle",
    kind: "value",
    type: "string",
    metavar: "FILE",
    completes: "file",
    help: "The CA certificate bundle (PEM file) to use when verifying TLS certificates (Node; under Deno set DENO_CERT).",
  },
  {
    flag: "--cli-read-timeout",
    dest: "read_timeout",
    kind: "value",
    int: true,
    type: "int",
    metavar: "SECONDS",
    help: "The maximum socket read time in seconds. 0 means no timeout. The default value is 60 seconds.",
  },
  {
    flag: "--cli-connect-timeout",
    dest: "connect_timeout",
    kind: "value",
    int: true,
    type: "int",
    metavar: "SECONDS",
    help: "The maximum socket connect time in seconds. 0 means no timeout. The default value is 60 seconds.",
  },
  {
    flag: "--cli-timestamp-format",
    dest: "cli_timestamp_format",
    kind: "value",
    choices: ["wire", "none", "iso8601"],
    type: "string",
    help: "How timestamps are printed: wire (as the service sends them, the default) or iso8601. Overrides cli_timestamp_format in the config file.",
  },
  { flag: "--v2-debug", dest: "v2_debug", kind: "flag", type: "boolean", help: "" },
  HELP_OPTION,
];

/**
 * The global options of the commands that run a paced job against the service (`audit`, `feedback`): the
 * connection, the credentials and `--output`, not the ones that shape an operation's listing (`--query`, paging).
 */
export const PACED_COMMAND_GLOBALS: readonly string[] = [
  "debug",
  "endpoint_url",
  "verify_ssl",
  "output",
  "profile",
  "region",
  "ca_bundle",
  "read_timeout",
  "connect_timeout",
  "v2_debug",
];

/** Parsed options (global and a command's own), by `dest`. */
export type GlobalValues = Readonly<Record<string, ParsedValue | undefined>>;

/**
 * The global options a command takes, with `--output`'s choices set to the command's formats.
 * @example globalOptionsFor(["debug", "output"], ["ndjson", "csv"])
 */
export function globalOptionsFor(
  dests: "all" | readonly string[],
  outputs: readonly string[] | undefined,
): GlobalOption[] {
  return GLOBAL_OPTIONS.filter((o) => dests === "all" || dests.includes(o.dest) || o === HELP_OPTION).map((o) =>
    o.dest === "output" && outputs ? { ...o, choices: outputs } : o,
  );
}

/** The global options without their value checks: only to find which command the arguments ask for. */
export const GLOBAL_OPTIONS_UNCHECKED: readonly OptionSpec[] = GLOBAL_OPTIONS.map((o) => ({
  flag: o.flag,
  ...(o.aliases && { aliases: o.aliases }),
  dest: o.dest,
  kind: o.kind,
  ...(o.flagValue !== undefined && { flagValue: o.flagValue }),
}));
