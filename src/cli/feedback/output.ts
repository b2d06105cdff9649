/**
 * What `feedback` prints: the summary (text or JSON) on standard output, and in a dry run a line per event saying
 * what would be done.
 */
import type { FeedbackOutcome, FeedbackSummary } from "../../feedback/bulk.ts";
import type { FeedbackInputTarget } from "../../feedback/input.ts";
import { terminalText } from "../../terminal-text.ts";
import type { FeedbackCheckpointFile } from "./files.ts";

/** The summary, as text lines or JSON. */
export function formatFeedbackSummary(summary: FeedbackSummary, options: { json: boolean; errors?: string }): string {
  if (options.json) return `${JSON.stringify(summary, null, 2)}\n`;
  const rows: Array<[string, string]> = [
    [summary.dryRun ? "would update" : "updated", String(summary.updated)],
    [
      "skipped",
      `${summary.skipped} (already given: ${summary.skippedInInput} in the input, ${summary.skippedAtService} at the service; ${summary.skippedDuplicates} repeated in the input)`,
    ],
    ["failed", `${summary.failed}${summary.failed > 0 && options.errors ? ` (see ${options.errors})` : ""}`],
    [
      "requests",
      `${summary.feedbackRequests + summary.listRequests} (${summary.feedbackRequests} AdminUpdateAuthEventFeedback, ${summary.listRequests} AdminListUserAuthEvents), ${summary.throttles} throttled`,
    ],
    ["time", `${(summary.elapsedMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join("");
}

/** The summary of a saved run, from its checkpoint file. */
export function summaryOfCheckpoint(saved: FeedbackCheckpointFile): FeedbackSummary {
  const { counts } = saved.cursor;
  const skipped = counts.skippedInInput + counts.skippedAtService + counts.skippedDuplicates;
  return { ...counts, skipped, settled: counts.updated + skipped + counts.failed, dryRun: false };
}

/** A dry run's line for one event (the event id as JSON: it comes from the input file). */
export function dryRunLine(outcome: FeedbackOutcome<FeedbackInputTarget>, value: string): string {
  const where = `line ${outcome.target.line} event ${JSON.stringify(outcome.target.eventId)}`;
  if (outcome.result === "updated") return `would update ${where}\n`;
  if (outcome.result === "failed") {
    // The service's words: shown as a terminal may show them.
    const why = `${terminalText(outcome.error?.name ?? "")}: ${terminalText(outcome.error?.message ?? "")}`;
    return `would fail ${where}: ${why}\n`;
  }
  const why =
    outcome.skipped === "duplicate"
      ? "repeated in the input"
      : `already ${value} (${outcome.skipped === "input" ? "in the input" : "at the service"})`;
  return `skip ${where}: ${why}\n`;
}
