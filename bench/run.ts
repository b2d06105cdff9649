/**
 * `npm run bench`: this package as its users get it, against the AWS SDK v3, aws4fetch and two reference floors, in
 * one run, against the emulator on loopback. Prints a markdown report and writes it to bench/RESULTS.md.
 *
 * What is measured is the packed tarball: `npm run build`, `npm pack`, then an install into a temporary project
 * outside the repository, next to the contenders' packages at the versions package.json pins. The Node rows import
 * the installed packages unbundled (each measured process is plain `node` running a small harness that imports them
 * from that project's node_modules); the edge rows bundle the installed packages (esbuild, browser platform). The
 * server runs in its own process (bench/server.ts). Measurements are interleaved: each round visits every contender,
 * in a rotating order, so every ratio is taken within a round and reported with its spread over the rounds.
 *
 * Options: --quick (few repetitions, 120,000 events for the memory test, RESULTS.md not written), --no-write.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { startEmulator } from "../src/emulator/index.ts";
import type { ListerConfig } from "./clients/types.ts";
import type { ServerReady, ServerStats } from "./server.ts";
import type { SigningReply } from "./workers/signing.ts";
import type {
  ColdReply,
  ImportReply,
  MemoryReply,
  ThroughputReply,
  ThroughputRequest,
  WorkerConfig,
} from "./workers/protocol.ts";
import { CONTENDERS, IMPORTS, type ContenderId } from "./contenders.ts";
import { formatReport, type BundleResult, type Report } from "./report.ts";
import { htmlReportPhase } from "./html-report/run.ts";

const benchDir = import.meta.dirname;
const root = join(benchDir, "..");
// The server's and the signing worker's bundles (from the source: they are not the package under test), inside the
// repository so they resolve its node_modules, and git-ignored (.cache/).
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
  importRuns: quick ? 3 : 15,
  coldRuns: quick ? 3 : 10,
  throughputRounds: quick ? 1 : 5,
  memoryRuns: quick ? 1 : 2,
  /** Listings of the user's events in one memory process: 10 x 60,000 = 600,000 events. */
  memoryListings: quick ? 2 : 10,
  /** Memory processes run side by side (peak RSS is per process; the machine has two cores). */
  memoryParallel: 2,
  eventsPerUser: 60_000,
  signingRounds: quick ? 2 : 5,
  /** Unrecorded listings per throughput worker before the recorded rounds (the server warms up too). */
  throughputWarmups: quick ? 1 : 2,
  /** Seconds the whole run, build and install included, should stay under (about 300 on 2 cores), with a margin. */
  budgetSeconds: 280,
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

/** npm packages external: loaded from node_modules at run time, unbundled, as an installed package is. */
const externalPackages: Plugin = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, ({ path }) => ({ path, external: true }));
  },
};

/**
 * Bundles the harness around one contender: `contents` (resolved from `resolveDir`), or, for a file ending in .ts,
 * that file (package.json's sideEffects: false would drop a bare import of it). npm packages stay external unless
 * `bundleDependencies`.
 */
async function buildNode(options: {
  name: string;
  contents: string;
  resolveDir: string;
  outDir: string;
  bundleDependencies?: boolean;
}): Promise<string> {
  const { name, contents, resolveDir, bundleDependencies = false } = options;
  const outfile = join(options.outDir, `${name}.mjs`);
  const entry = contents.endsWith(".ts")
    ? { entryPoints: [join(resolveDir, contents)] }
    : { stdin: { contents, resolveDir, sourcefile: `${name}.ts`, loader: "ts" as const } };
  await build({
    ...entry,
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: bundleDependencies ? [] : [externalPackages],
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

/** The packed package installed in a temporary project, with the contenders and a copy of the harness. */
interface Installed {
  /** The temporary project. */
  dir: string;
  /** The harness's copy (clients/, workers/): its package imports resolve to the project's node_modules. */
  harness: string;
  tarball: string;
  /** Seconds building, packing and installing took. */
  seconds: { build: number; install: number };
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * `npm run build` (explicitly: `npm pack` below runs no lifecycle script), `npm pack`, and an install of the
 * tarball into a temporary project outside the repository, with the AWS SDK and aws4fetch at package.json's pins.
 */
function installPackage(): Installed {
  let started = performance.now();
  run("npm", ["run", "build"], root);
  const buildSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "cae-bench-"));
  const [packed] = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], root)) as {
    filename: string;
  }[];
  const pinned = (
    JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies;
  const contenders = ["@aws-sdk/client-cognito-identity-provider", "aws4fetch"];
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "cognito-auth-events-bench",
      private: true,
      type: "module",
      dependencies: {
        "cognito-auth-events": `file:./${packed!.filename}`,
        ...Object.fromEntries(contenders.map((name) => [name, pinned[name]!])),
      },
    }),
  );
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], dir);
  const harness = join(dir, "harness");
  for (const folder of ["clients", "workers"])
    cpSync(join(benchDir, folder), join(harness, folder), { recursive: true });
  // The empty module of the import floor: what an import costs before any code.
  writeFileSync(join(dir, "empty.mjs"), "export {};\n");
  return {
    dir,
    harness,
    tarball: packed!.filename,
    seconds: { build: buildSeconds, install: (performance.now() - started) / 1000 },
  };
}

interface Builds {
  throughput: Record<ContenderId, string>;
  memory: Record<ContenderId, string>;
  cold: Record<string, string>;
  import: string;
  signing: string;
  server: string;
}

async function buildAll(installed: Installed): Promise<Builds> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const harnessOut = join(installed.dir, "build");
  const harness = (name: string, contents: string, bundleDependencies = false) =>
    buildNode({ name, contents, resolveDir: installed.harness, outDir: harnessOut, bundleDependencies });
  const throughput = {} as Record<ContenderId, string>;
  const memory = {} as Record<ContenderId, string>;
  const cold: Record<string, string> = {};
  const worker = (client: string, run: string, file: string) =>
    `import { createLister } from "./clients/${client}"; import { ${run} } from "./workers/${file}"; ${run}(createLister);`;
  await Promise.all(
    CONTENDERS.flatMap((c) => [
      harness(`throughput-${c.id}`, worker(c.client, "runThroughputWorker", "throughput.ts")).then(
        (f) => (throughput[c.id] = f),
      ),
      harness(`memory-${c.id}`, worker(c.client, "runMemoryWorker", "memory.ts")).then((f) => (memory[c.id] = f)),
      harness(`cold-${c.id}`, worker(c.client, "runColdStart", "cold.ts")).then((f) => (cold[c.id] = f)),
    ]),
  );
  cold["sdk-bundled"] = await harness("cold-sdk-bundled", worker("sdk.ts", "runColdStart", "cold.ts"), true);
  const importWorker = await harness("import", "workers/import.ts");
  const fromSource = (name: string, file: string) =>
    buildNode({ name, contents: file, resolveDir: benchDir, outDir, bundleDependencies: false });
  const signing = await fromSource("signing", "workers/signing.ts");
  const server = await fromSource("server", "server.ts");
  return { throughput, memory, cold, import: importWorker, signing, server };
}

// ---------------------------------------------------------------- edge bundle sizes

/** A Worker around one contender's lister, bundled from the installed packages (`resolveDir`: the harness's copy). */
async function edgeBundle(client: string, resolveDir: string): Promise<BundleResult> {
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
      resolveDir,
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

/**
 * The measured processes' environment: no AWS_* variable of this machine, and empty shared config files, so every
 * client reads the same (empty) configuration as it resolves what its options leave out.
 */
function measuredEnv(dir: string): NodeJS.ProcessEnv {
  for (const file of ["config", "credentials"]) writeFileSync(join(dir, file), "");
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  return {
    ...env,
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK warns on every start that its 2027 releases will need Node 22.
    NODE_NO_WARNINGS: "1",
  };
}
/** Set once the temporary project exists (its empty config files are in it). */
let baseEnv: NodeJS.ProcessEnv = process.env;

function spawnNode(file: string, env: Record<string, string>, ipc: boolean): ChildProcess {
  return spawn(process.execPath, [file], {
    // Where the process's bundle is: the temporary project for the measured ones.
    cwd: dirname(file),
    env: { ...baseEnv, ...env },
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

async function importPhase(file: string, installed: Installed): Promise<Report["imports"]> {
  const out: Report["imports"] = Object.fromEntries(IMPORTS.map((x) => [x.id, { ms: [], cpuMs: [] }]));
  const specifier = (id: (typeof IMPORTS)[number]): string =>
    id.specifier ?? pathToFileURL(join(installed.dir, "empty.mjs")).href;
  for (let i = 0; i < settings.importRuns; i++) {
    for (const entry of rotate(IMPORTS, i)) {
      const { stdout } = await runToEnd(file, { BENCH_IMPORT: specifier(entry) });
      const reply = JSON.parse(stdout) as ImportReply;
      out[entry.id]!.ms.push(reply.ms);
      out[entry.id]!.cpuMs.push(reply.cpuMs);
    }
  }
  return out;
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
  const measure = async (id: ContenderId): Promise<MemoryReply> => {
    const child = spawnNode(files[id], { BENCH_WORKER: JSON.stringify(config) }, true);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const reply = await nextMessage<MemoryReply>(child, `memory worker ${id}`);
    await exited;
    if (reply.events !== expected) throw new Error(`memory ${id}: expected ${expected} events, got ${reply.events}`);
    log(`memory ${id}: peak ${(reply.peakRssBytes / 2 ** 20).toFixed(1)} MiB, ${(reply.wallMs / 1000).toFixed(1)} s`);
    return reply;
  };
  for (let run = 0; run < settings.memoryRuns; run++) {
    const started = performance.now();
    // Keep the whole benchmark under its time budget: a further round only if one more fits, with a margin (the
    // machine's load can change within a run).
    if (run > 0 && (started - t0) / 1000 + 1.2 * roundSeconds(results) > settings.budgetSeconds) {
      log(`memory: skipping run ${run + 1} to stay within ${settings.budgetSeconds} s`);
      break;
    }
    // A few processes at a time, each taking the next contender of this round's order when one ends.
    const queue = rotate(ids, run);
    const round: Partial<Record<ContenderId, MemoryReply>> = {};
    await Promise.all(
      Array.from({ length: settings.memoryParallel }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) round[id] = await measure(id);
      }),
    );
    for (const id of ids) results[id].push(round[id]!);
  }
  return results;
}

/** Seconds one memory round took (its processes' listing times, plus start-up, over the processes run at once). */
function roundSeconds(results: Record<ContenderId, MemoryReply[]>): number {
  const total = Object.values(results).reduce((sum, runs) => sum + (runs[0]?.wallMs ?? 0) / 1000 + 0.3, 0);
  return total / settings.memoryParallel;
}

// ---------------------------------------------------------------- main

/** The version of a package as installed in the temporary project, or in the repository's node_modules. */
function version(installed: Installed | undefined, pkg: string): string {
  const from = installed?.dir ?? root;
  return (JSON.parse(readFileSync(join(from, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
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
  const phases: Record<string, { seconds: number; load: number }> = {};
  let mark = performance.now();
  const phase = (name: string): void => {
    const now = performance.now();
    // The 1-minute load average at the end of the phase: how busy the machine was meanwhile.
    phases[name] = { seconds: (now - mark) / 1000, load: loadavg()[0] ?? Number.NaN };
    mark = now;
  };
  log("npm run build, npm pack, and an install of the tarball into a temporary project");
  const installed = installPackage();
  log(`installed ${installed.tarball} in ${installed.dir}`);
  baseEnv = measuredEnv(installed.dir);
  phase("build, pack, install");
  try {
    log("building the harness's bundles");
    const builds = await buildAll(installed);
    phase("harness bundles");
    await measureAll({ installed, builds, phases, phase, loadBefore, startedAt });
  } finally {
    rmSync(installed.dir, { recursive: true, force: true });
    rmSync(join(benchDir, ".cache"), { recursive: true, force: true });
  }
}

/** Everything after the install and the builds: the server, then each phase, then the report. */
async function measureAll(context: {
  installed: Installed;
  builds: Builds;
  phases: Report["phases"];
  phase: (name: string) => void;
  loadBefore: number[];
  startedAt: Date;
}): Promise<void> {
  const { installed, builds, phase } = context;
  log(`starting the server: ${settings.eventsPerUser} events, replay cache warm-up`);
  const serverStarting = startServer(builds.server);
  serverStarting.catch(() => undefined);

  log("edge bundles, from the installed packages");
  const bundles = {} as Record<string, BundleResult>;
  for (const c of CONTENDERS.filter((x) => x.edge)) bundles[c.id] = await edgeBundle(c.client, installed.harness);
  phase("edge bundles");

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

    log(`import: ${settings.importRuns} runs x ${IMPORTS.length} modules`);
    const imports = await importPhase(builds.import, installed);
    phase("import");

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
      `memory: up to ${settings.memoryRuns} runs x ${CONTENDERS.length} clients x ${usernames.length * settings.eventsPerUser} events, ${settings.memoryParallel} at a time`,
    );
    const memory = await memoryPhase(builds.memory, { lister, usernames });
    phase("memory");

    log("signing (this package's signer from the source)");
    const signing = await signingPhase(builds.signing);
    phase("signing");

    log("html report: 100,000 events over 2,000 users, rendered, then opened in Chromium");
    const htmlReport = await htmlReportPhase({ quick, workDir: join(benchDir, ".cache", "html-report") });
    phase("html report");

    const stats = await serverStats(server);
    const report: Report = {
      startedAt: context.startedAt.toISOString(),
      totalSeconds: (performance.now() - t0) / 1000,
      quick,
      settings,
      machine: {
        cpu: cpus()[0]?.model.trim() ?? "unknown",
        cores: cpus().length,
        memoryGiB: totalmem() / 2 ** 30,
        os: `${osType()} ${release()}`,
        node: process.version,
        loadBefore: context.loadBefore,
        loadAfter: loadavg(),
      },
      versions: {
        "cognito-auth-events": `${installed.tarball} (git ${gitDescribe()})`,
        "@aws-sdk/client-cognito-identity-provider": version(installed, "@aws-sdk/client-cognito-identity-provider"),
        aws4fetch: version(installed, "aws4fetch"),
        "@smithy/signature-v4": version(undefined, "@smithy/signature-v4"),
        esbuild: version(undefined, "esbuild"),
      },
      server: { ...ready, ...stats },
      phases: context.phases,
      bundles,
      imports,
      cold,
      throughput,
      memory,
      signing: signing.rounds,
      htmlReport,
    };
    const markdown = formatReport(report);
    process.stdout.write(markdown);
    if (!quick && !args.has("--no-write")) {
      const file = join(benchDir, "RESULTS.md");
      writeFileSync(file, markdown);
      // Laid out as the repository's formatter lays markdown out (its tables aligned), so the lint step passes.
      run("npx", ["biome", "format", "--write", file], root);
      log("written to bench/RESULTS.md");
    }
  } finally {
    server.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
