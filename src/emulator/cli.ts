/**
 * `cognito-auth-events emulator`: starts the emulator's HTTP server on 127.0.0.1, prints how to
 * reach it, and runs until SIGINT or SIGTERM, then closes cleanly.
 */

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS } from "./core.ts";
import { type RunningEmulator, startEmulator, type StartEmulatorOptions } from "./server.ts";
import type { EmulatorData } from "./types.ts";

const EMULATOR_USAGE = `Usage: cognito-auth-events emulator [options]

Runs a local Cognito auth-events emulator on 127.0.0.1 until interrupted.

Options:
  --port N               port (default: a free one)
  --seed S               seed of the generated data (default: cognito-auth-events)
  --users N              users per seeded pool (default: 12)
  --events N             events per seeded user (default: 75)
  --data FILE            load pools, users and events from a JSON file instead of seeding
  --quotas               answer TooManyRequestsException above the service's request quotas
  --no-signature-check   accept unsigned and wrongly signed requests
  -h, --help             show this help
`;

/** Where the CLI writes, and how it waits for the end (injectable for tests). */
export interface EmulatorCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the emulator should stop. @default first SIGINT or SIGTERM */
  untilStopped?: () => Promise<string>;
}

const defaultIo: EmulatorCliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

function count(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new RangeError(`${flag}: expected an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Runs the emulator command; resolves with the process exit code. */
export async function runEmulatorCli(argv: readonly string[], io: EmulatorCliIo = defaultIo): Promise<number> {
  let options: StartEmulatorOptions;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        seed: { type: "string" },
        users: { type: "string" },
        events: { type: "string" },
        data: { type: "string" },
        quotas: { type: "boolean" },
        "no-signature-check": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout(EMULATOR_USAGE);
      return 0;
    }
    options = {};
    const port = count(values.port, "--port", 65535);
    if (port !== undefined) options.port = port;
    if (values.seed !== undefined) options.seed = values.seed;
    const users = count(values.users, "--users", 100_000);
    if (users !== undefined) options.users = users;
    const events = count(values.events, "--events", 100_000);
    if (events !== undefined) options.events = events;
    if (values.quotas) options.quotas = true;
    if (values["no-signature-check"]) options.checkSignatures = false;
    if (values.data !== undefined) {
      if (values.seed !== undefined || users !== undefined || events !== undefined) {
        throw new TypeError("--data: cannot be combined with --seed, --users or --events");
      }
      let text: string;
      try {
        text = await readFile(values.data, "utf8");
      } catch (error) {
        throw new TypeError(
          `--data: cannot read ${values.data}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
      try {
        options.data = JSON.parse(text) as EmulatorData;
      } catch (error) {
        throw new TypeError(`--data: ${values.data} is not valid JSON: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    io.stderr(`cognito-auth-events emulator: ${(error as Error).message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    io.stderr(`cognito-auth-events emulator: ${(error as Error).message}\n`);
    return 1;
  }
  // Listen for the signals before saying we are ready: a supervisor may signal at once.
  const stopped = (io.untilStopped ?? untilSignal)();
  const { core } = emulator;
  const lines = [`Cognito auth-events emulator listening on ${emulator.url}`];
  if (core.demo) {
    lines.push(
      `  demo pool (threat protection): ${core.demo.poolId}`,
      `  demo pool (no threat protection): ${core.demo.poolIdWithoutThreatProtection}`,
      `  demo pool (secondary replica, answers OperationNotEnabledException): ${core.demo.replicaPoolId}`,
      `  demo username: ${core.demo.username}`,
    );
  } else lines.push(`  pools: ${core.poolIds().join(", ")}`);
  const creds = DEFAULT_CREDENTIALS;
  lines.push(
    options.checkSignatures === false
      ? "  signature checking: off"
      : `  credentials: AWS_ACCESS_KEY_ID=${creds.accessKeyId} AWS_SECRET_ACCESS_KEY=${creds.secretAccessKey} (test values)`,
    "",
    "Try:",
    `  AWS_ACCESS_KEY_ID=${creds.accessKeyId} AWS_SECRET_ACCESS_KEY=${creds.secretAccessKey} AWS_DEFAULT_REGION=us-east-1 \\`,
    `  aws cognito-idp admin-list-user-auth-events --endpoint-url ${emulator.url} \\`,
    `    --user-pool-id ${core.demo?.poolId ?? core.poolIds()[0] ?? "<pool id>"} --username ${core.demo?.username ?? "<username>"} --max-items 5`,
    "",
    "Press Ctrl+C to stop.",
  );
  io.stdout(`${lines.join("\n")}\n`);
  const signal = await stopped;
  await emulator.close();
  io.stderr(`cognito-auth-events emulator: ${signal}, stopped.\n`);
  return 0;
}
