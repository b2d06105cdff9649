/** Messages between the orchestrator (bench/run.ts) and the measured processes. */
import type { ListerConfig } from "../clients/types.ts";

/** Passed to every measured process as JSON in the BENCH_WORKER environment variable. */
export interface WorkerConfig {
  lister: ListerConfig;
  /** Users to list (the throughput worker lists the one in each `run` message instead). */
  usernames: string[];
}

/** Orchestrator -> throughput worker. */
export type ThroughputRequest =
  | { type: "run"; username: string; expectPages: number }
  /** List every event of `username` against another server (a signature-checking emulator) and report the count. */
  | { type: "verify"; lister: ListerConfig; username: string }
  | { type: "exit" };

/** Throughput worker -> orchestrator. */
export type ThroughputReply =
  | { type: "ready" }
  | { type: "run"; pages: number; events: number; wallMs: number; cpuMs: number }
  | { type: "verify"; pages: number; events: number }
  | { type: "error"; message: string };

/** Memory worker -> orchestrator (one message, then it exits). */
export interface MemoryReply {
  type: "memory";
  pages: number;
  events: number;
  /** RSS once the client is built, before the first request. */
  startRssBytes: number;
  /** Peak RSS of the process (getrusage maxrss). */
  peakRssBytes: number;
  wallMs: number;
}

/** Import worker -> orchestrator, one JSON line on stdout. */
export interface ImportReply {
  type: "import";
  /** Milliseconds the `import()` took, wall time. */
  ms: number;
  /** CPU milliseconds (user + system, all threads) meanwhile. */
  cpuMs: number;
}

/** Cold-start worker -> orchestrator, one JSON line on stdout. */
export interface ColdReply {
  type: "cold";
  /** Milliseconds from process start (performance.timeOrigin) to the parsed response. */
  ms: number;
  /** CPU milliseconds (user + system, all threads) the process used until then: less sensitive to other load. */
  cpuMs: number;
  events: number;
}

export function workerConfig(): WorkerConfig {
  const text = process.env.BENCH_WORKER;
  if (!text) throw new TypeError("BENCH_WORKER (JSON) is required: run this through bench/run.ts");
  return JSON.parse(text) as WorkerConfig;
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
