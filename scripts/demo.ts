/**
 * `npm run demo`: the package's main job, end to end, on this machine with no AWS account. Starts the emulator on
 * 127.0.0.1, lists a demo user's auth events through the CLI as a table (3 at a time, as `aws ... --max-items 5`
 * would), then resumes the listing with the printed NextToken (`--starting-token`), and stops the emulator.
 */
import { startEmulator } from "../src/emulator/index.ts";
import { runCli } from "../src/cli/run.ts";
import { memoryIO } from "../src/cli/io.ts";

const emulator = await startEmulator({ seed: 1, users: 3, events: 5 });
const env = {
  AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
  AWS_SECRET_ACCESS_KEY: "emulator-secret",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};
const base = [
  "admin-list-user-auth-events",
  "--endpoint-url",
  emulator.url,
  "--user-pool-id",
  "us-east-1_demoPlus",
  "--username",
  "alice",
];

async function cli(args: string[]): Promise<string> {
  console.log(`$ cognito-auth-events ${args.join(" ")}`);
  const io = memoryIO({ env, isTTY: false });
  const code = await runCli(args, io);
  process.stdout.write(io.out());
  process.stderr.write(io.err());
  if (code !== 0) throw new Error(`the CLI exited with ${code}`);
  return io.out();
}

try {
  console.log(`Emulator listening on ${emulator.url} (pool us-east-1_demoPlus, user alice, 5 events)\n`);
  const first = await cli([...base, "--output", "table", "--max-items", "3"]);
  const token = /\|\s*NextToken\s*\|\s*(\S+)\s*\|/.exec(first)?.[1];
  if (!token) throw new Error("no NextToken in the first listing");
  console.log("\nResuming where the first listing stopped:\n");
  await cli([...base, "--output", "table", "--starting-token", token]);
} finally {
  await emulator.close();
}
