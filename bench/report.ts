/** Turns the measurements of bench/run.ts into the markdown report (stdout and bench/RESULTS.md). */
import { CONTENDERS, IMPORTS, type ContenderId } from "./contenders.ts";
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
    importRuns: number;
    coldRuns: number;
    throughputRounds: number;
    memoryRuns: number;
    memoryListings: number;
    memoryParallel: number;
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
  /** Per module of bench/contenders.ts's IMPORTS, one entry per run (run i of every module in the same round). */
  imports: Record<string, { ms: number[]; cpuMs: number[] }>;
  cold: Record<string, { ms: number[]; cpuMs: number[]; wallMs: number[] }>;
  throughput: Record<ContenderId, Array<Extract<ThroughputReply, { type: "run" }>>>;
  memory: Record<ContenderId, MemoryReply[]>;
  signing: Record<string, number[]>;
  /** The HTML report at scale (bench/html-report/). */
  htmlReport?: HtmlReportBench;
}

/** The targets the package is held to; each is checked against this run's figures. */
export const TARGETS = {
  /** `import` of the default entry, unbundled in Node: milliseconds. */
  importMs: 10,
  /** Peak RSS streaming 600,000 events over the raw-fetch floor's, in every run: MiB. */
  rssOverFloorMiB: 10,
  /** Throughput with the global fetch: at least this share of the raw-fetch floor's, and this multiple of the SDK's. */
  throughputOfFloor: 0.9,
  throughputOfSdk: 1.5,
  /** Cold start, spawn to first page: overhead over the raw-fetch floor at most this share of the SDK's. */
  coldOfSdkOverhead: 0.2,
  /** CPU per page over the raw-fetch floor's: milliseconds. */
  cpuPerPageOverFloorMs: 0.3,
  /** createNodeFetch alone: at least this share of the node:http floor's pages per second. */
  transportOfHttpFloor: 0.85,
  /** The edge Workers, gzip bytes: the lite entry's, the default entry's. */
  liteGzip: 3584,
  defaultGzip: 8192,
} as const;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `a[i] / b[i]` (or `a[i] - b[i]`) for each run both have: a ratio (difference) taken within one round. */
const pairwise = (a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number[] =>
  a.slice(0, Math.min(a.length, b.length)).map((x, i) => op(x, b[i]!));
const ratios = (a: readonly number[], b: readonly number[]) => pairwise(a, b, (x, y) => x / y);
const differences = (a: readonly number[], b: readonly number[]) => pairwise(a, b, (x, y) => x - y);

const fixed = (value: number, digits: number): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** `median (min–max)`, or just the value when there is one. */
function spread(values: readonly number[], digits: number, format = (v: number) => fixed(v, digits)): string {
  const m = format(median(values));
  if (values.length < 2) return m;
  return `${m} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}
const signed = (value: number, digits: number, unit = ""): string =>
  `${value >= 0 ? "+" : "−"}${fixed(Math.abs(value), digits)}${unit}`;
const times = (value: number): string => `${fixed(value, 2)}×`;
const percent = (value: number): string => `${fixed(value * 100, 0)} %`;
const MiB = 2 ** 20;

const LABELS: Record<string, string> = {
  ...Object.fromEntries(CONTENDERS.map((c) => [c.id, c.label])),
  "sdk-bundled": "@aws-sdk/client-cognito-identity-provider, bundled into one file by esbuild",
};
const IMPORT_LABELS: Record<string, string> = Object.fromEntries(IMPORTS.map((x) => [x.id, x.label]));
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

/** The sections, each given the run and the target list to add to. */
type Section = (r: Report, targets: Target[]) => string[];

export function formatReport(r: Report): string {
  const targets: Target[] = [];
  const out = [
    ...header(r),
    ...edgeSection(r, targets),
    ...importSection(r, targets),
    ...coldSection(r, targets),
    ...throughputSection(r, targets),
    ...memorySection(r, targets),
    ...signingSection(r),
  ];
  if (r.htmlReport) {
    const section = formatHtmlReportSection(r.htmlReport);
    out.push(...section.lines);
    targets.push(...section.targets);
  }
  out.push("## Targets", "");
  out.push(
    table(
      ["target", "measured in this run", "met"],
      targets.map((x) => [x.name, x.figure, x.met ? "yes" : "**no**"]),
    ),
    "",
    `Phases: ${Object.entries(r.phases)
      .map(([k, v]) => `${k} ${fixed(v.seconds, 1)} s (load ${fixed(v.load, 1)})`)
      .join(", ")}; ` +
      `the load is the 1-minute load average at the end of each phase, on ${r.machine.cores} cores. Server: seeded in ${fixed(r.server.seedMs / 1000, 1)} s, cache warmed in ${fixed(r.server.warmMs / 1000, 1)} s.`,
    "",
  );
  return out.join("\n");
}

function header(r: Report): string[] {
  const m = r.machine;
  const out = ["# Benchmarks", ""];
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
        "Wall-time figures (pages/s, milliseconds) then mostly measure waits for a CPU, which weigh most on the clients that " +
        "need more CPU time and more wake-ups per request (on Node each WebCrypto call is a job on libuv's thread pool). " +
        "The CPU-time figures (CPU ms/page, cold-start CPU ms) are the ones to trust; re-run on an idle machine for wall times.\n",
    );
  }
  out.push(
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
    "",
    "How: `npm run build`, `npm pack`, and the tarball installed with npm into a temporary project outside the " +
      "repository, next to the AWS SDK and aws4fetch at the versions package.json pins. Every measured Node process is " +
      "plain `node` running a small harness that imports the installed packages from that project's node_modules, " +
      "unbundled, as a user's program does (under Node, `cognito-auth-events` resolves to the package's Node build); the " +
      "edge Workers bundle the installed packages. The server is the emulator's core in its own process, on 127.0.0.1, " +
      "with signature checks off so the unsigned floors are served exactly like the clients (the signed clients are " +
      "first checked against an emulator that verifies signatures). Because the core costs " +
      `${fixed(r.server.corePageMs, 2)} ms per 60-event page, more than the clients, it sits behind a replay cache filled at ` +
      `start-up (${fmtInt(r.server.pages)} pages); cache misses during the run: ${fmtInt(r.server.misses)}. ` +
      "Rounds are interleaved in a rotating order, and every ratio is taken within a round, then given as its median " +
      "with the min–max over the rounds. The floors do no signing, retries, validation or date parsing: they bound what " +
      "any client can reach.",
    "",
  );
  return out;
}

const edgeSection: Section = (r, targets) => {
  const b = r.bundles;
  const sdkGzip = b.sdk?.gzip ?? Number.NaN;
  const out = [
    "## Edge bundle",
    "",
    "A Worker (`export default { fetch }`) that lists all of a user's events, bundled from the installed packages; " +
      "esbuild, platform browser, ESM, minified; gzip at zlib's default level. (`npx tsx scripts/size.ts` measures " +
      "the size test's Worker from the source, with the bytes each input costs.)",
    "",
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
    "",
  ];
  for (const [id, limit] of [
    ["lite", TARGETS.liteGzip],
    ["ours", TARGETS.defaultGzip],
  ] as const) {
    const x = b[id];
    if (!x) continue;
    targets.push({
      name: `edge Worker, ${id === "lite" ? "cognito-auth-events/lite" : "the default entry"}: ≤ ${fmtInt(limit)} B gzip`,
      figure: `${fmtInt(x.gzip)} B${b.aws4fetch ? ` (aws4fetch + its loop: ${fmtInt(b.aws4fetch.gzip)} B)` : ""}`,
      met: x.gzip <= limit,
    });
    targets.push({
      name: `no Node built-in in the edge Worker (${label(id)})`,
      figure: x.builtins.join(", ") || "none",
      met: x.builtins.length === 0,
    });
  }
  return out;
};

const importSection: Section = (r, targets) => {
  const i = r.imports;
  const ms = (id: string) => i[id]?.ms ?? [];
  const out = [
    "## Import",
    "",
    `A fresh \`node\` process whose whole program is \`await import(X)\`, X as a user's code names it, resolved from the ` +
      `temporary project: wall time of the import, and the process's CPU time meanwhile (all threads). ${r.settings.importRuns} runs each.`,
    "",
    table(
      ["module", "ms", "CPU ms", "over the empty module", "vs the SDK"],
      IMPORTS.filter((x) => i[x.id]).map((x) => [
        IMPORT_LABELS[x.id] ?? x.id,
        spread(ms(x.id), 1),
        spread(i[x.id]!.cpuMs, 1),
        signed(median(ms(x.id)) - median(ms("floor")), 1, " ms"),
        x.id === "sdk" ? "1" : spread(ratios(ms(x.id), ms("sdk")), 2, times),
      ]),
    ),
    "",
  ];
  if (i.ours) {
    targets.push({
      name: `import of the default entry, unbundled in Node: ≤ ${TARGETS.importMs} ms`,
      figure: `${spread(ms("ours"), 1)} ms (the SDK: ${fixed(median(ms("sdk")), 1)} ms; an empty module: ${fixed(median(ms("floor")), 1)} ms)`,
      met: median(ms("ours")) <= TARGETS.importMs,
    });
  }
  return out;
};

const coldSection: Section = (r, targets) => {
  const c = r.cold;
  const ms = (id: string) => c[id]?.ms ?? [];
  const overFetch = (id: string) => differences(ms(id), ms("floor-fetch"));
  const out = [
    "## Cold start",
    "",
    "A fresh `node` process imports the client, builds it and completes one request (the first page of 60 events); " +
      "time from process start (`performance.timeOrigin`) to the parsed response, the process's CPU time until then (all threads; " +
      `less sensitive to other load), and wall time from spawn to exit as the parent sees it. ${r.settings.coldRuns} runs each.`,
    "",
  ];
  const order = [
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
        "over the raw-fetch floor",
        "share of the SDK's overhead",
      ],
      order.map((id) => [
        label(id),
        spread(ms(id), 1),
        spread(c[id]!.cpuMs, 1),
        spread(c[id]!.wallMs, 1),
        spread(overFetch(id), 1, (v) => signed(v, 1, " ms")),
        id.startsWith("floor") ? "" : spread(ratios(overFetch(id), overFetch("sdk")), 2),
      ]),
    ),
    "",
  );
  if (c.ours && c.sdk) {
    const share = ratios(overFetch("ours"), overFetch("sdk"));
    targets.push({
      name: `cold start, spawn to first page: overhead over the raw-fetch floor ≤ ${TARGETS.coldOfSdkOverhead} of the SDK's`,
      figure: `${spread(share, 2)} (${signed(median(overFetch("ours")), 1, " ms")} vs the SDK's ${signed(median(overFetch("sdk")), 1, " ms")})`,
      met: median(share) <= TARGETS.coldOfSdkOverhead,
    });
  }
  return out;
};

const throughputSection: Section = (r, targets) => {
  const t = r.throughput;
  const pps = (id: ContenderId): number[] => (t[id] ?? []).map((x) => (x.pages * 1000) / x.wallMs);
  const cpu = (id: ContenderId): number[] => (t[id] ?? []).map((x) => x.cpuMs / x.pages);
  const rounds = Math.min(...CONTENDERS.map((x) => (t[x.id] ?? []).length));
  const out = [
    "## Throughput",
    "",
    `One user's ${fmtInt(r.settings.eventsPerUser)} events: ${fmtInt(r.settings.eventsPerUser / 60)} pages of 60, one request at a time (each page needs the previous NextToken). ` +
      "pages/s is wall time; CPU is the client process's own (user + system), the server's excluded. " +
      `${rounds} round${rounds > 1 ? "s" : ""}${rounds < r.settings.throughputRounds ? ` (${r.settings.throughputRounds} planned; the rest skipped to stay within the ${r.settings.budgetSeconds} s budget)` : ""}, ` +
      `after ${r.settings.throughputWarmups} unrecorded warm-up run${r.settings.throughputWarmups > 1 ? "s" : ""}; the ratios are taken within each round.`,
    "",
    table(
      ["client", "pages/s", "CPU ms/page", "vs the SDK", "vs the raw-fetch floor", "vs the node:http floor"],
      CONTENDERS.map((x) => [
        label(x.id),
        spread(pps(x.id), 0),
        spread(cpu(x.id), 3),
        spread(ratios(pps(x.id), pps("sdk")), 2, times),
        spread(ratios(pps(x.id), pps("floor-fetch")), 2, percent),
        spread(ratios(pps(x.id), pps("floor-http")), 2, percent),
      ]),
    ),
    "",
  ];
  const ofFloor = ratios(pps("ours"), pps("floor-fetch"));
  targets.push({
    name: `throughput with the global fetch: ≥ ${percent(TARGETS.throughputOfFloor)} of the raw-fetch floor`,
    figure: spread(ofFloor, 2, percent),
    met: median(ofFloor) >= TARGETS.throughputOfFloor,
  });
  const ofSdk = ratios(pps("ours"), pps("sdk"));
  targets.push({
    name: `throughput with the global fetch: ≥ ${times(TARGETS.throughputOfSdk)} the SDK`,
    figure: spread(ofSdk, 2, times),
    met: median(ofSdk) >= TARGETS.throughputOfSdk,
  });
  const cpuOver = differences(cpu("ours"), cpu("floor-fetch"));
  targets.push({
    name: `CPU per page with the global fetch: ≤ the raw-fetch floor's + ${TARGETS.cpuPerPageOverFloorMs} ms`,
    figure: `${spread(cpuOver, 3, (v) => signed(v, 3, " ms"))} (${fixed(median(cpu("ours")), 3)} vs ${fixed(median(cpu("floor-fetch")), 3)} ms)`,
    met: median(cpuOver) <= TARGETS.cpuPerPageOverFloorMs,
  });
  const transport = ratios(pps("transport-loop"), pps("floor-http"));
  targets.push({
    name: `createNodeFetch alone: ≥ ${percent(TARGETS.transportOfHttpFloor)} of the node:http floor`,
    figure: spread(transport, 2, percent),
    met: median(transport) >= TARGETS.transportOfHttpFloor,
  });
  return out;
};

const memorySection: Section = (r, targets) => {
  const mem = r.memory;
  const peak = (id: ContenderId): number[] => (mem[id] ?? []).map((x) => x.peakRssBytes / MiB);
  const totalEvents = r.settings.eventsPerUser * r.settings.memoryListings;
  const runs = Math.min(...CONTENDERS.map((x) => (mem[x.id] ?? []).length));
  const out = [
    "## Memory",
    "",
    `Peak RSS (getrusage) of a fresh process streaming ${fmtInt(totalEvents)} events without keeping them: the user's ${fmtInt(r.settings.eventsPerUser)} events listed ` +
      `${r.settings.memoryListings} times in a row by one client (${fmtInt(totalEvents / 60)} pages, a new paginator each time), ${r.settings.memoryParallel} processes at a time. RSS once the client is built, before the first request, for reference. ` +
      `${runs} run${runs > 1 ? "s" : ""} each${runs < r.settings.memoryRuns ? ` (${r.settings.memoryRuns} planned; the rest skipped to stay within the ${r.settings.budgetSeconds} s budget)` : ""}.`,
    "",
    table(
      ["client", "peak RSS MiB", "RSS at start MiB", "over the raw-fetch floor", "over the node:http floor"],
      CONTENDERS.map((x) => [
        label(x.id),
        spread(peak(x.id), 1),
        spread(
          (mem[x.id] ?? []).map((y) => y.startRssBytes / MiB),
          1,
        ),
        spread(differences(peak(x.id), peak("floor-fetch")), 1, (v) => signed(v, 1, " MiB")),
        spread(differences(peak(x.id), peak("floor-http")), 1, (v) => signed(v, 1, " MiB")),
      ]),
    ),
    "",
  ];
  const over = differences(peak("ours"), peak("floor-fetch"));
  targets.push({
    name: `peak RSS with the global fetch: ≤ the raw-fetch floor's + ${TARGETS.rssOverFloorMiB} MiB in every run`,
    figure: `${over.map((v) => signed(v, 1, " MiB")).join(", ")}`,
    met: over.length > 0 && Math.max(...over) <= TARGETS.rssOverFloorMiB,
  });
  return out;
};

function signingSection(r: Report): string[] {
  const s = r.signing;
  const base = s["smithy-node"] ?? [];
  return [
    "## Signing",
    "",
    `Signatures per second of the same AdminListUserAuthEvents request (POST, 4 headers, ~150-byte body), signing keys cached as in real use; ${r.settings.signingRounds} rounds of ${r.settings.signingMs} ms each. This package's signer is bundled from the source (it is not a public export).`,
    "",
    table(
      ["signer", "signatures/s", "vs @smithy/signature-v4 (Node hash)"],
      Object.entries(s).map(([id, v]) => [SIGNER_LABELS[id] ?? id, spread(v, 0), spread(ratios(v, base), 2, times)]),
    ),
    "",
  ];
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
