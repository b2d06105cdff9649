/**
 * The edge bundles' sizes: a Worker that lists all of a user's auth events with pagination, retries and a typed
 * error, bundled as an edge build does it (esbuild, browser platform, minified, ESM), then gzipped. One budget
 * applies to it written against `cognito-auth-events/lite` (the entry for edge functions that count bytes), another to
 * the same Worker against the default entry (environment defaults, logger, maxItems and resume tokens, ...). Prints raw
 * and gzip bytes and the inputs that weigh most.
 *
 * Usage: `npx tsx scripts/size.ts [--full] [--top N] [--json] [--messages] [--out bundle.js]` (`--full`: the default
 * entry's Worker; `--messages`: what the bundle's message texts weigh; `--out` writes the minified bundle, to read
 * it). Exits 1 when a bundle is past its limit.
 *
 * Per input it prints the minified bytes (esbuild's metafile) and the gzip bytes the bundle would lose without
 * them (attributed through the source map): gzip shares repeats across inputs, so the second column is the one
 * a budget is spent on.
 */
import { build } from "esbuild";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import ts from "typescript";

/**
 * The budget of the Worker written against `cognito-auth-events/lite`: what it measures, plus a small margin, so that
 * a change that adds bytes has to lower the size elsewhere or raise this figure, in the same commit. bench/report.ts
 * holds the target this budget is measured against.
 */
export const GZIP_BUDGET = 4096;

/**
 * The budget of the same Worker written against the default entry, which carries every feature its edge build has
 * (the AWS SDK's options honoured or refused by name, settings resolved at the first request, the SDK's errors and
 * `send` callback, the general SigV4 signer, environment credentials, endpoint rules, botocore's resume tokens and
 * starting-token semantics, the logger with redaction, clock-skew correction, request timeouts). What only Node
 * needs (input validation and its rules, the adaptive retry mode, `node:crypto` hashing, profiles and the credential
 * chain) is in the Node build, not here. As {@link GZIP_BUDGET}, what it measures plus a small margin; bench/report.ts
 * holds the target this budget is measured against.
 */
export const FULL_GZIP_BUDGET = 12_140;

/** The Worker measured, importing from `entry`: it lists all of a user's auth events with pagination, retries and typed errors. */
export const workerSource = (entry: string): string => `
import { CognitoIdentityProviderClient, paginateAdminListUserAuthEvents, UserNotFoundException } from "${entry}";
export default { async fetch(req: Request, env: any) {
  const client = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId: env.K, secretAccessKey: env.S } });
  const events = [];
  try {
    for await (const page of paginateAdminListUserAuthEvents({ client }, { UserPoolId: env.P, Username: env.U })) events.push(...(page.AuthEvents ?? []));
  } catch (e) { if (e instanceof UserNotFoundException) return new Response("no user", { status: 404 }); throw e; }
  return Response.json(events);
} };
`;

/** The Worker against `cognito-auth-events/lite` (the budget's). */
export const WORKER_SOURCE = workerSource("./src/lite/index.ts");

/** The Worker against the default entry (held to {@link FULL_GZIP_BUDGET}). */
export const FULL_WORKER_SOURCE = workerSource("./src/index.ts");

/** One measurement. */
export interface BundleSize {
  /** The minified bundle. */
  code: string;
  /** Bytes of the minified bundle. */
  raw: number;
  /** Bytes once gzipped (zlib's default level, as CDNs and size-limit measure). */
  gzip: number;
  /**
   * Per input (paths relative to the repository), largest gzip share first: `bytes` it contributes to the minified
   * bundle, and `gzip`, what the gzipped bundle would lose without those bytes.
   */
  inputs: { path: string; bytes: number; gzip: number }[];
}

/** Bundles `source` (imports resolve from the repository root) and measures it. */
export async function measure(source = WORKER_SOURCE): Promise<BundleSize> {
  const root = join(import.meta.dirname, "..");
  const result = await build({
    stdin: { contents: source, loader: "ts", resolveDir: root, sourcefile: "worker.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    sourcemap: "external",
    logLevel: "silent",
    outfile: "worker.js",
  });
  const code = result.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith(".map"))!.text) as SourceMap;
  const output = Object.values(result.metafile.outputs).find(
    (o) => o.entryPoint !== undefined || o.bytes === code.length,
  )!;
  const gzip = gzipSync(code).length;
  const owners = ownerOfEachChar(code, map);
  const inputs = Object.entries(output.inputs).map(([path, { bytesInOutput }]) => {
    const index = map.sources.findIndex((source) => source === path || source.endsWith(`/${path}`));
    // Source-map columns count UTF-16 code units, as string indexes do.
    const without = code
      .split("")
      .filter((_, i) => owners[i] !== index)
      .join("");
    return { path, bytes: bytesInOutput, gzip: index === -1 ? 0 : gzip - gzipSync(without).length };
  });
  inputs.sort((a, b) => b.gzip - a.gzip || b.bytes - a.bytes);
  return { code, raw: Buffer.byteLength(code), gzip, inputs };
}

interface SourceMap {
  sources: string[];
  mappings: string;
}

const VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** For each character of `code`, the index in `map.sources` of the source its mapping segment points at (-1: none). */
function ownerOfEachChar(code: string, map: SourceMap): number[] {
  const owners = new Array<number>(code.length).fill(-1);
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === "\n") lineStarts.push(i + 1);
  let source = 0;
  map.mappings.split(";").forEach((line, lineNo) => {
    let column = 0;
    const segments: [number, number][] = [];
    for (const segment of line.split(",")) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = VLQ.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length > 1) source += fields[1]!;
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    const start = lineStarts[lineNo] ?? code.length;
    const end = lineStarts[lineNo + 1] ?? code.length;
    segments.forEach(([col, src], i) => {
      const to = i + 1 < segments.length ? start + segments[i + 1]![0] : end;
      for (let c = start + col; c < to; c++) owners[c] = src;
    });
  });
  return owners;
}

/**
 * What the message texts of a minified bundle weigh: every string literal and template part that reads as a sentence
 * (two words, not a list of option names) emptied, the gzip bytes the bundle loses. It says how far deleting every
 * message would go, which no budget should count on: each names what went wrong.
 */
export function messageBytes(code: string): { texts: number; gzip: number; without: number } {
  const file = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const sentence = (text: string) =>
    /[a-z]{2,} [a-z(`"]/i.test(text) && (text.match(/\b[a-z]+[A-Z]\w*/g) ?? []).length < 2;
  const spans: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) &&
      sentence(node.text)
    ) {
      // The text between the delimiters: `"`, or the template's "`", "}" and "${".
      const start = node.getStart(file) + 1;
      const end = node.getEnd() - (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1);
      spans.push([start, end]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let without = code;
  for (const [start, end] of spans.sort((a, b) => b[0] - a[0])) without = without.slice(0, start) + without.slice(end);
  const gzip = gzipSync(code).length;
  const rest = gzipSync(without).length;
  return { texts: spans.length, gzip: gzip - rest, without: rest };
}

async function main(argv: string[]): Promise<void> {
  const topIndex = argv.indexOf("--top");
  const top = topIndex === -1 ? 12 : Number(argv[topIndex + 1]);
  const full = argv.includes("--full");
  const limit = full ? FULL_GZIP_BUDGET : GZIP_BUDGET;
  const size = await measure(full ? FULL_WORKER_SOURCE : WORKER_SOURCE);
  const outIndex = argv.indexOf("--out");
  if (outIndex !== -1) writeFileSync(argv[outIndex + 1] ?? "bundle.js", size.code);
  if (argv.includes("--json")) {
    console.log(
      JSON.stringify(
        { entry: full ? "." : "./lite", raw: size.raw, gzip: size.gzip, limit, inputs: size.inputs },
        null,
        2,
      ),
    );
    return;
  }
  const what = full
    ? `default entry (budget ${FULL_GZIP_BUDGET} B gzip)`
    : `cognito-auth-events/lite (budget ${GZIP_BUDGET} B gzip)`;
  console.log(`edge worker bundle, ${what}: ${size.raw} B raw, ${size.gzip} B gzip`);
  console.log("  bytes   gzip  input");
  for (const { path, bytes, gzip } of size.inputs.slice(0, top))
    console.log(`${String(bytes).padStart(7)} ${String(gzip).padStart(6)}  ${path}`);
  if (argv.includes("--messages")) {
    const messages = messageBytes(size.code);
    console.log(
      `message texts: ${messages.texts}, ${messages.gzip} B gzip; the bundle without any: ${messages.without} B gzip`,
    );
  }
  if (size.gzip > limit) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main(process.argv.slice(2));
