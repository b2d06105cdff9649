/**
 * Help at every level (a deliberate difference from the AWS CLI, which answers `aws --help` with a usage error):
 * `--help` and `-h` print the help of the level they follow and exit 0; every page has a real NAME line and an
 * EXAMPLES section whose command lines the parser takes.
 */
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.ts";
import { GLOBAL_OPTIONS } from "../src/cli/globals.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";

async function cli(args: string[]) {
  const io = memoryIO({ env: {}, cwd: "." });
  const code = await runCli(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** The NAME section's text, on one line. */
function nameLine(page: string): string {
  const section = /^NAME\n([\s\S]*?)\n\n/.exec(page)?.[1] ?? "";
  return section.replace(/\s+/g, " ").trim();
}

/** A command line's words, as a POSIX shell splits them (quotes removed). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe("--help and -h", () => {
  it.each([["--help"], ["-h"]])(
    "%s alone prints the program's help, listing every command, and exits 0",
    async (flag) => {
      const run = await cli([flag]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(nameLine(run.stdout)).toMatch(/^cognito-auth-events - Amazon Cognito user-pool auth events/);
      for (const command of COMMANDS) expect(run.stdout).toContain(`       * ${command.name}\n`);
      expect(run.stdout).toContain("\nEXAMPLES\n");
    },
  );

  it.each(
    COMMANDS.filter((c) => c.name !== "help").flatMap((c) => [
      [c.name, "--help"],
      [c.name, "-h"],
    ]),
  )("%s %s prints that command's help and exits 0", async (name, flag) => {
    const run = await cli([name, flag]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(nameLine(run.stdout)).toMatch(new RegExp(`^${name} - [A-Z]\\w+ .{10,}`));
    expect(run.stdout).toContain("\nEXAMPLES\n");
  });

  it("works after the options too, and wins over missing required ones", async () => {
    for (const args of [
      ["--region", "eu-west-1", "audit", "--user-pool-id", "x", "-h"],
      ["audit", "--since", "7d", "--help"],
      ["admin-list-user-auth-events", "--username", "alice", "-h"],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).toBe(0);
      expect(nameLine(run.stdout)).toMatch(new RegExp(`^${args.find((a) => COMMANDS.some((c) => c.name === a))} - `));
    }
  });

  it("leaves the AWS CLI's behaviour alone where it has one: `help` words, and no command at all", async () => {
    expect((await cli(["help", "audit"])).stdout).toBe((await cli(["audit", "--help"])).stdout);
    expect((await cli(["list-users", "help"])).stdout).toBe((await cli(["list-users", "--help"])).stdout);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("cognito-auth-events: error: the following arguments are required: command");
  });

  it("the audit's page lists its output formats under --output, and only the global options it takes", async () => {
    const page = (await cli(["audit", "--help"])).stdout;
    expect(page).toMatch(/--output \(string\)\n\n[\s\S]*?\n {10}ndjson +one JSON object per event/);
    expect(page).toMatch(/\n {10}summary-json +the summary as JSON\n/);
    expect(page).toMatch(/\n {10}html +a self-contained HTML security report/);
    expect(page).not.toContain("--query");
    expect(page).not.toContain("--no-paginate");
  });

  it.each([["admin-list-user-auth-events"], ["list-users"], ["audit"], ["feedback"]])(
    "%s --help marks one output format as the default, once",
    async (name) => {
      const page = (await cli([name, "--help"])).stdout;
      const formats = /--output \(string\)\n\n[^\n]*\n[^\n]*\n\n([\s\S]*?)\n\n/.exec(page)?.[1] ?? "";
      expect(formats.match(/\(the\s+default\)/g), formats).toHaveLength(1);
    },
  );
});

describe("the examples of every help page", () => {
  const known = new Set(GLOBAL_OPTIONS.flatMap((o) => [o.flag, ...(o.aliases ?? [])]));
  it.each(COMMANDS.flatMap((c) => c.examples.map((e) => [c.name, e.args] as const)))(
    "%s: `%s` names the command and only options it takes",
    (name, example) => {
      const command = COMMANDS.find((c) => c.name === name)!;
      const [first, ...rest] = words(example.replace(/\s[>|].*$/, ""));
      expect(first).toBe(name === "help" ? "help" : name);
      const flags = new Set([...known, ...command.options.flatMap((o) => [o.flag, ...(o.aliases ?? [])])]);
      for (const word of rest.filter((w) => w.startsWith("--"))) expect(flags, word).toContain(word);
    },
  );
});
