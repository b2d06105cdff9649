/**
 * A fresh measured process: the contender's modules are imported before this runs (static imports), then it builds
 * the client, completes one request (the first page of a user's events) and prints the time since the process
 * started.
 */
import type { CreateLister } from "../clients/types.ts";
import { errorMessage, workerConfig, type ColdReply } from "./protocol.ts";

export function runColdStart(createLister: CreateLister): void {
  void (async () => {
    const config = workerConfig();
    const result = await createLister(config.lister)(config.usernames[0] ?? "alice", 1);
    const ms = performance.now();
    const usage = process.resourceUsage();
    const reply: ColdReply = {
      type: "cold",
      ms,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      events: result.events,
    };
    process.stdout.write(`${JSON.stringify(reply)}\n`, () => process.exit(0));
  })().catch((error: unknown) => {
    process.stderr.write(`cold-start worker: ${errorMessage(error)}\n`);
    process.exit(1);
  });
}
