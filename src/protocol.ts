/**
 * The awsJson1_1 protocol: how an input becomes an HTTP request, and how a response becomes an output or an error.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import type { DatePlan } from "../generated/schemas.ts";
import { CognitoIdentityProviderServiceException } from "../generated/errors.ts";
import type { ErrorClass, ResponseMetadata } from "./command.ts";

export const SERVICE_TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
export const CONTENT_TYPE = "application/x-amz-json-1.1";

/** The JSON body of a request: timestamps as epoch seconds and blobs as base64, as the protocol writes them. */
export function serializeBody(input: object): string {
  return JSON.stringify(input, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (raw instanceof Uint8Array) return btoa(String.fromCharCode(...raw));
    return value;
  });
}

/** Epoch seconds (plain or scientific notation, as the service sends them) or a date string, to `Date`. */
function toDate(value: unknown): unknown {
  if (typeof value === "number") return new Date(Math.round(value * 1000));
  if (typeof value === "string") {
    const n = Number(value);
    const d = Number.isFinite(n) && value.trim() !== "" ? new Date(Math.round(n * 1000)) : new Date(value);
    return Number.isNaN(d.getTime()) ? value : d;
  }
  return value;
}

/**
 * Turns the timestamps that `plan` points at into `Date`, in place. Everything else, unknown members included, is
 * kept as parsed.
 */
export function reviveDates(value: unknown, plan: DatePlan | undefined): unknown {
  if (plan === undefined || value === null || typeof value !== "object") return plan === 1 ? toDate(value) : value;
  if (Array.isArray(plan)) {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i], plan[0]);
    return value;
  }
  if (plan === 1) return value;
  const record = value as Record<string, unknown>;
  for (const key in plan as Record<string, DatePlan>) {
    if (Object.prototype.hasOwnProperty.call(record, key)) record[key] = reviveDates(record[key], (plan as Record<string, DatePlan>)[key]);
  }
  return value;
}

/** Parses a JSON body; `undefined` when it is not JSON (an HTML page from a proxy, an empty or cut body). */
export function parseJson(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The error name by the protocol's rules: the `x-amzn-errortype` header, else the body's `code`, else `__type`;
 * keep what follows `#` and precedes `:`.
 */
export function errorName(headers: Headers, body: unknown): string | undefined {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const raw = headers.get("x-amzn-errortype") ?? str(b.code) ?? str(b.__type);
  if (!raw) return undefined;
  const name = raw.split(":")[0]!;
  return name.slice(name.lastIndexOf("#") + 1) || undefined;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A short, single-line excerpt of a body that is not JSON, for error messages. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Builds the error a non-2xx response stands for: the operation's modelled class when the name is one of them. */
export function buildError(
  status: number,
  headers: Headers,
  text: string,
  errors: { readonly [name: string]: ErrorClass },
  $metadata: ResponseMetadata,
): Error & { name: string; $fault?: string; $metadata?: ResponseMetadata } {
  const body = parseJson(text);
  const name = errorName(headers, body);
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const message =
    str(b.message) ?? str(b.Message) ?? str(b.errorMessage) ??
    (body === undefined || !name ? `HTTP ${status}${text.trim() ? `: ${excerpt(text)}` : " with an empty body"}` : name);
  const members: Record<string, unknown> = {};
  for (const key of Object.keys(b)) {
    if (key !== "__proto__" && key !== "constructor" && key !== "prototype" && key !== "__type" && key !== "code") {
      members[key] = b[key];
    }
  }
  const Known = name ? errors[name] : undefined;
  if (Known) return Object.assign(new Known({ ...members, message, $metadata }), {}) as Error & { name: string };
  const err = new CognitoIdentityProviderServiceException({
    name: name ?? (status >= 500 ? "UnknownServerError" : "UnknownError"),
    $fault: status >= 500 ? "server" : "client",
    message,
    $metadata,
  });
  return err;
}
