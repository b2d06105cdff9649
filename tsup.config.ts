import { defineConfig } from "tsup";

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

/** Dependencies whose code the build includes (their types stay imports of the dependency). */
export const BUNDLED_DEPENDENCIES = ["@smithy/core"];

export default defineConfig({
  entry: entries,
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: {
    // tsup's .d.ts build sets `baseUrl`, which TypeScript 6 deprecates (https://aka.ms/ts6).
    compilerOptions: { ignoreDeprecations: "6.0" },
  },
  clean: true,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  external: ["msw", "jmespath"],
  // The error base class (@smithy/core's ServiceException, about 1 KB) is built in: loading @smithy/core/client at
  // run time costs an unbundled Node process ~17 ms and ~7 MiB (bench/). Its types still come from the dependency,
  // and `instanceof` across this package and the AWS SDK works through the class's own Symbol.hasInstance protocol,
  // which exists for copies of the class in one program.
  noExternal: BUNDLED_DEPENDENCIES,
  outDir: "dist",
});
