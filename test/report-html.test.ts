/**
 * The HTML report as text (src/report/render.ts, markup.ts): the policy that forbids every request and allows only
 * its own style sheet, escaping of everything from the data, invisible characters labelled, limits, determinism.
 * test/report-browser.test.ts opens it in Chromium.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../src/audit/audit.ts";
import { ReportAggregator } from "../src/report/aggregate.ts";
import { dataText, html, Markup, styleElement } from "../src/report/markup.ts";
import { renderHtmlReport } from "../src/report/render.ts";
import { timelineBuckets } from "../src/report/sections/timeline.ts";
import { HOSTILE } from "./fixtures/report/hostile.ts";

const GENERATED_AT = new Date("2025-01-02T03:04:05Z");

function records(): AuditRecord[] {
  const out: AuditRecord[] = [];
  const hostile = Object.values(HOSTILE);
  for (const [i, text] of hostile.entries()) {
    for (const response of ["Pass", "Fail"] as const) {
      out.push({
        user: { Username: text },
        event: {
          EventId: `${text}-${response}`,
          EventType: "SignIn",
          EventResponse: response,
          CreationDate: new Date(Date.UTC(2024, 11, 1 + i, 10)),
          EventRisk: { RiskDecision: response === "Fail" ? "Block" : "NoRisk", CompromisedCredentialsDetected: true },
          EventContextData: { IpAddress: text, City: text, Country: text, DeviceName: text },
        },
      });
    }
  }
  return out;
}

async function render(items: readonly AuditRecord[], options: Parameters<typeof renderHtmlReport>[1] = {}) {
  const aggregator = new ReportAggregator();
  for (const record of items) aggregator.add(record);
  return renderHtmlReport(aggregator.result(), { generatedAt: GENERATED_AT, ...options });
}

describe("the HTML report's policy", () => {
  it("declares, before any content, a Content-Security-Policy that forbids every request and allows its style sheet by hash", async () => {
    const page = await render(records());
    const head = page.slice(0, page.indexOf("<title>"));
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(head)?.[1]
      ?.replaceAll("&#39;", "'");
    expect(policy).toBeDefined();
    const directives = new Map(policy!.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives.get("default-src")).toBe("'none'");
    expect(directives.get("base-uri")).toBe("'none'");
    expect(directives.get("form-action")).toBe("'none'");
    const css = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(directives.get("style-src")).toBe(`'sha256-${createHash("sha256").update(css).digest("base64")}'`);
    expect([...directives.keys()].sort()).toEqual(["base-uri", "default-src", "form-action", "style-src"]);
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page).not.toMatch(/ style="|<script|<link|<img|<iframe|url\(|@import|https?:\/\//i);
  });

  it("writes every hostile text escaped, in tables and in chart labels", async () => {
    const page = await render(records());
    for (const raw of ["<script>alert", "<img src=x", "<img/src", "<svg onload", "</style><script>"])
      expect(page).not.toContain(raw);
    expect(page).toContain("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;");
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain("<bdi>javascript:alert(3)</bdi>");
    // Chart labels too: the addresses' bars.
    expect(page).toMatch(/<text class="label"[^>]*>&lt;svg onload=alert\(4\)&gt;<\/text>/);
  });

  it("shows invisible and bidi characters as labels, never as themselves", async () => {
    const page = await render(records());
    expect(page).not.toMatch(/[\u202E\u200B\u2067\u2069\uFEFF]/);
    expect(page).toContain('invoice<span class="cc">U+202E</span>gnp.exe');
    expect(page).toContain('<tspan class="cc">U+200B</tspan>');
  });

  it("is the same bytes for the same audit and options", async () => {
    expect(await render(records())).toBe(await render([...records()]));
  });

  it("renders an audit without events: only the users' chart, sentences instead of empty tables", async () => {
    const aggregator = new ReportAggregator();
    aggregator.userDone({ Username: "idle" });
    const page = await renderHtmlReport(aggregator.result(), { generatedAt: GENERATED_AT });
    expect(page.match(/<title id="[a-z-]+-title">/g)).toEqual(['<title id="recency-chart-title">']);
    expect(page).toContain("No dated events.");
    expect(page).toMatch(/<table id="no-sign-in">[\s\S]*idle/);
  });

  it("caps lists of users at maxRows and rankings at top, saying how many more and where to find them", async () => {
    const many: AuditRecord[] = Array.from({ length: 30 }, (_, i) => ({
      user: { Username: `user${String(i).padStart(2, "0")}` },
      event: {
        EventType: "SignIn",
        EventResponse: "Fail",
        CreationDate: new Date(Date.UTC(2024, 0, 1, i)),
        EventRisk: { CompromisedCredentialsDetected: true },
        EventContextData: { IpAddress: `192.0.2.${i}` },
      },
    }));
    const page = await render(many, { top: 5, maxRows: 12 });
    const tableRows = (id: string) =>
      new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(page)![1]!.split("<tr>").length - 2;
    expect(tableRows("top-ips")).toBe(5);
    expect(tableRows("compromised-users")).toBe(12);
    expect(page).toContain("… and 18 more. Every such event: cognito-auth-events audit --compromised --output csv.");
    await expect(render(many, { top: 0 })).rejects.toThrow(new TypeError("top must be a positive integer, got 0"));
  });
});

describe("markup", () => {
  it("escapes text, keeps markup built by html``, joins lists, drops nothing else", () => {
    const cell = html`<td>${"<b>&'\""}</td>`;
    expect(html`<tr>${[cell, 3, undefined, null, false]}</tr>`.toString()).toBe(
      "<tr><td>&lt;b&gt;&amp;&#39;&quot;</td>3</tr>",
    );
  });

  it("cannot be made from arbitrary text outside markup.ts", () => {
    expect(() => new Markup("<script>", Symbol("markup built by src/report/markup.ts"))).toThrow(TypeError);
  });

  it("labels invisible characters but keeps the zero width joiner of emoji sequences", () => {
    expect(dataText("a\u200Bb\u0007c\u2028").toString()).toBe(
      '<bdi>a<span class="cc">U+200B</span>b<span class="cc">U+0007</span>c<span class="cc">U+2028</span></bdi>',
    );
    expect(dataText("👩\u200D💻").toString()).toBe("<bdi>👩\u200D💻</bdi>");
  });

  it("lets a long run without spaces wrap (break opportunities), and nothing else", () => {
    const long = `${"x".repeat(20)}\u202E${"y".repeat(20)}`;
    expect(dataText(`192.0.2.1 ${long}`).toString()).toBe(
      `<bdi>192.0.2.1 ${"x".repeat(16)}<wbr>xxxx<span class="cc">U+202E</span>yyyyyyyyyyy<wbr>${"y".repeat(9)}</bdi>`,
    );
    expect(dataText("2001:db8:6bd8::5125 Safari — iPhone 15").toString()).not.toContain("<wbr>");
  });

  it("refuses a style sheet that would close its element", () => {
    expect(() => styleElement("a{}</STYLE><script>")).toThrow(TypeError);
  });
});

describe("the timeline's columns", () => {
  const hour = (iso: string, n = 1) => ({
    start: Date.parse(iso),
    counts: { NoRisk: n, AccountTakeover: 0, Block: 0, other: 0 },
    failed: 0,
  });

  it.each([
    ["hour", ["2024-05-01T10:00:00Z", "2024-05-02T09:00:00Z"], 24],
    ["day", ["2024-05-01T10:00:00Z", "2024-07-30T09:00:00Z"], 91],
    ["week", ["2023-01-02T10:00:00Z", "2024-07-30T09:00:00Z"], 83],
    ["month", ["2000-01-01T00:00:00Z", "2024-07-30T09:00:00Z"], 295],
  ])("per %s when that keeps the columns under 400, empty ones included", (unit, hours, columns) => {
    const { unit: chosen, buckets } = timelineBuckets(hours.map((h) => hour(h)));
    expect([chosen.name, buckets.length]).toEqual([unit, columns]);
    expect(buckets.reduce((n, b) => n + b.values.NoRisk, 0)).toBe(hours.length);
  });

  it("spans the audit's window, not only its events (its end is exclusive)", () => {
    const { unit, buckets } = timelineBuckets([hour("2024-05-10T10:00:00Z", 3)], {
      since: new Date("2024-05-01T00:00:00Z"),
      until: new Date("2024-06-01T00:00:00Z"),
    });
    expect([unit.name, buckets.length, buckets[9]!.values.NoRisk]).toEqual(["day", 31, 3]);
    expect(buckets.at(-1)!.start.toISOString()).toBe("2024-05-31T00:00:00.000Z");
  });
});
