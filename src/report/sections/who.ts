/**
 * Who: the users whose credentials were found compromised, the users with Block or AccountTakeover events, and the
 * users with the most failed sign-ins.
 */
import type { ReportUser } from "../data.ts";
import { dataText, html, type Markup } from "../markup.ts";
import { countOf, dataTable, formatCount, formatTime } from "../table.ts";
import { COMPLETE_LISTS, type SectionContext } from "./context.ts";

const byName = (a: ReportUser, b: ReportUser) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);
const userColumn = { header: "User", cell: (u: ReportUser) => dataText(u.username) };

/** The "who" section: compromised credentials, Block and AccountTakeover, the most failed sign-ins. */
export function whoSection({ data, top, maxRows }: SectionContext): Markup {
  const compromised = data.users.filter((u) => u.compromisedEvents > 0);
  const risky = data.users
    .filter((u) => u.blocks + u.takeovers > 0)
    .sort((a, b) => b.blocks + b.takeovers - (a.blocks + a.takeovers) || byName(a, b));
  const failing = data.users
    .filter((u) => u.failedSignIns > 0)
    .sort((a, b) => b.failedSignIns - a.failedSignIns || byName(a, b));
  return html`<section id="who"><h2>Who</h2><h3>Compromised credentials</h3>${dataTable(compromised, {
    id: "compromised-users",
    caption: `${countOf(compromised.length, "user")} whose credentials were found compromised`,
    limit: maxRows,
    more: COMPLETE_LISTS.compromised,
    scroll: true,
    columns: [
      userColumn,
      { header: "Events with compromised credentials", cell: (u) => formatCount(u.compromisedEvents), numeric: true },
      { header: "Latest", cell: (u) => formatTime(u.lastCompromised), nowrap: true },
    ],
  })}<h3>Block and AccountTakeover</h3>${dataTable(risky, {
    id: "risky-users",
    caption: `${countOf(risky.length, "user")} with Block or AccountTakeover events, most first`,
    limit: maxRows,
    more: COMPLETE_LISTS.risky,
    scroll: true,
    columns: [
      userColumn,
      { header: "Block", cell: (u) => formatCount(u.blocks), numeric: true },
      { header: "AccountTakeover", cell: (u) => formatCount(u.takeovers), numeric: true },
      { header: "Latest", cell: (u) => formatTime(u.lastRisky), nowrap: true },
    ],
  })}<h3>Most failed sign-ins</h3>${dataTable(failing, {
    id: "failing-users",
    caption: `The ${countOf(Math.min(top, failing.length), "user")} with the most failed sign-ins`,
    limit: top,
    columns: [
      userColumn,
      { header: "Failed sign-ins", cell: (u) => formatCount(u.failedSignIns), numeric: true },
      { header: "Sign-ins", cell: (u) => formatCount(u.signIns), numeric: true },
      { header: "Latest failure", cell: (u) => formatTime(u.lastFailedSignIn), nowrap: true },
    ],
  })}</section>`;
}
