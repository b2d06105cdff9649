/**
 * `report --input -` reads standard input as a stream, as it reads a file: records are counted as they arrive, the
 * chunks already read are let go (memory grows with users and keys, not with the input), and a bad line stops the
 * command at once, before standard input ends. Chunk lifetimes are checked with WeakRefs and forced garbage
 * collections, so the test does not depend on timing or heap noise.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const USERS = 50;

/** One audit record as `audit --output ndjson` writes it: a few users, addresses and hours, many events. */
function recordLine(n: number): string {
  const user = { Username: `user-${n % USERS}` };
  const event = {
    EventId: `event-${n}`,
    EventType: "SignIn",
    CreationDate: new Date(Date.UTC(2024, 11, 1, n % 24, n % 60)).toISOString(),
    EventResponse: n % 3 === 0 ? "Fail" : "Pass",
    EventRisk: { RiskDecision: "NoRisk", RiskLevel: "Low", CompromisedCredentialsDetected: false },
    EventContextData: {
      IpAddress: `203.0.113.${n % 20}`,
      DeviceName: "Chrome, Linux (Zoë)",
      City: "Lyon",
      Country: "France",
    },
  };
  return `${JSON.stringify({ user, event })}\n`;
}

/** Lets the current job end (WeakRef targets are kept until then), then collects garbage. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  gc();
}

describe("report --input - streams standard input", () => {
  it("lets go of the chunks it has read: however long the input, only the last few stay in memory", async () => {
    const CHUNKS = 300;
    const LINES_PER_CHUNK = 200;
    const made: WeakRef<Uint8Array>[] = [];
    let mostAlive = 0;
    const encoder = new TextEncoder();
    let carry = new Uint8Array(0);
    async function* stdin(): AsyncGenerator<Uint8Array> {
      for (let c = 0; c < CHUNKS; c++) {
        if (c % 25 === 0) {
          await collect();
          mostAlive = Math.max(mostAlive, made.filter((ref) => ref.deref() !== undefined).length);
        }
        let text = "";
        for (let i = 0; i < LINES_PER_CHUNK; i++) text += recordLine(c * LINES_PER_CHUNK + i);
        // Cut mid-record and mid-character, as a pipe does: each chunk's last bytes open the next one.
        const bytes = encoder.encode(text);
        const cut = bytes.length - 2 - (c % 50);
        const chunk = new Uint8Array(carry.length + cut);
        chunk.set(carry);
        chunk.set(bytes.subarray(0, cut), carry.length);
        carry = bytes.slice(cut);
        made.push(new WeakRef(chunk));
        yield chunk;
      }
      yield carry;
    }
    const io = memoryIO({ cwd: ROOT, stdin: stdin });
    const code = await runCli(["report", "--input", "-", "--format", "last-sign-in-ndjson"], io);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const rows = io
      .out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { Username: string; Events: number });
    expect(rows).toHaveLength(USERS);
    expect(rows.reduce((sum, row) => sum + row.Events, 0)).toBe(CHUNKS * LINES_PER_CHUNK);
    // Reading the whole input first would keep every chunk made so far (up to 275 at the last check).
    expect(mostAlive).toBeLessThanOrEqual(3);
  });

  it("stops at a bad line while standard input is still open (a pipe that never ends)", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "report", "--input", "-", "--format", "last-sign-in"],
      { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.stdin.on("error", () => {});
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      // A record, then a line that is not one; the writer keeps the pipe open, as a slow producer would.
      child.stdin.write(recordLine(1));
      child.stdin.write("not a record\n");
      const code = await exited;
      expect(stderr).toContain("report: --input -: line 2: not JSON");
      expect(stdout).toBe("");
      expect(code).toBe(255);
    } finally {
      child.stdin.destroy();
      child.kill();
    }
  });
});
