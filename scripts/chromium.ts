/**
 * Chromium for the report's browser test, its benchmark and its screenshot: the browser installed on the machine
 * (CI installs Debian's `chromium` package in .ci/run), driven by playwright-core, which downloads nothing.
 * `CHROMIUM_PATH` names another binary.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The browser's path: `CHROMIUM_PATH`, else the first of the usual names on `PATH`; `undefined` when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const given = env["CHROMIUM_PATH"];
  if (given) return executable(given) ? given : undefined;
  for (const dir of (env["PATH"] ?? "").split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** What to say when there is no browser. */
export const NO_CHROMIUM =
  "no Chromium found: install Debian's chromium package (apt-get install chromium; .ci/run does it) or set CHROMIUM_PATH";

/** Starts headless Chromium (the machine's own); throws with {@link NO_CHROMIUM} when there is none. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error(NO_CHROMIUM);
  return chromium.launch({ executablePath, headless: true });
}
