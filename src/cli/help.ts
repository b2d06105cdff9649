/**
 * `cognito-auth-events help`, `cognito-auth-events <command> help` (and `--help`): plain-text
 * pages laid out as the AWS CLI's (NAME, DESCRIPTION, SYNOPSIS, OPTIONS, GLOBAL OPTIONS), from
 * the model's documentation (generated/docs.ts).
 */

import { docs } from "../../generated/docs.ts";
import { PROG } from "./args.ts";
import { type CliCommand, COMMANDS, isListTarget } from "./commands.ts";

const WIDTH = 79;

/** Wraps a paragraph at {@link WIDTH} columns with the given indentation. */
export function wrap(text: string, indent: number): string {
  const pad = " ".repeat(indent);
  const bullet = text.startsWith("* ");
  const words = (bullet ? text.slice(2) : text).split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && pad.length + (bullet ? 2 : 0) + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => pad + (bullet ? (i === 0 ? "* " : "  ") : "") + l).join("\n");
}

function paragraphs(text: string, indent: number): string {
  return text
    .split("\n\n")
    .filter((p) => p !== "")
    .map((p) => wrap(p, indent))
    .join("\n\n");
}

/** The global options, as the AWS CLI documents them (awscli/data/cli.json), plus this CLI's additions. */
const GLOBAL_OPTION_DOCS: readonly (readonly [flag: string, type: string, doc: string])[] = [
  [
    "--debug",
    "boolean",
    "Turn on debug logging: requests and responses on standard error, with Authorization, session tokens and feedback tokens redacted.",
  ],
  ["--endpoint-url", "string", "Override command's default URL with the given URL (e.g. the emulator's)."],
  [
    "--no-verify-ssl",
    "boolean",
    "Do not verify TLS certificates (Node; under Deno run with --unsafely-ignore-certificate-errors).",
  ],
  ["--no-paginate", "boolean", "Disable automatic pagination: make one call, for the first page of results."],
  [
    "--output",
    "string",
    "The formatting style for command output: json, text, table (as the AWS CLI prints them), ndjson (one item per line, streamed) or csv (flattened columns, RFC 4180).",
  ],
  [
    "--query",
    "string",
    "A JMESPath query to use in filtering the response data (per page with --output text, ndjson and csv).",
  ],
  ["--profile", "string", "Use a specific profile from your credential file."],
  ["--region", "string", "The region to use. Overrides config/env settings."],
  ["--version", "string", "Display the version of this tool."],
  ["--color", "string", "Turn on/off color output (on, off, auto) of --output table."],
  [
    "--no-sign-request",
    "boolean",
    "Do not sign requests. Credentials will not be loaded if this argument is provided.",
  ],
  [
    "--ca-bundle",
    "string",
    "The CA certificate bundle (PEM file) to use when verifying TLS certificates (Node; under Deno set DENO_CERT).",
  ],
  [
    "--cli-read-timeout",
    "int",
    "The maximum socket read time in seconds. 0 means no timeout. The default value is 60 seconds.",
  ],
  [
    "--cli-connect-timeout",
    "int",
    "The maximum socket connect time in seconds. 0 means no timeout. The default value is 60 seconds.",
  ],
  [
    "--cli-timestamp-format",
    "string",
    "How timestamps are printed: wire (as the service sends them, the default) or iso8601. Overrides cli_timestamp_format in the config file.",
  ],
];

function synopsisLines(cmd: CliCommand): string[] {
  const lines = [`     ${cmd.name}`];
  for (const m of cmd.members) {
    if (m.paging) continue;
    lines.push(m.required ? `   ${m.flag} <value>` : `   [${m.flag} <value>]`);
  }
  lines.push("   [--cli-input-json <value>]");
  if (cmd.paginator)
    lines.push("   [--starting-token <value>]", "   [--page-size <value>]", "   [--max-items <value>]");
  lines.push("   [--generate-cli-skeleton <value>]");
  for (const [flag, type] of GLOBAL_OPTION_DOCS)
    lines.push(type === "boolean" ? `   [${flag}]` : `   [${flag} <value>]`);
  return lines;
}

const PAGING_DOCS = {
  "--starting-token":
    "A token to specify where to start paginating. This is the NextToken from a previously truncated response (this CLI's, the AWS CLI's or boto3's).",
  "--page-size":
    "The size of each page to get in the AWS service call. This does not affect the number of items returned in the command's output. Setting a smaller page size results in more calls to the AWS service, retrieving fewer items in each call.",
  "--max-items":
    "The total number of items to return in the command's output. If the total number of items available is more than the value specified, a NextToken is provided in the command's output. To resume pagination, provide the NextToken value in the starting-token argument of a subsequent command.",
} as const;

/** The help page of one command. */
export function commandHelp(cmd: CliCommand): string {
  const doc = docs[cmd.operation];
  const out: string[] = ["NAME", `       ${cmd.name} -`, "", "DESCRIPTION", paragraphs(doc?.documentation ?? "", 7)];
  if (cmd.paginator) {
    out.push(
      "",
      wrap(
        `${cmd.name} is a paginated operation. Multiple API calls may be issued in order to retrieve the entire data set of results. You can disable pagination by providing the --no-paginate argument. When using --output text and the --query argument on a paginated response, the --query argument must extract data from the results of the following query expressions: ${cmd.paginator.resultKey}`,
        7,
      ),
    );
  }
  out.push("", "SYNOPSIS", ...synopsisLines(cmd), "", "OPTIONS");
  for (const m of cmd.members) {
    if (m.paging) continue;
    const member = doc?.members[m.member];
    out.push(`       ${m.flag} (${isListTarget(m.target) ? "list" : m.target === "integer" ? "integer" : "string"})`);
    out.push(paragraphs(member?.documentation ?? "", 10));
    if (member?.enum) out.push("", "          Possible values:", "", ...member.enum.map((v) => `          * ${v}`));
    if (isListTarget(m.target)) out.push("", "          Syntax:", "", `          "string" "string" ...`);
    out.push("");
  }
  out.push(
    "       --cli-input-json (string)",
    wrap(
      "Performs service operation based on the JSON string provided (or file://path). The JSON string follows the format provided by --generate-cli-skeleton. If other arguments are provided on the command line, the CLI values will override the JSON-provided values.",
      10,
    ),
    "",
  );
  if (cmd.paginator) {
    for (const [flag, text] of Object.entries(PAGING_DOCS))
      out.push(`       ${flag} (${flag === "--starting-token" ? "string" : "integer"})`, wrap(text, 10), "");
  }
  out.push(
    "       --generate-cli-skeleton (string)",
    wrap(
      "Prints a JSON skeleton to standard output without sending an API request. If provided with no value or the value input, prints a sample input JSON that can be used as an argument for --cli-input-json. If provided with the value output, it validates the command inputs and returns a sample output JSON for that command.",
      10,
    ),
    "",
    "GLOBAL OPTIONS",
  );
  for (const [flag, type, text] of GLOBAL_OPTION_DOCS) out.push(`       ${flag} (${type})`, "", wrap(text, 7), "");
  return `${out.join("\n")}\n`;
}

/** The top-level help page. */
export function mainHelp(): string {
  const out = [
    "NAME",
    `       ${PROG} -`,
    "",
    "DESCRIPTION",
    wrap(
      "Lists and acts on Amazon Cognito user-pool auth events, with the AWS CLI's options and output (aws cognito-idp ...), on Node 20+ and Deno. Credentials and region come from the environment and the AWS shared config files, as for the AWS CLI.",
      7,
    ),
    "",
    "SYNOPSIS",
    `       ${PROG} [options] <command> [parameters]`,
    "",
    "       Use 'help' after a command for its options and documentation.",
    "",
    "AVAILABLE COMMANDS",
  ];
  for (const cmd of COMMANDS.values()) {
    const first = (docs[cmd.operation]?.documentation ?? "").split("\n\n")[0] ?? "";
    const sentence = /^(.+?[.!?])(?=\s+[A-Z(]|$)/.exec(first)?.[1] ?? first;
    out.push(`       * ${cmd.name}`, wrap(sentence, 10), "");
  }
  out.push(
    `       * emulator`,
    wrap("Runs a local Cognito auth-events emulator on 127.0.0.1 (see `emulator --help`).", 10),
    "",
  );
  out.push(`       * audit`, wrap("Audits a user pool's auth events (see `audit --help`).", 10), "");
  out.push(`       * report`, wrap("Renders a saved audit as an HTML security report (see `report --help`).", 10), "");
  out.push(`       * feedback`, wrap("Gives feedback to many auth events (see `feedback --help`).", 10), "");
  out.push("GLOBAL OPTIONS");
  for (const [flag, type, text] of GLOBAL_OPTION_DOCS) out.push(`       ${flag} (${type})`, "", wrap(text, 7), "");
  return `${out.join("\n")}\n`;
}
