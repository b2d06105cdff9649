/**
 * The package as published: package.json, tsup's entries and deno.json in step; the tarball `npm pack` makes on a clean
 * copy of the tracked files (as on a fresh clone), linted by publint and @arethetypeswrong/cli (ESM-only profile);
 * installed into a fresh project and imported from there (no path into the repository); its bin; its declarations in a
 * TypeScript project without Node's types; the TypeScript source for Deno and JSR (`deno check`, `deno publish
 * --dry-run` on a clean copy).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { publint } from "publint";
import ts from "typescript";
import { formatMessage } from "publint/utils";
import { beforeAll, describe, expect, it } from "vitest";
import { BUNDLED_DEPENDENCIES, conditionalEntries, entries } from "../tsup.config.ts";
import {
  assertOk,
  cleanCopy,
  packedPackage,
  pkgJson,
  root,
  run,
  runtimeBinary,
  sourceAliases,
  trackedFiles,
  type PackedPackage,
} from "../runtime-tests/harness.ts";
import { GZIP_BUDGET, workerSource } from "../scripts/size.ts";

const denoJson = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
};
const subpaths = Object.keys(pkgJson.exports).filter((key) => key !== "./package.json");

let packed: PackedPackage;
beforeAll(async () => {
  packed = await packedPackage();
}, 300_000);

describe("entries in step", () => {
  it("package.json's exports, tsup's entries and deno.json's exports name the same subpaths", () => {
    expect(Object.keys(denoJson.exports).sort()).toEqual([...subpaths].sort());
    const tsupNames = Object.keys(entries).map((name) => (name === "index" ? "." : `./${name}`));
    expect(tsupNames.sort()).toEqual([...subpaths].sort());
  });

  it.each(Object.entries(entries))(
    "entry %s: package.json points at its build, deno.json at its source",
    (name, source) => {
      const key = name === "index" ? "." : `./${name}`;
      expect(pkgJson.exports[key]).toMatchObject({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
      expect(denoJson.exports[key]).toBe(`./${source}`);
    },
  );

  it("the default entry is the Node build under node, deno and bun, and the edge build under every other condition", () => {
    const main = pkgJson.exports["."] as Record<string, unknown>;
    expect(conditionalEntries).toEqual({
      "index.node": "src/node/default-entry.ts",
      "index.node.module": "src/node/default-entry.ts",
    });
    const edge = ["workerd", "edge-light", "worker", "browser", "react-native"];
    const runtimes = ["node", "deno", "bun"];
    for (const condition of edge) expect(main[condition]).toBe("./dist/index.js");
    // Bundlers for Node (the `module` condition) take the build that carries the tools (test/node-lazy-tools.test.ts).
    expect(main["node"]).toEqual({ module: "./dist/index.node.module.js", default: "./dist/index.node.js" });
    for (const condition of ["deno", "bun"]) expect(main[condition]).toBe("./dist/index.node.js");
    // Conditions match in order: edge ones before node (a Worker bundler may enable "node" too), default last.
    const keys = Object.keys(main);
    expect(keys[0]).toBe("types");
    expect(keys.at(-1)).toBe("default");
    expect(Math.max(...edge.map((c) => keys.indexOf(c)))).toBeLessThan(
      Math.min(...runtimes.map((c) => keys.indexOf(c))),
    );
  });

  it("deno.json's version is package.json's", () => {
    expect(denoJson.version).toBe(pkgJson.version);
  });

  it("the bin is a tracked file that runs the cli entry's build", () => {
    const bin = "bin/cognito-auth-events.js";
    expect(pkgJson.bin).toEqual({ [pkgJson.name]: bin });
    expect(trackedFiles()).toContain(bin);
    expect(readFileSync(join(root, bin), "utf8")).toMatch(
      /^#!\/usr\/bin\/env node\n[\s\S]*^import "\.\.\/dist\/cli\.js";$/m,
    );
    expect(entries.cli).toBe("src/cli/main.ts");
  });

  it("package.json says ESM only, side-effect free, Node ^20.19 or >= 22.12 (require of ES modules)", () => {
    expect(pkgJson).toMatchObject({ type: "module", sideEffects: false, engines: { node: "^20.19.0 || >=22.12.0" } });
    expect(pkgJson).not.toHaveProperty("main");
    expect(pkgJson.files).toEqual(expect.arrayContaining(["dist"]));
  });

  it("npm pack and npm publish build dist/ first (a clone has none: it is not tracked)", () => {
    expect((pkgJson.scripts as Record<string, string>).prepack).toBe("npm run build");
    expect(trackedFiles().filter((file) => file.startsWith("dist/"))).toEqual([]);
  });

  it("what the build bundles is no dependency of the published package (users would install it for nothing)", () => {
    const dependencies = Object.keys((pkgJson.dependencies ?? {}) as Record<string, string>);
    expect(dependencies.filter((name) => BUNDLED_DEPENDENCIES.includes(name))).toEqual([]);
  });
});

describe("the tarball", () => {
  it("holds the build, its executable, package.json, README, LICENSE and the documents and images the README links to, and nothing else", () => {
    const documents = pkgJson.files.filter((f) => f !== "dist" && f !== "README.md" && f !== "LICENSE");
    expect(
      packed.files.filter(
        (f) => !f.startsWith("dist/") && !["package.json", "README.md", "LICENSE", ...documents].includes(f),
      ),
    ).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(documents));
    expect(packed.files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
    for (const name of Object.keys(entries))
      expect(packed.files).toEqual(expect.arrayContaining([`dist/${name}.js`, `dist/${name}.d.ts`]));
    for (const name of Object.keys(conditionalEntries)) expect(packed.files).toContain(`dist/${name}.js`);
  });

  it("every relative link of the README and of the documents it links to points at a file in the tarball", () => {
    const shipped = new Set(packed.files);
    const broken: string[] = [];
    const pending = ["README.md"];
    for (const doc of pending) {
      const text = readFileSync(join(root, doc), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
        const path = join(doc, "..", target!).replaceAll("\\", "/");
        if (!shipped.has(path)) broken.push(`${doc} -> ${target}`);
        else if (path.endsWith(".md") && !pending.includes(path)) pending.push(path);
      }
    }
    expect(broken).toEqual([]);
  });

  it("npm publish --dry-run on the clean copy publishes the same files and warns about nothing in the package", async () => {
    // --ignore-scripts: the copy's dist/ is what its prepack built for the tarball; building it again changes nothing.
    const result = assertOk(
      await run("npm", ["publish", "--dry-run", "--ignore-scripts", "--json"], { cwd: packed.clone, timeout: 120_000 }),
      "npm publish --dry-run",
    );
    const report = JSON.parse(result.stdout) as Record<string, { files: { path: string }[] }>;
    expect(report[pkgJson.name]!.files.map((f) => f.path).sort()).toEqual(packed.files);
    const warnings = result.stderr
      .split("\n")
      .filter((line) => /^npm (warn|error)/i.test(line))
      // About this machine (no registry login), not about the package.
      .filter((line) => !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  });

  it("npm publish --dry-run on a clean copy not yet built warns about nothing (npm reads package.json before prepack)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cae-publish-"));
    const clone = cleanCopy(join(dir, "clone"));
    // --ignore-scripts: only what npm says about package.json before building matters here.
    const result = assertOk(
      await run("npm", ["publish", "--dry-run", "--ignore-scripts"], { cwd: clone, timeout: 120_000 }).finally(() =>
        rmSync(dir, { recursive: true, force: true }),
      ),
      "npm publish --dry-run",
    );
    const warnings = result.stderr
      .split("\n")
      .filter((line) => /^npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  });

  it("publint (strict) finds nothing", async () => {
    const tarball = readFileSync(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: new Uint8Array(tarball).buffer },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, pkg) ?? m.code)).toEqual([]);
  });

  it("@arethetypeswrong/cli finds no problem under the ESM-only profile", async () => {
    const attw = join(root, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
    const result = await run(process.execPath, [attw, packed.tarball, "--profile", "esm-only", "--format", "json"], {
      timeout: 120_000,
    });
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { problems?: Record<string, { resolutionKind?: string }[]> };
    // The ESM-only profile ignores node10 and CommonJS `require` resolution; everything else must be clean.
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter((p) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs");
    expect(problems).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe("installed from the tarball into a fresh project", () => {
  it("every subpath of package.json's exports imports, each with exports of its own (./cli runs, as the bin)", async () => {
    const modules = subpaths.filter((subpath) => subpath !== "./cli");
    const script = `
      const counts = {};
      for (const subpath of ${JSON.stringify(modules)})
        counts[subpath] = Object.keys(await import(${JSON.stringify(pkgJson.name)} + subpath.slice(1))).length;
      console.log(JSON.stringify(counts));`;
    const result = assertOk(
      await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packed.consumer }),
      "node",
    );
    const counts = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(modules.sort());
    for (const [subpath, count] of Object.entries(counts)) expect(count, subpath).toBeGreaterThan(0);
    // The ./cli entry is the bin's module: importing it runs the CLI with the process's arguments.
    const cli = assertOk(
      await run(
        process.execPath,
        // After -e, node's argv[1] is the first argument: the script's name, as a bin would have it.
        ["--input-type=module", "-e", `await import("${pkgJson.name}/cli")`, "--", pkgJson.name, "--version"],
        { cwd: packed.consumer },
      ),
      "import cognito-auth-events/cli",
    );
    expect(cli.stdout.trim()).toBe(pkgJson.version);
  });

  it("every entry imports by its package name, with what each is for", async () => {
    const script = `
      const main = await import("cognito-auth-events");
      const lite = await import("cognito-auth-events/lite");
      const node = await import("cognito-auth-events/node");
      const emulator = await import("cognito-auth-events/emulator");
      const msw = await import("cognito-auth-events/msw");
      const { default: pkg } = await import("cognito-auth-events/package.json", { with: { type: "json" } });
      console.log(JSON.stringify({
        client: typeof main.CognitoIdentityProviderClient,
        paginate: typeof main.paginateAdminListUserAuthEvents,
        error: typeof main.UserNotFoundException,
        liteClient: typeof lite.CognitoIdentityProviderClient,
        litePaginate: typeof lite.paginateAdminListUserAuthEvents,
        // Under Node the default entry is its Node build and /lite the edge build's: their error classes match
        // each other's errors by shape id, as the AWS SDK's do.
        sameErrorClass:
          new lite.UserNotFoundException({ $metadata: {} }) instanceof main.UserNotFoundException &&
          new main.UserNotFoundException({ $metadata: {} }) instanceof lite.UserNotFoundException &&
          !(new lite.UserNotFoundException({ $metadata: {} }) instanceof main.TooManyRequestsException),
        loadSharedConfig: typeof node.loadSharedConfig,
        startEmulator: typeof emulator.startEmulator,
        handlers: typeof msw.createEmulatorHandlers,
        version: pkg.version,
        resolved: import.meta.resolve("cognito-auth-events"),
      }));`;
    const result = assertOk(
      await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packed.consumer }),
      "node",
    );
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(out).toMatchObject({
      client: "function",
      paginate: "function",
      error: "function",
      liteClient: "function",
      litePaginate: "function",
      sameErrorClass: true,
      loadSharedConfig: "function",
      startEmulator: "function",
      handlers: "function",
      version: pkgJson.version,
    });
    // From the consumer's node_modules, not the repository.
    expect(out.resolved).toBe(
      `file://${join(packed.consumer, "node_modules", "cognito-auth-events", "dist", "index.node.js")}`,
    );
  });

  it("the build carries its error base class (no @smithy import at run time) and its errors are instanceof the AWS SDK's both ways", async () => {
    const dist = join(packed.consumer, "node_modules", "cognito-auth-events", "dist");
    const code = readdirSync(dist)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(dist, f), "utf8"))
      .join("\n");
    expect(code).not.toMatch(/(from|import\(|require\()\s*["']@smithy\//);
    const sdk = pathToFileURL(
      join(root, "node_modules", "@aws-sdk", "client-cognito-identity-provider", "dist-cjs", "index.js"),
    ).href;
    // The package DESIGN.md names, as an AWS SDK user has it (the package bundles the class: none is installed with it).
    const smithyClient = pathToFileURL(createRequire(join(root, "package.json")).resolve("@smithy/smithy-client")).href;
    const script = `
      const pkg = await import("cognito-auth-events");
      const lite = await import("cognito-auth-events/lite");
      const sdk = await import(${JSON.stringify(sdk)});
      const { ServiceException } = await import(${JSON.stringify(smithyClient)});
      const ours = new pkg.UserNotFoundException({ message: "m", $metadata: {} });
      const theirs = new sdk.UserNotFoundException({ message: "m", $metadata: {} });
      console.log(JSON.stringify([
        ours instanceof sdk.UserNotFoundException, ours instanceof sdk.CognitoIdentityProviderServiceException, ours instanceof ServiceException,
        theirs instanceof pkg.UserNotFoundException, theirs instanceof lite.UserNotFoundException, theirs instanceof pkg.CognitoIdentityProviderServiceException,
        ours instanceof sdk.UserNotConfirmedException, theirs instanceof pkg.UserNotConfirmedException, ours.name, ours.$fault,
      ]));`;
    const result = assertOk(
      await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packed.consumer }),
      "node",
    );
    expect(JSON.parse(result.stdout)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      "UserNotFoundException",
      "client",
    ]);
  });

  it("files outside the exports map are not importable", async () => {
    const result = await run(
      process.execPath,
      ["--input-type=module", "-e", `await import("cognito-auth-events/dist/index.js")`],
      { cwd: packed.consumer },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("the default entry bundles for the browser platform without Node built-ins", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      stdin: { contents: `export * from "cognito-auth-events";`, resolveDir: packed.consumer },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((i) => i.startsWith("node:") || /\/node_modules\/(buffer|process|util|events)\//.test(i)),
    ).toEqual([]);
    expect(inputs.some((i) => i.includes("node_modules/cognito-auth-events/dist/"))).toBe(true);
  });

  it.each([
    ["the default entry", "."],
    ["cognito-auth-events/lite", "./lite"],
  ] as const)(
    "an edge Worker bundled from the installed package with %s is as small as from the source (tree-shaking survives the build)",
    async (_, subpath) => {
      const entry = subpath === "." ? pkgJson.name : `${pkgJson.name}/lite`;
      const gzipped = async (fromSource: boolean) => {
        const { build } = await import("esbuild");
        const result = await build({
          // The issue-7 Worker: all of a user's auth events, with pagination, retries and a typed error.
          stdin: { contents: workerSource(entry), loader: "ts", resolveDir: packed.consumer },
          bundle: true,
          minify: true,
          platform: "browser",
          format: "esm",
          write: false,
          logLevel: "silent",
          alias: fromSource ? sourceAliases() : {},
        });
        return gzipSync(result.outputFiles[0]!.text).length;
      };
      const [fromTarball, fromSource] = [await gzipped(false), await gzipped(true)];
      // A namespace object materialised in a shared chunk (`import * as S` used as a value) keeps every schema alive.
      expect(fromTarball, `tarball ${fromTarball} B gzip, source ${fromSource} B gzip`).toBeLessThanOrEqual(
        Math.ceil(fromSource * 1.02),
      );
      // What a user installs is what the budget is about.
      if (subpath === "./lite") expect(fromTarball).toBeLessThanOrEqual(GZIP_BUDGET);
    },
  );

  it("the bin has a shebang, is executable and runs", async () => {
    const bin = join(packed.consumer, "node_modules", ".bin", pkgJson.name);
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const result = assertOk(await run(bin, ["--version"], { cwd: packed.consumer }), "cognito-auth-events --version");
    expect(result.stdout.trim()).toBe(pkgJson.version);
  });
});

describe("TypeScript projects without Node's types (edge Workers)", () => {
  /** The published declarations reachable from a dist/ .d.ts file. */
  const declarations = (dist: string, file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(join(dist, file), "utf8");
    for (const match of text.matchAll(/from '\.\/([^']+)\.js'/g)) declarations(dist, `${match[1]}.d.ts`, seen);
    return seen;
  };

  it.each(["index", "lite"])("the %s entry's declarations import no package", (name) => {
    const dist = join(packed.consumer, "node_modules", pkgJson.name, "dist");
    const imports = [...declarations(dist, `${name}.d.ts`)].flatMap((file) =>
      [...readFileSync(join(dist, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*'([^'.][^']*)'/g)].map(
        (m) => `${file}: ${m[1]}`,
      ),
    );
    expect(imports).toEqual([]);
  });

  it.each([
    ["DOM", ["ES2022", "DOM"]],
    ["WebWorker", ["ES2022", "WebWorker"]],
  ])('the default and /lite entries type-check with "types": [] and skipLibCheck false (lib %s)', async (_, lib) => {
    const dir = mkdtempSync(join(packed.consumer, "tsc-"));
    try {
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "ESNext",
            moduleResolution: "Bundler",
            lib,
            types: [],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
          },
          files: ["worker.ts"],
        }),
      );
      writeFileSync(
        join(dir, "worker.ts"),
        `import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  paginateAdminListUserAuthEvents,
  RiskDecisionType,
  UserNotFoundException,
  type AuthEventType,
} from "cognito-auth-events";
import * as lite from "cognito-auth-events/lite";

const credentials = { accessKeyId: "AKID", secretAccessKey: "secret" };
const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials });
const liteClient = new lite.CognitoIdentityProviderClient({ region: "eu-west-1", credentials });

export async function blocked(UserPoolId: string, Username: string): Promise<boolean | undefined> {
  try {
    const page = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId, Username, MaxResults: 1 }));
    return page.AuthEvents?.[0]?.EventRisk?.RiskDecision === RiskDecisionType.Block;
  } catch (error) {
    if (error instanceof UserNotFoundException) return undefined;
    throw error;
  }
}

export async function all(UserPoolId: string, Username: string): Promise<AuthEventType[]> {
  const events: AuthEventType[] = [];
  for await (const page of lite.paginateAdminListUserAuthEvents({ client: liteClient }, { UserPoolId, Username }))
    events.push(...(page.AuthEvents ?? []));
  for await (const page of paginateAdminListUserAuthEvents({ client, maxItems: 5 }, { UserPoolId, Username }))
    events.push(...(page.AuthEvents ?? []));
  return events;
}
`,
      );
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const result = await run(process.execPath, [tsc, "-p", dir], { cwd: dir, timeout: 120_000 });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Deno, TypeScript source", () => {
  it("deno check passes on deno.json's exports", async () => {
    const deno = await runtimeBinary("deno");
    const files = Object.values(denoJson.exports);
    const result = await run(deno, ["check", "--quiet", ...files], { timeout: 120_000 });
    expect(result.stderr + result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("deno publish --dry-run on a clean copy accepts the TypeScript source for JSR, without a warning", async () => {
    const deno = await runtimeBinary("deno");
    const clone = cleanCopy(join(mkdtempSync(join(tmpdir(), "cae-jsr-")), "clone"));
    try {
      const result = await run(deno, ["publish", "--dry-run"], { cwd: clone, timeout: 180_000 });
      const output = result.stderr + result.stdout;
      expect(output).not.toMatch(/^(error|warning)/m);
      expect(output).toContain("Success Dry run complete");
      expect(result.code).toBe(0);
    } finally {
      rmSync(join(clone, ".."), { recursive: true, force: true });
    }
  }, 240_000);

  it("deno.json maps every package the source imports to its npm: specifier, at package.json's version", () => {
    const imported = new Set<string>();
    for (const file of trackedFiles().filter((f) => /^(src|generated)\/.*\.ts$/.test(f))) {
      // TypeScript's own scan: static imports, re-exports and dynamic imports with a literal specifier.
      const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
      for (const { fileName } of importedFiles)
        if (!fileName.startsWith(".") && !fileName.startsWith("node:")) imported.add(fileName);
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((specifier) => !(specifier in (denoJson.imports ?? {})))).toEqual([]);
    // A peer's range is what the published package accepts; the devDependency only pins the repository's copy.
    const versions = {
      ...(pkgJson.devDependencies as Record<string, string>),
      ...(pkgJson.dependencies as Record<string, string>),
      ...(pkgJson.peerDependencies as Record<string, string>),
    };
    for (const [specifier, target] of Object.entries(denoJson.imports)) {
      const npm = /^npm:((?:@[^/@]+\/)?[^/@]+)@([^/]+)(\/.*)?$/.exec(target);
      expect(npm, `${specifier}: ${target} is an npm: specifier with a version`).not.toBeNull();
      const [, name, range, subpath] = npm!;
      expect(`${name}${subpath ?? ""}`, `deno.json maps ${specifier}`).toBe(specifier);
      if (name! in versions) expect(range, `${name}'s version`).toBe(versions[name!]);
    }
  });
});
