/**
 * Help pages, laid out as the AWS CLI's (NAME, DESCRIPTION, SYNOPSIS, OPTIONS, GLOBAL OPTIONS) plus EXAMPLES, all
 * made from the command table: `cognito-auth-events help`, `<command> help` (operations), and `--help` or `-h` at
 * every level. An operation's page takes its text from the model's documentation (generated/docs.ts).
 */

import { docs } from "../../generated/docs.ts";
import { type OptionSpec, PROG } from "./args.ts";
import type { CliCommand, OutputChoice } from "./command.ts";
import { GLOBAL_OPTIONS, type GlobalOption } from "./globals.ts";
import { writeTo } from "./io.ts";
import { isListTarget, type OperationSpec } from "./operation/model.ts";
import { OUTPUT_FORMATS } from "./output/formats.ts";

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

/** What the program is, for the NAME line and the top-level page. */
export const PROGRAM_SUMMARY =
  "Amazon Cognito user-pool auth events from the command line: the AWS CLI's operations, a pool audit, an emulator";

/** The global options a command takes, as help pages list them (`--help` always). */
function globalsOf(taken: CliCommand["globals"]): readonly GlobalOption[] {
  return GLOBAL_OPTIONS.filter(
    (o) => o.help !== "" && (taken === "all" || taken.includes(o.dest) || o.dest === "show_help"),
  );
}

/** The formats `--output` takes, a name and its description per line, continued under the description. */
function outputLines(outputs: readonly OutputChoice[], indent: number): string[] {
  const width = Math.max(...outputs.map((o) => o.name.length)) + 2;
  return outputs.map((o, i) => {
    const text = wrap(`${o.description}${i === 0 ? " (the default)" : ""}`, indent + width);
    return `${" ".repeat(indent)}${o.name.padEnd(width)}${text.slice(indent + width)}`;
  });
}

function globalOptionsSection(taken: CliCommand["globals"], outputs: readonly OutputChoice[] | undefined): string[] {
  const out = ["GLOBAL OPTIONS"];
  for (const option of globalsOf(taken)) {
    out.push(
      `       ${[option.flag, ...(option.aliases ?? [])].join(", ")} (${option.type})`,
      "",
      wrap(option.help, 7),
    );
    if (option.dest === "output" && outputs) out.push("", ...outputLines(outputs, 10));
    out.push("");
  }
  return out;
}

function examplesSection(command: { examples: CliCommand["examples"] }): string[] {
  if (command.examples.length === 0) return [];
  const out = ["EXAMPLES"];
  for (const example of command.examples)
    out.push(wrap(example.description, 7), "", `         ${PROG} ${example.args}`, "");
  return out;
}

function synopsisLines(spec: OperationSpec): string[] {
  const lines = [`     ${spec.name}`];
  for (const m of spec.members) {
    if (m.paging) continue;
    lines.push(m.required ? `   ${m.flag} <value>` : `   [${m.flag} <value>]`);
  }
  lines.push("   [--cli-input-json <value>]");
  if (spec.paginator)
    lines.push("   [--starting-token <value>]", "   [--page-size <value>]", "   [--max-items <value>]");
  lines.push("   [--generate-cli-skeleton <value>]");
  for (const option of globalsOf("all")) {
    const flags = [option.flag, ...(option.aliases ?? [])].join(" | ");
    lines.push(option.type === "boolean" ? `   [${flags}]` : `   [${flags} <value>]`);
  }
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

/** The help page of an operation: its documentation and options, from the model. */
export function operationHelp(spec: OperationSpec): string {
  const doc = docs[spec.operation];
  const summary = firstSentence(doc?.documentation ?? "");
  const out: string[] = [
    "NAME",
    wrap(`${spec.name} - ${summary}`, 7),
    "",
    "DESCRIPTION",
    paragraphs(doc?.documentation ?? "", 7),
  ];
  if (spec.paginator) {
    out.push(
      "",
      wrap(
        `${spec.name} is a paginated operation. Multiple API calls may be issued in order to retrieve the entire data set of results. You can disable pagination by providing the --no-paginate argument. When using --output text and the --query argument on a paginated response, the --query argument must extract data from the results of the following query expressions: ${spec.paginator.resultKey}`,
        7,
      ),
    );
  }
  out.push("", "SYNOPSIS", ...synopsisLines(spec), "", "OPTIONS");
  for (const m of spec.members) {
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
  if (spec.paginator) {
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
    ...globalOptionsSection("all", OUTPUT_FORMATS),
    ...examplesSection(spec),
  );
  return `${out.join("\n").trimEnd()}\n`;
}

/** An option as help pages name it: `--since WHEN`, `-h, --help`. */
function optionTitle(option: OptionSpec): string {
  const flags = [option.flag, ...(option.aliases ?? [])].join(", ");
  if (option.kind === "flag") return flags;
  return `${flags} ${option.metavar ?? "<value>"}${option.kind === "append" ? " (repeatable)" : ""}`;
}

/** The help page of a command that is not an operation, made from its entry in the command table. */
export function commandHelp(command: CliCommand): string {
  if (command.help) return command.help();
  const out: string[] = ["NAME", wrap(`${command.name} - ${command.summary}`, 7), "", "DESCRIPTION"];
  out.push(paragraphs(command.description, 7), "", "SYNOPSIS", `       ${PROG} ${command.usage}`, "");
  if (command.positionals?.length || command.options.length) out.push("OPTIONS");
  for (const positional of command.positionals ?? []) {
    out.push(`       ${positional.metavar ?? positional.dest}`);
    if (positional.choices) out.push(wrap(`One of: ${positional.choices.join(", ")}.`, 10));
    out.push("");
  }
  for (const option of command.options) {
    out.push(`       ${optionTitle(option)}${option.required ? " (required)" : ""}`);
    if (option.help) out.push(wrap(option.help, 10));
    out.push("");
  }
  out.push(...globalOptionsSection(command.globals, command.outputs));
  out.push(...examplesSection(command));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The top-level help page: what the program is, its commands, the global options. */
export function mainHelp(commands: readonly CliCommand[]): string {
  const out = [
    "NAME",
    wrap(`${PROG} - ${PROGRAM_SUMMARY}`, 7),
    "",
    "DESCRIPTION",
    wrap(
      "Lists and acts on Amazon Cognito user-pool auth events with the AWS CLI's options and output (aws cognito-idp ...), audits a whole pool, and runs a local emulator to try it all on; Node 20+ and Deno. Credentials and region come from the environment and the AWS shared config files, as for the AWS CLI.",
      7,
    ),
    "",
    "SYNOPSIS",
    `       ${PROG} [options] <command> [parameters]`,
    "",
    wrap(`Use '${PROG} <command> --help' (or '${PROG} help <command>') for a command's options and documentation.`, 7),
    "",
    "AVAILABLE COMMANDS",
  ];
  for (const command of commands) out.push(`       * ${command.name}`, wrap(command.summary, 10), "");
  out.push(...globalOptionsSection("all", OUTPUT_FORMATS));
  out.push(
    ...examplesSection({
      examples: [
        { description: "Start the local emulator (in another terminal):", args: "emulator" },
        {
          description: "A user's latest events from it, as a table:",
          args: "admin-list-user-auth-events --endpoint-url http://127.0.0.1:PORT --user-pool-id us-east-1_demoPlus --username alice --max-items 5 --output table",
        },
        {
          description: "Shell completion for bash:",
          args: "completion bash > ~/.local/share/bash-completion/completions/cognito-auth-events",
        },
      ],
    }),
  );
  return `${out.join("\n").trimEnd()}\n`;
}

/** `help [command]`: the AWS CLI's way to ask for a page. */
export const helpCommand: CliCommand = {
  name: "help",
  summary: "Prints the help of the program, or of the command named after it.",
  description: "Prints the help of the program, or of the command named after it (as <command> --help does).",
  usage: "help [command]",
  options: [],
  positionals: [{ dest: "command", optional: true }],
  globals: [],
  examples: [{ description: "The options of the audit.", args: "help audit" }],
  parsing: "aws",
  async run({ rest, io, commands }) {
    const target = commands.find((command) => command.name === rest[0] && command !== helpCommand);
    await writeTo(io.stdout, target ? commandHelp(target) : mainHelp(commands));
    return 0;
  },
};

/** The first sentence of a documentation paragraph. */
export function firstSentence(text: string): string {
  const first = text.split("\n\n")[0] ?? "";
  return /^(.+?[.!?])(?=\s+[A-Z(]|$)/.exec(first)?.[1] ?? first;
}
