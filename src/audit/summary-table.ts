/**
 * An audit summary report as a plain-text table for a person (what `audit --output summary` prints): each section's
 * rows aligned, counting East Asian wide characters as two columns, and every list cut by the report's `top` ending
 * with "and N more". Countries, addresses, usernames and the other labels come from whoever signed in: their control,
 * bidi and invisible characters are shown as `\u{XXXX}` (src/terminal-text.ts), never written raw.
 *
 * Web-standard globals only.
 */
import { displayWidth } from "../east-asian-width.ts";
import { terminalText } from "../terminal-text.ts";
import type { AuditSummaryList, AuditSummaryReport } from "./summary.ts";

type Row = readonly [label: string, count: number | undefined];

function pad(text: string, width: number, right = false): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

function percent(n: number, total: number): string {
  return total === 0 ? "" : `${((n / total) * 100).toFixed(1)}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One titled table: label, count and share of `total` (counts and shares only where given). */
function section(title: string, dataRows: readonly Row[], total: number | undefined): string[] {
  if (dataRows.length === 0) return [title, "  (none)"];
  const rows = dataRows.map(([label, n]): Row => [terminalText(label), n]);
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label)));
  const countWidth = Math.max(...rows.map(([, n]) => String(n ?? "").length));
  return [
    title,
    ...rows.map(([label, n]) => {
      if (n === undefined) return `  ${label}`;
      const share = total === undefined ? "" : `  ${pad(percent(n, total), 6, true)}`;
      return `  ${pad(label, labelWidth)}  ${pad(String(n), countWidth, true)}${share}`;
    }),
  ];
}

/** The "and N more" row of a list `top` cut, with the events those entries hold when the list is a count table. */
function moreRow(report: AuditSummaryReport, list: AuditSummaryList, shown?: Record<string, number>): Row[] {
  const more = report.more?.[list];
  if (more === undefined) return [];
  if (shown === undefined) return [[`and ${more} more`, undefined]];
  const counted = Object.values(shown).reduce((a, b) => a + b, 0);
  return [[`and ${more} more`, report.events - counted]];
}

/**
 * The report as a readable plain-text table.
 * @example console.log(formatSummaryTable(summary.toJSON({ top: 5 })))
 */
export function formatSummaryTable(report: AuditSummaryReport): string {
  const lines: string[] = [];
  lines.push(`Users audited: ${report.users.audited} (${report.users.withEvents} with events)`);
  lines.push(`Events: ${report.events}`);
  if (report.window) lines.push(`Window: ${report.window.since ?? "(start)"} .. ${report.window.until ?? "(now)"}`);
  if (report.oldestEvent) lines.push(`Oldest event: ${report.oldestEvent}`);
  if (report.newestEvent) lines.push(`Newest event: ${report.newestEvent}`);
  const tables: Array<[string, AuditSummaryList, Record<string, number>]> = [
    ["By event type", "byEventType", report.byEventType],
    ["By response", "byResponse", report.byResponse],
    ["By risk level", "byRiskLevel", report.byRiskLevel],
    ["By risk decision", "byRiskDecision", report.byRiskDecision],
    ["By country", "byCountry", report.byCountry],
  ];
  for (const [title, list, table] of tables) {
    const rows = [...Object.entries(table), ...moreRow(report, list, table)];
    lines.push("", ...section(title, rows, report.events));
  }
  const compromised = report.compromisedCredentials;
  const users = compromised.users.length + (report.more?.compromisedUsers ?? 0);
  lines.push("", `Compromised credentials: ${plural(compromised.events, "event")}, ${plural(users, "user")}`);
  for (const user of compromised.users) lines.push(`  ${terminalText(user)}`);
  for (const [label] of moreRow(report, "compromisedUsers")) lines.push(`  ${label}`);
  const ips: Row[] = [
    ...report.topFailedSignInIps.map(({ ip, failedSignIns }): Row => [ip, failedSignIns]),
    ...moreRow(report, "failedSignInIps"),
  ];
  lines.push("", ...section("Top IP addresses by failed sign-ins", ips, undefined));
  if (report.failedSignInsWithoutIp !== undefined)
    lines.push(`  (${plural(report.failedSignInsWithoutIp, "failed sign-in")} without an IP address)`);
  return `${lines.join("\n")}\n`;
}
