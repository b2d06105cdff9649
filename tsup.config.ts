import { rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

/**
 * One ESM build with .d.ts. The default entry and `./lite` are edge-safe (no Node built-ins); Node-only code sits behind the
 * `./node`, `./cli`, `./emulator` and `./msw` subpaths; `./report` (web globals, and d3's modules to draw) stands apart
 * from the edge entries. package.json's `exports` and deno.json's `exports` name the same entries
 * (test/package.test.ts checks all three stay in step).
 */
export const entries: Record<string, string> = {
  index: "src/index.ts",
  lite: "src/lite/index.ts",
  node: "src/node/index.ts",
  emulator: "src/emulator/index.ts",
  msw: "src/emulator/msw.ts",
  cli: "src/cli/main.ts",
  report: "src/report/index.ts",
};

/**
 * Builds behind an export condition rather than a subpath: `cognito-auth-events` under the `node`, `deno` and `bun`
 * conditions is the default entry with the clients that read the AWS SDK's Node configuration (shared config files,
 * the default credential chain); every other condition (`workerd`, `edge-light`, `worker`, `browser`, `default`)
 * gets the default entry, which carries none of it.
 */
export const conditionalEntries: Record<string, string> = {
  "index.node": "src/node/default-entry.ts",
  "index.node.module": "src/node/default-entry.ts",
};

/**
 * Packages whose code the build includes: devDependencies, since nothing published imports them (their declarations
 * are replaced by {@link DECLARATIONS_IN_PLACE_OF}'s). `@smithy/smithy-client` re-exports `ServiceException` from
 * `@smithy/core/client`, so both are listed: the class must not be loaded from either at run time.
 */
export const BUNDLED_DEPENDENCIES = ["@smithy/smithy-client", "@smithy/core"];

/**
 * Where the build takes a bundled import from. `@smithy/smithy-client`'s entry re-exports `ServiceException` from
 * `@smithy/core/client` next to modules that import `node:crypto`, which the build's tree-shaking would keep as a bare
 * `import "crypto"` (edge bundlers refuse it): the class is taken from where `@smithy/smithy-client` takes it, the
 * very same object.
 */
export const BUNDLED_ALIASES: Record<string, string> = { "@smithy/smithy-client": "@smithy/core/client" };

/** Imports the published .d.ts inlines from a file of this repository instead of importing the package. */
export const DECLARATIONS_IN_PLACE_OF: Record<string, string> = {
  "@smithy/core/client": "./types/service-exception.d.ts",
  "@smithy/smithy-client": "./types/service-exception.d.ts",
};

/** Optional packages loaded with a dynamic `import()` when a feature needs them; never bundled. */
const OPTIONAL_PACKAGES = ["@aws-sdk/credential-providers"];

/** A module of the source that a build takes from elsewhere at run time: `specifier`, left to the runtime. */
const elsewhere = (name: string, source: string, specifier: string): Plugin => ({
  name,
  setup(build) {
    const target = resolve(source);
    build.onResolve({ filter: /\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === target ? { path: specifier, external: true } : undefined,
    );
  },
});

/**
 * `./node` exports the clients of the `node` condition (src/node/client.ts): its build takes them from the package
 * itself, as `cognito-auth-events` (under Node, Deno and Bun, the Node build), so a program that imports both gets one
 * class, loaded once. From dist/node.js inside node_modules the package name resolves to the package.
 */
const clientsFromPackage = elsewhere("clients-from-package", "src/node/client.ts", "cognito-auth-events");

/**
 * The Node build loads src/node/lazy-chain.ts (the credential chain) when a request first needs it: as
 * dist/node-chain.js, built with `./node` (which carries the same modules), so that the Node build's own graph is one
 * file: its lazily loaded part would otherwise share modules with it, each a chunk the import would load.
 */
const lazyFromNodeBuild: Plugin[] = [elsewhere("chain-from-node-subpath", "src/node/lazy-chain.ts", "./node-chain.js")];

/** The .d.ts build's options. */
const dtsOptions = {
  compilerOptions: {
    // tsup's .d.ts build sets `baseUrl`, which TypeScript 6 deprecates (https://aka.ms/ts6).
    ignoreDeprecations: "6.0",
    // A devDependency's types resolved to a file of the repository are inlined (rollup-plugin-dts keeps imports of
    // packages, and tsup makes every dependency's import external).
    paths: Object.fromEntries(Object.entries(DECLARATIONS_IN_PLACE_OF).map(([name, file]) => [name, [file]])),
  },
};

/** A build's plugin that takes, for each module of `files` (source -> replacement), the replacement in its place. */
const inPlaceOf = (name: string, files: Record<string, string>): Plugin => ({
  name,
  setup(build) {
    const replacements = new Map(Object.entries(files).map(([from, to]) => [resolve(from), resolve(to)]));
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      const path = replacements.get(resolve(args.resolveDir, args.path));
      return path === undefined ? undefined : { path };
    });
  },
});

/**
 * The Node build exports src/node/lazy-tools.ts in place of src/tools.ts: stand-ins that load the tools
 * (dist/node-tools.js, {@link toolsFromNodeBuild}) when a program first uses one.
 */
const lazyTools = inPlaceOf("lazy-tools", { "src/tools.ts": "src/node/lazy-tools.ts" });

/**
 * The generated modules whose Node build form (`X.node.ts`, scripts/codegen/compact.ts) the Node build takes in their
 * place: the same classes, each made by one call from a row of data, so that there is less for Node to compile when the
 * package is imported unbundled. Other builds, and the .d.ts, take the written-out classes.
 */
export const COMPACT_MODULES = ["generated/commands.ts", "generated/errors.ts"];

const compactTables = inPlaceOf(
  "compact-tables",
  Object.fromEntries(COMPACT_MODULES.map((file) => [file, file.replace(/\.ts$/, ".node.ts")])),
);

/**
 * The modules of the default entry whose every export the tools use is one of the package's names: the tools' build
 * (dist/node-tools.js) takes them from the Node build that loads it, which hands them over under
 * {@link TOOLS_SHARED_KEY} while it requires the tools (src/node/lazy-tools.ts), so that the classes and constants the
 * tools use are the Node build's very objects. Not by importing the package: a loader that requires the tools as
 * CommonJS (tsx, Jest) would load a second copy of it. The rest of what the tools use (retry delays, resume tokens,
 * text widths: functions, no class the package exports) they carry a copy of. test/node-lazy-tools.test.ts checks
 * that dist/node-tools.js declares none of the package's names but the tools'.
 */
export const TOOLS_SHARED_MODULES = [
  "generated/commands.ts",
  "generated/paginators.ts",
  "src/errors.ts",
  "src/starting-token-error.ts",
  "src/audit/constants.ts",
  "src/feedback/constants.ts",
  "src/ocsf/constants.ts",
];

/**
 * The names the tools import from {@link TOOLS_SHARED_MODULES}, which the Node build hands over (src/node/lazy-tools.ts)
 * under the global key {@link TOOLS_SHARED_KEY} (a registered symbol) while it loads them. test/node-lazy-tools.test.ts
 * checks that the built tools read no other name from them.
 */
export const TOOLS_SHARED_NAMES = [
  "AdminUpdateAuthEventFeedbackCommand",
  "paginateAdminListUserAuthEvents",
  "paginateListUsers",
  "AbortError",
  "StartingTokenError",
  "AUDIT_QUOTAS",
  "AUDIT_STATE_KIND",
  "FEEDBACK_QUOTAS",
  "OCSF_VERSION",
];
export const TOOLS_SHARED_KEY = "cognito-auth-events/node-tools";

const toolsFromNodeBuild: Plugin = {
  name: "tools-from-node-build",
  setup(build) {
    const modules = TOOLS_SHARED_MODULES.map((file) => resolve(file));
    // All of them one module: what the Node build hands over.
    build.onResolve({ filter: /\.ts$/ }, (args) =>
      modules.includes(resolve(args.resolveDir, args.path)) ? { path: "node-build", namespace: "shared" } : undefined,
    );
    // A CommonJS module, so that the tools' named imports read the handed-over object's properties.
    build.onLoad({ filter: /.*/, namespace: "shared" }, () => ({
      loader: "js",
      contents: `var m = globalThis[Symbol.for(${JSON.stringify(TOOLS_SHARED_KEY)})];
if (!m || !${JSON.stringify(TOOLS_SHARED_NAMES)}.every((name) => name in m))
  throw new Error("cognito-auth-events: dist/node-tools.js is loaded by the package's Node build, not imported");
module.exports = m;`,
    }));
  },
};

/**
 * Six builds, each with its own copy of what it uses, so that importing the default entry unbundled in Node loads a
 * few files rather than the dozen chunks one build of every entry makes (each is a file a process resolves, reads
 * and compiles):
 * - the default entry's Node build, for runtimes: one file that imports no other module, with the generated commands
 *   and errors in their compact form ({@link compactTables}) and the shared files' reader; it loads the validation
 *   rules when a client validates, the credential chain when a request needs it, and the tools ({@link lazyTools})
 *   when a program first uses one;
 * - those tools, their own file, taking the package's classes from the Node build ({@link toolsFromNodeBuild});
 * - the same entry for bundlers (the `module` condition under `node`): one file with the tools, which a bundler
 *   includes only as far as the program uses them (the runtime's build loads them with a `require` bundlers do not
 *   follow);
 * - `./node`, whose clients are the Node build's very classes, imported from the package at run time
 *   ({@link clientsFromPackage}), and the rest (shared files, credential chain, transport) its own, with the part of
 *   it the Node build loads when a request needs it ({@link lazyFromNodeBuild});
 * - the edge build of the default entry with `./lite` (whose commands, error classes and enums are the default
 *   entry's very objects);
 * - the tools: the CLI, the emulator, the MSW handlers and the report.
 */
const BUILDS: ReadonlyArray<{ name: string; entries: readonly string[]; plugins?: Plugin[]; options?: Options }> = [
  // Whitespace and syntax minified, names kept (stack traces and class names read as written): Node compiles every
  // byte of it when the package is imported unbundled.
  {
    name: "node build",
    entries: ["index.node"],
    plugins: [...lazyFromNodeBuild, lazyTools, compactTables],
    options: { minifyWhitespace: true, minifySyntax: true },
  },
  {
    name: "node tools",
    entries: ["node-tools"],
    plugins: [toolsFromNodeBuild],
    options: { minifyWhitespace: true, minifySyntax: true, dts: false },
  },
  {
    name: "node build for bundlers",
    entries: ["index.node.module"],
    plugins: lazyFromNodeBuild,
    options: { minifyWhitespace: true, minifySyntax: true, dts: false },
  },
  { name: "node subpath", entries: ["node", "node-chain"], plugins: [clientsFromPackage] },
  { name: "edge", entries: ["index", "lite"] },
  { name: "tools", entries: ["cli", "emulator", "msw", "report"] },
];

const pick = (all: Record<string, string>, keep: (name: string) => boolean): Record<string, string> =>
  Object.fromEntries(Object.entries(all).filter(([name]) => keep(name)));

const common: Options = {
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: dtsOptions,
  // Both builds write to dist/: each cleaning it would race the other, so it is emptied once, below.
  clean: false,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  external: ["msw", "jmespath", ...OPTIONAL_PACKAGES],
  // The error base class (the AWS SDK's ServiceException, about 1 KB) is built in: loading its package at run time
  // costs an unbundled Node process time and memory (bench/). `instanceof` across this package and the AWS SDK works
  // through the class's own Symbol.hasInstance protocol, which exists for copies of the class in one program.
  noExternal: BUNDLED_DEPENDENCIES,
  esbuildOptions(options) {
    options.alias = BUNDLED_ALIASES;
  },
  outDir: "dist",
};

export default defineConfig(() => {
  rmSync("dist", { recursive: true, force: true });
  // Not subpaths of the package: the Node build imports them by their file names.
  const lazyParts = {
    "node-chain": "src/node/lazy-chain.ts",
    "node-tools": "src/tools.ts",
  };
  const all = { ...entries, ...conditionalEntries, ...lazyParts };
  return BUILDS.map(({ name, entries: names, plugins = [], options = {} }) => ({
    ...common,
    ...options,
    name,
    entry: pick(all, (entry) => names.includes(entry)),
    esbuildPlugins: plugins,
  }));
});
