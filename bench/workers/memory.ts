/**
 * A fresh measured process: streams every event of the configured users through one contender without keeping
 * them, then reports its peak RSS.
 */
import type { CreateLister } from "../clients/types.ts";
import { errorMessage, workerConfig, type MemoryReply } from "./protocol.ts";

export function runMemoryWorker(createLister: CreateLister): void {
  void (async () => {
    const config = workerConfig();
    const list = createLister(config.lister);
    const startRssBytes = process.memoryUsage.rss();
    const started = performance.now();
    let pages = 0;
    let events = 0;
    for (const username of config.usernames) {
      const result = await list(username);
      pages += result.pages;
      events += result.events;
    }
    const reply: MemoryReply = {
      type: "memory",
      pages,
      events,
      startRssBytes,
      // getrusage's ru_maxrss: kilobytes on Linux.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      wallMs: performance.now() - started,
    };
    process.send?.(reply, () => process.exit(0));
  })().catch((error: unknown) => {
    process.stderr.write(`memory worker: ${errorMessage(error)}\n`);
    process.exit(1);
  });
}
