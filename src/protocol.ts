/**
 * The awsJson1_1 protocol: how an input becomes an HTTP request, and how a response becomes an output or an error.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import { base64Encode } from "./resume-token.ts";
import type { ReadPlan } from "../generated/plans.ts";
import { CognitoIdentityProviderServiceException } from "../generated/errors.ts";
import type { ErrorClass, ResponseMetadata } from "./command.ts";
import type { ResponseLike } from "./fetch-like.ts";

export const SERVICE_TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
export const CONTENT_TYPE = "application/x-amz-json-1.1";

/** The JSON body of a request: timestamps as epoch seconds and blobs as base64, as the protocol writes them. */
export function serializeBody(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    // Byte by byte: spreading a 128 KiB blob into fromCharCode overflows the call stack.
    if (raw instanceof Uint8Array) return base64Encode(raw);
    return value;
  });
}

/**
 * Epoch seconds (a number, or a string in plain or scientific notation, as the service sends them) or a date string,
 * to `Date`; a string that is neither stays as it is.
 */
function toDate(value: unknown): unknown {
  // Numbers first: nearly every timestamp the service sends is one.
  if (typeof value === "number") return new Date(Math.round(value * 1000));
  if (typeof value !== "string") return value;
  const seconds = +value;
  // A blank string is not 0 seconds; the global isNaN reads a Date as its time.
  const date = new Date(value.trim() && isFinite(seconds) ? Math.round(seconds * 1000) : value);
  return isNaN(date as unknown as number) ? value : date;
}

/**
 * Reads a parsed output in place, as the AWS SDK v3 does: structures lose their `null` members at every depth (so a
 * member is either set or absent, as its `T | undefined` type says), lists keep their entries, maps and documents
 * (`0` in the plan) stay as sent, and the timestamps the plan points at become `Date`. Members the model does not
 * have are kept. `text`, the body the output was parsed from: without a `null` in it, only what the plan points at
 * is visited (a page of events has a few timestamps among hundreds of members), no deeper than the plan goes.
 */
export function readOutput(output: object, plan: ReadPlan | undefined, text?: string): void {
  // Without a null to drop, a structure's members are the plan's (the answer's other members need no reading). Every
  // `null` holds "ull", which is found faster (the search runs to each copy of its first letter, and bodies have
  // fewer u's than n's); a body with "full" in it is read in full, to the same output.
  const planOnly = text !== undefined && !text.includes("ull");
  // Objects still to read, and their plans, on two stacks rather than the call stack: a hostile answer may nest
  // deeper than that.
  const records: Record<string, unknown>[] = [output as Record<string, unknown>];
  const plans: (ReadPlan | undefined)[] = [plan];
  while (records.length) {
    const record = records.pop()!;
    const recordPlan = plans.pop() as Record<string, ReadPlan> | undefined;
    const isList = Array.isArray(record);
    for (const key in planOnly && !isList ? recordPlan : record) {
      const item = record[key];
      // A list's plan is `[entry plan]`, a structure's `{ member: plan }`: only its own members (a hostile `length`,
      // `constructor` or `__proto__` is no plan), and none when the answer has a structure where the model has a list.
      const itemPlan = isList
        ? recordPlan?.[0]
        : recordPlan && !Array.isArray(recordPlan) && Object.hasOwn(recordPlan, key)
          ? recordPlan[key]
          : undefined;
      if (item === null && !isList) delete record[key];
      else if (itemPlan === 1) {
        if (item !== undefined) record[key] = toDate(item);
      } else if (itemPlan !== 0 && (itemPlan || !planOnly) && item && typeof item === "object") {
        records.push(item as Record<string, unknown>);
        plans.push(itemPlan);
      }
    }
  }
}

/** Parses a JSON body; `undefined` when it is not JSON (an HTML page from a proxy, an empty or cut body). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Tested only now: trimming first would copy every page's body.
    return /^\s*$/.test(text) ? {} : undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The members of a parsed body (none when it is not an object). */
const membersOf = (body: unknown) => (body && typeof body === "object" ? body : {}) as Record<string, unknown>;

/**
 * The error name by the protocol's rules: the `x-amzn-errortype` header, else the body's `code`, else `__type`
 * (`body`: the members of the parsed body); keep what follows `#` and precedes `:`.
 */
export function errorName(headers: ResponseLike["headers"], body: Record<string, unknown>): string | undefined {
  const name = (headers.get("x-amzn-errortype") ?? str(body.code) ?? str(body.__type))
    ?.split(":")[0]
    ?.split("#")
    .at(-1);
  return name || undefined;
}

/** A short, single-line excerpt of a body that is not JSON, for error messages. */
export function excerpt(text: string, max = 200): string {
  // Each run of tags and whitespace becomes one space. A tag ends at the next `<` too, so that the scan stays linear:
  // with `[^>]*`, a body full of unclosed `<` backtracks quadratically.
  const flat = text.replace(/(<[^<>]*>|\s)+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Builds the error a non-2xx response stands for: the operation's modelled class when the name is one of them. */
export function buildError(
  status: number,
  headers: ResponseLike["headers"],
  text: string,
  errors: readonly ErrorClass[],
  $metadata: ResponseMetadata,
): Error & { name: string; $fault?: string; $metadata?: ResponseMetadata } {
  const body = parseJson(text);
  const b = membersOf(body);
  const name = errorName(headers, b);
  const message =
    str(b.message) ??
    str(b.Message) ??
    str(b.errorMessage) ??
    (body === undefined || !name
      ? `HTTP ${status}${text.trim() ? `: ${excerpt(text)}` : " with an empty body"}`
      : name);
  // The class whose shape id names the error (`namespace#Name`; the name has no `#`).
  const Known = errors.find((error) => error.shapeId.endsWith(`#${name}`));
  // The class takes its modelled members from the body (spread: a `__proto__` key stays an own key, read by no one);
  // its class fields fix `name` and `$fault` whatever the body says.
  if (Known) return new Known({ ...b, message, $metadata }) as Error & { name: string };
  const server = status >= 500;
  return new CognitoIdentityProviderServiceException({
    name: name ?? (server ? "UnknownServerError" : "UnknownError"),
    $fault: server ? "server" : "client",
    message,
    $metadata,
  });
}

/**
 * Decorates a service error as the AWS SDK does, so that `JSON.stringify(error)` shows the same keys in the same
 * order: `message` enumerable, then the body's members the error does not have (`__type` among them). `__proto__`
 * and `constructor` are never copied: the error has both.
 */
export function decorateError(error: Error, text: string): void {
  const target = error as Error & Record<string, unknown>;
  const { message } = error;
  delete (target as { message?: string }).message;
  target.message = message;
  const body = membersOf(parseJson(text));
  for (const key in body) target[key] ??= body[key];
}
