/**
 * The assertions every runtime's scenario result must pass (vitest side).
 */
import { expect } from "vitest";
import type { ScenarioEmulator, ScenarioResult } from "./harness.ts";

/** Checks a scenario result against the emulator's data and request log. */
export function expectScenario(
  result: ScenarioResult,
  em: ScenarioEmulator,
  runtime: RegExp,
  entry: ScenarioResult["entry"] = "default",
): void {
  expect(result.runtime).toMatch(runtime);
  expect(result.entry).toBe(entry);
  // 1. Three signed pages of 25, every event once, in the emulator's order, dates parsed.
  expect(result.pages).toEqual([25, 25, 25]);
  expect(result.ids).toEqual(em.expectedIds);
  expect(result.datesAreDates).toBe(true);
  if (entry === "default") {
    // 2. maxItems 30 stops 5 items into page 2 with botocore's resume token; resuming yields the other 45.
    expect(result.resume).toMatchObject({ firstCount: 30, restCount: 45, matchesFullListing: true });
    expect(atob(result.resume.token)).toMatch(/^\{"NextToken": "[^"]+", "boto_truncate_amount": 5\}$/);
  } else {
    // 2. The lite entry stops after page 1 and resumes from its NextToken (the service's own token): the other 50.
    expect(result.resume).toMatchObject({ firstCount: 25, restCount: 50, matchesFullListing: true });
    // Not a botocore resume token (those are base64 of `{"NextToken": ...`, which starts "eyJOZXh0VG9rZW4i").
    expect(result.resume.token).toEqual(expect.any(String));
    expect(result.resume.token).not.toMatch(/^eyJOZXh0VG9rZW4i/);
  }
  // 3. The typed error, with the SDK's metadata.
  expect(result.notFound).toEqual({
    name: "UserNotFoundException",
    isUserNotFoundException: true,
    isServiceException: true,
    fault: "client",
    httpStatusCode: 400,
    message: "User does not exist.",
  });
  // 4. The throttle was retried once, after the first throttling backoff: full jitter over [0, 500) ms (it may draw 0,
  // about one run in 500, so "> 0" was a flake).
  expect(result.throttle.attempts).toBe(2);
  expect(result.throttle.totalRetryDelay).toBeGreaterThanOrEqual(0);
  expect(result.throttle.totalRetryDelay).toBeLessThan(500);
  expect(result.throttle.items).toBe(10);
  // The emulator saw every request signed correctly, one UserNotFoundException and one injected throttle.
  const log = em.emulator.core.requestLog;
  const errors = log.filter((entry) => entry.status !== 200).map((entry) => [entry.errorType, entry.faults]);
  expect(errors).toEqual([
    ["UserNotFoundException", []],
    ["TooManyRequestsException", ["throttle"]],
  ]);
  expect(log.every((entry) => entry.operation === "AdminListUserAuthEvents")).toBe(true);
}
