/**
 * The last successful sign-in of every user: how long ago (a chart of recency bands), the users with none in the
 * period, and the list from the longest ago.
 */
import { barChart } from "../charts.ts";
import { type LastSignInRow, lastSignInRows, NO_SIGN_IN, recencyCounts } from "../last-sign-in.ts";
import { dataText, html, type Markup } from "../markup.ts";
import { countOf, dataTable, formatCount, formatTime } from "../table.ts";
import { COMPLETE_LISTS, type SectionContext } from "./context.ts";

const place = (row: LastSignInRow) => [row.City, row.Country].filter((part) => part !== null).join(", ");

/** The last sign-in section: recency bands, the users without a sign-in, the list from the longest ago. */
export function lastSignInSection({ data, maxRows }: SectionContext): Markup {
  const rows = lastSignInRows(data);
  const bands = recencyCounts(rows);
  const end = data.periodEnd;
  const title = `Users by the time of their last successful sign-in, counted back from ${end ? formatTime(end) : "the period's end"}`;
  const chart =
    rows.length === 0
      ? ""
      : html`<figure>${barChart(
          bands.map(([label, users]) => ({
            label,
            segments: [{ series: label === NO_SIGN_IN ? "none" : "passed", value: users }],
          })),
          { id: "recency-chart", title },
        )}<figcaption>${title}.</figcaption></figure>`;
  const without = rows.filter((row) => row.LastSignIn === null);
  const withSignIn = rows.filter((row) => row.LastSignIn !== null);
  const note = data.usersListed
    ? ""
    : html`<p class="note">Users without any event are not in an audit file: they are missing here. <code>audit --output html</code> or <code>audit --output last-sign-in</code> lists every user of the pool.</p>`;
  return html`<section id="last-sign-in"><h2>Last successful sign-in</h2>${chart}${dataTable(bands, {
    id: "recency",
    caption: "Users by the time of their last successful sign-in",
    columns: [
      { header: "Last successful sign-in", cell: ([label]) => label },
      { header: "Users", cell: ([, users]) => formatCount(users), numeric: true },
    ],
  })}<h3>No successful sign-in in the period</h3>${note}${dataTable(without, {
    id: "no-sign-in",
    caption: `${countOf(without.length, "user")} without a successful sign-in`,
    limit: maxRows,
    more: COMPLETE_LISTS.signIns,
    scroll: true,
    empty: "Every user signed in successfully in the period.",
    columns: [
      { header: "User", cell: (row) => dataText(row.Username) },
      { header: "Events in the period", cell: (row) => formatCount(row.Events), numeric: true },
    ],
  })}<h3>Last successful sign-in per user</h3>${dataTable(withSignIn, {
    id: "last-sign-in-users",
    caption: "Last successful sign-in per user, from the longest ago",
    limit: maxRows,
    more: COMPLETE_LISTS.signIns,
    scroll: true,
    columns: [
      { header: "User", cell: (row) => dataText(row.Username) },
      { header: "Last successful sign-in", cell: (row) => formatTime(Date.parse(row.LastSignIn!)), nowrap: true },
      {
        header: "Days before the end",
        cell: (row) => formatCount(row.DaysBeforePeriodEnd ?? 0),
        numeric: true,
      },
      { header: "IP address", cell: (row) => dataText(row.IpAddress ?? "") },
      { header: "Place", cell: (row) => dataText(place(row)) },
      { header: "Device", cell: (row) => dataText(row.DeviceName ?? "") },
    ],
  })}</section>`;
}
