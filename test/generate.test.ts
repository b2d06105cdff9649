import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import * as enums from "../generated/enums.ts";
import { errorTable } from "../generated/error-table.ts";
import * as errors from "../generated/errors.ts";
import { operations, paginators } from "../generated/operations.ts";
import * as commands from "../generated/commands.ts";
import * as plans from "../generated/plans.ts";
import * as schemas from "../generated/schemas.ts";
import { render } from "../scripts/generate.ts";
import { refresh, smithyNames as smithyNamesOf } from "../scripts/refresh-spec.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const specDir = join(root, "spec");

// The model, read independently of the generator's own model code: botocore's JSON and the Smithy names.
type Ref = { shape: string };
type Shape = {
  type: string;
  members?: Record<string, Ref>;
  required?: string[];
  enum?: string[];
  exception?: boolean;
  fault?: boolean;
  retryable?: object;
};
type Operation = { input?: Ref; output?: Ref; errors?: Ref[] };
const readSpec = <T>(file: string) => JSON.parse(readFileSync(join(specDir, file), "utf8")) as T;
const service = readSpec<{ shapes: Record<string, Shape>; operations: Record<string, Operation> }>("service-2.json");
const { shapes } = service;
const specPaginators = readSpec<{ pagination: Record<string, Record<string, string>> }>("paginators-1.json").pagination;
const smithyNames = readSpec<{ enumMembers: Record<string, Record<string, string>> }>("smithy-names.json");
const provenance = readSpec<{ smithyNamespace: string; botocoreVersion: string; modelDate: string }>("provenance.json");
const NS = `${provenance.smithyNamespace}#`;
const specEnums = Object.entries(shapes).filter(([, s]) => s.enum !== undefined);
const specOps = Object.keys(service.operations);
const specErrors = Object.entries(shapes).filter(([, s]) => s.exception);
/** The four operations this package is about. */
const AUTH_EVENT_OPERATIONS = [
  "AdminListUserAuthEvents",
  "AdminUpdateAuthEventFeedback",
  "ListUsers",
  "UpdateAuthEventFeedback",
];

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cae-gen-"));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe("the spec", () => {
  it("is botocore 1.43.107's model of 2026-10-01, 132 operations, with OperationNotEnabledException", () => {
    expect(provenance).toMatchObject({ botocoreVersion: "1.43.107", modelDate: "2026-10-01" });
    expect(specOps).toHaveLength(132);
    expect(shapes["OperationNotEnabledException"]).toMatchObject({ type: "structure", exception: true });
  });
});

describe("enums", () => {
  it("the spec has 60 enums and every one is generated", () => {
    expect(specEnums).toHaveLength(60);
    for (const [name] of specEnums) expect(enums, name).toHaveProperty(name);
  });

  it("every generated enum has exactly the spec's wire values, named as the Smithy model names them", () => {
    for (const [name, s] of specEnums) {
      const expected = Object.fromEntries(
        s.enum!.map((value) => [smithyNames.enumMembers[name]?.[value] ?? value, value]),
      );
      expect((enums as Record<string, unknown>)[name], name).toEqual(expected);
    }
  });

  it("every enum the AWS SDK v3 has is the same object here: member names and values", () => {
    let compared = 0;
    for (const [name] of specEnums) {
      const theirs = (Sdk as Record<string, unknown>)[name];
      if (theirs === undefined) continue;
      expect((enums as Record<string, unknown>)[name], name).toEqual(theirs);
      compared++;
    }
    expect(compared).toBe(specEnums.length);
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
  it("lists all 132 operations with their X-Amz-Target, input, output and errors", () => {
    expect(Object.keys(operations).sort()).toEqual([...specOps].sort());
    for (const name of specOps) {
      const op = service.operations[name]!;
      const row = operations[name as keyof typeof operations];
      expect(row.target).toBe(`AWSCognitoIdentityProviderService.${name}`);
      expect(row.input).toBe(op.input?.shape ?? "Unit");
      expect(row.output).toBe(op.output?.shape ?? "Unit");
      expect([...row.errors]).toEqual([...new Set((op.errors ?? []).map((e) => e.shape))].sort());
    }
  });

  it("the four auth-event operations can answer OperationNotEnabledException, as the model and the AWS SDK v3 say", () => {
    const sdkTypes = join(root, "node_modules/@aws-sdk/client-cognito-identity-provider/dist-types/commands");
    for (const name of AUTH_EVENT_OPERATIONS) {
      expect(service.operations[name]!.errors!.map((e) => e.shape)).toContain("OperationNotEnabledException");
      expect(operations[name as keyof typeof operations].errors).toContain("OperationNotEnabledException");
      const command = new (
        commands as Record<string, new (input: object) => { schema: { errors: readonly unknown[] } }>
      )[`${name}Command`]!({});
      expect(command.schema.errors).toContain(errors.OperationNotEnabledException);
      expect(readFileSync(join(sdkTypes, `${name}Command.d.ts`), "utf8")).toContain(
        "@throws {@link OperationNotEnabledException} (client fault)",
      );
    }
  });

  it("has the paginator of every paginated operation, from paginators-1.json", () => {
    expect(Object.keys(paginators).sort()).toEqual(Object.keys(specPaginators).sort());
    for (const [name, p] of Object.entries(specPaginators)) {
      expect(paginators[name as keyof typeof paginators]).toEqual({
        inputToken: p.input_token,
        outputToken: p.output_token,
        items: p.result_key,
        pageSize: p.limit_key,
      });
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
      type Schema = { name: string; errors: readonly { shapeId: string }[] };
      const Ctor = (commands as Record<string, new (input: object) => { schema: Schema }>)[`${name}Command`];
      expect(Ctor, name).toBeTypeOf("function");
      const cmd = new Ctor!({});
      expect(cmd.schema.name).toBe(name);
      expect(cmd.schema.errors.map((error) => error.shapeId.replace(/^.*#/, "")).sort()).toEqual([
        ...operations[name as keyof typeof operations].errors,
      ]);
    }
  });
});

describe("errors", () => {
  it("has a class and a table row for every modelled error, with its shape id and fault", () => {
    expect(Object.keys(errorTable).sort()).toEqual(specErrors.map(([name]) => name).sort());
    for (const [name, s] of specErrors) {
      const row = errorTable[name as keyof typeof errorTable];
      expect(row.shapeId).toBe(`${NS}${name}`);
      expect(row.fault).toBe(s.fault ? "server" : "client");
      expect(row.retryable).toBe(s.retryable !== undefined);
      type ErrorClass = { shapeId: string } & (new (o: object) => Error & { $fault: string });
      const Cls = (errors as unknown as Record<string, ErrorClass>)[name]!;
      expect(Cls.shapeId).toBe(`${NS}${name}`);
      const e = new Cls({ message: "m", $metadata: {} });
      expect(e).toBeInstanceOf(errors.CognitoIdentityProviderServiceException);
      expect(e.name).toBe(name);
      expect(e.$fault).toBe(s.fault ? "server" : "client");
      expect(e.message).toBe("m");
    }
  });

  it("OperationNotEnabledException is importable from both entries and is the AWS SDK's class both ways", async () => {
    const [full, lite] = [await import("../src/index.ts"), await import("../src/lite/index.ts")];
    expect(full.OperationNotEnabledException).toBe(errors.OperationNotEnabledException);
    expect(lite.OperationNotEnabledException).toBe(errors.OperationNotEnabledException);
    const ours = new full.OperationNotEnabledException({ message: "m", $metadata: {} });
    const theirs = new Sdk.OperationNotEnabledException({ message: "m", $metadata: {} });
    expect(ours).toBeInstanceOf(Sdk.OperationNotEnabledException);
    expect(theirs).toBeInstanceOf(full.OperationNotEnabledException);
    expect(ours).not.toBeInstanceOf(Sdk.UserNotFoundException);
    expect([ours.name, ours.$fault]).toEqual([theirs.name, theirs.$fault]);
  });
});

describe("plans", () => {
  it("knows where AdminListUserAuthEvents' timestamps are", () => {
    expect(plans.AdminListUserAuthEventsResponse$read).toEqual({
      AuthEvents: [{ CreationDate: 1, EventFeedback: { FeedbackDate: 1 } }],
    });
  });

  it("marks every sensitive member of an input, at any depth, and nothing else", () => {
    expect(plans.AdminListUserAuthEventsRequest$redact).toEqual({ Username: 1 });
    // AttributeType's Value is sensitive, its Name is not; lists of them keep the plan of one.
    expect(plans.AdminCreateUserRequest$redact).toEqual({
      Username: 1,
      UserAttributes: [{ Value: 1 }],
      ValidationData: [{ Value: 1 }],
      TemporaryPassword: 1,
    });
    // Every member the model marks sensitive in an operation's input has its plan, and no other does.
    for (const [name, op] of Object.entries(service.operations)) {
      const input = op.input?.shape;
      if (!input) continue;
      const members = shapes[input]!.members ?? {};
      const sensitive = Object.keys(members).filter(
        (m) => (shapes[members[m]!.shape] as { sensitive?: boolean }).sensitive,
      );
      const plan = (plans as Record<string, unknown>)[`${input}$redact`] as Record<string, unknown> | undefined;
      const marked = Object.entries(plan ?? {}).filter(([, p]) => p === 1);
      expect(marked.map(([m]) => m).sort(), name).toEqual(sensitive.sort());
    }
  });

  it("commands carry their read and redaction plans, and no validation rules", () => {
    const { schema } = new commands.AdminListUserAuthEventsCommand({ UserPoolId: "p", Username: "u" });
    expect(schema.read).toBe(plans.AdminListUserAuthEventsResponse$read);
    expect(schema.redact).toBe(plans.AdminListUserAuthEventsRequest$redact);
    expect(schema).not.toHaveProperty("rules");
  });
});

describe("schemas", () => {
  it("has every operation's input rules by operation name", () => {
    const withInput = specOps.filter((name) => service.operations[name]!.input);
    expect(Object.keys(schemas.inputRules).sort()).toEqual(withInput.sort());
    expect(schemas.inputRules["AdminListUserAuthEvents"]).toBe(schemas.AdminListUserAuthEventsRequest$rules);
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
      Object.keys(shapes["AuthEventType"]!.members!),
    );
  });
});

describe("generator", () => {
  // Rendering is CPU-bound (json-schema-to-typescript formats every structure): once here, shared by the tests.
  let rendered: Promise<Map<string, string>> | undefined;
  const renderOnce = () => (rendered ??= render());
  const CPU_BOUND = { timeout: 180_000 };

  it("is deterministic and matches the committed generated/ files", CPU_BOUND, async () => {
    const [a, b] = [await renderOnce(), await render()];
    expect([...a.entries()]).toEqual([...b.entries()]);
    for (const [name, body] of a) expect(readFileSync(join(root, "generated", name), "utf8"), name).toBe(body);
    expect(readdirSync(join(root, "generated")).sort()).toEqual([...a.keys()].sort());
  });

  it(
    "starts every file with the generator, the model's version, provenance.json's sha256 and 'Do not edit'",
    CPU_BOUND,
    async () => {
      const sha = createHash("sha256")
        .update(readFileSync(join(specDir, "provenance.json")))
        .digest("hex");
      for (const [, body] of await renderOnce()) {
        expect(body.split("\n")[0]).toBe(
          `// Generated by scripts/generate.ts from spec/ (botocore 1.43.107; provenance.json sha256 ${sha}). Do not edit.`,
        );
      }
    },
  );

  it("refuses a model file whose sha256 does not match its provenance record", async () => {
    const spec = tempDir();
    cpSync(specDir, spec, { recursive: true });
    const file = join(spec, "service-2.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"apiVersion":"2016-04-18"', '"apiVersion":"2016-04-19"'));
    await expect(render(spec)).rejects.toThrow(
      /spec\/service-2\.json has sha256 .* but spec\/provenance\.json records/,
    );
  });

  it("--check exits 1 naming the file when generated/ has drifted", CPU_BOUND, async () => {
    const out = tempDir();
    for (const [name, body] of await renderOnce()) writeFileSync(join(out, name), body);
    writeFileSync(join(out, "enums.ts"), `${readFileSync(join(out, "enums.ts"), "utf8")}// edited\n`);
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const failed = await run(tsx, ["scripts/generate.ts", "--check", "--out", out], { cwd: root }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/enums\.ts/);
    expect(failed.stderr).not.toMatch(/types\.ts/);
  });

  it("`npm run spec:refresh` from botocore's wheel writes this very spec/ and generated/", CPU_BOUND, async () => {
    // A wheel holding spec/'s files where botocore keeps them, gzipped where botocore gzips them.
    const data = "botocore/data/cognito-idp/2016-04-18/";
    const info = "botocore-1.43.107.dist-info/";
    const file = (name: string) => new Uint8Array(readFileSync(join(specDir, name)));
    const mtime = new Date(2026, 9, 1, 18, 8, 38);
    const wheel = join(tempDir(), "botocore-1.43.107-py3-none-any.whl");
    writeFileSync(
      wheel,
      zipSync(
        {
          [`${data}service-2.json.gz`]: gzipSync(file("service-2.json")),
          [`${data}paginators-1.json`]: file("paginators-1.json"),
          [`${data}endpoint-rule-set-1.json.gz`]: gzipSync(file("endpoint-rule-set-1.json")),
          [`${info}METADATA`]: new TextEncoder().encode("Metadata-Version: 2.1\nName: botocore\nVersion: 1.43.107\n"),
          [`${info}LICENSE.txt`]: file("LICENSE.txt"),
          [`${info}NOTICE`]: file("NOTICE"),
        },
        { mtime },
      ),
    );
    const [spec, out] = [tempDir(), tempDir()];
    // Without --smithy, the Smithy names in spec/ stay.
    for (const name of ["smithy-names.json", "provenance.json"]) cpSync(join(specDir, name), join(spec, name));
    const result = await refresh({ wheel, specDir: spec, outDir: out });
    expect(result).toEqual({ version: "1.43.107", modelDate: "2026-10-01", operations: 132, shapes: 636 });
    for (const name of readdirSync(specDir).filter((n) => n !== "README.md" && n !== "provenance.json"))
      expect(readFileSync(join(spec, name)), name).toEqual(readFileSync(join(specDir, name)));
    const ours = JSON.parse(readFileSync(join(specDir, "provenance.json"), "utf8"));
    const theirs = JSON.parse(readFileSync(join(spec, "provenance.json"), "utf8"));
    expect({ ...theirs, sourceSha256: "" }).toEqual({ ...ours, sourceSha256: "" });
    // The same code; the header differs only by the provenance record's sha256 (another wheel's bytes).
    const body = (text: string) => text.slice(text.indexOf("\n"));
    for (const [name, text] of await renderOnce())
      expect(body(readFileSync(join(out, name), "utf8")), name).toBe(body(text));
  });

  it("takes from a Smithy model the enum member names that are not their value, and the errors' HTTP statuses", () => {
    const ns = "com.example";
    const extracted = smithyNamesOf({
      shapes: {
        [`${ns}#Service`]: { type: "service" },
        [`${ns}#Kind`]: {
          type: "enum",
          members: {
            VALID: { traits: { "smithy.api#enumValue": "Valid" } },
            SignIn: { traits: { "smithy.api#enumValue": "SignIn" } },
          },
        },
        [`${ns}#Nope`]: { type: "structure", traits: { "smithy.api#error": "client", "smithy.api#httpError": 404 } },
        [`${ns}#Plain`]: { type: "structure" },
      },
    });
    expect(extracted).toEqual({
      namespace: ns,
      names: { enumMembers: { Kind: { Valid: "VALID" } }, errorHttpStatus: { Nope: 404 } },
    });
  });
});
