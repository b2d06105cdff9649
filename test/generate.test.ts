import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import * as enums from "../generated/enums.ts";
import { errorTable } from "../generated/errors.ts";
import * as errors from "../generated/errors.ts";
import { operations, paginators } from "../generated/operations.ts";
import * as commands from "../generated/commands.ts";
import * as schemas from "../generated/schemas.ts";
import { render } from "../scripts/generate.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const specFile = join(root, "spec", "cognito-identity-provider-2016-04-18.json");

// The spec, read independently of the generator's own model code.
type Shape = {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  traits?: Record<string, any>;
  operations?: { target: string }[];
  errors?: { target: string }[];
};
const shapes = (JSON.parse(readFileSync(specFile, "utf8")) as { shapes: Record<string, Shape> }).shapes;
const NS = "com.amazonaws.cognitoidentityprovider#";
const local = (id: string) => id.slice(id.indexOf("#") + 1);
const specEnums = Object.entries(shapes).filter(([, s]) => s.type === "enum");
const service = shapes[`${NS}AWSCognitoIdentityProviderService`]!;
const specOps = service.operations!.map((o) => local(o.target));
const specErrors = Object.entries(shapes).filter(([, s]) => s.traits?.["smithy.api#error"]);

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cae-gen-"));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("enums", () => {
  it("the spec has 48 enums and every one is generated", () => {
    expect(specEnums).toHaveLength(48);
    for (const [id] of specEnums) expect(enums, local(id)).toHaveProperty(local(id));
  });

  it("every generated enum has exactly the spec's member names and wire values", () => {
    for (const [id, s] of specEnums) {
      const expected = Object.fromEntries(
        Object.entries(s.members!).map(([name, m]) => [name, (m.traits?.["smithy.api#enumValue"] as string) ?? name]),
      );
      expect((enums as Record<string, unknown>)[local(id)], local(id)).toEqual(expected);
    }
  });

  it("the auth-event enums carry the wire values users compare against", () => {
    expect(Object.values(enums.EventType).sort()).toEqual([
      "ForgotPassword",
      "PasswordChange",
      "ResendCode",
      "SignIn",
      "SignUp",
    ]);
    expect(Object.values(enums.RiskDecisionType).sort()).toEqual(["AccountTakeover", "Block", "NoRisk"]);
    expect(Object.values(enums.RiskLevelType).sort()).toEqual(["High", "Low", "Medium"]);
    expect(Object.values(enums.EventResponseType).sort()).toEqual(["Fail", "InProgress", "Pass"]);
    expect(enums.FeedbackValueType).toEqual({ INVALID: "Invalid", VALID: "Valid" });
  });
});

describe("operation table", () => {
  it("lists all 114 operations with their X-Amz-Target, input, output and errors", () => {
    expect(specOps).toHaveLength(114);
    expect(Object.keys(operations).sort()).toEqual([...specOps].sort());
    for (const name of specOps) {
      const s = shapes[`${NS}${name}`]!;
      const row = operations[name as keyof typeof operations];
      expect(row.target).toBe(`AWSCognitoIdentityProviderService.${name}`);
      expect(row.input).toBe(local((s as any).input.target));
      expect(row.output).toBe(local((s as any).output.target));
      expect([...row.errors]).toEqual((s.errors ?? []).map((e) => local(e.target)).sort());
    }
  });

  it("has the paginator of every paginated operation, from smithy.api#paginated", () => {
    const paginated = specOps.filter((n) => shapes[`${NS}${n}`]!.traits?.["smithy.api#paginated"]);
    expect(paginated).toHaveLength(9);
    expect(Object.keys(paginators).sort()).toEqual(paginated.sort());
    for (const n of paginated) {
      expect(paginators[n as keyof typeof paginators]).toEqual(shapes[`${NS}${n}`]!.traits!["smithy.api#paginated"]);
    }
    expect(paginators.ListUsers).toEqual({
      inputToken: "PaginationToken",
      outputToken: "PaginationToken",
      items: "Users",
      pageSize: "Limit",
    });
    expect(paginators.AdminListUserAuthEvents).toEqual({
      inputToken: "NextToken",
      outputToken: "NextToken",
      items: "AuthEvents",
      pageSize: "MaxResults",
    });
  });

  it("has a Command class for every operation, naming its modelled errors", () => {
    for (const name of specOps) {
      const Ctor = (commands as Record<string, any>)[`${name}Command`];
      expect(Ctor, name).toBeTypeOf("function");
      const cmd = new Ctor({});
      expect(cmd.schema.name).toBe(name);
      expect(Object.keys(cmd.schema.errors).sort()).toEqual([...operations[name as keyof typeof operations].errors]);
    }
  });
});

describe("errors", () => {
  it("has a class and a table row for every modelled error, with its shape id and fault", () => {
    expect(Object.keys(errorTable).sort()).toEqual(specErrors.map(([id]) => local(id)).sort());
    for (const [id, s] of specErrors) {
      const row = errorTable[local(id) as keyof typeof errorTable];
      expect(row.shapeId).toBe(id);
      expect(row.fault).toBe(s.traits!["smithy.api#error"]);
      expect(row.retryable).toBe(s.traits!["smithy.api#retryable"] !== undefined);
      const Cls = (errors as Record<string, any>)[local(id)];
      expect(Cls.shapeId).toBe(id);
      const e = new Cls({ message: "m", $metadata: {} });
      expect(e).toBeInstanceOf(errors.CognitoIdentityProviderServiceException);
      expect(e.name).toBe(local(id));
      expect(e.$fault).toBe(s.traits!["smithy.api#error"]);
      expect(e.message).toBe("m");
    }
  });
});

describe("schemas", () => {
  it("knows where AdminListUserAuthEvents' timestamps are", () => {
    expect(schemas.AdminListUserAuthEventsResponse$read).toEqual({
      AuthEvents: [{ CreationDate: 1, EventFeedback: { FeedbackDate: 1 } }],
    });
  });

  it("carries the input constraints of AdminListUserAuthEvents, with Username marked sensitive", () => {
    expect(schemas.AdminListUserAuthEventsRequest$rules).toMatchObject({
      UserPoolId: { required: true, length: [1, 55], pattern: "^[\\w-]+_[0-9a-zA-Z]+$" },
      Username: { required: true, length: [1, 128], sensitive: true },
      MaxResults: { range: [0, 60] },
    });
  });

  it("every pattern in the spec compiles as a Unicode regular expression", () => {
    const patterns = new Set<[string, string]>();
    const walk = (r: schemas.Rule) => {
      if (r.pattern) patterns.add([r.pattern, `u${r.flags ?? ""}`]);
      if (r.items) walk(r.items);
      Object.values(r.members ?? {}).forEach(walk);
    };
    for (const [k, v] of Object.entries(schemas))
      if (k.endsWith("$rules")) Object.values(v as schemas.Rules).forEach(walk);
    expect(patterns.size).toBeGreaterThan(20);
    for (const [p, flags] of patterns) expect(() => new RegExp(p, flags), p).not.toThrow();
  });

  it("lists output members in the model's order for the CLI", () => {
    const s = schemas.shapes.AuthEventType;
    expect(s?.type).toBe("structure");
    expect(s?.type === "structure" && s.members.map(([n]) => n)).toEqual(
      Object.keys(shapes[`${NS}AuthEventType`]!.members!),
    );
  });
});

describe("generator", () => {
  it("is deterministic and matches the committed generated/ files", async () => {
    const [a, b] = [await render(), await render()];
    expect([...a.entries()]).toEqual([...b.entries()]);
    for (const [name, body] of a) expect(readFileSync(join(root, "generated", name), "utf8"), name).toBe(body);
    expect(readdirSync(join(root, "generated")).sort()).toEqual([...a.keys()].sort());
  });

  it("starts every file with the generator, the spec's sha256 and 'Do not edit'", async () => {
    const sha = JSON.parse(readFileSync(join(root, "spec", "provenance.json"), "utf8")).sha256;
    for (const [, body] of await render()) {
      expect(body.split("\n")[0]).toBe(
        `// Generated by scripts/generate.ts from spec/cognito-identity-provider-2016-04-18.json (sha256 ${sha}). Do not edit.`,
      );
    }
  });

  it("refuses a spec whose sha256 does not match its provenance record", async () => {
    const spec = tempDir();
    cpSync(join(root, "spec"), spec, { recursive: true });
    const file = join(spec, "cognito-identity-provider-2016-04-18.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"version": "2016-04-18"', '"version": "2016-04-19"'));
    await expect(render(spec)).rejects.toThrow(/sha256 .* but spec\/provenance\.json records/);
  });

  it("--check exits 1 naming the file when generated/ has drifted, and 0 when it has not", async () => {
    const out = tempDir();
    const tsx = join(root, "node_modules", ".bin", "tsx");
    await run(tsx, ["scripts/generate.ts", "--out", out], { cwd: root });
    await expect(run(tsx, ["scripts/generate.ts", "--check", "--out", out], { cwd: root })).resolves.toBeTruthy();
    writeFileSync(join(out, "enums.ts"), `${readFileSync(join(out, "enums.ts"), "utf8")}// edited\n`);
    const failed = await run(tsx, ["scripts/generate.ts", "--check", "--out", out], { cwd: root }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/enums\.ts/);
  });
});
