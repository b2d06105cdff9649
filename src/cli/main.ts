#!/usr/bin/env node
/**
 * The `cognito-auth-events` executable (Node >= 20: the package's `bin`; Deno:
 * `deno run -A src/cli/main.ts ...`). Everything happens in {@link runCli} (run.ts); this file
 * only wires the real process to it: arguments, standard streams, environment, Ctrl+C, exit code.
 *
 * @example
 * cognito-auth-events admin-list-user-auth-events --user-pool-id us-east-1_demoPlus --username alice --output table
 */

import process from "node:process";
import { processIO } from "./io.ts";
import { runCli } from "./run.ts";

const controller = new AbortController();
// Ctrl+C: stop between or within requests; runCli then exits 130 as the AWS CLI does.
process.once("SIGINT", () => controller.abort(new DOMException("Interrupted", "AbortError")));

// A reader that goes away (`... | head`) closes the pipe: stop quietly, as a shell tool does, rather than crash on
// an unhandled EPIPE. The audit's checkpoint is written only after its output, so a resume loses nothing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const io = { ...processIO(), signal: controller.signal };
process.exitCode = await runCli(process.argv.slice(2), io);
