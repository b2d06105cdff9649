/** Turns the measurements of bench/run.ts into the markdown report (stdout and bench/RESULTS.md). */
import { CONTENDERS, type ContenderId } from "./contenders.ts";
import { formatHtmlReportSection } from "./html-report/format.ts";
import type { HtmlReportBench } from "./html-report/run.ts";
import type { ServerReady, ServerStats } from "./server.ts";
import type { MemoryReply, ThroughputReply } from "./workers/protocol.ts";

/** One edge bundle. */
export interface BundleResult {
  raw: number;
  gzip: number;
  /** Node built-ins the bundle imports (left external). */
  builtins: string[];
}

/** Everything measured in one run. */
export interface Report {
  startedAt: string;
  totalSeconds: number;
  quick: boolean;
  settings: {
    coldRuns: number;
    throughputRounds: number;
    memoryRuns: number;
    memoryListings: number;
    throughputWarmups: number;
    budgetSeconds: number;
    eventsPerUser: number;
    signingRounds: number;
    signingMs: number;
  };
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    loadBefore: number[];
    loadAfter: number[];
  };
  versions: Record<string, string>;
  server: Omit<ServerReady, "type"> & Omit<ServerStats, "type">;
  phases: Record<string, { seconds: number; load: number }>;
  bundles: Record<string, BundleResult>;
  cold: Record<string, { ms: number[]; cpuMs: number[]; wallMs: number[] }>;
  throughput: Record<ContenderId, Array<Extract<ThroughputReply, { type: "run" }>>>;
  memory: Record<ContenderId, MemoryReply[]>;
  signing: Record<string, number[]>;
  /** The HTML report at scale (bench/html-report/). */
  htmlReport?: HtmlReportBench;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fixed = (value: number, digits: number): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** `median (min–max)`, or just the value when there is one. */
function spread(values: readonly number[], digits: number): string {
  const m = fixed(median(values), digits);
  if (values.length < 2) return m;
  return `${m} (${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)})`;
}
const signed = (value: number, digits: number, unit = ""): string =>
  `${value >= 0 ? "+" : "−"}${fixed(Math.abs(value), digits)}${unit}`;
const ratio = (value: number): string => `${fixed(value, 2)}×`;
const percent = (value: number): string => `${fixed(value * 100, 0)} %`;
const MiB = 2 ** 20;

const LABELS: Record<string, string> = {
  ...Object.fromEntries(CONTENDERS.map((c) => [c.id, c.label])),
  "sdk-bundled": "@aws-sdk/client-cognito-identity-provider, bundled into one file by esbuild",
};
const SIGNER_LABELS: Record<string, string> = {
  ours: "cognito-auth-events `SigV4Signer`, as its client signs (node:crypto on Node; WebCrypto at the edge)",
  "smithy-node": "@smithy/signature-v4 + Sha256 (node:crypto), as the SDK on Node",
  "smithy-webcrypto": "@smithy/signature-v4 + Sha256WebCrypto, as the SDK at the edge",
  aws4fetch: "aws4fetch AwsV4Signer (WebCrypto)",
};
const label = (id: string): string => LABELS[id] ?? id;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

interface Target {
  name: string;
  figure: string;
  met: boolean;
}

export function formatReport(r: Report): string {
  const out: string[] = [];
  const targets: Target[] = [];
  const m = r.machine;

  out.push("# Benchmarks");
  out.push("");
  if (r.quick) out.push("**Quick run (`--quick`): too few repetitions to quote.**\n");
  out.push(`Run ${r.startedAt} by \`npm run bench\` in ${fixed(r.totalSeconds, 0)} s.`);
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${fixed(m.memoryGiB, 1)} GiB, ${m.os}; Node ${m.node}. ` +
      `Load average (1/5/15 min) ${m.loadBefore.map((x) => fixed(x, 2)).join("/")} before, ${m.loadAfter.map((x) => fixed(x, 2)).join("/")} after: ` +
      "other processes share this machine, so treat small differences as noise and read the min–max ranges.",
  );
  const busiest = Math.max(m.loadBefore[0] ?? 0, m.loadAfter[0] ?? 0, ...Object.values(r.phases).map((p) => p.load));
  // The benchmark itself keeps about two processes busy (the server and one client): more than that is someone else.
  if (busiest > m.cores + 1) {
    out.push(
      `\n**This run shared the machine with other work (1-minute load average up to ${fixed(busiest, 1)} on ${m.cores} cores; the benchmark alone makes about 2).** ` +
        "Wall-time figures (pages/s, cold-start ms) then mostly measure waits for a CPU, which weigh most on the clients that " +
        "need more CPU time and more wake-ups per request (on Node each WebCrypto call is a job on libuv's thread pool). " +
        "The CPU-time figures (CPU ms/page, cold-start CPU ms) are the ones to trust; re-run on an idle machine for wall times.\n",
    );
  }
  out.push(
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  );
  out.push("");
  out.push(
    "How: every measured process is plain `node` running an esbuild bundle of one client (npm packages loaded from " +
      "node_modules). The server is the emulator's core in its own process, on 127.0.0.1, with signature checks off so " +
      "the unsigned floors are served exactly like the clients (the signed clients are first checked against an emulator " +
      "that verifies signatures). Because the core costs " +
      `${fixed(r.server.corePageMs, 2)} ms per 60-event page, more than the clients, it sits behind a replay cache filled at ` +
      `start-up (${fmtInt(r.server.pages)} pages); cache misses during the run: ${fmtInt(r.server.misses)}. ` +
      "Rounds are interleaved in a rotating order; figures are medians with min–max. " +
      "The floors do no signing, retries, validation or date parsing: they bound what any client can reach.",
  );
  out.push("");

  // ---- edge bundle
  const b = r.bundles;
  const sdkGzip = b.sdk?.gzip ?? Number.NaN;
  out.push("## Edge bundle");
  out.push("");
  out.push(
    "A Worker (`export default { fetch }`) that lists all of a user's events; esbuild, platform browser, ESM, minified; gzip at zlib's default level.",
  );
  out.push("");
  out.push(
    table(
      ["client", "bytes", "gzip bytes", "gzip vs SDK", "Node built-ins"],
      Object.entries(b).map(([id, x]) => [
        label(id),
        fmtInt(x.raw),
        fmtInt(x.gzip),
        id === "sdk" ? "1" : `1/${fixed(sdkGzip / x.gzip, 1)}`,
        x.builtins.length ? x.builtins.join(", ") : "none",
      ]),
    ),
  );
  out.push("");
  // The edge targets are the edge entry's (cognito-auth-events/lite); the default entry's figure is in the table.
  const edge = b.lite ?? b.ours;
  const edgeName = b.lite ? "cognito-auth-events/lite" : "default entry";
  if (edge && b.sdk) {
    targets.push({
      name: `edge bundle gzip ≤ 1/15 of the SDK's (${edgeName})`,
      figure: `${fmtInt(edge.gzip)} B = 1/${fixed(sdkGzip / edge.gzip, 1)} of ${fmtInt(sdkGzip)} B`,
      met: edge.gzip * 15 <= sdkGzip,
    });
  }
  if (edge && b.aws4fetch) {
    targets.push({
      name: `edge bundle gzip ≤ aws4fetch + its loop (${edgeName})`,
      figure: `${fmtInt(edge.gzip)} B vs ${fmtInt(b.aws4fetch.gzip)} B (${signed(edge.gzip - b.aws4fetch.gzip, 0, " B")})`,
      met: edge.gzip <= b.aws4fetch.gzip,
    });
  }
  for (const id of ["ours", "lite"]) {
    const x = b[id];
    if (x)
      targets.push({
        name: `edge bundle: no Node built-in (${label(id)})`,
        figure: x.builtins.join(", ") || "none",
        met: x.builtins.length === 0,
      });
  }

  // ---- cold start
  const c = r.cold;
  const coldMedian = (id: string): number => median(c[id]?.ms ?? []);
  const floorFetch = coldMedian("floor-fetch");
  const floorHttp = coldMedian("floor-http");
  const sdkOverhead = coldMedian("sdk") - floorFetch;
  out.push("## Cold start");
  out.push("");
  out.push(
    `A fresh \`node\` process imports the client, builds it and completes one request (the first page of 60 events); ` +
      `time from process start (\`performance.timeOrigin\`) to the parsed response, the process's CPU time until then (all threads; ` +
      `less sensitive to other load), and wall time from spawn to exit as the parent sees it. ${r.settings.coldRuns} runs each.`,
  );
  out.push("");
  const coldOrder = [
    "floor-http",
    "floor-fetch",
    "transport-loop",
    "ours",
    "lite",
    "ours-node",
    "aws4fetch",
    "sdk",
    "sdk-bundled",
  ].filter((id) => c[id]);
  out.push(
    table(
      [
        "client",
        "ms to response",
        "CPU ms to response",
        "ms spawn to exit",
        "over raw fetch floor",
        "over node:http floor",
      ],
      coldOrder.map((id) => {
        const x = c[id]!;
        return [
          label(id),
          spread(x.ms, 1),
          spread(x.cpuMs, 1),
          spread(x.wallMs, 1),
          signed(median(x.ms) - floorFetch, 1, " ms"),
          signed(median(x.ms) - floorHttp, 1, " ms"),
        ];
      }),
    ),
  );
  out.push("");
  if (c.ours && c.sdk) {
    const ours = coldMedian("ours") - floorFetch;
    targets.push({
      name: "cold start overhead over the raw-fetch floor ≤ 1/5 of the SDK's",
      figure: `${signed(ours, 1, " ms")} vs the SDK's ${signed(sdkOverhead, 1, " ms")} (${sdkOverhead > 0 ? fixed(ours / sdkOverhead, 2) : "n/a"} of it)`,
      met: ours <= sdkOverhead / 5,
    });
    const cpu = (id: string): number => median(c[id]?.cpuMs ?? []);
    const oursCpu = cpu("ours") - cpu("floor-fetch");
    const sdkCpu = cpu("sdk") - cpu("floor-fetch");
    targets.push({
      name: "the same in CPU time",
      figure: `${signed(oursCpu, 1, " ms")} vs the SDK's ${signed(sdkCpu, 1, " ms")} (${sdkCpu > 0 ? fixed(oursCpu / sdkCpu, 2) : "n/a"} of it)`,
      met: oursCpu <= sdkCpu / 5,
    });
  }

  // ---- throughput
  const t = r.throughput;
  const pagesPerSecond = (id: ContenderId): number[] => (t[id] ?? []).map((x) => (x.pages * 1000) / x.wallMs);
  const cpuPerPage = (id: ContenderId): number[] => (t[id] ?? []).map((x) => x.cpuMs / x.pages);
  const pps = (id: ContenderId): number => median(pagesPerSecond(id));
  const cpp = (id: ContenderId): number => median(cpuPerPage(id));
  const throughputRuns = Math.min(...CONTENDERS.map((x) => (t[x.id] ?? []).length));
  out.push("## Throughput");
  out.push("");
  out.push(
    `One user's ${fmtInt(r.settings.eventsPerUser)} events: ${fmtInt(r.settings.eventsPerUser / 60)} pages of 60, one request at a time (each page needs the previous NextToken). ` +
      `pages/s is wall time; CPU is the client process's own (user + system), the server's excluded. ` +
      `${throughputRuns} run${throughputRuns > 1 ? "s" : ""} each${throughputRuns < r.settings.throughputRounds ? ` (${r.settings.throughputRounds} planned; the rest skipped to stay within the ${r.settings.budgetSeconds} s budget)` : ""}, ` +
      `after ${r.settings.throughputWarmups} unrecorded warm-up run${r.settings.throughputWarmups > 1 ? "s" : ""}.`,
  );
  out.push("");
  out.push(
    table(
      ["client", "pages/s", "CPU ms/page", "pages/s vs SDK", "vs raw fetch floor", "vs node:http floor"],
      CONTENDERS.map((x) => [
        label(x.id),
        spread(pagesPerSecond(x.id), 0),
        spread(cpuPerPage(x.id), 3),
        ratio(pps(x.id) / pps("sdk")),
        percent(pps(x.id) / pps("floor-fetch")),
        percent(pps(x.id) / pps("floor-http")),
      ]),
    ),
  );
  out.push("");
  targets.push({
    name: "throughput ≥ 1.5× the SDK's (global fetch)",
    figure: `${ratio(pps("ours") / pps("sdk"))} (${fixed(pps("ours"), 0)} vs ${fixed(pps("sdk"), 0)} pages/s)`,
    met: pps("ours") >= 1.5 * pps("sdk"),
  });
  targets.push({
    name: "throughput ≥ 1.5× the SDK's (createNodeFetch)",
    figure: `${ratio(pps("ours-node") / pps("sdk"))} (${fixed(pps("ours-node"), 0)} vs ${fixed(pps("sdk"), 0)} pages/s)`,
    met: pps("ours-node") >= 1.5 * pps("sdk"),
  });
  targets.push({
    name: "throughput ≥ 90 % of the raw-fetch floor",
    figure: `${percent(pps("ours") / pps("floor-fetch"))} (${fixed(pps("ours"), 0)} vs ${fixed(pps("floor-fetch"), 0)} pages/s)`,
    met: pps("ours") >= 0.9 * pps("floor-fetch"),
  });
  targets.push({
    name: "CPU per page within 0.3 ms of the raw-fetch floor",
    figure: `${signed(cpp("ours") - cpp("floor-fetch"), 3, " ms")} (${fixed(cpp("ours"), 3)} vs ${fixed(cpp("floor-fetch"), 3)})`,
    met: cpp("ours") - cpp("floor-fetch") <= 0.3,
  });
  targets.push({
    name: "Node transport alone ≥ 85 % of the node:http floor",
    figure: `${percent(pps("transport-loop") / pps("floor-http"))} (${fixed(pps("transport-loop"), 0)} vs ${fixed(pps("floor-http"), 0)} pages/s)`,
    met: pps("transport-loop") >= 0.85 * pps("floor-http"),
  });
  targets.push({
    name: "client with the Node transport ≥ 85 % of the node:http floor",
    figure: `${percent(pps("ours-node") / pps("floor-http"))} (${fixed(pps("ours-node"), 0)} vs ${fixed(pps("floor-http"), 0)} pages/s)`,
    met: pps("ours-node") >= 0.85 * pps("floor-http"),
  });

  // ---- memory
  const mem = r.memory;
  const peak = (id: ContenderId): number[] => (mem[id] ?? []).map((x) => x.peakRssBytes / MiB);
  const peakMedian = (id: ContenderId): number => median(peak(id));
  const totalEvents = r.settings.eventsPerUser * r.settings.memoryListings;
  const memoryRuns = Math.min(...CONTENDERS.map((x) => (mem[x.id] ?? []).length));
  out.push("## Memory");
  out.push("");
  out.push(
    `Peak RSS (getrusage) of a fresh process streaming ${fmtInt(totalEvents)} events without keeping them: the user's ${fmtInt(r.settings.eventsPerUser)} events listed ` +
      `${r.settings.memoryListings} times in a row by one client (${fmtInt(totalEvents / 60)} pages, a new paginator each time). RSS once the client is built, before the first request, for reference. ` +
      `${memoryRuns} run${memoryRuns > 1 ? "s" : ""} each${memoryRuns < r.settings.memoryRuns ? ` (${r.settings.memoryRuns} planned; the rest skipped to stay within the ${r.settings.budgetSeconds} s budget)` : ""}.`,
  );
  out.push("");
  out.push(
    table(
      ["client", "peak RSS MiB", "RSS at start MiB", "over raw fetch floor", "over node:http floor"],
      CONTENDERS.map((x) => [
        label(x.id),
        spread(peak(x.id), 1),
        spread(
          (mem[x.id] ?? []).map((y) => y.startRssBytes / MiB),
          1,
        ),
        signed(peakMedian(x.id) - peakMedian("floor-fetch"), 1, " MiB"),
        signed(peakMedian(x.id) - peakMedian("floor-http"), 1, " MiB"),
      ]),
    ),
  );
  out.push("");
  targets.push({
    name: "peak RSS within 10 MiB of the raw-fetch floor",
    figure: signed(peakMedian("ours") - peakMedian("floor-fetch"), 1, " MiB"),
    met: peakMedian("ours") - peakMedian("floor-fetch") <= 10,
  });
  targets.push({
    name: "peak RSS (createNodeFetch) within 10 MiB of the node:http floor",
    figure: signed(peakMedian("ours-node") - peakMedian("floor-http"), 1, " MiB"),
    met: peakMedian("ours-node") - peakMedian("floor-http") <= 10,
  });

  // ---- signing
  const s = r.signing;
  const base = median(s["smithy-node"] ?? []);
  out.push("## Signing");
  out.push("");
  out.push(
    `Signatures per second of the same AdminListUserAuthEvents request (POST, 4 headers, ${"~150"}-byte body), signing keys cached as in real use; ${r.settings.signingRounds} rounds of ${r.settings.signingMs} ms each.`,
  );
  out.push("");
  out.push(
    table(
      ["signer", "signatures/s", "vs @smithy/signature-v4 (Node hash)"],
      Object.entries(s).map(([id, v]) => [SIGNER_LABELS[id] ?? id, spread(v, 0), ratio(median(v) / base)]),
    ),
  );
  out.push("");

  // ---- the HTML report
  if (r.htmlReport) {
    const section = formatHtmlReportSection(r.htmlReport);
    out.push(...section.lines);
    targets.push(...section.targets);
  }

  // ---- targets
  out.push("## Targets (issue 8)");
  out.push("");
  out.push(
    table(
      ["target", "measured", "met"],
      targets.map((x) => [x.name, x.figure, x.met ? "yes" : "**no**"]),
    ),
  );
  out.push("");
  out.push(
    `Phases: ${Object.entries(r.phases)
      .map(([k, v]) => `${k} ${fixed(v.seconds, 1)} s (load ${fixed(v.load, 1)})`)
      .join(", ")}; ` +
      `the load is the 1-minute load average at the end of each phase, on ${m.cores} cores. Server: seeded in ${fixed(r.server.seedMs / 1000, 1)} s, cache warmed in ${fixed(r.server.warmMs / 1000, 1)} s.`,
  );
  out.push("");
  return out.join("\n");
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
