/**
 * The report's headline (users, events, period, failed sign-ins, Block and AccountTakeover events, compromised
 * credentials) and the counts by event type, response, risk level and risk decision, as the audit's summary has them.
 */
import { dataText, html, type Markup } from "../markup.ts";
import { dataTable, formatCount, formatShare, formatTime } from "../table.ts";
import type { SectionContext } from "./context.ts";

/** One headline figure; `figure` names it for machines (tests read the shown text through it). */
function headline(term: string, figure: string, value: string, detail?: Markup | string): Markup {
  return html`<div class="figure"><dt>${term}</dt><dd><span class="big" data-figure="${figure}">${value}</span>${
    detail ? html`<span class="detail">${detail}</span>` : ""
  }</dd></div>`;
}

function countTable(id: string, caption: string, counts: Record<string, number>, events: number): Markup {
  return dataTable(Object.entries(counts), {
    id,
    caption,
    columns: [
      { header: "Value", cell: ([label]) => dataText(label) },
      { header: "Events", cell: ([, n]) => formatCount(n), numeric: true },
      { header: "Share", cell: ([, n]) => formatShare(n, events), numeric: true },
    ],
  });
}

/** The overview section: the headline figures and the counts by type, response, risk level and decision. */
export function overviewSection({ data }: SectionContext): Markup {
  const { summary, signIns } = data;
  const blocks = summary.byRiskDecision["Block"] ?? 0;
  const takeovers = summary.byRiskDecision["AccountTakeover"] ?? 0;
  const start = data.window.since?.getTime() ?? (summary.oldestEvent && Date.parse(summary.oldestEvent));
  const end = data.window.until?.getTime() ?? (summary.newestEvent && Date.parse(summary.newestEvent));
  const days = start && end ? Math.max(1, Math.ceil((end - start) / 86_400_000)) : undefined;
  const figures = [
    data.usersListed
      ? headline(
          "Users audited",
          "users-audited",
          formatCount(summary.users.audited),
          html`<span data-figure="users-with-events">${formatCount(summary.users.withEvents)}</span> with events`,
        )
      : headline(
          "Users with events",
          "users-with-events",
          formatCount(summary.users.withEvents),
          "an audit file holds no user without events",
        ),
    headline(
      "Events",
      "events",
      formatCount(summary.events),
      data.undatedEvents > 0 ? `${formatCount(data.undatedEvents)} without a date` : undefined,
    ),
    headline(
      "Period",
      "period-days",
      days === undefined ? "no events" : `${formatCount(days)} day${days === 1 ? "" : "s"}`,
      start && end ? html`${formatTime(start)} to <span data-figure="period-end">${formatTime(end)}</span>` : undefined,
    ),
    headline(
      "Failed sign-ins",
      "failed-sign-ins-share",
      formatShare(signIns.failed, signIns.total) || "0%",
      html`<span data-figure="failed-sign-ins">${formatCount(signIns.failed)}</span> of <span data-figure="sign-ins">${formatCount(signIns.total)}</span> sign-ins`,
    ),
    headline(
      "Block or AccountTakeover",
      "risky-events",
      formatCount(blocks + takeovers),
      `events: ${formatCount(blocks)} Block, ${formatCount(takeovers)} AccountTakeover`,
    ),
    headline(
      "Compromised credentials",
      "compromised-users",
      formatCount(summary.compromisedCredentials.users.length),
      html`users, in <span data-figure="compromised-events">${formatCount(summary.compromisedCredentials.events)}</span> events`,
    ),
  ];
  const tables = [
    countTable("by-event-type", "By event type", summary.byEventType, summary.events),
    countTable("by-response", "By response", summary.byResponse, summary.events),
    countTable("by-risk-level", "By risk level", summary.byRiskLevel, summary.events),
    countTable("by-risk-decision", "By risk decision", summary.byRiskDecision, summary.events),
  ];
  return html`<section id="overview"><h2>Overview</h2><dl class="headline">${figures}</dl><div class="grid">${tables}</div></section>`;
}
