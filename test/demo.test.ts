/** `npm run demo`, the README's main job, runs: a table of the demo user's events, then the rest, resumed. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("npm run demo lists 3 events as a table, prints a resume token, and resumes with the remaining 2", async () => {
  const root = join(import.meta.dirname, "..");
  const { stdout } = await promisify(execFile)(join(root, "node_modules", ".bin", "tsx"), ["scripts/demo.ts"], {
    cwd: root,
  });
  const [first, second] = stdout.split("Resuming where the first listing stopped:");
  expect(first).toMatch(/\|\s*NextToken\s*\|\s*eyJ/);
  expect(first!.match(/\|\| +AuthEvents +\|\|/g)).toHaveLength(3);
  expect(second).toContain("--starting-token eyJ");
  expect(second!.match(/\|\| +AuthEvents +\|\|/g)).toHaveLength(2);
  expect(second).not.toMatch(/NextToken\s*\|/);
});
