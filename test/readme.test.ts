/**
 * Every shell line README.md shows works as written: the CLI examples run against the emulator's demo data, through
 * the installed package (`npx cognito-auth-events`) or from a clean copy of the repository (`npx tsx
 * src/cli/main.ts`), and the npm scripts and files the README names exist. The commands are read from README.md
 * itself, so they cannot drift; the convention they follow is in test/fixtures/readme-examples.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "../src/index.ts";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import { cleanCopy, packedPackage, pkgJson, root, run, runtimeBinary } from "../runtime-tests/harness.ts";
import { PLACEHOLDERS, readmeCommands, type ReadmeCommand } from "./fixtures/readme-examples.ts";

const commands = readmeCommands(readFileSync(join(root, "README.md"), "utf8"));
type CliCommand = Extract<ReadmeCommand, { kind: "cli" }>;

interface Setup {
  emulator: RunningEmulator;
  /** Where each context's commands run. */
  cwd: Record<CliCommand["context"], string>;
  /** A folder with `deno` in it, for the PATH. */
  bin: string;
  home: string;
  placeholders: Record<string, string>;
}
const setup = {} as Setup;
const scratch = mkdtempSync(join(tmpdir(), "cae-readme-"));

beforeAll(async () => {
  const packed = await packedPackage();
  setup.cwd = {
    installed: mkdtempSync(join(packed.consumer, "readme-")),
    clone: cleanCopy(join(scratch, "clone")),
  };
  setup.bin = join(scratch, "bin");
  mkdirSync(setup.bin);
  symlinkSync(await runtimeBinary("deno"), join(setup.bin, "deno"));
  setup.home = join(scratch, "home");
  mkdirSync(setup.home);
  setup.emulator = await startEmulator();
  const demo = setup.emulator.core.demo!;
  const client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: setup.emulator.url,
    credentials: demo.credentials!,
  });
  let nextToken: string | undefined;
  for await (const page of paginateAdminListUserAuthEvents(
    { client, maxItems: 5 },
    { UserPoolId: demo.poolId, Username: demo.username },
  ))
    nextToken = page.NextToken;
  setup.placeholders = {
    [PLACEHOLDERS.poolId]: demo.poolId,
    [PLACEHOLDERS.nextToken]: nextToken!,
    [PLACEHOLDERS.eventId]: String(setup.emulator.core.getEvents(demo.poolId, demo.username)![0]!.EventId),
  };
}, 300_000);

afterAll(async () => {
  await setup.emulator?.close();
  if (setup.cwd) rmSync(setup.cwd.installed, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The environment of a user who pointed the CLI at the emulator (its endpoint, keys and region, as the README's
 * emulator session exports them), and nothing else of this machine's AWS setup.
 */
function userEnv(): Record<string, string> {
  const demo = setup.emulator.core.demo!;
  return {
    HOME: setup.home,
    PATH: `${setup.bin}:${process.env.PATH ?? ""}`,
    AWS_ENDPOINT_URL: setup.emulator.url,
    AWS_ACCESS_KEY_ID: demo.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: demo.credentials!.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(setup.home, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(setup.home, "no-credentials"),
    AWS_PROFILE: "",
    AWS_REGION: "",
    AWS_SESSION_TOKEN: "",
  };
}

/** The command with its placeholders replaced; an unknown `<placeholder>` is an error. */
function substitute(text: string): string {
  let out = text
    .replaceAll(`--port ${PLACEHOLDERS.emulatorPort}`, "--port 0")
    .replaceAll(`http://127.0.0.1:${PLACEHOLDERS.emulatorPort}`, setup.emulator.url);
  for (const [placeholder, value] of Object.entries(setup.placeholders)) out = out.replaceAll(placeholder, value);
  const unknown = /<[A-Za-z][\w-]*>/.exec(out);
  if (unknown)
    throw new Error(`unknown placeholder ${unknown[0]} in README command: ${text} (see PLACEHOLDERS in test/fixtures)`);
  return out;
}

/** Operations that answer nothing: what each must have done instead. */
const EFFECTS: Record<string, (args: string) => void> = {
  "admin-update-auth-event-feedback": (args) => {
    const value = /--feedback-value (\S+)/.exec(args)?.[1];
    const eventId = /--event-id (\S+)/.exec(args)?.[1];
    const demo = setup.emulator.core.demo!;
    const event = setup.emulator.core.getEvents(demo.poolId, demo.username)?.find((e) => e.EventId === eventId);
    expect(event?.EventFeedback?.FeedbackValue, `feedback of event ${eventId}`).toBe(value);
  },
};

/**
 * Whether the output holds something: not empty, not an empty JSON list, object or null, and not the audit's summary
 * of a window without events (`summary` and `summary-json` print their frame even then).
 */
function printsData(stdout: string): boolean {
  const text = stdout.trim();
  if (text === "" || ["[]", "{}", "null"].includes(text.replace(/\s+/g, ""))) return false;
  const events = summaryEvents(text);
  return events === undefined || events > 0;
}

/** The events an audit summary counted (`Events: N`, or summary-json's `events`); `undefined` for other output. */
function summaryEvents(text: string): number | undefined {
  const line = /^Events: ([\d,]+)$/m.exec(text)?.[1];
  if (line !== undefined) return Number(line.replaceAll(",", ""));
  try {
    const json = JSON.parse(text) as { events?: unknown; users?: unknown };
    if (typeof json.events === "number" && json.users !== undefined) return json.events;
  } catch {
    // Not JSON: not summary-json.
  }
  return undefined;
}

/** The file a command writes its output to instead of standard output (`> FILE`, `--output-file`, `report --output`). */
function outputFile(command: { text: string; subcommand?: string }): string | undefined {
  const redirected = />>? *(\S+)\s*$/.exec(command.text)?.[1];
  if (redirected) return redirected;
  const flag = command.subcommand === "report" ? "--output" : "--output-file";
  return new RegExp(`${flag} (\\S+)`).exec(command.text)?.[1];
}

/** Whether a written file holds data: an HTML report counts its events (`data-figure="events"`). */
function writesData(path: string): boolean {
  if (!existsSync(path)) return false;
  const text = readFileSync(path, "utf8");
  if (!path.endsWith(".html")) return printsData(text);
  return Number(/data-figure="events">([\d,]+)</.exec(text)?.[1]?.replaceAll(",", "") ?? 0) > 0;
}

/** Starts a server command, waits for its banner, then stops it as Ctrl+C does (SIGINT to its process group). */
function startAndInterrupt(command: string, cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], {
      cwd,
      env: { ...process.env, ...userEnv() },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`no banner within 60 s: ${command}\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (!interrupted && /listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout) && stdout.includes("Ctrl+C")) {
        interrupted = true;
        process.kill(-child.pid!, "SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("close", () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

async function runCli(command: CliCommand): Promise<void> {
  const cwd = setup.cwd[command.context];
  if (command.subcommand === "emulator") {
    const { stdout, stderr } = await startAndInterrupt(substitute(command.text), cwd);
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toMatch(/SIGINT, stopped\./);
    return;
  }
  const line = `${command.invocation} ${substitute(command.args)}`;
  const result = await run("sh", ["-c", line], { cwd, env: userEnv(), timeout: 120_000 });
  const shown = `$ ${line}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  expect(result.code, shown).toBe(0);
  const effect = EFFECTS[command.subcommand];
  const file = outputFile(command);
  if (effect) effect(substitute(command.args));
  else if (file) expect(writesData(join(cwd, file)), `writes no data to ${file}:\n${shown}`).toBe(true);
  else expect(printsData(result.stdout), `prints no data:\n${shown}`).toBe(true);
}

describe("README.md's shell lines", () => {
  it("show the installed package's CLI and a clone's", () => {
    const contexts = commands.flatMap((c) => (c.kind === "cli" ? [c.context] : []));
    expect(contexts).toContain("installed");
    expect(contexts).toContain("clone");
  });

  it.each(commands.map((command) => [command.text, command] as const))("%s", async (_, command) => {
    switch (command.kind) {
      case "cli":
        return runCli(command);
      case "install":
        expect(command.name).toBe(pkgJson.name);
        return;
      case "npm-script":
        if (command.script !== "") expect(Object.keys(pkgJson.scripts as object)).toContain(command.script);
        return;
      case "tool": {
        const result = await run("sh", ["-c", command.text], { cwd: setup.cwd.installed, env: userEnv() });
        const file = outputFile(command);
        expect(result.code, `$ ${command.text}\n${result.stderr}`).toBe(0);
        if (file) expect(writesData(join(setup.cwd.installed, file)), `writes no data to ${file}`).toBe(true);
        else expect(printsData(result.stdout), `prints no data: ${command.text}`).toBe(true);
        return;
      }
      case "export":
        expect(
          Object.fromEntries(Object.entries(command.variables).map(([name, value]) => [name, substitute(value)])),
        ).toEqual(Object.fromEntries(Object.keys(command.variables).map((name) => [name, userEnv()[name]])));
        return;
      case "files":
        for (const path of command.paths) expect(existsSync(join(root, path)), `${path} exists`).toBe(true);
        return;
      case "unknown":
        throw new Error(
          `README.md shows a shell line the test does not know how to check: ${command.text}\n` +
            "Follow the convention in test/fixtures/readme-examples.ts (or mark the block `text` if it is not to be run).",
        );
    }
  });
});
