/**
 * What the client's debug output shows of a request: the input with its `@sensitive` members (user names, passwords,
 * tokens, secrets) replaced, and the headers without the signature and the session token. Web-standard globals only.
 */
import type { RedactPlan } from "../generated/plans.ts";

/** What a sensitive value is shown as, as the AWS SDK v3 shows it. */
const HIDDEN = "***SensitiveInformation***";

/** Copies `input` with every member its plan marks sensitive replaced by `***SensitiveInformation***`. */
export function redactInput(input: unknown, plan: RedactPlan | undefined): unknown {
  if (plan === 1) return HIDDEN;
  if (!plan || typeof input !== "object" || input === null) return input;
  if (Array.isArray(plan)) return Array.isArray(input) ? input.map((item) => redactInput(item, plan[0])) : input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input))
    out[key] = redactInput(value, (plan as Record<string, RedactPlan>)[key]);
  return out;
}

/** Copies request headers with the signature and the session token hidden. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const name of ["authorization", "x-amz-security-token"]) if (out[name]) out[name] = "***";
  return out;
}
