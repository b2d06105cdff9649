/**
 * Request quotas: a sliding one-second window per category; a request over the limit is
 * refused (and not counted), as the service answers TooManyRequestsException.
 */

import type { OperationName, QuotaOptions } from "./types.ts";

/** The project's documented Cognito quotas (requests per second). */
export const DEFAULT_QUOTAS: Required<QuotaOptions> = {
  adminListUserAuthEvents: 50,
  listUsers: 30,
  feedback: 25,
  perUserReads: 10,
};

export class QuotaTracker {
  readonly limits: Required<QuotaOptions>;
  readonly #windows = new Map<string, number[]>();

  constructor(options: QuotaOptions = {}) {
    this.limits = { ...DEFAULT_QUOTAS, ...options };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isFinite(value) || value < 0)
        throw new TypeError(`quotas.${name}: expected a number >= 0, got ${value}`);
    }
  }

  /** The windows a request counts against: [key, limit]. */
  #keys(operation: OperationName, poolId: unknown, username: unknown): Array<[string, number]> {
    switch (operation) {
      case "AdminListUserAuthEvents":
        return [
          ["AdminListUserAuthEvents", this.limits.adminListUserAuthEvents],
          [`user\u0000${String(poolId)}\u0000${String(username)}`, this.limits.perUserReads],
        ];
      case "ListUsers":
        return [["ListUsers", this.limits.listUsers]];
      default:
        return [["feedback", this.limits.feedback]];
    }
  }

  /** Counts the request if every window has room; false (not counted) if one is full. */
  admit(operation: OperationName, poolId: unknown, username: unknown, nowMs: number): boolean {
    const keys = this.#keys(operation, poolId, username);
    const windows = keys.map(([key, limit]) => {
      const window = (this.#windows.get(key) ?? []).filter((t) => t > nowMs - 1000);
      this.#windows.set(key, window);
      return { window, limit };
    });
    if (windows.some(({ window, limit }) => window.length >= limit)) return false;
    for (const { window } of windows) window.push(nowMs);
    // Forget idle per-user windows so a long run does not grow without bound.
    if (this.#windows.size > 10_000)
      for (const [key, w] of this.#windows) if (w.length === 0) this.#windows.delete(key);
    return true;
  }
}
