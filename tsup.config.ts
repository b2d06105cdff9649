import { defineConfig } from "tsup";

/**
 * One ESM build with .d.ts. The default entry is edge-safe (no Node built-ins); Node-only code sits behind the
 * `./node`, `./cli`, `./emulator` and `./msw` subpaths.
 */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    emulator: "src/emulator/index.ts",
    msw: "src/emulator/msw.ts",
    cli: "src/cli/main.ts",
  },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  clean: true,
  splitting: true,
  treeshake: true,
  sourcemap: false,
  external: ["msw", "@smithy/smithy-client", "jmespath"],
  outDir: "dist",
});
