/**
 * The emulator for the audit benchmark, in its own process (so the server's clock does not
 * share the client's event loop), driven over IPC: it loads the data file with quotas on, sends
 * `{ url }`, then answers `"expected"` (every user's event ids, in the order the emulator lists
 * them) and `"stats"` (requests and throttles it answered).
 */
import { readFile } from "node:fs/promises";
import { startEmulator } from "../../src/emulator/index.ts";
import type { EmulatorData } from "../../src/emulator/types.ts";

const [file, jitter = "0"] = process.argv.slice(2);
/** Extra random delay (0..jitterMs) before a request reaches the quota check, as network jitter would add. */
const jitterMs = Number(jitter);
if (!file || !process.send) throw new Error("usage: fork(emulator-child.ts, [data.json]) with an IPC channel");
const data = JSON.parse(await readFile(file, "utf8")) as EmulatorData;
let requests = 0;
let throttled = 0;
const emulator = await startEmulator({ data, quotas: true, requestLogSize: 1 });
// requestLog keeps only the last entries: count as they come instead.
const handle = emulator.core.handle.bind(emulator.core);
emulator.core.handle = async (request) => {
  if (jitterMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * jitterMs));
  const response = await handle(request);
  requests++;
  if (response.status === 400 && response.body.includes("TooManyRequestsException")) throttled++;
  return response;
};
process.send({ url: emulator.url });
process.on("message", (message) => {
  if (message === "expected") {
    const pool = data.pools[0]!;
    const expected: Record<string, string[]> = {};
    for (const user of pool.users ?? [])
      expected[user.username] = (emulator.core.getEvents(pool.id, user.username) ?? []).map((e) => e.EventId!);
    process.send!({ expected });
  } else if (message === "stats") {
    process.send!({ stats: { requests, throttled } });
  } else if (message === "close") {
    void emulator.close().then(() => process.exit(0));
  }
});
