/**
 * `npm run bench`: this package against the AWS SDK v3, aws4fetch and two reference floors, in one run, against the
 * emulator on loopback. Prints a markdown report and writes it to bench/RESULTS.md.
 *
 * Every measured process is plain `node` running an esbuild bundle of one contender (npm packages loaded from
 * node_modules, as an installed package loads them), so no TypeScript loader is measured. The server runs in its own
 * process (bench/server.ts). Measurements are interleaved: each round visits every contender, in a rotating order.
 *
 * Options: --quick (few repetitions, 120,000 events for the memory test, RESULTS.md not written), --no-write.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { cpus, loadavg, release, totalmem, type as osType } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { startEmulator } from "../src/emulator/index.ts";
import type { ListerConfig } from "./clients/types.ts";
import type { ServerReady, ServerStats } from "./server.ts";
import type { SigningReply } from "./workers/signing.ts";
import type { ColdReply, MemoryReply, ThroughputReply, ThroughputRequest, WorkerConfig } from "./workers/protocol.ts";
import { CONTENDERS, type ContenderId } from "./contenders.ts";
import { formatReport, type BundleResult, type Report } from "./report.ts";
import { BUNDLED_DEPENDENCIES } from "../tsup.config.ts";
import { htmlReportPhase } from "./html-report/run.ts";

const benchDir = import.meta.dirname;
const root = join(benchDir, "..");
// Inside the repository (so bundles resolve node_modules) and git-ignored (.cache/).
const outDir = join(benchDir, ".cache", "build");

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== "--quick" && arg !== "--no-write") {
    process.stderr.write(`bench: unknown option ${arg} (options: --quick, --no-write)\n`);
    process.exit(2);
  }
}
const quick = args.has("--quick");
const settings = {
  coldRuns: quick ? 3 : 10,
  throughputRounds: quick ? 1 : 5,
  memoryRuns: quick ? 1 : 2,
  /** Listings of the user's events in one memory process: 10 x 60,000 = 600,000 events. */
  memoryListings: quick ? 2 : 10,
  eventsPerUser: 60_000,
  signingRounds: quick ? 2 : 5,
  /** Unrecorded listings per throughput worker before the recorded rounds (the server warms up too). */
  throughputWarmups: quick ? 1 : 2,
  /** Seconds the whole run should stay under (the limit is 300 on 2 cores), with a margin for load changes. */
  budgetSeconds: 260,
  signingMs: quick ? 150 : 500,
};

const t0 = performance.now();
const log = (text: string): void =>
  void process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${text}\n`);

// ---------------------------------------------------------------- builds

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Marks Node built-ins external and records which ones a browser bundle asked for. */
function builtinProbe(found: Set<string>): Plugin {
  return {
    name: "node-builtins",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (resolveArgs) => {
        if (!builtins.has(resolveArgs.path)) return undefined;
        found.add(resolveArgs.path.replace(/^node:/, ""));
        return { path: resolveArgs.path, external: true };
      });
    },
  };
}

/**
 * npm packages external (loaded from node_modules at run time, as for an installed package), except `inline`: for
 * this package's contenders, the dependencies its own build bundles (tsup.config.ts), so they load as users get them.
 */
function externalPackagesExcept(inline: readonly string[]): Plugin {
  return {
    name: "external-packages",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, ({ path }) =>
        inline.some((dep) => path === dep || path.startsWith(`${dep}/`)) ? undefined : { path, external: true },
      );
    },
  };
}

/** Bundles `contents` (or, for a file ending in .ts, that file: package.json's sideEffects: false would drop a bare import of it). */
async function buildNode(
  name: string,
  contents: string,
  bundleDependencies = false,
  inline: readonly string[] = [],
): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  const entry = contents.endsWith(".ts")
    ? { entryPoints: [join(benchDir, contents)] }
    : { stdin: { contents, resolveDir: benchDir, sourcefile: `${name}.ts`, loader: "ts" as const } };
  await build({
    ...entry,
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: bundleDependencies ? [] : [externalPackagesExcept(inline)],
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: bundleDependencies
      ? {
          js: 'import { createRequire as __benchCreateRequire } from "node:module"; const require = __benchCreateRequire(import.meta.url);',
        }
      : undefined,
    logLevel: "error",
  });
  return outfile;
}

interface Builds {
  throughput: Record<ContenderId, string>;
  memory: Record<ContenderId, string>;
  cold: Record<string, string>;
  signing: string;
  server: string;
}

async function buildAll(): Promise<Builds> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const throughput = {} as Record<ContenderId, string>;
  const memory = {} as Record<ContenderId, string>;
  const cold: Record<string, string> = {};
  await Promise.all(
    CONTENDERS.flatMap((c) => {
      const inline = c.client.startsWith("ours") ? BUNDLED_DEPENDENCIES : [];
      return [
        buildNode(
          `throughput-${c.id}`,
          `import { createLister } from "./clients/${c.client}"; import { runThroughputWorker } from "./workers/throughput.ts"; runThroughputWorker(createLister);`,
          false,
          inline,
        ).then((f) => (throughput[c.id] = f)),
        buildNode(
          `memory-${c.id}`,
          `import { createLister } from "./clients/${c.client}"; import { runMemoryWorker } from "./workers/memory.ts"; runMemoryWorker(createLister);`,
          false,
          inline,
        ).then((f) => (memory[c.id] = f)),
        buildNode(
          `cold-${c.id}`,
          `import { createLister } from "./clients/${c.client}"; import { runColdStart } from "./workers/cold.ts"; runColdStart(createLister);`,
          false,
          inline,
        ).then((f) => (cold[c.id] = f)),
      ];
    }),
  );
  cold["sdk-bundled"] = await buildNode(
    "cold-sdk-bundled",
    `import { createLister } from "./clients/sdk.ts"; import { runColdStart } from "./workers/cold.ts"; runColdStart(createLister);`,
    true,
  );
  const signing = await buildNode("signing", "workers/signing.ts");
  const server = await buildNode("server", "server.ts");
  return { throughput, memory, cold, signing, server };
}

// ---------------------------------------------------------------- edge bundle sizes

async function edgeBundle(client: string): Promise<BundleResult> {
  const found = new Set<string>();
  const result = await build({
    stdin: {
      contents: `
        import { createLister } from "./clients/${client}";
        export default {
          async fetch(request, env) {
            const username = new URL(request.url).searchParams.get("username") ?? "";
            const list = createLister({
              endpoint: env.COGNITO_ENDPOINT, region: env.AWS_REGION, userPoolId: env.USER_POOL_ID,
              credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
            });
            return Response.json(await list(username));
          },
        };`,
      resolveDir: benchDir,
      sourcefile: "edge-worker.ts",
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
    plugins: [builtinProbe(found)],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { raw: code.byteLength, gzip: gzipSync(code).byteLength, builtins: [...found].sort() };
}

// ---------------------------------------------------------------- processes

function spawnNode(file: string, env: Record<string, string>, ipc: boolean): ChildProcess {
  return spawn(process.execPath, [file], {
    cwd: root,
    // NODE_NO_WARNINGS: the SDK warns on every start that its 2027 releases will need Node 22.
    env: { ...process.env, NODE_NO_WARNINGS: "1", ...env },
    stdio: ipc ? ["ignore", "pipe", "inherit", "ipc"] : ["ignore", "pipe", "inherit"],
  });
}

function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T): void => {
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what}: exited with code ${code} before answering`));
    };
    const cleanup = (): void => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/** Runs a process to its end; resolves with its stdout and the wall time from spawn to exit. */
function runToEnd(file: string, env: Record<string, string>): Promise<{ stdout: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnNode(file, env, false);
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${file}: exit code ${code}`));
      else resolve({ stdout, wallMs });
    });
  });
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const n = by % items.length;
  return [...items.slice(n), ...items.slice(0, n)];
}

// ---------------------------------------------------------------- phases

async function startServer(file: string): Promise<{ child: ChildProcess; ready: ServerReady }> {
  const child = spawnNode(file, { BENCH_SERVER: JSON.stringify({ events: settings.eventsPerUser }) }, true);
  const ready = await nextMessage<ServerReady>(child, "bench server");
  return { child, ready };
}

async function serverStats(child: ChildProcess): Promise<ServerStats> {
  const answer = nextMessage<ServerStats>(child, "bench server");
  child.send({ type: "stats" });
  return answer;
}

async function signingPhase(file: string): Promise<SigningReply> {
  const { stdout } = await runToEnd(file, {
    BENCH_SIGNING_ROUNDS: String(settings.signingRounds),
    BENCH_SIGNING_MS: String(settings.signingMs),
  });
  return JSON.parse(stdout) as SigningReply;
}

async function coldPhase(files: Record<string, string>, config: WorkerConfig): Promise<Report["cold"]> {
  const ids = Object.keys(files);
  const out: Report["cold"] = Object.fromEntries(ids.map((id) => [id, { ms: [], cpuMs: [], wallMs: [] }]));
  for (let run = 0; run < settings.coldRuns; run++) {
    for (const id of rotate(ids, run)) {
      const { stdout, wallMs } = await runToEnd(files[id]!, { BENCH_WORKER: JSON.stringify(config) });
      const reply = JSON.parse(stdout) as ColdReply;
      if (reply.events !== 60) throw new Error(`cold start ${id}: expected 60 events, got ${reply.events}`);
      out[id]!.ms.push(reply.ms);
      out[id]!.cpuMs.push(reply.cpuMs);
      out[id]!.wallMs.push(wallMs);
    }
  }
  return out;
}

type ThroughputRun = Extract<ThroughputReply, { type: "run" }>;

async function throughputPhase(
  files: Record<ContenderId, string>,
  config: WorkerConfig,
): Promise<Record<ContenderId, ThroughputRun[]>> {
  const ids = CONTENDERS.map((c) => c.id);
  const workers = new Map<ContenderId, ChildProcess>();
  const ask = async (id: ContenderId, request: ThroughputRequest): Promise<ThroughputReply> => {
    const child = workers.get(id)!;
    const answer = nextMessage<ThroughputReply>(child, `throughput worker ${id}`);
    child.send(request);
    const reply = await answer;
    if (reply.type === "error") throw new Error(`throughput worker ${id}: ${reply.message}`);
    return reply;
  };
  try {
    for (const id of ids) {
      const child = spawnNode(files[id], { BENCH_WORKER: JSON.stringify(config) }, true);
      workers.set(id, child);
      await nextMessage(child, `throughput worker ${id}`);
    }

    // Correctness first: every signed client lists a user through an emulator that checks signatures.
    const verifier = await startEmulator({ seed: "bench-verify", users: 2, events: 150 });
    try {
      const lister: ListerConfig = { ...config.lister, endpoint: verifier.url };
      for (const id of CONTENDERS.filter((c) => c.signed).map((c) => c.id)) {
        const reply = await ask(id, { type: "verify", lister, username: "alice" });
        if (reply.type !== "verify" || reply.events !== 150 || reply.pages !== 3) {
          throw new Error(
            `${id} listed ${JSON.stringify(reply)} from a signature-checking emulator, expected 150 events in 3 pages`,
          );
        }
      }
    } finally {
      await verifier.close();
    }

    const expectPages = settings.eventsPerUser / 60;
    let lastRoundSeconds = 0;
    const results = Object.fromEntries(ids.map((id) => [id, [] as ThroughputRun[]])) as Record<
      ContenderId,
      ThroughputRun[]
    >;
    // Unrecorded listings: JIT, connections, caches, heap sizing, in the clients and in the server.
    for (let i = 0; i < settings.throughputWarmups; i++)
      for (const id of ids) await ask(id, { type: "run", username: "alice", expectPages });
    for (let round = 0; round < settings.throughputRounds; round++) {
      // Past the third round, keep time for the memory phase (about ten rounds' worth of pages) within the budget.
      const roundStarted = performance.now();
      if (round >= 3 && (roundStarted - t0) / 1000 + 1.2 * 11 * lastRoundSeconds > settings.budgetSeconds) {
        log(`throughput: stopping after ${round} rounds to stay within ${settings.budgetSeconds} s`);
        break;
      }
      for (const id of rotate(ids, round)) {
        const reply = await ask(id, { type: "run", username: "alice", expectPages });
        if (reply.type === "run") results[id].push(reply);
      }
      lastRoundSeconds = (performance.now() - roundStarted) / 1000;
      log(`throughput round ${round + 1}/${settings.throughputRounds} done`);
    }
    return results;
  } finally {
    for (const child of workers.values()) child.kill();
  }
}

async function memoryPhase(
  files: Record<ContenderId, string>,
  config: WorkerConfig,
): Promise<Record<ContenderId, MemoryReply[]>> {
  const ids = CONTENDERS.map((c) => c.id);
  const results = Object.fromEntries(ids.map((id) => [id, [] as MemoryReply[]])) as Record<ContenderId, MemoryReply[]>;
  const expected = settings.eventsPerUser * config.usernames.length;
  for (let run = 0; run < settings.memoryRuns; run++) {
    const started = performance.now();
    // Keep the whole benchmark under its time budget: a further round only if one more fits.
    // One more round only if it fits with a margin: the machine's load can change within a run.
    if (run > 0 && (started - t0) / 1000 + 1.2 * roundSeconds(results) > settings.budgetSeconds) {
      log(`memory: skipping run ${run + 1} to stay within ${settings.budgetSeconds} s`);
      break;
    }
    for (const id of rotate(ids, run)) {
      const child = spawnNode(files[id], { BENCH_WORKER: JSON.stringify(config) }, true);
      const exited = new Promise((resolve) => child.on("exit", resolve));
      const reply = await nextMessage<MemoryReply>(child, `memory worker ${id}`);
      await exited;
      if (reply.events !== expected) throw new Error(`memory ${id}: expected ${expected} events, got ${reply.events}`);
      results[id].push(reply);
      log(`memory ${id}: peak ${(reply.peakRssBytes / 2 ** 20).toFixed(1)} MiB, ${(reply.wallMs / 1000).toFixed(1)} s`);
    }
  }
  return results;
}

/** Seconds one memory round took (the sum of its processes' listing times, plus start-up). */
function roundSeconds(results: Record<ContenderId, MemoryReply[]>): number {
  return Object.values(results).reduce((sum, runs) => sum + (runs[0]?.wallMs ?? 0) / 1000 + 0.3, 0);
}

// ---------------------------------------------------------------- main

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;
}

function gitDescribe(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  // --no-optional-locks: read only, never refresh the index (others may be committing meanwhile).
  const status = spawnSync("git", ["--no-optional-locks", "status", "--porcelain"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) return "unknown";
  return `${head.stdout.trim()}${status.stdout.trim() ? " + uncommitted changes" : ""}`;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const startedAt = new Date();
  log(`building bundles in ${outDir}`);
  const builds = await buildAll();
  const phases: Record<string, { seconds: number; load: number }> = {};
  let mark = performance.now();
  const phase = (name: string): void => {
    const now = performance.now();
    // The 1-minute load average at the end of the phase: how busy the machine was meanwhile.
    phases[name] = { seconds: (now - mark) / 1000, load: loadavg()[0] ?? Number.NaN };
    mark = now;
  };
  phase("build");

  log(`starting the server: ${settings.eventsPerUser} events, replay cache warm-up`);
  const serverStarting = startServer(builds.server);
  serverStarting.catch(() => undefined);

  log("edge bundles");
  const bundles = {} as Record<string, BundleResult>;
  for (const c of CONTENDERS.filter((x) => x.edge)) bundles[c.id] = await edgeBundle(c.client);
  phase("bundles");

  const { child: server, ready } = await serverStarting;
  log(
    `server ready at ${ready.url}: seeded in ${(ready.seedMs / 1000).toFixed(1)} s, ${ready.pages} pages warmed in ${(ready.warmMs / 1000).toFixed(1)} s (${ready.corePageMs.toFixed(2)} ms/page in the core)`,
  );
  phase("server");
  try {
    const lister: ListerConfig = {
      endpoint: ready.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
      userPoolId: ready.poolId,
    };

    log("signing");
    const signing = await signingPhase(builds.signing);
    phase("signing");

    log("html report: 100,000 events over 2,000 users, rendered, then opened in Chromium");
    const htmlReport = await htmlReportPhase({ quick, workDir: join(benchDir, ".cache", "html-report") });
    phase("html report");

    log(`cold start: ${settings.coldRuns} runs x ${Object.keys(builds.cold).length} clients`);
    const cold = await coldPhase(builds.cold, { lister, usernames: ["alice"] });
    phase("cold start");

    log(
      `throughput: ${settings.throughputRounds} rounds x ${CONTENDERS.length} clients x ${settings.eventsPerUser / 60} pages`,
    );
    const throughput = await throughputPhase(builds.throughput, { lister, usernames: ["alice"] });
    phase("throughput");

    const usernames = Array.from({ length: settings.memoryListings }, () => "alice");
    log(
      `memory: up to ${settings.memoryRuns} runs x ${CONTENDERS.length} clients x ${usernames.length * settings.eventsPerUser} events`,
    );
    const memory = await memoryPhase(builds.memory, { lister, usernames });
    phase("memory");

    const stats = await serverStats(server);
    const report: Report = {
      startedAt: startedAt.toISOString(),
      totalSeconds: (performance.now() - t0) / 1000,
      quick,
      settings,
      machine: {
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        cores: cpus().length,
        memoryGiB: totalmem() / 2 ** 30,
        os: `${osType()} ${release()}`,
        node: process.version,
        loadBefore,
        loadAfter: loadavg(),
      },
      versions: {
        "cognito-auth-events": `${(JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version} (git ${gitDescribe()})`,
        "@aws-sdk/client-cognito-identity-provider": version("@aws-sdk/client-cognito-identity-provider"),
        aws4fetch: version("aws4fetch"),
        "@smithy/signature-v4": version("@smithy/signature-v4"),
        esbuild: version("esbuild"),
      },
      server: { ...ready, ...stats },
      phases,
      bundles,
      cold,
      throughput,
      memory,
      signing: signing.rounds,
      htmlReport,
    };
    const markdown = formatReport(report);
    process.stdout.write(markdown);
    if (!quick && !args.has("--no-write")) {
      writeFileSync(join(benchDir, "RESULTS.md"), markdown);
      log("written to bench/RESULTS.md");
    }
    rmSync(join(benchDir, ".cache"), { recursive: true, force: true });
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
