#!/usr/bin/env node
/**
 * The `cognito-auth-events` command. For now: `emulator` and `--version`; the rest of the CLI
 * comes later.
 */

import { runEmulatorCli } from "../emulator/cli.ts";
import pkg from "../../package.json" with { type: "json" };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "emulator") return runEmulatorCli(rest);
  if (command === "--version") {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  process.stderr.write("not implemented yet\n");
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
