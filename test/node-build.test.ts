/**
 * The Node build (`dist/index.node.js`, what `import "cognito-auth-events"` loads under Node, Deno and Bun) as
 * installed from the packed tarball: one file that loads no other module at import (a module it shared with a lazily
 * loaded part would be a chunk every import loads; a static import of a Node built-in costs every import), and the
 * shared config files it reads at the first request through `process.getBuiltinModule`, or, on a runtime without it,
 * through `import()`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertOk, type PackedPackage, packedPackage, run } from "../runtime-tests/harness.ts";

let packed: PackedPackage;
let home: string;
/** The `x-amz-target` of each request the server received. */
const targets: string[] = [];
const server = createServer((request, response) => {
  targets.push(String(request.headers["x-amz-target"]));
  request.resume().on("end", () => response.setHeader("content-type", "application/x-amz-json-1.1").end("{}"));
});
beforeAll(async () => {
  packed = await packedPackage();
  home = mkdtempSync(join(tmpdir(), "cae-node-build-"));
  writeFileSync(join(home, "config"), "[default]\nmax_attempts = 7\nretry_mode = adaptive\n");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
}, 300_000);
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const dist = () => join(packed.consumer, "node_modules", "cognito-auth-events", "dist");

/** The modules a built file loads when it is evaluated: its static imports and re-exports, side-effect ones too. */
const staticImports = (file: string) =>
  [...readFileSync(join(dist(), file), "utf8").matchAll(/^(?:import|export)\b[^;]*?["']([^"']+)["']/gm)].map(
    (m) => m[1],
  );

describe("the installed Node build", () => {
  it("is one file that loads no other module at import", () => {
    // The check sees a module where there is one: ./node re-exports the chunk it shares with the credential chain.
    expect(staticImports("node.js")).toContainEqual(expect.stringMatching(/^\.\/chunk-/));
    expect(staticImports("index.node.js")).toEqual([]);
  });

  it.each([
    ["with process.getBuiltinModule", ""],
    ["on a runtime without process.getBuiltinModule", "delete process.getBuiltinModule;"],
  ])("reads the shared config files at the first request and sends it, %s", async (_, prelude) => {
    const script = join(packed.consumer, `node-build-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(
      script,
      `${prelude}
      const { CognitoIdentityProviderClient, ListUsersCommand } = await import("cognito-auth-events");
      const client = new CognitoIdentityProviderClient({
        region: "eu-west-1",
        endpoint: process.env.TEST_ENDPOINT,
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
      });
      const output = await client.send(new ListUsersCommand({ UserPoolId: "eu-west-1_a" }));
      console.log(JSON.stringify({
        status: output.$metadata.httpStatusCode,
        maxAttempts: await client.config.maxAttempts(),
        retryMode: await client.config.retryMode(),
      }));`,
    );
    try {
      const { port } = server.address() as AddressInfo;
      const result = assertOk(
        await run(process.execPath, [script], {
          cwd: packed.consumer,
          env: {
            TEST_ENDPOINT: `http://127.0.0.1:${port}`,
            AWS_CONFIG_FILE: join(home, "config"),
            AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
            AWS_PROFILE: "",
            AWS_MAX_ATTEMPTS: "",
            AWS_RETRY_MODE: "",
          },
        }),
        "script",
      );
      expect(JSON.parse(result.stdout)).toEqual({ status: 200, maxAttempts: 7, retryMode: "adaptive" });
      expect(targets.pop()).toBe("AWSCognitoIdentityProviderService.ListUsers");
    } finally {
      rmSync(script, { force: true });
    }
  });
});
