/**
 * A long-lived measured process holding one contender: lists a user's events when asked and reports wall time and
 * this process's CPU time (user + system), so the server's work is never counted.
 */
import type { CreateLister } from "../clients/types.ts";
import { errorMessage, workerConfig, type ThroughputReply, type ThroughputRequest } from "./protocol.ts";

export function runThroughputWorker(createLister: CreateLister): void {
  const config = workerConfig();
  const list = createLister(config.lister);
  const reply = (message: ThroughputReply): void => void process.send?.(message);
  process.on("message", (message: ThroughputRequest) => {
    void (async () => {
      try {
        if (message.type === "exit") process.exit(0);
        if (message.type === "verify") {
          const result = await createLister(message.lister)(message.username);
          reply({ type: "verify", ...result });
          return;
        }
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = await list(message.username);
        const wallMs = performance.now() - started;
        const used = process.cpuUsage(cpu);
        if (result.pages !== message.expectPages)
          throw new Error(`expected ${message.expectPages} pages, got ${result.pages}`);
        reply({ type: "run", ...result, wallMs, cpuMs: (used.user + used.system) / 1000 });
      } catch (error) {
        reply({ type: "error", message: errorMessage(error) });
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
  reply({ type: "ready" });
}
