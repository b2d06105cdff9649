/**
 * The HTML report: one self-contained file (inline CSS, inline SVG charts, no script) whose Content-Security-Policy
 * forbids every request, so it opens offline, from an e-mail attachment or a ticket, and cannot call anywhere even if
 * the data tried to.
 *
 * Web-standard globals only (the style sheet's hash uses `crypto.subtle`).
 */
import type { ReportData } from "./data.ts";
import { html, type Markup, styleElement } from "./markup.ts";
import type { SectionContext } from "./sections/context.ts";
import { feedbackSection } from "./sections/feedback.ts";
import { lastSignInSection } from "./sections/last-sign-in.ts";
import { overviewSection } from "./sections/overview.ts";
import { timelineSection } from "./sections/timeline.ts";
import { whereSection } from "./sections/where.ts";
import { whoSection } from "./sections/who.ts";
import { REPORT_CSS } from "./style.ts";
import { formatTime } from "./table.ts";

/** The default {@link HtmlReportOptions.title}. */
export const DEFAULT_TITLE = "Cognito auth-event report";

/**
 * Options of {@link renderHtmlReport}.
 * @example { title: "Auth events of eu-west-1_AbCdEf123", generatedAt: new Date(), top: 20 }
 */
export interface HtmlReportOptions {
  /** The report's title. @default "Cognito auth-event report" */
  title?: string;
  /** A line under the title: the pool, the audit file. @example "User pool eu-west-1_AbCdEf123" */
  subtitle?: string;
  /** When the report was made, shown in its header. @default now */
  generatedAt?: Date;
  /** What made it, shown in its footer. @default "cognito-auth-events" */
  generator?: string;
  /**
   * Rows of each ranking: IP addresses, cities, users with the most failed sign-ins.
   * @default 10
   */
  top?: number;
  /**
   * Rows of each list of users (compromised, Block or AccountTakeover, last sign-in, waiting for feedback); the
   * rest are counted, with the command that lists them all.
   * @default 1000
   */
  maxRows?: number;
}

const SECTIONS: ReadonlyArray<[id: string, name: string, render: (context: SectionContext) => Markup]> = [
  ["overview", "Overview", overviewSection],
  ["timeline", "Timeline", timelineSection],
  ["where", "Where", whereSection],
  ["who", "Who", whoSection],
  ["last-sign-in", "Last sign-in", lastSignInSection],
  ["feedback", "Feedback", feedbackSection],
];

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The Content-Security-Policy of the report: nothing may be fetched, framed, submitted or run; only its own style
 * sheet (by hash) applies. `default-src 'none'` covers scripts, images, fonts, connections and frames;
 * `base-uri` and `form-action` are not covered by it and are closed too.
 */
export async function reportPolicy(css: string = REPORT_CSS): Promise<string> {
  return `default-src 'none'; style-src 'sha256-${await sha256Base64(css)}'; base-uri 'none'; form-action 'none'`;
}

/**
 * Renders the report as one HTML document.
 * @example
 * const html = await renderHtmlReport(aggregator.result(), { subtitle: "User pool eu-west-1_AbCdEf123" });
 */
export async function renderHtmlReport(data: ReportData, options: HtmlReportOptions = {}): Promise<string> {
  const context: SectionContext = {
    data,
    top: positiveInteger(options.top, "top", 10),
    maxRows: positiveInteger(options.maxRows, "maxRows", 1000),
  };
  const title = options.title ?? DEFAULT_TITLE;
  const generatedAt = options.generatedAt ?? new Date();
  const generator = options.generator ?? "cognito-auth-events";
  const policy = await reportPolicy();
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${generator}">
<title>${title}</title>
${styleElement(REPORT_CSS)}
</head><body><header><h1>${title}</h1>${
    options.subtitle === undefined ? "" : html`<p>${options.subtitle}</p>`
  }<p>Made ${formatTime(generatedAt)}. All times are UTC.</p><nav aria-label="Sections"><ul>${SECTIONS.map(
    ([id, name]) => html`<li><a href="#${id}">${name}</a></li>`,
  )}</ul></nav></header><main>
${SECTIONS.map(([, , render]) => html`${render(context)}\n`)}</main>
<footer><p>Made by ${generator}. This file is self-contained: it loads nothing and sends nothing (its Content-Security-Policy forbids every request).</p></footer>
</body></html>
`;
  return page.toString();
}
