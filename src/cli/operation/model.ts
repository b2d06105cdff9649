/**
 * The operations the CLI calls, from the model: each named as the AWS CLI names it (botocore's
 * `xform_name(operation, "-")`), with the options the AWS CLI builds from the operation's input
 * shape plus its customizations (pagination, `--cli-input-json`, `--generate-cli-skeleton`).
 */

import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  ListUsersCommand,
  UpdateAuthEventFeedbackCommand,
} from "../../../generated/commands.ts";
import { paginateAdminListUserAuthEvents, paginateListUsers } from "../../../generated/paginators.ts";
import { shapes } from "../../../generated/schemas.ts";
import type { OptionSpec } from "../args.ts";
import type { CommandExample } from "../command.ts";

/** botocore's pagination config for an operation (paginators-1.json), as the AWS CLI reads it. */
export interface CliPaginator {
  readonly inputToken: string;
  readonly limitKey: string;
  readonly outputToken: string;
  readonly resultKey: string;
  /** Runs the pages through src/paginate.ts (botocore's semantics and tokens). */
  readonly paginate: typeof paginateAdminListUserAuthEvents | typeof paginateListUsers;
}

/** One operation, as the CLI sees it. */
export interface OperationSpec {
  /** `admin-list-user-auth-events`. */
  readonly name: string;
  /** `AdminListUserAuthEvents`. */
  readonly operation: string;
  readonly inputShape: string;
  readonly outputShape: string;
  /** Builds the client command for one request. */
  readonly makeCommand: (input: Record<string, unknown>) => { input: object };
  readonly paginator?: CliPaginator;
  /** An input member per option, in the order the AWS CLI's argument table has them. */
  readonly members: readonly CliMember[];
  /** Command lines for its help page. */
  readonly examples: readonly CommandExample[];
}

/** An operation input member as a CLI option. */
export interface CliMember {
  /** `--user-pool-id`. */
  readonly flag: string;
  /** `UserPoolId`. */
  readonly member: string;
  /** The member's target: `string`, `integer`, or a shape name (lists, enums). */
  readonly target: string;
  readonly required: boolean;
  /** An input token or page-size member of a paginated operation: hidden from help, turns pagination off. */
  readonly paging: boolean;
}

/** botocore's `xform_name(name, "-")` for the member names of these operations. */
function xformName(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/([a-z\d])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

function structureMembers(shape: string): readonly (readonly [string, string, boolean])[] {
  const info = shapes[shape];
  if (info?.type !== "structure") throw new TypeError(`${shape} is not a structure in the model`);
  return info.members;
}

function operationSpec(
  operation: string,
  makeCommand: (input: Record<string, unknown>) => { input: object },
  details: { paginator?: CliPaginator; examples: readonly CommandExample[] },
): OperationSpec {
  const { paginator, examples } = details;
  const inputShape = `${operation}Request`;
  const paging = new Set(paginator ? [paginator.inputToken, paginator.limitKey] : []);
  return {
    name: xformName(operation),
    operation,
    inputShape,
    outputShape: `${operation}Response`,
    makeCommand,
    examples,
    ...(paginator ? { paginator } : {}),
    members: structureMembers(inputShape).map(([member, target, required]) => ({
      flag: `--${xformName(member)}`,
      member,
      target,
      required,
      paging: paging.has(member),
    })),
  };
}

const POOL = "--user-pool-id us-east-1_demoPlus";

/** The operations, by CLI name. */
export const OPERATIONS: ReadonlyMap<string, OperationSpec> = new Map(
  [
    operationSpec("AdminListUserAuthEvents", (input) => new AdminListUserAuthEventsCommand(input as never), {
      paginator: {
        inputToken: "NextToken",
        limitKey: "MaxResults",
        outputToken: "NextToken",
        resultKey: "AuthEvents",
        paginate: paginateAdminListUserAuthEvents,
      },
      examples: [
        {
          description: "The five latest sign-ins and other events of a user, as a table.",
          args: `admin-list-user-auth-events ${POOL} --username alice --max-items 5 --output table`,
        },
        {
          description: "Carry on where that listing stopped (the NextToken it printed).",
          args: `admin-list-user-auth-events ${POOL} --username alice --starting-token <NextToken>`,
        },
        {
          description: "Every event of a user, one JSON line each, for a script.",
          args: `admin-list-user-auth-events ${POOL} --username alice --output ndjson`,
        },
      ],
    }),
    operationSpec("AdminUpdateAuthEventFeedback", (input) => new AdminUpdateAuthEventFeedbackCommand(input as never), {
      examples: [
        {
          description: "Tell the service that a sign-in was not the user (improves its risk model).",
          args: `admin-update-auth-event-feedback ${POOL} --username alice --event-id <EventId> --feedback-value Invalid`,
        },
      ],
    }),
    operationSpec("ListUsers", (input) => new ListUsersCommand(input as never), {
      paginator: {
        inputToken: "PaginationToken",
        limitKey: "Limit",
        outputToken: "PaginationToken",
        resultKey: "Users",
        paginate: paginateListUsers,
      },
      examples: [
        {
          description: "The user names of the users whose email starts with a.",
          args: `list-users ${POOL} --filter 'email ^= "a"' --query 'Users[].Username' --output text`,
        },
      ],
    }),
    operationSpec("UpdateAuthEventFeedback", (input) => new UpdateAuthEventFeedbackCommand(input as never), {
      examples: [
        {
          description: "Feedback from the user's side, with the event's feedback token (no credentials needed).",
          args: `update-auth-event-feedback ${POOL} --username alice --event-id <EventId> --feedback-token <FeedbackToken> --feedback-value Valid --no-sign-request`,
        },
      ],
    }),
  ].map((spec) => [spec.name, spec]),
);

/** Whether a member's target is a list (`--attributes-to-get a b c`). */
export function isListTarget(target: string): boolean {
  return shapes[target]?.type === "list";
}

/**
 * The argparse options of a command, in the AWS CLI's argument-table order: the input members,
 * then `--starting-token`, `--page-size`, `--max-items` for a paginated operation, then
 * `--cli-input-json` and `--generate-cli-skeleton`.
 */
export function operationOptions(spec: OperationSpec): OptionSpec[] {
  const options: OptionSpec[] = spec.members.map((m) => ({
    flag: m.flag,
    dest: m.member,
    kind: isListTarget(m.target) ? "list" : "value",
    required: m.required,
  }));
  if (spec.paginator) {
    options.push(
      { flag: "--starting-token", dest: "starting_token", kind: "value" },
      { flag: "--page-size", dest: "page_size", kind: "value", int: true },
      { flag: "--max-items", dest: "max_items", kind: "value", int: true },
    );
  }
  options.push(
    { flag: "--cli-input-json", dest: "cli_input_json", kind: "value" },
    {
      flag: "--generate-cli-skeleton",
      dest: "generate_cli_skeleton",
      kind: "optional",
      constValue: "input",
      choices: ["input", "output"],
    },
  );
  return options;
}
