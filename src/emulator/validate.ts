/**
 * Request validation as the service does it: JSON types first (SerializationException), then
 * every constraint of every member (InvalidParameterException "N validation errors detected:
 * ..."), in the service's words. Constraints are those of the Smithy model
 * (spec/cognito-identity-provider-2016-04-18.json); test/emulator-validation.test.ts checks
 * them against it.
 */

import { invalidParameter, serialization } from "./errors.ts";
import type { OperationName } from "./types.ts";

interface StringSpec {
  kind: "string";
  required?: boolean;
  min?: number;
  max?: number;
  /** The model's pattern, anchors included. */
  pattern?: string;
  sensitive?: boolean;
  enum?: readonly string[];
}
interface IntegerSpec {
  kind: "integer";
  required?: boolean;
  min: number;
  max: number;
}
interface ListSpec {
  kind: "list";
  required?: boolean;
  member: StringSpec;
}
type MemberSpec = StringSpec | IntegerSpec | ListSpec;

// Shapes of the model (com.amazonaws.cognitoidentityprovider#...).
const UserPoolIdType: StringSpec = { kind: "string", min: 1, max: 55, pattern: "^[\\w-]+_[0-9a-zA-Z]+$" };
const UsernameType: StringSpec = {
  kind: "string",
  min: 1,
  max: 128,
  pattern: "^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$",
  sensitive: true,
};
const QueryLimitType: IntegerSpec = { kind: "integer", min: 0, max: 60 };
const PaginationKey: StringSpec = { kind: "string", min: 1, max: 131072, pattern: "^[\\S]+$" };
const EventIdType: StringSpec = { kind: "string", min: 1, max: 50, pattern: "^[\\w+-]+$" };
const FeedbackValueType: StringSpec = { kind: "string", enum: ["Valid", "Invalid"] };
const TokenModelType: StringSpec = { kind: "string", pattern: "^[A-Za-z0-9-_=.]+$", sensitive: true };
const AttributeNameType: StringSpec = {
  kind: "string",
  min: 1,
  max: 32,
  pattern: "^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$",
};
const SearchPaginationTokenType: StringSpec = { kind: "string", min: 1, pattern: "^[\\S]+$" };
const UserFilterType: StringSpec = { kind: "string", min: 0, max: 256 };

const req = <T extends MemberSpec>(spec: T): T => ({ ...spec, required: true });

/** Input members of each operation, in the model's member order. */
export const INPUT_SPECS: Record<OperationName, Record<string, MemberSpec>> = {
  AdminListUserAuthEvents: {
    UserPoolId: req(UserPoolIdType),
    Username: req(UsernameType),
    MaxResults: QueryLimitType,
    NextToken: PaginationKey,
  },
  AdminUpdateAuthEventFeedback: {
    UserPoolId: req(UserPoolIdType),
    Username: req(UsernameType),
    EventId: req(EventIdType),
    FeedbackValue: req(FeedbackValueType),
  },
  UpdateAuthEventFeedback: {
    UserPoolId: req(UserPoolIdType),
    Username: req(UsernameType),
    EventId: req(EventIdType),
    FeedbackToken: req(TokenModelType),
    FeedbackValue: req(FeedbackValueType),
  },
  ListUsers: {
    UserPoolId: req(UserPoolIdType),
    AttributesToGet: { kind: "list", member: AttributeNameType },
    Limit: QueryLimitType,
    PaginationToken: SearchPaginationTokenType,
    Filter: UserFilterType,
  },
};

export interface AdminListUserAuthEventsInput {
  UserPoolId: string;
  Username: string;
  MaxResults?: number;
  NextToken?: string;
}
export interface AdminUpdateAuthEventFeedbackInput {
  UserPoolId: string;
  Username: string;
  EventId: string;
  FeedbackValue: string;
}
export interface UpdateAuthEventFeedbackInput extends AdminUpdateAuthEventFeedbackInput {
  FeedbackToken: string;
}
export interface ListUsersInput {
  UserPoolId: string;
  AttributesToGet?: string[];
  Limit?: number;
  PaginationToken?: string;
  Filter?: string;
}
export interface OperationInputs {
  AdminListUserAuthEvents: AdminListUserAuthEventsInput;
  AdminUpdateAuthEventFeedback: AdminUpdateAuthEventFeedbackInput;
  UpdateAuthEventFeedback: UpdateAuthEventFeedbackInput;
  ListUsers: ListUsersInput;
}

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, "u");
    patterns.set(pattern, re);
  }
  return re;
}

/** The JSON type name the service's parser reports. */
function jsonTokenName(value: unknown): string {
  if (typeof value === "number") return "NUMBER_VALUE";
  if (typeof value === "string") return "STRING_VALUE";
  if (value === true) return "TRUE_VALUE";
  return "FALSE_VALUE";
}

/** Rejects a value of the wrong JSON type as the service's JSON reader does. */
function checkType(value: unknown, spec: MemberSpec): void {
  if (Array.isArray(value) && spec.kind !== "list") throw serialization("Start of list found where not expected");
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    throw serialization("Start of structure or map found where not expected.");
  }
  if (spec.kind === "string" && typeof value !== "string") {
    throw serialization(`${jsonTokenName(value)} can not be converted to a String`);
  }
  if (spec.kind === "integer" && (typeof value !== "number" || !Number.isInteger(value))) {
    throw serialization(
      typeof value === "number"
        ? "NUMBER_VALUE with a fraction can not be converted to an Integer"
        : `${jsonTokenName(value)} can not be converted to an Integer`,
    );
  }
  if (spec.kind === "list") {
    if (!Array.isArray(value)) throw serialization(`${jsonTokenName(value)} can not be converted to a List`);
    for (const item of value) if (item !== null) checkType(item, spec.member);
  }
}

/** The pattern as the service prints it: without the anchors. */
const shownPattern = (pattern: string): string => pattern.replace(/^\^/, "").replace(/\$$/, "");

function describe(value: unknown, path: string, sensitive: boolean | undefined): string {
  if (value === undefined || value === null) return `Value null at '${path}'`;
  if (sensitive) return `Value at '${path}'`;
  if (Array.isArray(value)) return `Value '[${value.join(", ")}]' at '${path}'`;
  return `Value '${String(value)}' at '${path}'`;
}

function constraintErrors(value: unknown, spec: MemberSpec, path: string, out: string[]): void {
  const fail = (constraint: string, shown: unknown = value): void => {
    out.push(`${describe(shown, path, spec.kind === "string" && spec.sensitive)} failed to satisfy constraint: ${constraint}`);
  };
  if (value === undefined || value === null) {
    if (spec.required) fail("Member must not be null");
    return;
  }
  if (spec.kind === "integer") {
    const n = value as number;
    if (n < spec.min) fail(`Member must have value greater than or equal to ${spec.min}`);
    if (n > spec.max) fail(`Member must have value less than or equal to ${spec.max}`);
    return;
  }
  if (spec.kind === "list") {
    (value as unknown[]).forEach((item, i) => constraintErrors(item, spec.member, `${path}.${i + 1}.member`, out));
    return;
  }
  const text = value as string;
  // Lengths count code points, as Java's validators do for these members.
  const length = [...text].length;
  if (spec.min !== undefined && length < spec.min) fail(`Member must have length greater than or equal to ${spec.min}`);
  if (spec.max !== undefined && length > spec.max) fail(`Member must have length less than or equal to ${spec.max}`);
  if (spec.pattern !== undefined && length > 0 && !compiled(spec.pattern).test(text)) {
    fail(`Member must satisfy regular expression pattern: ${shownPattern(spec.pattern)}`);
  }
  if (spec.enum && !spec.enum.includes(text)) fail(`Member must satisfy enum value set: [${spec.enum.join(", ")}]`);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Checks a parsed request body against the operation's input shape and returns the typed input
 * (unknown members dropped, nulls treated as absent, as the service does).
 * Throws SerializationException or InvalidParameterException.
 */
export function validateInput<Op extends OperationName>(operation: Op, body: unknown): OperationInputs[Op] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw serialization("The request body must be a JSON object.");
  }
  const specs = INPUT_SPECS[operation];
  const input: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    checkType(value, spec);
    input[name] = spec.kind === "list" ? (value as unknown[]).filter((item) => item !== null) : value;
  }
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) constraintErrors(input[name], spec, lowerFirst(name), problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? "1 validation error" : `${problems.length} validation errors`;
    throw invalidParameter(`${count} detected: ${problems.join("; ")}`);
  }
  return input as unknown as OperationInputs[Op];
}
