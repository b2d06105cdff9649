/**
 * `cognito-auth-events emulator`: starts the emulator's HTTP server (src/emulator/) on 127.0.0.1, prints how to
 * reach it with this CLI (and with the AWS CLI), and runs until Ctrl+C or SIGTERM, then closes cleanly.
 */

import { readFile } from "node:fs/promises";
import process from "node:process";
import { DEFAULT_CREDENTIALS } from "../emulator/core.ts";
import { type StartEmulatorOptions, startEmulator } from "../emulator/server.ts";
import type { EmulatorData } from "../emulator/types.ts";
import { terminalLines } from "../terminal-text.ts";
import { PROG, UsageError } from "./args.ts";
import type { CliCommand } from "./command.ts";
import type { GlobalValues } from "./globals.ts";
import { type CliIO, writeTo } from "./io.ts";

function count(value: unknown, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new UsageError(`argument ${flag}: expected an integer from 0 to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

async function readData(path: string): Promise<EmulatorData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`argument --data: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return JSON.parse(text) as EmulatorData;
  } catch (error) {
    throw new UsageError(`argument --data: ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function emulatorOptions(values: GlobalValues): Promise<StartEmulatorOptions> {
  const options: StartEmulatorOptions = {};
  const port = count(values["port"], "--port", 65535);
  if (port !== undefined) options.port = port;
  const users = count(values["users"], "--users", 100_000);
  if (users !== undefined) options.users = users;
  const events = count(values["events"], "--events", 100_000);
  if (events !== undefined) options.events = events;
  const seed = values["seed"];
  if (typeof seed === "string") options.seed = seed;
  if (values["quotas"] === true) options.quotas = true;
  if (values["check_signatures"] === false) options.checkSignatures = false;
  const data = values["data"];
  if (typeof data === "string") {
    if (seed !== undefined || users !== undefined || events !== undefined)
      throw new UsageError("argument --data: cannot be combined with --seed, --users or --events");
    options.data = await readData(data);
  }
  return options;
}

/** Resolves with the signal's name once the emulator should stop: Ctrl+C (the CLI's abort signal) or SIGTERM. */
function untilStopped(io: CliIO): { stopped: Promise<string>; dispose(): void } {
  let onTerm: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<string>((resolve) => {
    onTerm = () => resolve("SIGTERM");
    onAbort = () => resolve("SIGINT");
    process.once("SIGTERM", onTerm);
    if (io.signal?.aborted) onAbort();
    io.signal?.addEventListener("abort", onAbort, { once: true });
  });
  return {
    stopped,
    dispose() {
      process.off("SIGTERM", onTerm!);
      io.signal?.removeEventListener("abort", onAbort!);
    },
  };
}

/**
 * When the events it holds happened: seeded data is dated up to a fixed day, so windows relative to today (`audit
 * --since 7d`) can find nothing.
 */
function eventDatesLine(core: Awaited<ReturnType<typeof startEmulator>>["core"]): string {
  const range = core.eventDateRange();
  if (!range) return "  events: none";
  const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  return `  events dated ${day(range.oldest)} to ${day(range.newest)} (UTC): pick audit --since and --until dates in that range`;
}

/** What the emulator prints once it listens: where, what it holds, and a command line to try. */
function banner(
  emulator: Awaited<ReturnType<typeof startEmulator>>,
  shown: {
    /** Whether it checks signatures. */
    signed: boolean;
    /** How the user runs this CLI ({@link CliIO.command}). */
    command: string;
  },
): string {
  const { core, url } = emulator;
  const { signed, command } = shown;
  const lines = [`Cognito auth-events emulator listening on ${url}`];
  if (core.demo) {
    lines.push(
      `  demo pool (threat protection): ${core.demo.poolId}`,
      `  demo pool (no threat protection): ${core.demo.poolIdWithoutThreatProtection}`,
      `  demo pool (secondary replica, answers OperationNotEnabledException): ${core.demo.replicaPoolId}`,
      `  demo username: ${core.demo.username}`,
    );
  } else lines.push(`  pools: ${core.poolIds().join(", ")}`);
  lines.push(eventDatesLine(core));
  const { accessKeyId, secretAccessKey } = DEFAULT_CREDENTIALS;
  const keys = `AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`;
  const pool = core.demo?.poolId ?? core.poolIds()[0] ?? "<pool id>";
  const user = core.demo?.username ?? "<username>";
  const args = `admin-list-user-auth-events --user-pool-id ${pool} --username ${user} --max-items 5`;
  lines.push(
    signed ? `  credentials: ${keys} (test values)` : "  signature checking: off",
    "",
    "Try, in another terminal:",
    `  export AWS_ENDPOINT_URL=${url} ${keys} AWS_DEFAULT_REGION=us-east-1`,
    `  ${command} ${args} --output table`,
    "or with the AWS CLI:",
    `  aws cognito-idp ${args}`,
    "",
    "Press Ctrl+C to stop.",
  );
  return `${lines.join("\n")}\n`;
}

export const emulatorCommand: CliCommand = {
  name: "emulator",
  summary: "Runs a local Cognito auth-events emulator on 127.0.0.1, to try the CLI and the library on.",
  description:
    "Runs an in-memory Cognito user-pools emulator on 127.0.0.1 until Ctrl+C: it speaks the service's wire protocol " +
    "and SigV4, with seeded demo pools (us-east-1_demoPlus with threat protection, us-east-1_demoLite without), " +
    "user alice, and the test credentials it prints.",
  usage: "emulator [--port N] [--seed S] [--users N] [--events N] [--data FILE] [--quotas] [--no-signature-check]",
  options: [
    { flag: "--port", dest: "port", kind: "value", metavar: "N", help: "The port (default: a free one)." },
    { flag: "--seed", dest: "seed", kind: "value", metavar: "S", help: "Seed of the generated data." },
    { flag: "--users", dest: "users", kind: "value", metavar: "N", help: "Users per seeded pool (default: 12)." },
    { flag: "--events", dest: "events", kind: "value", metavar: "N", help: "Events per seeded user (default: 75)." },
    {
      flag: "--data",
      dest: "data",
      kind: "value",
      metavar: "FILE",
      completes: "file",
      help: "Load pools, users and events from this JSON file instead of seeding.",
    },
    {
      flag: "--quotas",
      dest: "quotas",
      kind: "flag",
      help: "Answer TooManyRequestsException above the service's request quotas.",
    },
    {
      flag: "--no-signature-check",
      dest: "check_signatures",
      kind: "flag",
      flagValue: false,
      help: "Accept unsigned and wrongly signed requests.",
    },
  ],
  globals: [],
  examples: [
    { description: "The seeded demo pools on a free port.", args: "emulator" },
    {
      description: "Your own data, on a fixed port, throttling as the service does.",
      args: "emulator --data pools.json --port 4566 --quotas",
    },
  ],
  parsing: "strict",
  async run({ values, io }) {
    const options = await emulatorOptions(values);
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator(options);
    } catch (error) {
      await writeTo(io.stderr, terminalLines(`${PROG} emulator: ${(error as Error).message}\n`));
      return 1;
    }
    // Listen for the signals before saying we are ready: a supervisor may signal at once.
    const stop = untilStopped(io);
    try {
      await writeTo(
        io.stdout,
        banner(emulator, { signed: options.checkSignatures !== false, command: io.command ?? PROG }),
      );
      const signal = await stop.stopped;
      await emulator.close();
      await writeTo(io.stderr, `${PROG} emulator: ${signal}, stopped.\n`);
      return 0;
    } finally {
      stop.dispose();
    }
  },
};
