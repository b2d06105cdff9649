/**
 * The operations as CLI commands (`admin-list-user-auth-events`...): their arguments read exactly as the AWS CLI
 * reads an operation's (a second parse after the global options, the `help` word, unknown options exiting 255).
 */

import { docs } from "../../../generated/docs.ts";
import { parseKnownArgs, UnknownArgumentError } from "../args.ts";
import type { CliCommand } from "../command.ts";
import { firstSentence, operationHelp } from "../help.ts";
import { writeTo } from "../io.ts";
import { OUTPUT_FORMATS } from "../output/formats.ts";
import { compileQuery } from "../output/query.ts";
import { OPERATIONS, type OperationSpec, operationOptions } from "./model.ts";
import { runOperation } from "./run.ts";

function operationCommand(spec: OperationSpec): CliCommand {
  const doc = docs[spec.operation];
  const required = spec.members.filter((m) => m.required).map((m) => `${m.flag} <value>`);
  const options = operationOptions(spec).map((option) => {
    const values = doc?.members[option.dest]?.enum;
    return values ? { ...option, completes: values } : option;
  });
  return {
    name: spec.name,
    summary: firstSentence(doc?.documentation ?? ""),
    description: doc?.documentation ?? "",
    usage: [spec.name, ...required, "[options]"].join(" "),
    options,
    globals: "all",
    outputs: OUTPUT_FORMATS.map(({ name, description }) => ({ name, description })),
    examples: spec.examples,
    parsing: "aws",
    help: () => operationHelp(spec),
    async run({ values: globals, rest, io }) {
      // awscli's ArgTableArgParser: a lone `help` is the help, whatever else is required.
      if (rest.length === 1 && rest[0] === "help") {
        await writeTo(io.stdout, operationHelp(spec));
        return 0;
      }
      // Before the operation's options are parsed: a bad --query (the AWS CLI checks it first).
      const query = compileQuery(globals["query"] as string | undefined);
      const skeletonAt = rest.indexOf("--generate-cli-skeleton");
      const requiredOptional =
        rest.includes("--cli-input-json") || (skeletonAt >= 0 && rest[skeletonAt + 1] !== "output");
      const parsed = parseKnownArgs(rest, {
        options: operationOptions(spec),
        positionals: [{ dest: "help", optional: true }],
        requiredOptional,
      });
      const unknown = [...parsed.extras];
      const word = parsed.values["help"];
      if (word === "help") {
        await writeTo(io.stdout, operationHelp(spec));
        return 0;
      }
      if (typeof word === "string") unknown.push(word);
      if (unknown.length > 0) throw new UnknownArgumentError(unknown);
      return runOperation({ spec, globals, values: parsed.values, query, io });
    },
  };
}

/** The operation commands, in the model's order. */
export const OPERATION_COMMANDS: readonly CliCommand[] = [...OPERATIONS.values()].map(operationCommand);
