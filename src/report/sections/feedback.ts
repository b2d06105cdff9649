/**
 * Feedback: the Block and AccountTakeover events with and without feedback (what still needs a decision), and the
 * users whose risky events are waiting for one.
 */
import { FEEDBACK_STATES, type FeedbackState, RISKY_DECISIONS, type ReportUser } from "../data.ts";
import { barChart } from "../charts.ts";
import { dataText, html, type Markup } from "../markup.ts";
import { countOf, dataTable, formatCount, formatTime } from "../table.ts";
import { COMPLETE_LISTS, type SectionContext } from "./context.ts";
import { legend } from "./timeline.ts";

const STATE_NAMES: Readonly<Record<FeedbackState, string>> = {
  Valid: "Valid",
  Invalid: "Invalid",
  other: "Other feedback",
  none: "No feedback",
};

/** The feedback section: risky events by feedback, and the users whose risky events wait for it. */
export function feedbackSection({ data, maxRows }: SectionContext): Markup {
  const rows = RISKY_DECISIONS.map((decision) => ({ decision, counts: data.feedback[decision] }));
  const risky = rows.reduce((n, row) => n + FEEDBACK_STATES.reduce((m, s) => m + row.counts[s], 0), 0);
  const title = "Block and AccountTakeover events by feedback";
  const chart =
    risky === 0
      ? html`<p class="empty">No Block or AccountTakeover event.</p>`
      : html`<figure>${barChart(
          rows.map((row) => ({
            label: row.decision,
            segments: FEEDBACK_STATES.map((state) => ({ series: `fb-${state}`, value: row.counts[state] })),
          })),
          { id: "feedback-chart", title },
        )}<figcaption>${title}.</figcaption>${legend(
          FEEDBACK_STATES.map((state): [string, string] => [`fb-${state}`, STATE_NAMES[state]]),
        )}</figure>`;
  const waiting = data.users
    .filter((u) => u.awaitingFeedback > 0)
    .sort(
      (a: ReportUser, b: ReportUser) =>
        b.awaitingFeedback - a.awaitingFeedback || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0),
    );
  return html`<section id="feedback"><h2>Feedback</h2>${chart}${dataTable(rows, {
    id: "feedback-counts",
    caption: title,
    columns: [
      { header: "Risk decision", cell: (row) => row.decision },
      ...FEEDBACK_STATES.map((state) => ({
        header: STATE_NAMES[state],
        cell: (row: (typeof rows)[number]) => formatCount(row.counts[state]),
        numeric: true,
      })),
    ],
  })}<h3>Waiting for feedback</h3><p class="note">Feedback tells adaptive authentication whether it judged right: <code>admin-update-auth-event-feedback --username USER --event-id ID --feedback-value Valid|Invalid</code>.</p>${dataTable(
    waiting,
    {
      id: "awaiting-feedback",
      caption: `${countOf(waiting.length, "user")} with Block or AccountTakeover events without feedback`,
      limit: maxRows,
      more: COMPLETE_LISTS.risky,
      scroll: true,
      empty: "Every Block and AccountTakeover event has feedback.",
      columns: [
        { header: "User", cell: (u) => dataText(u.username) },
        { header: "Events without feedback", cell: (u) => formatCount(u.awaitingFeedback), numeric: true },
        { header: "Latest", cell: (u) => formatTime(u.lastAwaiting?.time), nowrap: true },
        { header: "Latest event id", cell: (u) => dataText(u.lastAwaiting?.eventId ?? "") },
      ],
    },
  )}</section>`;
}
