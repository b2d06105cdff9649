/**
 * The HTML report at scale: 100,000 events over 2,000 users (bench/audit/data.ts's pool, as `audit --output ndjson`
 * writes it), rendered by `report --input` in a plain `node` process (wall time, peak RSS), then opened in headless
 * Chromium (the machine's own, driven by playwright-core): time from navigation to the load event, first contentful
 * paint, and the file's size.
 *
 * A phase of `npm run bench` (bench/run.ts), or alone: `npx tsx bench/html-report/run.ts [--quick] [--json]`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { findChromium, launchChromium } from "../../scripts/chromium.ts";
import { buildAuditData } from "../audit/data.ts";
import type { RenderReply } from "./render-worker.ts";

export const USERS = 2_000;
export const EVENTS = 100_000;

/** What the phase measured. */
export interface HtmlReportBench {
  users: number;
  events: number;
  inputBytes: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  render: RenderReply[];
  /** Per opening, in a fresh browser context: milliseconds. `undefined` when there is no Chromium. */
  open?: Array<{ wallMs: number; loadEventMs: number; firstContentfulPaintMs: number }>;
  /** The browser's name and version. */
  chromium?: string;
}

/**
 * {@link EVENTS} events over {@link USERS} users, one audit record per line (dates in ISO 8601, as the audit writes
 * them): the audit benchmark's pool (users without events left out, as an audit file has none), each user's newest
 * events kept in proportion to how many it has.
 */
function writeAuditFile(path: string): { users: number; events: number } {
  const pool = buildAuditData({ users: USERS + 100, maxEvents: 150, seed: 5 })
    .pools[0]!.users!.filter((user) => (user.events?.length ?? 0) > 0)
    .slice(0, USERS);
  const total = pool.reduce((n, user) => n + user.events!.length, 0);
  const iso = (seconds: unknown) => new Date(Math.round(Number(seconds) * 1000)).toISOString();
  let owed = EVENTS;
  const lines: string[] = [];
  const users = new Set<string>();
  for (const [i, user] of pool.entries()) {
    const events = user.events!;
    const share = i === pool.length - 1 ? owed : Math.round((events.length * EVENTS) / total);
    const keep = Math.max(1, Math.min(owed, share, events.length));
    owed -= keep;
    for (const event of events.slice(0, keep)) {
      users.add(user.username);
      lines.push(
        JSON.stringify({
          user: { Username: user.username },
          event: { ...event, CreationDate: iso(event.CreationDate) },
        }),
      );
    }
  }
  if (lines.length !== EVENTS || users.size !== USERS)
    throw new Error(`the audit file has ${lines.length} events over ${users.size} users`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { users: users.size, events: lines.length };
}

async function buildWorker(outDir: string): Promise<string> {
  const outfile = join(outDir, "render-worker.mjs");
  await build({
    entryPoints: [join(import.meta.dirname, "render-worker.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  return outfile;
}

async function openInChromium(
  file: string,
  runs: number,
): Promise<{ chromium: string; open: NonNullable<HtmlReportBench["open"]> }> {
  const browser = await launchChromium();
  try {
    const out: NonNullable<HtmlReportBench["open"]> = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const wallMs = performance.now() - started;
      const timing = await page.evaluate(() => {
        const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return { loadEventMs: navigation.loadEventEnd, firstContentfulPaintMs: paint?.startTime ?? Number.NaN };
      });
      out.push({ wallMs, ...timing });
      await context.close();
    }
    return { chromium: `Chromium ${browser.version()}`, open: out };
  } finally {
    await browser.close();
  }
}

/** Runs the phase. `workDir`: where the bundle goes (inside the repository, so packages resolve). */
export async function htmlReportPhase(options: { quick: boolean; workDir: string }): Promise<HtmlReportBench> {
  mkdirSync(options.workDir, { recursive: true });
  const worker = await buildWorker(options.workDir);
  const dir = mkdtempSync(join(tmpdir(), "cae-bench-report-"));
  try {
    const input = join(dir, "audit.ndjson");
    const output = join(dir, "report.html");
    const { users, events } = writeAuditFile(input);
    const render: RenderReply[] = [];
    for (let i = 0; i < (options.quick ? 1 : 3); i++) {
      const child = spawnSync(process.execPath, [worker, input, output], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`render worker failed: ${child.stderr}`);
      const reply = JSON.parse(child.stdout) as RenderReply;
      if (reply.exitCode !== 0) throw new Error(`report exited ${reply.exitCode}: ${reply.stderr}`);
      render.push(reply);
    }
    const html = readFileSync(output);
    const result: HtmlReportBench = {
      users,
      events,
      inputBytes: statSync(input).size,
      htmlBytes: html.byteLength,
      htmlGzipBytes: gzipSync(html).byteLength,
      render,
    };
    if (findChromium() !== undefined) Object.assign(result, await openInChromium(output, options.quick ? 2 : 5));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const argv = new Set(process.argv.slice(2));
  const workDir = join(import.meta.dirname, "..", ".cache", "html-report");
  const result = await htmlReportPhase({ quick: argv.has("--quick"), workDir });
  rmSync(workDir, { recursive: true, force: true });
  if (argv.has("--json")) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const { formatHtmlReportSection } = await import("./format.ts");
    process.stdout.write(`${formatHtmlReportSection(result).lines.join("\n")}\n`);
  }
}
