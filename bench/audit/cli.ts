/**
 * The `audit` command as the executable runs it (real standard streams, Ctrl+C aborts), for the
 * benchmark and the kill tests: `node --import tsx bench/audit/cli.ts --user-pool-id ... `.
 */
import process from "node:process";
import { runAudit } from "../../src/cli/audit.ts";
import { processIO } from "../../src/cli/io.ts";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort(new DOMException("Interrupted", "AbortError")));
process.exitCode = await runAudit(process.argv.slice(2), { ...processIO(), signal: controller.signal, stderrIsTTY: process.stderr.isTTY === true });
