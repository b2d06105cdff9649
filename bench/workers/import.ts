/**
 * A fresh measured process: imports one module by its specifier (BENCH_IMPORT: a package as installed, or a file
 * URL) and prints how long the import took, wall and CPU, as one JSON line. Nothing else is loaded before it: this
 * file is the whole program.
 */
import type { ImportReply } from "./protocol.ts";

const specifier = process.env.BENCH_IMPORT;
if (!specifier) throw new TypeError("BENCH_IMPORT (a module specifier) is required: run this through bench/run.ts");
const cpu = process.cpuUsage();
const started = performance.now();
await import(specifier);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const reply: ImportReply = { type: "import", ms, cpuMs: (used.user + used.system) / 1000 };
process.stdout.write(`${JSON.stringify(reply)}\n`);
