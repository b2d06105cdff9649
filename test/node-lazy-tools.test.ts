/**
 * The Node build loads the tools (the audit, the OCSF conversion, the bulk feedback: src/tools.ts) when a program first
 * uses one (src/node/lazy-tools.ts), and they are then the very objects it exported: checked on the packed tarball
 * installed in a fresh project, in Node, Deno and Bun (the `node`, `deno` and `bun` conditions) and under tsx, against
 * the build bundlers take (the `module` condition), which carries the tools itself; a file tracer ships them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { nodeFileTrace } from "@vercel/nft";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tools from "../src/tools.ts";
import { TOOLS_SHARED_NAMES } from "../tsup.config.ts";
import { assertOk, type PackedPackage, packedPackage, run, runtimeBinary } from "../runtime-tests/harness.ts";

let packed: PackedPackage;
let work: string;
beforeAll(async () => {
  packed = await packedPackage();
  work = mkdtempSync(join(packed.consumer, "lazy-tools-"));
}, 300_000);
afterAll(() => work && rmSync(work, { recursive: true, force: true }));

/** The tools' names the Node build stands in for (functions and classes); the constants are exported as they are. */
const TOOLS: Record<string, unknown> = { ...tools };
const STAND_INS = Object.keys(TOOLS).filter((name) => typeof TOOLS[name] === "function");

/**
 * A script that uses the package's tools and prints what it sees as JSON: `eager` is the build bundlers take, whose
 * tools are the real ones from the start.
 */
const CHECKS = `
  const pkg = await import("cognito-auth-events");
  const main = import.meta.resolve("cognito-auth-events");
  const eager = main.endsWith("/index.node.js") ? await import(main.replace(/js$/, "module.js")) : undefined;
  const out = {};
  // Before any tool is used: reflection on a stand-in is reflection on the real one.
  out.keysBefore = Object.getOwnPropertyNames(pkg.AuditSummary).sort();
  out.names = ${JSON.stringify(STAND_INS)}.map((name) => [name, pkg[name].name, pkg[name].length, typeof pkg[name]]);
  out.constants = [pkg.AUDIT_QUOTAS, pkg.AUDIT_STATE_KIND, pkg.OCSF_VERSION, pkg.FEEDBACK_QUOTAS];
  out.country = pkg.countryCode("France");
  out.line = pkg.ocsfNdjsonLine(
    { user: { Username: "u", sub: "s" }, event: { EventId: "e", EventType: "SignIn", CreationDate: new Date(0) } },
    { userPoolId: "eu-west-1_a", region: "eu-west-1" },
  );
  const summary = new pkg.AuditSummary();
  out.summary = [summary instanceof pkg.AuditSummary, summary.constructor === pkg.AuditSummary,
    Object.getPrototypeOf(summary) === pkg.AuditSummary.prototype];
  class Mine extends pkg.AuditSummary {}
  const mine = new Mine();
  out.subclass = [mine instanceof pkg.AuditSummary, mine instanceof Mine, mine.constructor === Mine];
  try { pkg.parseFeedbackLine("not json", 1); out.thrown = "nothing"; } catch (error) {
    out.thrown = [error instanceof pkg.FeedbackInputError, error instanceof Error,
      error.constructor === pkg.FeedbackInputError, error.name];
  }
  const client = new pkg.CognitoIdentityProviderClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
  const aborted = new AbortController();
  aborted.abort();
  const audit = pkg.auditUserPool({ client, userPoolId: "eu-west-1_a", abortSignal: aborted.signal });
  out.audit = [audit instanceof pkg.PoolAudit, audit.constructor === pkg.PoolAudit];
  try { for await (const record of audit) out.record = record; out.aborted = "nothing"; } catch (error) {
    out.aborted = [error instanceof pkg.AbortError, error.constructor === pkg.AbortError];
  }
  out.keysAfter = Object.getOwnPropertyNames(pkg.AuditSummary).sort();
  out.frozen = Object.isFrozen(Object.freeze(pkg.auditUserKey));
  if (eager) {
    out.sameAsEager = [
      Object.keys(pkg).join() === Object.keys(eager).join(),
      out.line === eager.ocsfNdjsonLine(
        { user: { Username: "u", sub: "s" }, event: { EventId: "e", EventType: "SignIn", CreationDate: new Date(0) } },
        { userPoolId: "eu-west-1_a", region: "eu-west-1" },
      ),
      Object.getOwnPropertyNames(eager.AuditSummary).sort().join() === out.keysAfter.join(),
    ];
  }
  console.log(JSON.stringify(out));
`;

/** What {@link CHECKS} prints, whichever runtime and build ran it. */
function expectChecks(out: Record<string, unknown>): void {
  expect(out.names).toEqual(
    STAND_INS.map((name) => {
      const real = TOOLS[name] as (...args: unknown[]) => unknown;
      return [name, real.name, real.length, "function"];
    }),
  );
  expect(out.keysBefore).toEqual(Object.getOwnPropertyNames(tools.AuditSummary).sort());
  expect(out.keysAfter).toEqual(out.keysBefore);
  expect(out.constants).toEqual([
    tools.AUDIT_QUOTAS,
    tools.AUDIT_STATE_KIND,
    tools.OCSF_VERSION,
    tools.FEEDBACK_QUOTAS,
  ]);
  expect(out.country).toBe("FR");
  expect(JSON.parse(out.line as string)).toMatchObject({ class_uid: 3002, metadata: { version: tools.OCSF_VERSION } });
  expect(out.summary).toEqual([true, true, true]);
  expect(out.subclass).toEqual([true, true, true]);
  expect(out.thrown).toEqual([true, true, true, "FeedbackInputError"]);
  expect(out.audit).toEqual([true, true]);
  expect(out.aborted).toEqual([true, true]);
  expect(out.frozen).toBe(true);
}

async function runChecks(command: string, args: string[], cwd: string): Promise<Record<string, unknown>> {
  const file = join(cwd, `checks-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, CHECKS);
  try {
    const result = assertOk(await run(command, [...args, file], { cwd, timeout: 60_000 }), command);
    return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  } finally {
    rmSync(file, { force: true });
  }
}

describe("the Node build's tools, loaded on first use", () => {
  it("importing the package does not load them: without dist/node-tools.js it imports and sends, and a tool says what is missing", async () => {
    const project = mkdtempSync(join(work, "without-"));
    const installed = join(packed.consumer, "node_modules", "cognito-auth-events");
    cpSync(installed, join(project, "node_modules", "cognito-auth-events"), { recursive: true });
    writeFileSync(join(project, "package.json"), '{"type":"module"}');
    rmSync(join(project, "node_modules", "cognito-auth-events", "dist", "node-tools.js"));
    const script = `
      const pkg = await import("cognito-auth-events");
      const command = new pkg.AdminListUserAuthEventsCommand({ UserPoolId: "eu-west-1_a", Username: "u" });
      const constants = [pkg.AUDIT_STATE_KIND, pkg.OCSF_VERSION];
      let message;
      try { pkg.countryCode("France"); } catch (error) { message = error.message; }
      console.log(JSON.stringify({ command: command.constructor.name, constants, message }));`;
    const result = assertOk(
      await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project }),
      "node",
    );
    const out = JSON.parse(result.stdout) as { command: string; constants: string[]; message: string };
    expect(out.command).toBe("AdminListUserAuthEventsCommand");
    expect(out.constants).toEqual([tools.AUDIT_STATE_KIND, tools.OCSF_VERSION]);
    expect(out.message).toMatch(/could not load its audit, OCSF and feedback tools \(\.\/node-tools\.js\)/);
  });

  it("the tools' file declares none of the package's names but the tools': it takes the rest from the Node build", async () => {
    const dist = join(packed.consumer, "node_modules", "cognito-auth-events", "dist");
    const names = Object.keys(await import(pathToFileURL(join(dist, "index.node.module.js")).href));
    const code = readFileSync(join(dist, "node-tools.js"), "utf8");
    const declared = names.filter(
      (name) =>
        !(name in TOOLS) &&
        new RegExp(String.raw`\b(?:class|function\*?|var|let|const)\s+${name}\b|[,;]\s*${name}\s*=[^=]`).test(code),
    );
    expect(names.length).toBeGreaterThan(250);
    expect(declared).toEqual([]);
    // It takes the rest from the Node build that loads it, never by importing the package (a loader that requires it
    // as CommonJS would load a second copy of the package).
    expect(code).toMatch(/globalThis\[Symbol\.for\("cognito-auth-events\/node-tools"\)\]/);
    expect(code).not.toMatch(/["']cognito-auth-events["']/);
    // Every name they read from what the Node build hands over is one it hands over.
    const read = new Set([...code.matchAll(/\bimport_\w+\.(\w+)/g)].map((match) => match[1]!));
    expect([...read].sort()).toEqual([...TOOLS_SHARED_NAMES].sort());
  });

  it("under tsx, which requires the tools as CommonJS, the same: the errors they throw are the package's classes", async () => {
    const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
    const out = await runChecks(tsx, [], work);
    expectChecks(out);
    expect(out.sameAsEager).toEqual([true, true, true]);
  });

  it("a file tracer (@vercel/nft, as serverless platforms deploy a Node function) ships the tools' file", async () => {
    const entry = join(work, "traced-entry.mjs");
    writeFileSync(entry, 'import { countryCode } from "cognito-auth-events";\nconsole.log(countryCode("France"));\n');
    const { fileList } = await nodeFileTrace([entry], { base: packed.consumer });
    const traced = [...fileList].filter((file) => file.includes("cognito-auth-events/dist/"));
    expect(traced).toContainEqual(expect.stringMatching(/dist\/index\.node\.js$/));
    expect(traced).toContainEqual(expect.stringMatching(/dist\/node-tools\.js$/));
  });

  it("in Node, each stand-in is the real function or class once used, and the objects the tools make are the package's", async () => {
    const out = await runChecks(process.execPath, [], work);
    expectChecks(out);
    expect(out.sameAsEager).toEqual([true, true, true]);
  });

  it("in Deno (the deno condition), the same", async () => {
    const deno = await runtimeBinary("deno");
    expectChecks(await runChecks(deno, ["run", "--quiet", "--no-prompt", "--allow-read", "--allow-env"], work));
  });

  it("in Bun (the bun condition), the same", async () => {
    const bun = await runtimeBinary("bun");
    expectChecks(await runChecks(bun, ["run"], work));
  });

  it("a bundler for Node takes the build that carries the tools, and its bundle runs without the package", async () => {
    const entry = join(work, "bundled-entry.mjs");
    writeFileSync(entry, CHECKS.replace(/const main = .*\n.*const eager = .*\n/, "const eager = undefined;\n"));
    const outfile = join(mkdtempSync(join(tmpdir(), "cae-lazy-bundle-")), "bundle.mjs");
    try {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "esm",
        outfile,
        // The optional package the credential chain imports when a program has installed it: no dependency.
        external: ["@aws-sdk/credential-providers"],
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs).toContainEqual(expect.stringMatching(/cognito-auth-events\/dist\/index\.node\.module\.js$/));
      expect(inputs.filter((input) => /index\.node\.js$|node-tools\.js$/.test(input))).toEqual([]);
      const ran = assertOk(await run(process.execPath, [outfile], { cwd: tmpdir() }), "node bundle.mjs");
      expectChecks(JSON.parse(ran.stdout) as Record<string, unknown>);
    } finally {
      rmSync(join(outfile, ".."), { recursive: true, force: true });
    }
  });
});
