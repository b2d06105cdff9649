/** The HTML report benchmark's section of bench/RESULTS.md, and its targets. */
import type { HtmlReportBench } from "./run.ts";

const MiB = 2 ** 20;

function median(values: readonly number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const spread = (values: readonly number[], digits: number) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

/** Markdown lines, and the targets with the figure measured against each. */
export function formatHtmlReportSection(r: HtmlReportBench): {
  lines: string[];
  targets: Array<{ name: string; figure: string; met: boolean }>;
} {
  const lines = [
    "## HTML report",
    "",
    `\`report --input\` on an audit file of ${int(r.events)} events over ${int(r.users)} users ` +
      `(${(r.inputBytes / MiB).toFixed(1)} MiB of NDJSON), in a plain \`node\` process; then the report opened in ` +
      `headless Chromium (${r.chromium ?? "not found: not measured"}), each time in a fresh browser context. ` +
      "Medians with min–max.",
    "",
    "| measure | figure |",
    "| --- | --: |",
    `| report file | ${(r.htmlBytes / MiB).toFixed(2)} MiB (${int(r.htmlBytes)} B; gzip ${int(r.htmlGzipBytes)} B) |`,
    `| render: read, count, draw, write (ms, ${r.render.length} run${r.render.length === 1 ? "" : "s"}) | ${spread(
      r.render.map((x) => x.ms),
      0,
    )} |`,
    `| render: peak RSS (MiB) | ${spread(
      r.render.map((x) => x.peakRssBytes / MiB),
      1,
    )} |`,
  ];
  const targets = [
    {
      name: "HTML report of 100,000 events: a few MB at most (≤ 5 MiB)",
      figure: `${(r.htmlBytes / MiB).toFixed(2)} MiB`,
      met: r.htmlBytes <= 5 * MiB,
    },
  ];
  if (r.open) {
    const wall = r.open.map((x) => x.wallMs);
    lines.push(
      `| open: navigation to load event, as the driver sees it (ms, ${r.open.length} run${r.open.length === 1 ? "" : "s"}) | ${spread(wall, 0)} |`,
      `| open: load event, the page's own clock (ms) | ${spread(
        r.open.map((x) => x.loadEventMs),
        0,
      )} |`,
      `| open: first contentful paint (ms) | ${spread(
        r.open.map((x) => x.firstContentfulPaintMs),
        0,
      )} |`,
    );
    targets.push({
      name: "HTML report of 100,000 events opens in under 2 s",
      figure: `${int(median(wall))} ms (slowest ${int(Math.max(...wall))} ms)`,
      met: median(wall) < 2000,
    });
  }
  lines.push("");
  return { lines, targets };
}
