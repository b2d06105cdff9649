import { rmSync } from "node:fs";
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
 * The library's entries (the default entry in both builds, `./lite`, `./node`) are built together, so they share one
 * copy of every class (the lite entry's error classes, enums and commands are the default entry's very objects, and
 * `./node` gives the very clients of the `node` condition). The tools (CLI, emulator, MSW handlers, report) are built
 * apart with their own copy: were they in the same build, the code each shares with a few of the library's entries
 * would become more chunks, and importing the default entry unbundled would load a dozen files instead of a few.
 */
const LIBRARY = new Set(["index", "lite", "node"]);

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
  return [
    {
      ...common,
      name: "node build",
      entry: pick(all, (name) => name === "index.node"),
      minifyWhitespace: true,
      minifySyntax: true,
    },
    { ...common, name: "library", entry: pick(all, (name) => LIBRARY.has(name)) },
    { ...common, name: "tools", entry: pick(all, (name) => name !== "index.node" && !LIBRARY.has(name)) },
  ];
});
