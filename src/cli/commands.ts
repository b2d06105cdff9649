/**
 * The command table: every command of the CLI, in the order help pages and completion list them. The parser, the
 * help pages and shell completion are made from it. Adding a command: one file exporting a `CliCommand`, and one
 * line here.
 */

import { auditCommand } from "./audit/command.ts";
import type { CliCommand } from "./command.ts";
import { completionCommand } from "./completion.ts";
import { emulatorCommand } from "./emulator.ts";
import { feedbackCommand } from "./feedback/command.ts";
import { helpCommand } from "./help.ts";
import { OPERATION_COMMANDS } from "./operation/command.ts";
import { reportCommand } from "./report/command.ts";

export const COMMANDS: readonly CliCommand[] = [
  ...OPERATION_COMMANDS,
  auditCommand,
  feedbackCommand,
  reportCommand,
  emulatorCommand,
  completionCommand,
  helpCommand,
];
