/**
 * Request validation as the service does it: JSON types first (SerializationException), then
 * every constraint of every member (InvalidParameterException "N validation errors detected:
 * ..."), in the service's words. The constraints are the generated `*Request$rules`
 * (generated/schemas.ts, from the service model); the request's shape in `shapes` adds what the
 * rules leave out: member order, which numbers are integers and an enum's values.
 */

import {
  AdminListUserAuthEventsRequest$rules,
  AdminUpdateAuthEventFeedbackRequest$rules,
  ListUsersRequest$rules,
  type Rule,
  type Rules,
  shapes,
  UpdateAuthEventFeedbackRequest$rules,
} from "../../generated/schemas.ts";
import type {
  AdminListUserAuthEventsRequest,
  AdminUpdateAuthEventFeedbackRequest,
  ListUsersRequest,
  UpdateAuthEventFeedbackRequest,
} from "../../generated/types.ts";
import { invalidParameter, serialization } from "./errors.ts";
import type { OperationName } from "./types.ts";

/** A member's constraints, from its generated rule. */
interface Constraints {
  required: boolean;
  /** Length (strings) or range (integers). */
  min?: number;
  max?: number;
  /** The model's pattern, anchors included. */
  pattern?: string;
  flags?: string;
  sensitive?: boolean;
}
/** A member as the emulator checks it: `kind` is the JSON type the service's reader expects. */
type MemberSpec = Constraints &
  ({ kind: "string"; enum?: readonly string[] } | { kind: "integer" } | { kind: "list"; member: MemberSpec });

/** The spec of a member targeting `target` (a shape's name, or a simple type's) under `rule`. */
function specOf(target: string, rule: Rule | undefined, required: boolean): MemberSpec {
  const [min, max] = rule?.length ?? rule?.range ?? [null, null];
  const constraints: Constraints = {
    required,
    min: min ?? undefined,
    max: max ?? undefined,
    pattern: rule?.pattern,
    flags: rule?.flags,
    sensitive: rule?.sensitive,
  };
  const shape = shapes[target];
  if (target === "string") return { kind: "string", ...constraints };
  if (target === "integer") return { kind: "integer", ...constraints };
  // The enum's values in the model's order, as the service lists them.
  if (shape?.type === "enum") return { kind: "string", ...constraints, enum: shape.values };
  if (shape?.type === "list") return { kind: "list", ...constraints, member: specOf(shape.member, rule?.items, false) };
  throw new TypeError(`emulator validation: members of type ${target} are not supported`);
}

/** Input members of an operation, in the model's member order. */
function inputSpecs(operation: OperationName, rules: Rules): Array<[string, MemberSpec]> {
  const shape = shapes[`${operation}Request`];
  if (shape?.type !== "structure") throw new TypeError(`emulator validation: no shape ${operation}Request`);
  return shape.members.map(([name, target, required]) => [name, specOf(target, rules[name], required)]);
}

const INPUT_SPECS: Record<OperationName, Array<[string, MemberSpec]>> = {
  AdminListUserAuthEvents: inputSpecs("AdminListUserAuthEvents", AdminListUserAuthEventsRequest$rules),
  AdminUpdateAuthEventFeedback: inputSpecs("AdminUpdateAuthEventFeedback", AdminUpdateAuthEventFeedbackRequest$rules),
  UpdateAuthEventFeedback: inputSpecs("UpdateAuthEventFeedback", UpdateAuthEventFeedbackRequest$rules),
  ListUsers: inputSpecs("ListUsers", ListUsersRequest$rules),
};

/** A request as validation leaves it: the members the model requires are present. */
type Checked<T> = { [K in keyof T]: Record<never, never> extends Pick<T, K> ? T[K] : NonNullable<T[K]> };
export type AdminListUserAuthEventsInput = Checked<AdminListUserAuthEventsRequest>;
export type AdminUpdateAuthEventFeedbackInput = Checked<AdminUpdateAuthEventFeedbackRequest>;
export type UpdateAuthEventFeedbackInput = Checked<UpdateAuthEventFeedbackRequest>;
export type ListUsersInput = Checked<ListUsersRequest>;
export interface OperationInputs {
  AdminListUserAuthEvents: AdminListUserAuthEventsInput;
  AdminUpdateAuthEventFeedback: AdminUpdateAuthEventFeedbackInput;
  UpdateAuthEventFeedback: UpdateAuthEventFeedbackInput;
  ListUsers: ListUsersInput;
}

const patterns = new Map<string, RegExp>();
function compiled(pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let re = patterns.get(key);
  if (!re) {
    re = new RegExp(pattern, `u${flags}`);
    patterns.set(key, re);
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
    out.push(
      `${describe(shown, path, spec.kind === "string" && spec.sensitive)} failed to satisfy constraint: ${constraint}`,
    );
  };
  if (value === undefined || value === null) {
    if (spec.required) fail("Member must not be null");
    return;
  }
  if (spec.kind === "integer") {
    const n = value as number;
    if (spec.min !== undefined && n < spec.min) fail(`Member must have value greater than or equal to ${spec.min}`);
    if (spec.max !== undefined && n > spec.max) fail(`Member must have value less than or equal to ${spec.max}`);
    return;
  }
  if (spec.kind === "list") {
    for (const [i, item] of (value as unknown[]).entries())
      constraintErrors(item, spec.member, `${path}.${i + 1}.member`, out);
    return;
  }
  const text = value as string;
  // Lengths count code points, as Java's validators do for these members.
  const length = [...text].length;
  if (spec.min !== undefined && length < spec.min) fail(`Member must have length greater than or equal to ${spec.min}`);
  if (spec.max !== undefined && length > spec.max) fail(`Member must have length less than or equal to ${spec.max}`);
  if (spec.pattern !== undefined && length > 0 && !compiled(spec.pattern, spec.flags).test(text)) {
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
  for (const [name, spec] of specs) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    checkType(value, spec);
    input[name] = spec.kind === "list" ? (value as unknown[]).filter((item) => item !== null) : value;
  }
  const problems: string[] = [];
  for (const [name, spec] of specs) constraintErrors(input[name], spec, lowerFirst(name), problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? "1 validation error" : `${problems.length} validation errors`;
    throw invalidParameter(`${count} detected: ${problems.join("; ")}`);
  }
  return input as unknown as OperationInputs[Op];
}
