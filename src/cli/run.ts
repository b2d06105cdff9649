/**
 * The `cognito-auth-events` command line: finds the command in the command table (commands.ts), parses its
 * arguments with the one parser (args.ts) and the one global-options table (globals.ts), runs it, and reports a
 * failure as the AWS CLI v1 does (exit 2 for usage, 255 for the rest, 130 when interrupted).
 *
 * Two ways of reading arguments, named by each command's `parsing`: the operations read theirs exactly as `aws`
 * does (their output, errors and exit codes are compared with the installed AWS CLI's); the commands of this CLI's
 * own (`audit`, `emulator`, `completion`) take one strict parse, print their error first with a one-line usage,
 * and refuse the global options they have no use for.
 */

import pkg from "../../package.json" with { type: "json" };
import { AbortError } from "../errors.ts";
import { StartingTokenError } from "../resume-token.ts";
import { terminalLines } from "../terminal-text.ts";
import {
  type ParsedArgs,
  PROG,
  parseKnownArgs,
  plainInvalidChoice,
  USAGE,
  UnknownArgumentError,
  UsageError,
} from "./args.ts";
import type { CliCommand } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { CliError } from "./errors.ts";
import { GLOBAL_OPTIONS, GLOBAL_OPTIONS_UNCHECKED, type GlobalOption, type GlobalValues } from "./globals.ts";
import { commandHelp, mainHelp } from "./help.ts";
import { type CliIO, writeTo } from "./io.ts";
import { OUTPUT_FORMATS } from "./output/formats.ts";
import { pyRepr, toPyValue } from "./pyjson.ts";

/**
 * Runs the CLI with these arguments (without the program name); resolves with the exit code: 0, 2 (usage), 255
 * (any other failure, as the AWS CLI), 130 (interrupted).
 * @example process.exitCode = await runCli(process.argv.slice(2), processIO());
 */
export function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  return runCommandLine(argv, io, COMMANDS);
}

/**
 * {@link runCli} with another command table (to embed the CLI with commands of one's own, or without some).
 * @example await runCommandLine(["report", "--help"], io, [...COMMANDS, reportCommand])
 */
export async function runCommandLine(
  argv: readonly string[],
  io: CliIO,
  commands: readonly CliCommand[],
): Promise<number> {
  const args = [...argv];
  const found = findCommand(args, commands);
  const debug = args.includes("--debug");
  try {
    if (found?.command.parsing === "strict")
      return await runStrict(found.command, { args, at: found.at, io, commands });
    return await runAwsStyle(args, io, commands);
  } catch (error) {
    return reportFailure(error, { io, debug, command: found?.command });
  }
}

/**
 * The command these arguments ask for, and where its name is: found with the global options' rules (values taken,
 * abbreviations) but without their checks, which depend on the command (`--output summary` is the audit's).
 */
function findCommand(
  args: readonly string[],
  commands: readonly CliCommand[],
): { command: CliCommand; at: number } | undefined {
  let probe: ParsedArgs;
  try {
    probe = parseKnownArgs(args, {
      options: GLOBAL_OPTIONS_UNCHECKED,
      positionals: [{ dest: "command", optional: false }],
    });
  } catch {
    // Not parseable as any command: the AWS CLI's parse says why.
    return undefined;
  }
  const command = commands.find((c) => c.name === probe.values["command"]);
  const at = probe.positions["command"];
  return command && at !== undefined ? { command, at } : undefined;
}

/** The global options and the command, read as the AWS CLI reads them (`parse_known_args` with the command's choices). */
async function runAwsStyle(args: readonly string[], io: CliIO, commands: readonly CliCommand[]): Promise<number> {
  const parsed = parseKnownArgs(args, {
    options: GLOBAL_OPTIONS.map((o) =>
      o.dest === "output" ? { ...o, choices: OUTPUT_FORMATS.map((format) => format.name) } : o,
    ),
    positionals: [{ dest: "command", optional: false, choices: commands.map((c) => c.name) }],
  });
  const command = commands.find((c) => c.name === parsed.values["command"]);
  if (parsed.exit === "version") {
    await writeTo(io.stdout, `${pkg.version}\n`);
    return 0;
  }
  if (parsed.exit === "help") {
    await writeTo(io.stdout, command ? commandHelp(command) : mainHelp(commands));
    return 0;
  }
  return command!.run({ values: parsed.values, rest: parsed.extras, io, commands });
}

/** One parse of the global options and the command's own; the global options it has no use for are refused. */
async function runStrict(
  command: CliCommand,
  line: { args: readonly string[]; at: number; io: CliIO; commands: readonly CliCommand[] },
): Promise<number> {
  const { args, at, io, commands } = line;
  const outputs = command.outputs?.map((o) => o.name);
  const globals = globalsOf(command).map((o) => (o.dest === "output" && outputs ? { ...o, choices: outputs } : o));
  const parsed = parseKnownArgs([...args.slice(0, at), ...args.slice(at + 1)], {
    options: [...globals, ...command.options],
    positionals: command.positionals ?? [],
    invalidChoice: plainInvalidChoice,
  });
  if (parsed.exit === "version") {
    await writeTo(io.stdout, `${pkg.version}\n`);
    return 0;
  }
  if (parsed.exit === "help") {
    await writeTo(io.stdout, commandHelp(command));
    return 0;
  }
  if (parsed.extras.length > 0) throw new UsageError(`unrecognized arguments: ${parsed.extras.join(" ")}`);
  refuseUnusedGlobals(command, parsed.values);
  return command.run({ values: parsed.values, rest: [], io, commands });
}

/** The global options as a command sees them: all of them, but those it has an option of the same name for. */
function globalsOf(command: CliCommand): GlobalOption[] {
  const own = new Set(command.options.map((o) => o.flag));
  return GLOBAL_OPTIONS.filter((o) => !own.has(o.flag));
}

function refuseUnusedGlobals(command: CliCommand, values: GlobalValues): void {
  if (command.globals === "all") return;
  for (const option of globalsOf(command)) {
    if (values[option.dest] !== undefined && !command.globals.includes(option.dest))
      throw new UsageError(`argument ${option.flag}: not supported by ${command.name}`);
  }
}

/**
 * How a failure is printed, and the exit code. Messages may quote what the service sent or what a file held: their
 * control and bidi characters are shown escaped, line breaks kept (src/terminal-text.ts).
 */
async function reportFailure(
  error: unknown,
  context: { io: CliIO; debug: boolean; command: CliCommand | undefined },
): Promise<number> {
  const { io, debug, command } = context;
  if (error instanceof UsageError) {
    const text =
      command?.parsing === "strict"
        ? `${PROG} ${command.name}: error: ${error.message}\nusage: ${PROG} ${command.usage} (${PROG} ${command.name} --help for more)\n`
        : `usage: ${USAGE}${PROG}: error: ${error.message}\n`;
    await writeTo(io.stderr, terminalLines(text));
    return error.exitCode;
  }
  if (error instanceof UnknownArgumentError) {
    await writeTo(io.stderr, terminalLines(error.output));
    return error.exitCode;
  }
  if (error instanceof AbortError || (error instanceof Error && error.name === "AbortError")) {
    // awscli: a newline on stdout, exit 128 + SIGINT.
    await writeTo(io.stdout, "\n");
    return 130;
  }
  if (debug && error instanceof Error && !(error instanceof CliError))
    await writeTo(io.stderr, `${terminalLines(error.stack ?? error.message)}\n`);
  const blank = !(error instanceof CliError) || error.blankLineBefore;
  // A starting token botocore refuses: the AWS CLI prints botocore's words, with the token it would not write as repr().
  const message =
    error instanceof StartingTokenError
      ? error.token
        ? `Bad starting token: ${pyRepr(toPyValue(Object.fromEntries(error.token)))}`
        : error.botocoreMessage
      : (error as Error)?.message;
  const text = terminalLines(error instanceof Error ? message : String(error));
  await writeTo(io.stderr, `${blank ? "\n" : ""}${text}\n`);
  return error instanceof CliError ? error.exitCode : 255;
}
