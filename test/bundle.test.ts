/**
 * The default entry is what edge bundles include: it must pull in no Node built-in, and a bundle that uses one
 * operation must carry only that operation's errors.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "cae-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(source: string) {
  const entry = join(dir, `entry-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    entry,
    source
      .replaceAll("PKG/lite", join(root, "src", "lite", "index.ts"))
      .replaceAll("PKG/report", join(root, "src", "report", "index.ts"))
      .replaceAll("PKG", join(root, "src", "index.ts")),
  );
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  const inputs = Object.keys(result.metafile.inputs);
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  // The inputs that put bytes in the bundle (the metafile lists every module reached, tree-shaken or not).
  const used = Object.values(result.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { code, inputs, used, imports, gzip: gzipSync(code).length };
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe("edge bundle of the default entry", () => {
  it("a worker that lists one page of a user's events imports no Node built-in", async () => {
    const { code, imports, inputs } = await bundle(`
      import { CognitoIdentityProviderClient, AdminListUserAuthEventsCommand } from "PKG";
      export default { async fetch() {
        const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
        const page = await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: "eu-west-1_a", Username: "u" }));
        return Response.json(page.AuthEvents);
      } };
    `);
    expect(imports.filter((i) => builtins.has(i))).toEqual([]);
    expect(inputs.filter((i) => /node_modules\/(buffer|process|crypto-browserify)/.test(i))).toEqual([]);
    expect(code).not.toMatch(/require\(["']node:/);
  });

  it("carries only the errors that operation can raise", async () => {
    const { code } = await bundle(`
      import { CognitoIdentityProviderClient, AdminListUserAuthEventsCommand } from "PKG";
      const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
      export const run = () => client.send(new AdminListUserAuthEventsCommand({ UserPoolId: "eu-west-1_a", Username: "u" }));
    `);
    expect(code).toContain("UserNotFoundException");
    expect(code).toContain("UserPoolAddOnNotEnabledException");
    // Errors of other operations only:
    expect(code).not.toContain("CodeMismatchException");
    expect(code).not.toContain("ExpiredCodeException");
    expect(code).not.toContain("AliasExistsException");
    // Other operations' commands:
    expect(code).not.toContain("AdminCreateUser");
  });

  it("carries neither the aggregated class nor the Node configuration (profiles, credential chain, request handlers)", async () => {
    const { used, code } = await bundle(`
      import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents } from "PKG";
      const client = new CognitoIdentityProviderClient({ region: "eu-west-1" });
      export const run = () => paginateAdminListUserAuthEvents({ client }, { UserPoolId: "eu-west-1_a", Username: "u" });
    `);
    const relative = used.map((i) => i.replace(/^.*?\/(src|generated)\//, "$1/"));
    expect(relative.filter((i) => /^src\/node\/|aggregated|request-handler/.test(i))).toEqual([]);
    expect(code).not.toContain("AdminCreateUser");
  });

  it("carries the aggregated class, and with it every command, only when it is used", async () => {
    const { used, code } = await bundle(`
      import { CognitoIdentityProvider } from "PKG";
      export const run = () => new CognitoIdentityProvider({ region: "eu-west-1" }).listUsers({ UserPoolId: "eu-west-1_a" });
    `);
    expect(used.some((i) => i.endsWith("generated/aggregated.ts"))).toBe(true);
    expect(code).toContain("AdminCreateUser");
    expect(used.filter((i) => /\/src\/node\//.test(i))).toEqual([]);
  });
});

describe("the report's drawing libraries stay out of the edge entries", () => {
  const d3 = (inputs: string[]) => inputs.filter((i) => /node_modules\/(d3-|internmap)/.test(i));

  it.each(["PKG", "PKG/lite"])("everything %s exports, bundled, includes no d3 module", async (entry) => {
    expect(d3((await bundle(`export * from "${entry}";`)).inputs)).toEqual([]);
  });

  it("the report entry does include them (the check above can see them)", async () => {
    expect(d3((await bundle(`export * from "PKG/report";`)).inputs)).toContain(
      "node_modules/d3-scale/dist/d3-scale.mjs",
    );
  });
});
