import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    env: {
      // The AWS SDK (a devDependency the differential tests compare with) warns on every Node < 22 process it loads
      // in that its future versions will need Node 22: not about this package, and noise in the test output.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
