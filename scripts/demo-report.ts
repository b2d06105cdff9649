/**
 * `npm run demo:report`: the HTML security report of the emulator's seeded pool, on this machine with no AWS
 * account. Starts the emulator on 127.0.0.1, runs `cognito-auth-events audit --output html` against its demo pool
 * for the last two months of 2024 (the seeded events end on 2025-01-01), writes the report and stops the emulator.
 *
 * Options: `--output FILE` (default demo-report.html), `--screenshot FILE` (a PNG of the report's top, taken in the
 * machine's Chromium: how the README's picture is made).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";
import { startEmulator } from "../src/emulator/index.ts";

const { values } = parseArgs({
  options: { output: { type: "string", default: "demo-report.html" }, screenshot: { type: "string" } },
});
const output = resolve(values.output!);

const emulator = await startEmulator({ seed: 1, users: 40, events: 150 });
try {
  const args = [
    "audit",
    "--endpoint-url",
    emulator.url,
    "--user-pool-id",
    "us-east-1_demoPlus",
    "--since",
    "2024-11-01",
    "--until",
    "2025-01-01",
    "--output",
    "html",
    "--output-file",
    output,
  ];
  console.log(
    `Emulator listening on ${emulator.url} (pool us-east-1_demoPlus: 40 users, seeded events up to 2025-01-01)\n`,
  );
  console.log(`$ cognito-auth-events ${args.join(" ")}`);
  const io = memoryIO({
    env: {
      AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
      AWS_SECRET_ACCESS_KEY: "emulator-secret",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
    cwd: process.cwd(),
  });
  const code = await runCli(args, io);
  process.stderr.write(io.err());
  if (code !== 0) throw new Error(`the CLI exited with ${code}`);
  console.log(`\nThe report: ${output}\nOpen it in a browser: one file, no script, no request.`);
} finally {
  await emulator.close();
}

if (values.screenshot !== undefined) {
  const { launchChromium } = await import("./chromium.ts");
  const { pathToFileURL } = await import("node:url");
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1560 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(output).href, { waitUntil: "load" });
    await page.screenshot({ path: resolve(values.screenshot), fullPage: false });
    console.log(`Screenshot: ${resolve(values.screenshot)}`);
  } finally {
    await browser.close();
  }
}
