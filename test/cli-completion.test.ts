/**
 * `completion bash|zsh|fish`: each script, loaded in its shell, offers what the parser takes (the commands, an
 * operation's flags, the global options a command takes, `--output`'s formats for that command, enum values).
 * bash and fish are asked for completions as a person's Tab would; zsh's script is checked by `zsh -n` and for
 * every command and option it must name. Shells that are not installed are skipped.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/run.ts";

// In CI (CI=true, set by .ci/run, which installs zsh and fish) a missing shell fails its tests; elsewhere they skip.
const inCi = process.env["CI"] === "true" || process.env["CI"] === "1";
const has = (shell: string) => {
  try {
    execFileSync(shell, ["-c", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return inCi;
  }
};

let dir: string;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cae-completion-"));
  for (const shell of ["bash", "zsh", "fish"]) {
    const io = memoryIO();
    expect(await runCli(["completion", shell], io)).toBe(0);
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell]!, io.out());
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash's Tab offers after these words (the last one being completed). */
function bashComplete(...words: string[]): string[] {
  const quoted = ["cognito-auth-events", ...words].map((w) => `'${w}'`).join(" ");
  const out = execFileSync(
    "bash",
    [
      "-c",
      `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _cognito_auth_events; printf '%s\\n' "\${COMPREPLY[@]}"`,
      "bash",
      scripts["bash"]!,
    ],
    { encoding: "utf8" },
  );
  return out.split("\n").filter((w) => w !== "");
}

describe.skipIf(!has("bash"))("bash completion", () => {
  it("offers every command, and the global options, first", () => {
    expect(bashComplete("")).toEqual(expect.arrayContaining([...COMMANDS.map((c) => c.name), "--region", "--help"]));
    expect(bashComplete("adm")).toEqual(["admin-list-user-auth-events", "admin-update-auth-event-feedback"]);
  });

  it("offers an operation's flags, from the model", () => {
    expect(bashComplete("admin-list-user-auth-events", "--u")).toEqual(["--user-pool-id", "--username"]);
    expect(bashComplete("admin-list-user-auth-events", "--max-")).toEqual(["--max-results", "--max-items"]);
    expect(bashComplete("admin-update-auth-event-feedback", "--feedback-value", "")).toEqual(["Valid", "Invalid"]);
  });

  it("offers each command's own --output formats and the global options it takes, wherever they stand", () => {
    expect(bashComplete("list-users", "--output", "")).toEqual(["json", "text", "table", "ndjson", "csv", "ocsf"]);
    expect(bashComplete("--region", "eu-west-1", "audit", "--output", "s")).toEqual(["summary", "summary-json"]);
    expect(bashComplete("audit", "--risk-level", "")).toEqual(["High", "Low", "Medium"]);
    const audit = bashComplete("--profile", "p", "audit", "--");
    expect(audit).toEqual(expect.arrayContaining(["--checkpoint", "--output-file", "--region", "--help"]));
    expect(audit).not.toContain("--query");
    expect(bashComplete("completion", "")).toEqual(expect.arrayContaining(["bash", "zsh", "fish"]));
  });
});

describe.skipIf(!has("fish"))("fish completion", () => {
  /** What fish's Tab offers for this command line (`complete -C`), without descriptions. */
  function fishComplete(line: string): string[] {
    const out = execFileSync("fish", ["-c", `source $argv[1]; complete -C '${line}'`, scripts["fish"]!], {
      encoding: "utf8",
    });
    return out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.split("\t")[0]!);
  }

  it("parses (fish -n) and offers the commands, an operation's flags and the audit's formats", () => {
    execFileSync("fish", ["-n", scripts["fish"]!]);
    expect(fishComplete("cognito-auth-events ")).toEqual(expect.arrayContaining(COMMANDS.map((c) => c.name)));
    expect(fishComplete("cognito-auth-events admin-list-user-auth-events --user")).toEqual(
      expect.arrayContaining(["--user-pool-id", "--username"]),
    );
    expect(fishComplete("cognito-auth-events audit --output ")).toEqual(
      expect.arrayContaining(["ndjson", "csv", "json", "summary", "summary-json"]),
    );
    expect(fishComplete("cognito-auth-events audit --")).not.toContain("--query");
  });
});

describe("zsh completion", () => {
  it.skipIf(!has("zsh"))("parses (zsh -n) and loads in a zsh with compinit", () => {
    execFileSync("zsh", ["-n", scripts["zsh"]!]);
    execFileSync("zsh", ["-f", "-c", `autoload -U compinit && compinit -u -D && source "$1"`, "zsh", scripts["zsh"]!]);
  });

  it("names every command, each with its own options and --output formats", async () => {
    const io = memoryIO();
    await runCli(["completion", "zsh"], io);
    const script = io.out();
    for (const command of COMMANDS) {
      const line = script.split("\n").find((l) => l.trimStart().startsWith(`${command.name}) _arguments`));
      expect(line, command.name).toBeDefined();
      for (const option of command.options)
        expect(line, `${command.name} ${option.flag}`).toContain(`'${option.flag}[`);
      if (command.outputs) expect(line).toContain(`'--output[`);
    }
    expect(script).toMatch(
      /audit\) _arguments .*'--output\[[^\]]*\]:value:\(ndjson csv json ocsf summary summary-json html last-sign-in [^)]*\)'/,
    );
  });
});
