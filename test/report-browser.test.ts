/**
 * The HTML report in a real browser (headless Chromium: the machine's own, driven by playwright-core): made by
 * `audit --output html` and by `report --input` from the emulator's seeded pool with hostile users and events added,
 * it opens with no console error, attempts no request, runs nothing, draws every chart, shows the hostile text as
 * text, and shows the figures `audit --output summary-json` prints for the same audit. A screenshot is kept in
 * test-artifacts/ (git-ignored).
 *
 * In CI (CI=true) a missing browser fails the test; elsewhere the test is skipped with the reason.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditSummaryReport } from "../src/audit/summary.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { type RunningEmulator, startEmulator } from "../src/emulator/index.ts";
import { findChromium, launchChromium, NO_CHROMIUM } from "../scripts/chromium.ts";
import { NO_FILES, emulatorEnv } from "./fixtures/cli/env.ts";
import { HOSTILE, HOSTILE_USERNAMES, INVISIBLE_LABELS, addHostileData } from "./fixtures/report/hostile.ts";

const POOL = "us-east-1_demoPlus";
const ARTIFACTS = join(import.meta.dirname, "..", "test-artifacts");
const inCi = process.env["CI"] === "true" || process.env["CI"] === "1";
const chromiumMissing = findChromium() === undefined;

/** How the report shows text from the data: invisible characters as their `U+XXXX` labels. */
const shown = (text: string) =>
  text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) =>
    c === "\u200D" ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
  );
const number = (text: string) => {
  const value = Number(text.replace(/,/g, "").trim());
  if (!Number.isFinite(value)) throw new Error(`not a figure on the page: ${JSON.stringify(text)}`);
  return value;
};

let emulator: RunningEmulator;
let dir: string;
let browser: Browser;
let summary: AuditSummaryReport;

async function cli(args: string[]): Promise<string> {
  const io = memoryIO({ env: emulatorEnv(dir, NO_FILES), cwd: dir });
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`cognito-auth-events ${args.join(" ")}: exit ${code}\n${io.err()}`);
  return io.out();
}

beforeAll(async () => {
  if (chromiumMissing && inCi) throw new Error(`the browser test needs Chromium in CI: ${NO_CHROMIUM}`);
  if (chromiumMissing) return;
  dir = await mkdtemp(join(tmpdir(), "cae-report-browser-"));
  emulator = await startEmulator({ seed: 7, users: 16, events: 60 });
  addHostileData(emulator.core, POOL);
  const audit = ["audit", "--endpoint-url", emulator.url, "--user-pool-id", POOL, "--max-rps", "2000"];
  // Every list whole (--top cuts each list of the summary; the report lists them all).
  summary = JSON.parse(await cli([...audit, "--output", "summary-json", "--top", "100000"])) as AuditSummaryReport;
  await cli([...audit, "--output", "html", "--output-file", "audit.html"]);
  await cli([...audit, "--output", "ndjson", "--output-file", "audit.ndjson"]);
  await cli(["report", "--input", "audit.ndjson", "--output", "file.html"]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  url: string;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const opened: Opened = {
    page,
    url: pathToFileURL(join(dir, file)).href,
    requests: [],
    consoleErrors: [],
    dialogs: [],
  };
  page.on("request", (request) => opened.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") opened.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => opened.consoleErrors.push(error.message));
  page.on("dialog", (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(opened.url, { waitUntil: "load" });
  return opened;
}

/** A table's rows as text cells. */
function rows(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`table#${id} tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
}

async function counts(page: Page, id: string): Promise<Record<string, number>> {
  return Object.fromEntries((await rows(page, id)).map(([label, count]) => [label!, number(count!)]));
}

async function figures(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(
    await page.$$eval("[data-figure]", (elements) =>
      elements.map((e) => [e.getAttribute("data-figure")!, e.textContent.trim()]),
    ),
  );
}

/** What both reports must do, however they were made. */
async function checkSafeAndDrawn(opened: Opened): Promise<void> {
  const { page } = opened;
  expect(opened.requests, "requests the page attempted").toEqual([opened.url]);
  expect(opened.consoleErrors).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  const active = await page.evaluate(() => ({
    elements: document.querySelectorAll("script, img, iframe, object, embed, link, base, form, input, style ~ style")
      .length,
    handlers: [...document.querySelectorAll("*")].flatMap((e) =>
      [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.tagName} ${a.name}`),
    ),
    links: [...document.querySelectorAll("[href]")]
      .map((e) => e.getAttribute("href")!)
      .filter((h) => !h.startsWith("#")),
  }));
  expect(active).toEqual({ elements: 0, handlers: [], links: [] });

  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is what a reader sees
  const text = await page.evaluate(() => document.body.innerText);
  for (const value of [HOSTILE.scriptTag, HOSTILE.imgAttribute, HOSTILE.imgUsername, HOSTILE.javascriptUrl])
    expect(text).toContain(value);
  expect(text).toContain(HOSTILE.svgOnload);
  expect(text).toContain(shown(HOSTILE.styleBreakout));
  for (const label of INVISIBLE_LABELS) expect(text).toContain(label);
  // The invisible characters themselves never reach the page's text: only their labels do.
  expect(text).not.toMatch(/[\u202E\u200B\u2067\u2069\uFEFF]/);

  // Every chart draws something, and its numbers are in the table named next to it.
  const charts = await page.$$eval("svg.chart", (svgs) =>
    svgs.map((svg) => ({
      id: svg.querySelector("title")?.id ?? "",
      drawn: [...svg.querySelectorAll("rect, path")].filter((shape) => {
        const box = (shape as SVGGraphicsElement).getBBox();
        return box.width > 0 && (box.height > 0 || shape.tagName === "path");
      }).length,
    })),
  );
  expect(charts.map((c) => c.id).sort()).toEqual(
    ["countries-chart", "feedback-chart", "ips-chart", "recency-chart", "timeline-chart"].map((id) => `${id}-title`),
  );
  for (const chart of charts) expect(chart.drawn, chart.id).toBeGreaterThan(0);
  for (const table of ["timeline", "by-country", "top-ips", "recency", "feedback-counts"])
    expect(await page.$$(`table#${table}`), table).toHaveLength(1);
  const countryBars = await page.$$eval("#countries-chart-title ~ g text.value", (t) => t.map((e) => e.textContent!));
  const countryRows = await rows(page, "by-country");
  expect(countryBars).toEqual(countryRows.slice(0, countryBars.length).map((row) => row[1]));
}

/** The figures `audit --output summary-json` printed, on the page. */
async function checkSummaryFigures(page: Page, options: { usersListed: boolean }): Promise<void> {
  const shownKeys = (table: Record<string, number>) =>
    Object.fromEntries(Object.entries(table).map(([key, n]) => [shown(key), n]));
  const figure = await figures(page);
  expect(number(figure["events"]!)).toBe(summary.events);
  expect(number(figure["users-with-events"]!)).toBe(summary.users.withEvents);
  if (options.usersListed) expect(number(figure["users-audited"]!)).toBe(summary.users.audited);
  else expect(figure["users-audited"]).toBeUndefined();
  expect(number(figure["compromised-users"]!)).toBe(summary.compromisedCredentials.users.length);
  expect(number(figure["compromised-events"]!)).toBe(summary.compromisedCredentials.events);
  expect(number(figure["risky-events"]!)).toBe(
    (summary.byRiskDecision["Block"] ?? 0) + (summary.byRiskDecision["AccountTakeover"] ?? 0),
  );
  expect(figure["period-end"]).toBe(`${summary.newestEvent!.slice(0, 16).replace("T", " ")} UTC`);
  expect(await counts(page, "by-event-type")).toEqual(shownKeys(summary.byEventType));
  expect(await counts(page, "by-response")).toEqual(shownKeys(summary.byResponse));
  expect(await counts(page, "by-risk-level")).toEqual(shownKeys(summary.byRiskLevel));
  expect(await counts(page, "by-risk-decision")).toEqual(shownKeys(summary.byRiskDecision));
  const countries = Object.fromEntries((await rows(page, "by-country")).map(([c, events]) => [c!, number(events!)]));
  expect(countries).toEqual(shownKeys(summary.byCountry));
  const compromised = (await rows(page, "compromised-users")).map(([user]) => user);
  expect(compromised.sort()).toEqual(summary.compromisedCredentials.users.map(shown).sort());
  // The report ranks its top addresses (10 by default) among the summary's whole list.
  const ips = (await rows(page, "top-ips")).map(([ip, failed]) => ({ ip, failedSignIns: number(failed!) }));
  const expected = summary.topFailedSignInIps.map((r) => ({ ...r, ip: shown(r.ip) }));
  expect(ips).toHaveLength(Math.min(10, expected.length));
  expect(ips).toEqual(expected.slice(0, ips.length));
  expect(ips.slice(0, 2).map((row) => row.ip)).toEqual([HOSTILE.javascriptUrl, HOSTILE.svgOnload]);
}

// A browser on a machine shared with other test runs may take seconds to lay out a page: room enough, no timing claim.
describe.skipIf(chromiumMissing && !inCi)(
  `the HTML report in Chromium${chromiumMissing ? ` (${NO_CHROMIUM})` : ""}`,
  { timeout: 60_000 },
  () => {
    it("audit --output html: no request, no console error, nothing runs, every chart drawn, hostile text shown as text", async () => {
      const opened = await open("audit.html");
      try {
        await checkSafeAndDrawn(opened);
        await mkdir(ARTIFACTS, { recursive: true });
        await opened.page.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
      } finally {
        await opened.page.close();
      }
    });

    it("audit --output html shows the figures audit --output summary-json prints for the same audit", async () => {
      const opened = await open("audit.html");
      try {
        await checkSummaryFigures(opened.page, { usersListed: true });
        expect(summary.compromisedCredentials.users).toEqual(expect.arrayContaining([...HOSTILE_USERNAMES]));
      } finally {
        await opened.page.close();
      }
    });

    it("report --input audit.ndjson: the same report, safe, with the same figures (users: those with events)", async () => {
      const opened = await open("file.html");
      try {
        await checkSafeAndDrawn(opened);
        await checkSummaryFigures(opened.page, { usersListed: false });
      } finally {
        await opened.page.close();
      }
    });
  },
);
