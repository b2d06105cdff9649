/**
 * The CLI's one argument parser, for every command: Python's argparse semantics as the AWS CLI v1 uses them
 * (`parse_known_args`, long-option abbreviations, `--opt=value`, negative numbers as values, `nargs` `?` and `*`,
 * `action="append"`, required options, choices), so the operations' command lines succeed and fail the same way as
 * `aws`'s, with the same messages. https://docs.python.org/3.11/library/argparse.html
 */

import { pyRepr } from "./pyjson.ts";

/** The program name printed in usage and error messages. */
export const PROG = "cognito-auth-events";

/**
 * The usage text, mirroring the AWS CLI's (awscli/argparser.py USAGE) with our program name and
 * one command level (`aws cognito-idp admin-list-user-auth-events` is
 * `cognito-auth-events admin-list-user-auth-events`), without its AWS CLI v2 advertisement.
 */
export const USAGE =
  `${PROG} [options] <command> [parameters]\n` +
  "To see help text, you can run:\n" +
  "\n" +
  `  ${PROG} help\n` +
  `  ${PROG} <command> help\n`;

/** A usage error: argparse's `parser.error()`, exit status 2 (printed by run.ts, with the usage of the command). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode = 2;
}

/** Options the command does not know (awscli's UnknownArgumentError), exit status 255. */
export class UnknownArgumentError extends Error {
  override readonly name = "UnknownArgumentError";
  readonly exitCode = 255;
  constructor(readonly args: readonly string[]) {
    super(`Unknown options: ${args.join(", ")}`);
  }
  get output(): string {
    return `usage: ${USAGE}\n${this.message}\n`;
  }
}

/** How one option consumes arguments. */
export type OptionKind =
  /** `--flag`: `true` when given (`store_true`), or `false` for `store_false` options. */
  | "flag"
  /** `--name value` (nargs None). */
  | "value"
  /** `--name [value]` (nargs `?`): `constValue` when given without one. */
  | "optional"
  /** `--name [value ...]` (nargs `*`): a list. */
  | "list"
  /** `--name value`, repeatable (`action="append"`): the list of every value given. */
  | "append";

/** One option of a parser, and what help pages and shell completion say of it. */
export interface OptionSpec {
  /** The option string, e.g. `--user-pool-id`. */
  readonly flag: string;
  /** Other option strings for the same option, e.g. `-h`. */
  readonly aliases?: readonly string[];
  /** Where the value goes. */
  readonly dest: string;
  readonly kind: OptionKind;
  /** For `flag`: the value stored when given. @default true */
  readonly flagValue?: boolean;
  /** For `optional`: the value when given without an argument. */
  readonly constValue?: string;
  readonly choices?: readonly string[];
  /** Convert with Python's `int()` (argparse `type=int`). */
  readonly int?: boolean;
  readonly required?: boolean;
  /**
   * Stops parsing when seen, to print something and exit 0 (argparse's `action="version"` and `"help"`): later
   * arguments are not checked, missing required ones neither.
   */
  readonly exits?: "version" | "help";
  /** What the option does, for help pages. */
  readonly help?: string;
  /** The value's name in help pages: `--since WHEN`. @default "<value>" */
  readonly metavar?: string;
  /** What shell completion offers as its value, besides its `choices`: file names, or these values. */
  readonly completes?: "file" | readonly string[];
}

/** A positional argument: `command` (required, with choices) or the operation's optional `help`. */
export interface PositionalSpec {
  readonly dest: string;
  readonly optional: boolean;
  readonly choices?: readonly string[];
  /** Its name in help pages. @default dest */
  readonly metavar?: string;
}

export type ParsedValue = string | boolean | number | string[];

/** What `parseKnownArgs` found. */
export interface ParsedArgs {
  readonly values: Record<string, ParsedValue | undefined>;
  /** Arguments no option or positional took, in order (argparse's `extras`). */
  readonly extras: string[];
  /** Where each positional was found: its index in the arguments given. */
  readonly positions: Record<string, number>;
  /** Set when an option that {@link OptionSpec.exits} was seen: parsing stopped there. */
  readonly exit?: "version" | "help";
}

/** What {@link parseKnownArgs} parses. */
export interface ParserSpec {
  readonly options: readonly OptionSpec[];
  /** In the order they are taken. @default none */
  readonly positionals?: readonly PositionalSpec[];
  /**
   * Required options may be missing (the AWS CLI's `--cli-input-json` and `--generate-cli-skeleton` supply them).
   * @default false
   */
  readonly requiredOptional?: boolean;
  /**
   * The message for a value that is not one of the choices.
   * @default invalidChoiceMessage (the AWS CLI's, with close matches)
   */
  readonly invalidChoice?: (value: string, choices: readonly string[]) => string;
}

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** Python's `int(str)` for the forms people type: optional sign, digits, underscores between digits, spaces around. */
export function pythonInt(text: string): number | undefined {
  const m = /^\s*([-+]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]! + m[2]!.replace(/_/g, ""));
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The AWS CLI's "Invalid choice" message (awscli/argparser.py `_check_value`): the choices two per
 * line padded to 40 columns, then close matches as difflib finds them.
 */
export function invalidChoiceMessage(value: string, choices: readonly string[]): string {
  const msg = ["Invalid choice, valid choices are:\n"];
  for (let i = 0; i < choices.length; i += 2) {
    msg.push(
      choices
        .slice(i, i + 2)
        .map((c) => c.padEnd(40))
        .join(" | "),
    );
  }
  const possible = closeMatches(value, choices, 3, 0.8);
  if (possible.length > 0) {
    msg.push(`\n\nInvalid choice: ${pyRepr(value)}, maybe you meant:\n`);
    for (const word of possible) msg.push(`  * ${word}`);
  }
  return msg.join("\n");
}

/** difflib's `SequenceMatcher(None, a, b).ratio()` (no junk heuristic: our strings are short). */
function sequenceRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  const matches = (alo: number, ahi: number, blo: number, bhi: number): number => {
    // find_longest_match: the longest common block, earliest in a, then in b.
    let bestI = alo;
    let bestJ = blo;
    let bestSize = 0;
    let lengths = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (let j = blo; j < bhi; j++) {
        if (a[i] !== b[j]) continue;
        const k = (lengths.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestSize) {
          bestI = i - k + 1;
          bestJ = j - k + 1;
          bestSize = k;
        }
      }
      lengths = next;
    }
    if (bestSize === 0) return 0;
    return bestSize + matches(alo, bestI, blo, bestJ) + matches(bestI + bestSize, ahi, bestJ + bestSize, bhi);
  };
  return (2 * matches(0, a.length, 0, b.length)) / total;
}

/** difflib's `get_close_matches(word, possibilities, n, cutoff)`: best first, ties by the larger string. */
export function closeMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.6): string[] {
  const scored = possibilities
    .map((x) => ({ x, score: sequenceRatio(x, word) }))
    .filter(({ score }) => score >= cutoff)
    .sort((p, q) => q.score - p.score || (q.x > p.x ? 1 : q.x < p.x ? -1 : 0));
  return scored.slice(0, n).map(({ x }) => x);
}

/**
 * argparse's message for a value that is not one of the choices, with a close match when there is one: for the
 * commands that are not the AWS CLI's.
 * @example plainInvalidChoice("Hihg", ["High", "Low"]) // "invalid choice: 'Hihg' (choose from High, Low; maybe you meant High)"
 */
export function plainInvalidChoice(value: string, choices: readonly string[]): string {
  const byLower = new Map(choices.map((c) => [c.toLowerCase(), c]));
  const close = closeMatches(value.toLowerCase(), [...byLower.keys()], 1, 0.6).map((c) => byLower.get(c));
  const hint = close.length > 0 ? `; maybe you meant ${close[0]}` : "";
  return `invalid choice: ${pyRepr(value)} (choose from ${choices.join(", ")}${hint})`;
}

/** An argument as argparse's `_parse_optional` sees it: an option (known or not), or a plain argument. */
type Classified =
  | { kind: "O"; option: OptionSpec | undefined; flag: string; explicit: string | undefined }
  | { kind: "A" };

/** argparse's `_parse_optional` for these options: exact flags, `--flag=value`, unique prefixes, negative numbers. */
function classifier(options: readonly OptionSpec[]): (arg: string) => Classified {
  const byFlag = new Map(options.flatMap((o) => [o.flag, ...(o.aliases ?? [])].map((flag) => [flag, o] as const)));
  const hasNegativeNumberOptions = options.some((o) => NEGATIVE_NUMBER.test(o.flag));
  return (arg) => {
    if (arg?.[0] !== "-") return { kind: "A" };
    const exact = byFlag.get(arg);
    if (exact) return { kind: "O", option: exact, flag: arg, explicit: undefined };
    if (arg.length === 1) return { kind: "A" };
    const eq = arg.indexOf("=");
    if (eq >= 0) {
      const option = byFlag.get(arg.slice(0, eq));
      if (option) return { kind: "O", option, flag: arg.slice(0, eq), explicit: arg.slice(eq + 1) };
    }
    if (arg.startsWith("--")) {
      const prefix = eq >= 0 ? arg.slice(0, eq) : arg;
      const explicit = eq >= 0 ? arg.slice(eq + 1) : undefined;
      const matches = options.filter((o) => o.flag.startsWith(prefix));
      if (matches.length > 1) {
        throw new UsageError(`ambiguous option: ${prefix} could match ${matches.map((o) => o.flag).join(", ")}`);
      }
      if (matches.length === 1) return { kind: "O", option: matches[0], flag: matches[0]!.flag, explicit };
    }
    if (NEGATIVE_NUMBER.test(arg) && !hasNegativeNumberOptions) return { kind: "A" };
    if (arg.includes(" ")) return { kind: "A" };
    return { kind: "O", option: undefined, flag: arg, explicit: undefined };
  };
}

/**
 * What an option takes: its `--flag=value`, or from the plain arguments that follow it (up to the next option).
 * @returns the value to store (`undefined` for a flag) and how many of the following arguments it used
 */
function takeValue(
  option: OptionSpec,
  explicit: string | undefined,
  following: readonly string[],
  convert: (option: OptionSpec, raw: string) => ParsedValue,
): { value: ParsedValue; used: number } {
  switch (option.kind) {
    case "flag":
      if (explicit !== undefined)
        throw new UsageError(`argument ${option.flag}: ignored explicit argument ${pyRepr(explicit)}`);
      return { value: option.flagValue ?? true, used: 0 };
    case "value":
    case "append":
      if (explicit !== undefined) return { value: convert(option, explicit), used: 0 };
      if (following.length === 0) throw new UsageError(`argument ${option.flag}: expected one argument`);
      return { value: convert(option, following[0]!), used: 1 };
    case "optional":
      if (explicit !== undefined) return { value: convert(option, explicit), used: 0 };
      if (following.length > 0) return { value: convert(option, following[0]!), used: 1 };
      return { value: option.constValue ?? "", used: 0 };
    case "list":
      if (explicit !== undefined) return { value: [explicit], used: 0 };
      return { value: [...following], used: following.length };
  }
}

/**
 * argparse's `parse_known_args` for one parser.
 * @throws UsageError as argparse's `parser.error()` would
 */
export function parseKnownArgs(args: readonly string[], spec: ParserSpec): ParsedArgs {
  const { options, positionals = [], requiredOptional = false, invalidChoice = invalidChoiceMessage } = spec;
  const values: Record<string, ParsedValue | undefined> = {};
  const extras: string[] = [];
  const positions: Record<string, number> = {};
  const seen = new Set<OptionSpec>();

  // "--" ends the options; argparse drops the first one.
  const dashdash = args.indexOf("--");
  const optionArgs = dashdash >= 0 ? args.slice(0, dashdash) : args;
  const classified: Classified[] = optionArgs.map(classifier(options));
  const all = [...optionArgs, ...(dashdash >= 0 ? args.slice(dashdash + 1) : [])];
  for (let k = optionArgs.length; k < all.length; k++) classified.push({ kind: "A" });

  const pending = [...positionals];
  const convert = (option: OptionSpec, raw: string): ParsedValue => {
    let value: ParsedValue = raw;
    if (option.int) {
      const n = pythonInt(raw);
      if (n === undefined) throw new UsageError(`argument ${option.flag}: invalid int value: ${pyRepr(raw)}`);
      value = n;
    }
    if (option.choices && !option.choices.includes(raw)) {
      throw new UsageError(`argument ${option.flag}: ${invalidChoice(raw, option.choices)}`);
    }
    return value;
  };
  const takePositional = (arg: string, index: number): void => {
    const positional = pending.shift();
    if (!positional) {
      extras.push(arg);
      return;
    }
    if (positional.choices && !positional.choices.includes(arg)) {
      throw new UsageError(`argument ${positional.dest}: ${invalidChoice(arg, positional.choices)}`);
    }
    values[positional.dest] = arg;
    // Arguments after "--" sit one further on in `args` (the first "--" is dropped).
    positions[positional.dest] = dashdash >= 0 && index >= dashdash ? index + 1 : index;
  };

  for (let i = 0; i < all.length; i++) {
    const c = classified[i]!;
    if (c.kind === "A") takePositional(all[i]!, i);
    else if (!c.option) extras.push(all[i]!);
    else {
      const option = c.option;
      seen.add(option);
      if (option.exits && c.explicit === undefined) return { values, extras, positions, exit: option.exits };
      let end = i + 1;
      while (end < all.length && classified[end]!.kind === "A") end++;
      const { value, used } = takeValue(option, c.explicit, all.slice(i + 1, end), convert);
      const previous = values[option.dest];
      values[option.dest] =
        option.kind === "append" ? [...(Array.isArray(previous) ? previous : []), String(value)] : value;
      i += used;
    }
  }

  const missing = [
    ...(requiredOptional ? [] : options.filter((o) => o.required && !seen.has(o)).map((o) => o.flag)),
    ...pending.filter((p) => !p.optional).map((p) => p.dest),
  ];
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.join(", ")}`);
  return { values, extras, positions };
}
