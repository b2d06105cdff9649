/** `npm run demo:report`: the report of the emulator's seeded pool, written where asked, every seeded user in it. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("npm run demo:report writes the HTML report of the seeded demo pool and says where", async () => {
  const root = join(import.meta.dirname, "..");
  const dir = await mkdtemp(join(tmpdir(), "cae-demo-report-"));
  try {
    const output = join(dir, "report.html");
    const { stdout } = await promisify(execFile)(
      join(root, "node_modules", ".bin", "tsx"),
      ["scripts/demo-report.ts", "--output", output],
      { cwd: root },
    );
    expect(stdout).toContain(`The report: ${output}`);
    expect(stdout).toContain("--output html --output-file");
    const page = await readFile(output, "utf8");
    expect(page).toContain("User pool us-east-1_demoPlus");
    expect(page).toContain('<span class="big" data-figure="users-audited">40</span>');
    expect(page).toMatch(/<svg class="chart"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
