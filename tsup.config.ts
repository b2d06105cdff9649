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
};

/**
 * Dependencies whose code the build includes (their types stay imports of the dependency). `@smithy/smithy-client`
 * re-exports `ServiceException` from `@smithy/core/client`, so both are listed: the class must not be loaded from
 * either at run time.
 */
export const BUNDLED_DEPENDENCIES = ["@smithy/smithy-client", "@smithy/core"];

/**
 * Where the build takes a bundled import from. `@smithy/smithy-client`'s entry re-exports `ServiceException` from
 * `@smithy/core/client` next to modules that import `node:crypto`, which the build's tree-shaking would keep as a bare
 * `import "crypto"` (edge bundlers refuse it): the class is taken from where `@smithy/smithy-client` takes it, the
 * very same object.
 */
export const BUNDLED_ALIASES: Record<string, string> = { "@smithy/smithy-client": "@smithy/core/client" };

/**
 * `./node` exports the clients of the `node` condition (src/node/client.ts): its build takes them from the package
 * itself, as `cognito-auth-events` (under Node, Deno and Bun, the Node build), so a program that imports both gets one
 * class, loaded once. From dist/node.js inside node_modules the package name resolves to the package.
 */
const clientsFromPackage: Plugin = {
  name: "clients-from-package",
  setup(build) {
    const clients = resolve("src/node/client.ts");
    build.onResolve({ filter: /client\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === clients ? { path: "cognito-auth-events", external: true } : undefined,
    );
  },
};

/**
 * Four builds, each with its own copy of what it uses, so that importing the default entry unbundled in Node loads a
 * few files rather than the dozen chunks one build of every entry makes (each is a file a process resolves, reads
 * and compiles):
 * - the default entry's Node build, alone (its lazily loaded parts become chunks of their own);
 * - `./node`, whose clients are the Node build's very classes, imported from the package at run time
 *   ({@link clientsFromPackage}), and the rest (shared files, credential chain, transport) its own;
 * - the edge build of the default entry with `./lite` (whose commands, error classes and enums are the default
 *   entry's very objects);
 * - the tools: the CLI, the emulator, the MSW handlers and the report.
 */
const BUILDS: ReadonlyArray<{ name: string; entries: readonly string[]; plugins?: Plugin[] }> = [
  { name: "node build", entries: ["index.node"] },
  { name: "node subpath", entries: ["node"], plugins: [clientsFromPackage] },
  { name: "edge", entries: ["index", "lite"] },
  { name: "tools", entries: ["cli", "emulator", "msw", "report"] },
];

const pick = (all: Record<string, string>, keep: (name: string) => boolean): Record<string, string> =>
  Object.fromEntries(Object.entries(all).filter(([name]) => keep(name)));

const common: Options = {
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: {
    // tsup's .d.ts build sets `baseUrl`, which TypeScript 6 deprecates (https://aka.ms/ts6).
    compilerOptions: { ignoreDeprecations: "6.0" },
  },
  // Both builds write to dist/: each cleaning it would race the other, so it is emptied once, below.
  clean: false,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  external: ["msw", "jmespath"],
  // The error base class (@smithy/smithy-client's ServiceException, about 1 KB) is built in: loading it at
  // run time costs an unbundled Node process ~17 ms and ~7 MiB (bench/). Its types still come from the dependency,
  // and `instanceof` across this package and the AWS SDK works through the class's own Symbol.hasInstance protocol,
  // which exists for copies of the class in one program.
  noExternal: BUNDLED_DEPENDENCIES,
  esbuildOptions(options) {
    options.alias = BUNDLED_ALIASES;
  },
  outDir: "dist",
};

export default defineConfig(() => {
  rmSync("dist", { recursive: true, force: true });
  const all = { ...entries, ...conditionalEntries };
  return BUILDS.map(({ name, entries: names, plugins = [] }) => ({
    ...common,
    name,
    entry: pick(all, (entry) => names.includes(entry)),
    esbuildPlugins: plugins,
  }));
});
