/**
 * The measured process of the HTML report benchmark: `report --input FILE --output FILE` (src/cli/report/command.ts,
 * the command's own code path: streaming read, aggregation, rendering, writing), bundled by esbuild and run with
 * plain `node`. Prints one JSON line: wall time and the process's peak RSS.
 *
 * Usage (bundled): node render-worker.mjs INPUT OUTPUT
 */
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/run.ts";

export interface RenderReply {
  ms: number;
  peakRssBytes: number;
  exitCode: number;
  stderr: string;
}

const [input, output] = process.argv.slice(2);
const io = memoryIO({ cwd: process.cwd() });
const started = performance.now();
const exitCode = await runCli(["report", "--input", input!, "--output", output!], io);
const reply: RenderReply = {
  ms: performance.now() - started,
  // resourceUsage().maxRSS is in KiB.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  exitCode,
  stderr: io.err(),
};
process.stdout.write(`${JSON.stringify(reply)}\n`);
