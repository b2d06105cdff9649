/**
 * Fault injection: rules matched per operation, pool, user and request count. The core asks
 * for the faults of each request; "replacing" faults answer instead of the service, the others
 * alter the real answer (delay, reset, truncate, skew the Date header).
 */

import type { Prng } from "./prng.ts";
import type { FaultKind, FaultRule, OperationName } from "./types.ts";

const KINDS: readonly FaultKind[] = [
  "throttle",
  "throttle-429",
  "http-500",
  "http-503",
  "error",
  "html",
  "slow",
  "reset",
  "truncated-json",
  "skewed-date",
];
/** Faults that answer in place of the service. */
export const REPLACING: ReadonlySet<FaultKind> = new Set([
  "throttle",
  "throttle-429",
  "http-500",
  "http-503",
  "error",
  "html",
]);

/** Checks a rule's options (TypeError naming the bad one). */
export function checkFaultRule(rule: FaultRule, path = "fault"): void {
  if (!KINDS.includes(rule.kind))
    throw new TypeError(`${path}.kind: expected one of ${KINDS.join(", ")}, got ${JSON.stringify(rule.kind)}`);
  const counts: Array<[keyof FaultRule, number]> = [
    ["after", 0],
    ["every", 1],
    ["times", 0],
    ["delayMs", 0],
    ["afterBytes", 0],
  ];
  for (const [name, min] of counts) {
    const value = rule[name];
    if (
      value !== undefined &&
      (typeof value !== "number" || !(value >= min) || (name !== "times" && !Number.isFinite(value)))
    ) {
      throw new TypeError(`${path}.${name}: expected a number >= ${min}, got ${String(value)}`);
    }
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new TypeError(`${path}.probability: expected a number from 0 to 1, got ${rule.probability}`);
  }
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 200 && rule.status <= 599)) {
    throw new TypeError(`${path}.status: expected an HTTP status from 200 to 599, got ${rule.status}`);
  }
  if (rule.skewSeconds !== undefined && !Number.isFinite(rule.skewSeconds)) {
    throw new TypeError(`${path}.skewSeconds: expected a finite number, got ${rule.skewSeconds}`);
  }
}

/** A rule with its counters. */
export class ActiveFault {
  /** Matching requests seen. */
  seen = 0;
  /** Times injected. */
  injected = 0;

  constructor(readonly rule: Readonly<FaultRule>) {
    checkFaultRule(rule);
  }

  #matches(operation: OperationName, poolId: unknown, username: unknown): boolean {
    const { operation: ops, userPoolId, username: user } = this.rule;
    if (ops !== undefined && (typeof ops === "string" ? ops !== operation : !ops.includes(operation))) return false;
    if (userPoolId !== undefined && userPoolId !== poolId) return false;
    if (user !== undefined && user !== username) return false;
    return true;
  }

  /** Counts the request if it matches and says whether to inject now. */
  select(operation: OperationName, poolId: unknown, username: unknown, prng: Prng): boolean {
    if (!this.#matches(operation, poolId, username)) return false;
    const index = this.seen++;
    const { after = 0, every = 1, times = Infinity, probability = 1 } = this.rule;
    if (index < after || (index - after) % every !== 0 || this.injected >= times) return false;
    if (probability < 1 && !prng.chance(probability)) return false;
    this.injected++;
    return true;
  }
}

/** The HTML page a load balancer sends for an error status. */
export function htmlErrorPage(status: number): string {
  const reason: Record<number, string> = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  const title = `${status} ${reason[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}
