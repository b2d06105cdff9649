/**
 * What a CLI command is: one entry of the command table (commands.ts) from which the parser, the help pages and
 * shell completion are all made. Adding a command is writing one {@link CliCommand} and adding it to the table.
 */

import type { OptionSpec, PositionalSpec } from "./args.ts";
import type { GlobalValues } from "./globals.ts";
import type { CliIO } from "./io.ts";

/** An `--output` value a command takes. */
export interface OutputChoice {
  /** `ndjson`. */
  readonly name: string;
  /** One line for help pages and completion. */
  readonly description: string;
}

/** A command line shown in the EXAMPLES section of a command's help. */
export interface CommandExample {
  /** What it does, one sentence. */
  readonly description: string;
  /** The arguments after the program's name. */
  readonly args: string;
}

/** What a command's `run` gets. */
export interface Invocation {
  /** The global options and (for `parsing: "strict"` commands) the command's own, by `dest`. */
  readonly values: GlobalValues;
  /** `parsing: "aws"` only: the arguments the global options left, for the command to parse the AWS CLI's way. */
  readonly rest: readonly string[];
  readonly io: CliIO;
  /** The command table this command was found in (for `help` and `completion`). */
  readonly commands: readonly CliCommand[];
}

/** One command of the CLI. */
export interface CliCommand {
  /** `admin-list-user-auth-events`, `audit`. */
  readonly name: string;
  /** One sentence: the NAME line of its help, the list of commands, completion. */
  readonly summary: string;
  /** Paragraphs (blank-line separated) for its help page's DESCRIPTION. */
  readonly description: string;
  /** Its usage after the program's name, one line: `audit --user-pool-id ID [options]`. */
  readonly usage: string;
  /** Its own options, in help order. */
  readonly options: readonly OptionSpec[];
  /** Its positional arguments. @default none */
  readonly positionals?: readonly PositionalSpec[];
  /** The global options it takes (by `dest`); the others are refused. */
  readonly globals: "all" | readonly string[];
  /** The values `--output` takes with it, the default first; `undefined` when it prints no formats. */
  readonly outputs?: readonly OutputChoice[];
  readonly examples: readonly CommandExample[];
  /**
   * How its arguments are read. `"strict"`: one parse of the global options and its own (unknown arguments and
   * refused global options are usage errors; `--help` prints {@link CliCommand.help}). `"aws"`: as the AWS CLI reads
   * an operation's (the global options first, then `run` parses `rest`; its errors and exit codes are `aws`'s).
   */
  readonly parsing: "strict" | "aws";
  /** Its help page, when the one help.ts makes from this entry is not the right one. */
  readonly help?: () => string;
  /** Runs it; resolves with the exit code. Usage errors are thrown as `UsageError`. */
  run(invocation: Invocation): Promise<number>;
}
