/**
 * Refreshes `spec/` from a botocore release, then regenerates `generated/`: one command.
 *
 *   npm run spec:refresh -- botocore-1.43.107-py3-none-any.whl [--smithy model.json [--smithy-source "where from"]]
 *
 * From the botocore wheel (`pip download botocore==X --no-deps --only-binary :all:`) it takes the service's model as
 * the AWS CLI and boto3 run on it (`botocore/data/cognito-idp/2016-04-18/`: service-2.json, paginators-1.json,
 * endpoint-rule-set-1.json, decompressed) and botocore's LICENSE.txt and NOTICE. With `--smithy`, a Smithy JSON AST
 * of the service (AWS's api-models-aws repository) supplies what botocore's JSON leaves out, into
 * smithy-names.json: enum member names that are not their value, and errors' HTTP statuses; without it, the
 * smithy-names.json in spec/ stays. spec/provenance.json records the sources, the model's date (the date the wheel
 * gives its model files) and every file's sha256, which the generator checks.
 *
 * `--spec DIR` and `--out DIR` (default spec/ and generated/) exist for the tests.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, inflateRawSync } from "node:zlib";
import { render } from "./generate.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SERVICE_PATH = "botocore/data/cognito-idp/2016-04-18/";
const MODEL_FILES = ["service-2.json", "paginators-1.json", "endpoint-rule-set-1.json"] as const;

const sha256 = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** One file of a zip archive: its bytes and its date (the archive's DOS date, as YYYY-MM-DD). */
interface ZipEntry {
  bytes: () => Buffer;
  date: string;
}

/** The files of a zip archive (a wheel), by name: stored or deflated entries, as wheels hold them. */
export function readZip(zip: Buffer): Map<string, ZipEntry> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive (no end of central directory)");
  const entries = new Map<string, ZipEntry>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt zip archive (central directory)");
    const method = zip.readUInt16LE(at + 10);
    const dosDate = zip.readUInt16LE(at + 14);
    const size = zip.readUInt32LE(at + 20);
    const [nameLength, extraLength, commentLength] = [28, 30, 32].map((o) => zip.readUInt16LE(at + o)) as [
      number,
      number,
      number,
    ];
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const date = `${(dosDate >> 9) + 1980}-${String((dosDate >> 5) & 15).padStart(2, "0")}-${String(dosDate & 31).padStart(2, "0")}`;
    entries.set(name, {
      date,
      bytes: () => {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + size);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${name}: zip compression method ${method} is not supported`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A model file of the wheel, decompressed when botocore ships it gzipped. */
function modelFile(entries: Map<string, ZipEntry>, file: string): { bytes: Buffer; date: string } {
  const plain = entries.get(`${SERVICE_PATH}${file}`);
  if (plain) return { bytes: plain.bytes(), date: plain.date };
  const gzipped = entries.get(`${SERVICE_PATH}${file}.gz`);
  if (gzipped) return { bytes: gunzipSync(gzipped.bytes()), date: gzipped.date };
  throw new Error(`the wheel has no ${SERVICE_PATH}${file}`);
}

/** What botocore's JSON leaves out, from a Smithy JSON AST: enum member names unlike their value, error statuses. */
export function smithyNames(ast: { shapes: Record<string, SmithyAstShape> }): {
  namespace: string;
  names: { enumMembers: Record<string, Record<string, string>>; errorHttpStatus: Record<string, number> };
} {
  const enumMembers: Record<string, Record<string, string>> = {};
  const errorHttpStatus: Record<string, number> = {};
  let namespace = "";
  for (const id of Object.keys(ast.shapes).sort()) {
    const s = ast.shapes[id]!;
    const name = id.slice(id.indexOf("#") + 1);
    if (s.type === "service") namespace = id.slice(0, id.indexOf("#"));
    if (s.type === "enum") {
      for (const [member, m] of Object.entries(s.members ?? {})) {
        const value = (m.traits?.["smithy.api#enumValue"] as string | undefined) ?? member;
        if (value !== member) enumMembers[name] = { ...enumMembers[name], [value]: member };
      }
    }
    const status = s.traits?.["smithy.api#httpError"];
    if (s.traits?.["smithy.api#error"] !== undefined && typeof status === "number") errorHttpStatus[name] = status;
  }
  if (!namespace) throw new Error("the Smithy model has no service shape");
  return { namespace, names: { enumMembers, errorHttpStatus } };
}

interface SmithyAstShape {
  type: string;
  members?: Record<string, { traits?: Record<string, unknown> }>;
  traits?: Record<string, unknown>;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes spec/ from the wheel (and the Smithy model), then generated/ from spec/. */
export async function refresh(options: {
  wheel: string;
  smithy?: string;
  /** Where the Smithy model came from (repository, path, commit), for the provenance record. */
  smithySource?: string;
  specDir: string;
  outDir: string;
}) {
  const wheelBytes = readFileSync(options.wheel);
  const entries = readZip(wheelBytes);
  const distInfo = [...entries.keys()].find((n) => /^botocore-[^/]+\.dist-info\/METADATA$/.test(n));
  const version = distInfo && /^Version: (.+)$/m.exec(entries.get(distInfo)!.bytes().toString("utf8"))?.[1]?.trim();
  if (!distInfo || !version) throw new Error(`${options.wheel} is not a botocore wheel (no botocore-*.dist-info)`);
  const files: Record<string, string> = {};
  const write = (file: string, bytes: Buffer | string) => {
    writeFileSync(join(options.specDir, file), bytes);
    files[file] = sha256(bytes);
  };
  mkdirSync(options.specDir, { recursive: true });
  let modelDate = "";
  for (const file of MODEL_FILES) {
    const { bytes, date } = modelFile(entries, file);
    write(file, bytes);
    modelDate = file === "service-2.json" ? date : modelDate;
  }
  for (const file of ["LICENSE.txt", "NOTICE"]) {
    const entry = entries.get(distInfo.replace("METADATA", file));
    if (!entry) throw new Error(`the wheel has no ${file}`);
    write(file, entry.bytes());
  }

  const previousPath = join(options.specDir, "provenance.json");
  const previous = existsSync(previousPath)
    ? (JSON.parse(readFileSync(previousPath, "utf8")) as Record<string, unknown>)
    : {};
  let smithySource = previous["smithyNames"];
  let namespace = previous["smithyNamespace"] as string | undefined;
  if (options.smithy) {
    const astBytes = readFileSync(options.smithy);
    const extracted = smithyNames(JSON.parse(astBytes.toString("utf8")));
    write("smithy-names.json", json(extracted.names));
    namespace = extracted.namespace;
    smithySource = {
      source: options.smithySource ?? `${basename(options.smithy)}, a Smithy JSON AST of the service`,
      sha256: sha256(astBytes),
      file: "smithy-names.json",
    };
  } else {
    const names = join(options.specDir, "smithy-names.json");
    if (!existsSync(names) || !namespace) throw new Error("spec/ has no smithy-names.json yet: pass --smithy");
    files["smithy-names.json"] = sha256(readFileSync(names));
  }

  const provenance = {
    model: "Amazon Cognito user pools (cognito-idp, API version 2016-04-18), botocore's JSON model",
    botocoreVersion: version,
    modelDate,
    modelDateSource: "the date the botocore wheel gives its model files",
    source: `${basename(options.wheel)}: ${SERVICE_PATH} (service-2.json and endpoint-rule-set-1.json gunzipped)`,
    sourceSha256: sha256(wheelBytes),
    smithyNamespace: namespace,
    smithyNames: smithySource,
    license: "Apache-2.0 (LICENSE.txt and NOTICE beside this file, from the same wheel)",
    refresh: "npm run spec:refresh -- <botocore wheel> [--smithy <Smithy JSON AST>]",
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  writeFileSync(previousPath, json(provenance));

  const generated = await render(options.specDir);
  mkdirSync(options.outDir, { recursive: true });
  for (const [name, body] of generated) writeFileSync(join(options.outDir, name), body);
  const service = JSON.parse(readFileSync(join(options.specDir, "service-2.json"), "utf8")) as {
    operations: object;
    shapes: object;
  };
  return {
    version,
    modelDate,
    operations: Object.keys(service.operations).length,
    shapes: Object.keys(service.shapes).length,
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const wheel = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (!wheel) {
    console.error("usage: npm run spec:refresh -- <botocore wheel (.whl)> [--smithy <Smithy JSON AST>]");
    return 2;
  }
  const smithy = flag("--smithy");
  const smithySource = flag("--smithy-source");
  const result = await refresh({
    wheel,
    ...(smithy ? { smithy } : {}),
    ...(smithySource ? { smithySource } : {}),
    specDir: flag("--spec") ?? join(root, "spec"),
    outDir: flag("--out") ?? join(root, "generated"),
  });
  console.log(
    `spec/: botocore ${result.version} (model of ${result.modelDate}), ${result.operations} operations, ` +
      `${result.shapes} shapes; generated/ rewritten. Review the diff, then update the README's figures.`,
  );
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
