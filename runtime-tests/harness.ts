/**
 * What the package and runtime tests share (Node side): the packed tarball installed in a temporary consumer project,
 * the runtimes' binaries, child processes with a time limit, and an emulator set up for runtime-tests/scenario.mjs.
 *
 * The package is packed as a fresh clone packs it: `npm pack` on a copy of the tracked files in os.tmpdir() (no dist/:
 * the `prepack` script builds it), never from the repository's working directory, so a stale or missing dist/ there
 * changes nothing and tests running next to each other (or next to someone's `npm run build`) do not step on each
 * other. The result is cached by a hash of everything that goes into the tarball; test files in parallel workers
 * share it through a lock directory.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";

/** The repository's root. */
export const root = join(import.meta.dirname, "..");

/** The repository's package.json. */
export const pkgJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  files: string[];
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  [key: string]: unknown;
};

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds before the process is killed (SIGKILL). @default 60_000 */
  timeout?: number;
  input?: string;
}

/** Runs a command without a shell; never rejects on a non-zero exit (the caller asserts on `code`). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: { ...process.env, PWD: options.cwd ?? root, NO_COLOR: "1", ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[harness] killed after ${options.timeout ?? 60_000} ms`;
      child.kill("SIGKILL");
    }, options.timeout ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
    if (child.stdin) {
      child.stdin.on("error", () => {
        // The child exited before reading its input: its exit code tells.
      });
      child.stdin.end(options.input);
    }
  });
}

/** Throws with the process's output unless it exited 0. */
export function assertOk(result: RunResult, what: string): RunResult {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited with ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** Runtimes installed from the npm registry as devDependencies. */
export type RuntimeName = "deno" | "bun" | "workerd";

/**
 * The runtime's executable as its npm package installs it (node_modules/.bin). Missing or broken is an error, never a
 * skip: CI must not pass without having run every runtime.
 */
export async function runtimeBinary(name: RuntimeName): Promise<string> {
  const bin = join(root, "node_modules", ".bin", name);
  const hint = `the ${name} devDependency is not installed or its install script did not run (package.json "allowScripts" must allow it): run \`npm ci\``;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: ${hint}`);
  const version = await run(bin, ["--version"], { timeout: 30_000 });
  if (version.code !== 0) throw new Error(`\`${name} --version\` failed (${version.stderr.trim()}): ${hint}`);
  return bin;
}

/** The first line of `<runtime> --version`. */
export async function runtimeVersion(name: RuntimeName): Promise<string> {
  const result = assertOk(await run(await runtimeBinary(name), ["--version"]), `${name} --version`);
  return result.stdout.trim().split("\n")[0] ?? "";
}

// ---------------------------------------------------------------------------------------------------------------
// The packed package

/** Where the tarball and the project that installed it are. */
export interface PackedPackage {
  /** The `npm pack` tarball. */
  tarball: string;
  /** A fresh project (package.json, node_modules) with the tarball and msw installed, nothing else of ours. */
  consumer: string;
  /** The file names inside the tarball (without the `package/` prefix). */
  files: string[];
  /**
   * The clean copy of the repository the tarball was packed from (see {@link cleanCopy}), with the dist/ that `npm
   * pack` built. Shared by every test file: read it, never write into it.
   */
  clone: string;
}

/** Folders whose files never reach the tarball nor decide what is in it. */
const NOT_PACKED = ["test/", "bench/", "runtime-tests/", "examples/", ".ci/"];

/**
 * The repository's tracked files (`git ls-files`: what a clone holds), with their working-tree content. A file that
 * is not tracked yet is not there: `git add` it (or `git add -N`) before running the package tests.
 */
export function trackedFiles(): string[] {
  let listing: string;
  try {
    listing = execFileSync("git", ["ls-files", "-z", "--cached"], { cwd: root, encoding: "utf8" });
  } catch (error) {
    throw new Error(`the package tests copy the repository's tracked files, and \`git ls-files\` failed: ${error}`);
  }
  // A tracked file deleted in the working tree is not in a clone made from it.
  return listing
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(root, file)))
    .sort();
}

/**
 * Copies the tracked files into `dest` (which must not exist), as a fresh clone would hold them, and links
 * `node_modules` to the repository's: what `npm ci` would install there from the same lockfile. No dist/, nothing
 * untracked or ignored.
 */
export function cleanCopy(dest: string): string {
  mkdirSync(dest, { recursive: true });
  for (const file of trackedFiles()) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(root, file), join(dest, file), { verbatimSymlinks: true });
  }
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  return dest;
}

function packKey(): string {
  const hash = createHash("sha256");
  // The documents package.json's `files` ships from those folders (the ones the README links to) count too, and so
  // does any .npmignore there.
  const shipped = new Set(pkgJson.files);
  for (const file of trackedFiles()) {
    const decides = shipped.has(file) || file.endsWith(".npmignore");
    if (NOT_PACKED.some((folder) => file.startsWith(folder)) && !decides) continue;
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(join(root, file)))
      .update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}
/** Removes other cached packs untouched for an hour (earlier runs on this machine). */
function pruneOldPacks(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("cae-pack-") || join(tmpdir(), name) === keep || name === `${keep}.lock`) continue;
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock whose holder is gone (a killed run) is stale; so is one older than 5 minutes.
      try {
        const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
        if (!isAlive(pid) || Date.now() - statSync(lock).mtimeMs > 300_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released meanwhile, or its pid not written yet.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const packs = new Map<string, Promise<PackedPackage>>();

/**
 * `npm pack` on a clean copy of the repository ({@link cleanCopy}: no dist/, as on a fresh clone; its `prepack`
 * script builds it), then the tarball installed into a fresh temporary project: what a user gets from `npm install
 * cognito-auth-events`. Packed and installed once per content of what goes into the tarball, and shared by every test
 * file that needs it.
 */
export function packedPackage(): Promise<PackedPackage> {
  const key = packKey();
  let pending = packs.get(key);
  if (!pending) {
    pending = buildPack(key);
    packs.set(key, pending);
  }
  return pending;
}

/** The JSON array `npm pack --json` prints last (the lifecycle scripts' output comes before it). */
function packReport(stdout: string): { filename: string; files: { path: string }[] } {
  const start = stdout.lastIndexOf("\n[\n") + 1;
  const [report] = JSON.parse(stdout.slice(start)) as [{ filename: string; files: { path: string }[] }];
  return report;
}

async function buildPack(key: string): Promise<PackedPackage> {
  const dir = join(tmpdir(), `cae-pack-${key}`);
  const ready = join(dir, "ready.json");
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, "utf8")) as PackedPackage;
    pruneOldPacks(dir);
    rmSync(dir, { recursive: true, force: true });
    const clone = cleanCopy(join(dir, "clone"));
    const packed = assertOk(
      await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: clone, timeout: 240_000 }),
      "npm pack (on a clean copy of the repository)",
    );
    const info = packReport(packed.stdout);
    const tarball = join(dir, info.filename);
    const consumer = join(dir, "consumer");
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, "package.json"),
      `${JSON.stringify(
        {
          name: "cae-consumer",
          private: true,
          type: "module",
          dependencies: { [pkgJson.name]: `file:../${info.filename}`, msw: pkgJson.devDependencies.msw },
          // msw's postinstall only copies its service worker for browsers: not needed.
          allowScripts: { msw: false },
        },
        null,
        2,
      )}\n`,
    );
    assertOk(
      await run(
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
        { cwd: consumer, timeout: 180_000 },
      ),
      "npm install (consumer)",
    );
    const result: PackedPackage = { tarball, consumer, files: info.files.map((f) => f.path).sort(), clone };
    writeFileSync(ready, JSON.stringify(result));
    return result;
  });
}

/**
 * A fresh folder inside the consumer project holding copies of runtime-tests/ and examples/, so that their
 * `import "cognito-auth-events"` resolves to the installed tarball (walking up to the consumer's node_modules),
 * never to the repository. One per caller: test files in parallel do not share it. Remove it when done.
 */
export function consumerWorkspace(packed: PackedPackage): string {
  const dir = mkdtempSync(join(packed.consumer, "work-"));
  for (const folder of ["runtime-tests", "examples"]) {
    if (existsSync(join(root, folder))) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  }
  return dir;
}

/** A path relative to the repository, for messages. */
export function repoPath(path: string): string {
  return relative(root, path);
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario's emulator

/** What runtime-tests/scenario.mjs takes. */
export interface ScenarioConfig {
  endpoint: string;
  userPoolId: string;
  username: string;
  throttledUsername: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What runtime-tests/scenario.mjs returns. */
export interface ScenarioResult {
  runtime: string;
  /** Which entry ran it: the default one or cognito-auth-events/lite. */
  entry: "default" | "lite";
  pages: number[];
  ids: string[];
  datesAreDates: boolean;
  resume: { firstCount: number; token: string; restCount: number; matchesFullListing: boolean };
  notFound: {
    name: string;
    isUserNotFoundException: boolean;
    isServiceException: boolean;
    fault: string;
    httpStatusCode: number;
    message: string;
  };
  throttle: { attempts: number; totalRetryDelay: number; items: number };
}

export interface ScenarioEmulator {
  emulator: RunningEmulator;
  config: ScenarioConfig;
  /** The demo user's event ids, newest first, as the emulator holds them. */
  expectedIds: string[];
  close(): Promise<void>;
}

/**
 * An emulator for one scenario run: seeded data, signatures checked, and one throttle (TooManyRequestsException,
 * HTTP 400) on the first AdminListUserAuthEvents call for a second user, whose name is not ASCII (so the signed
 * body is UTF-8).
 */
export async function scenarioEmulator(): Promise<ScenarioEmulator> {
  const emulator = await startEmulator({ seed: "runtime-tests" });
  const { demo } = emulator.core;
  if (!demo?.credentials) throw new Error("the seeded emulator has no demo pool or credentials");
  const pool = emulator.core.exportData().pools.find((p) => p.id === demo.poolId);
  const throttled = pool?.users?.find(
    (u) => u.username !== demo.username && /[^\x20-\x7e]/.test(u.username) && (u.events?.length ?? 0) >= 10,
  );
  if (!throttled) throw new Error("the seeded pool has no non-ASCII user with events");
  emulator.core.addFault({
    kind: "throttle",
    operation: "AdminListUserAuthEvents",
    userPoolId: demo.poolId,
    username: throttled.username,
    times: 1,
  });
  return {
    emulator,
    config: {
      endpoint: emulator.url,
      userPoolId: demo.poolId,
      username: demo.username,
      throttledUsername: throttled.username,
      accessKeyId: demo.credentials.accessKeyId,
      secretAccessKey: demo.credentials.secretAccessKey,
    },
    expectedIds: (emulator.core.getEvents(demo.poolId, demo.username) ?? []).map((e) => String(e.EventId)),
    close: () => emulator.close(),
  };
}

/** The marker scenario.mjs's callers print the result after. */
export const RESULT_MARKER = "CAE_SCENARIO_RESULT ";

/** Finds the result line (after {@link RESULT_MARKER}) in a runtime's output. */
export function parseScenarioOutput<T = ScenarioResult>(output: string): T {
  const line = output.split("\n").find((l) => l.includes(RESULT_MARKER));
  if (!line) throw new Error(`no scenario result in the output:\n${output}`);
  return JSON.parse(line.slice(line.indexOf(RESULT_MARKER) + RESULT_MARKER.length)) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Bundles for workerd and the edge runtime (neither resolves node_modules by itself)

export interface BundleOptions {
  /** The entry module. */
  entry: string;
  /** `"esm"` for workerd modules, `"iife"` for a script the EdgeVM evaluates. */
  format: "esm" | "iife";
  /** Export conditions, as the platform's own bundler sets them (wrangler: workerd; Vercel: edge-light). */
  conditions: string[];
  /** Resolve "cognito-auth-events" to the TypeScript source instead of node_modules. */
  source?: boolean;
}

/** Bundles for a web platform (esbuild, browser, no Node built-ins allowed): the code as a string. */
export async function bundleFor(options: BundleOptions): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [options.entry],
    bundle: true,
    format: options.format,
    platform: "browser",
    conditions: options.conditions,
    target: "es2022",
    write: false,
    logLevel: "silent",
    alias: options.source ? sourceAliases() : {},
  });
  return result.outputFiles[0]!.text;
}

/** esbuild aliases that resolve the package's edge-safe entries to the TypeScript source. */
export function sourceAliases(): Record<string, string> {
  return {
    [pkgJson.name]: join(root, "src", "index.ts"),
    [`${pkgJson.name}/lite`]: join(root, "src", "lite", "index.ts"),
  };
}

/** A workerd config that runs `modules` (first = main) with text bindings and loopback-only outbound. */
export function workerdConfig(options: {
  modules: string[];
  bindings: Record<string, string>;
  compatibilityDate?: string;
}): string {
  const str = (s: string) => JSON.stringify(s);
  const modules = options.modules.map((m) => `(name = ${str(m)}, esModule = embed ${str(m)})`).join(", ");
  const bindings = Object.entries(options.bindings)
    .map(([name, text]) => `(name = ${str(name)}, text = ${str(text)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Outbound fetch may reach loopback only (the emulator); the default network service allows public addresses.
    (name = "loopback", network = (allow = ["127.0.0.0/8"])),
  ],
);

const worker :Workerd.Worker = (
  modules = [${modules}],
  # No nodejs_compat: the package must run on web-standard APIs alone.
  compatibilityDate = ${str(options.compatibilityDate ?? "2025-09-01")},
  bindings = [${bindings}],
  globalOutbound = "loopback",
);
`;
}

/** The packed package and a consumer project with it installed, set up once per test file. */
export interface ConsumerWorkspace {
  packed: PackedPackage;
  /** The consumer project's folder (removed after the file's tests). */
  work: string;
}

/**
 * Registers the vitest hooks of a test file that runs the installed tarball: build and pack (cached), install into a
 * fresh consumer project before the tests, remove it after. Read the fields inside tests, not at module load.
 */
export function useConsumerWorkspace(): ConsumerWorkspace {
  const ws = {} as ConsumerWorkspace;
  beforeAll(async () => {
    ws.packed = await packedPackage();
    ws.work = consumerWorkspace(ws.packed);
  }, 300_000);
  afterAll(() => {
    if (ws.work) rmSync(ws.work, { recursive: true, force: true });
  });
  return ws;
}
