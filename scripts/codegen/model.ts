/**
 * Loads the Smithy JSON AST snapshot in `spec/`, checks it against its provenance record, and offers the
 * small lookups every emitter needs. One concept per helper, so each emitter reads like the spec.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface SmithyRef {
  target: string;
}
export interface SmithyMember extends SmithyRef {
  traits?: Record<string, unknown>;
}
export interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  input?: SmithyRef;
  output?: SmithyRef;
  errors?: SmithyRef[];
  operations?: SmithyRef[];
  traits?: Record<string, unknown>;
}
export interface Provenance {
  file: string;
  sha256: string;
  service: string;
  modelSyncDate: string;
  sourceRepository: string;
  sourcePath: string;
}

export interface Model {
  provenance: Provenance;
  sha256: string;
  namespace: string;
  serviceName: string;
  service: SmithyShape;
  shapes: Record<string, SmithyShape>;
}

export class SpecError extends Error {
  override name = "SpecError";
}

/** Reads `spec/`, refusing a model whose sha256 differs from the one recorded in `spec/provenance.json`. */
export function loadModel(specDir: string): Model {
  const provenance = JSON.parse(readFileSync(join(specDir, "provenance.json"), "utf8")) as Provenance;
  const bytes = readFileSync(join(specDir, provenance.file));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== provenance.sha256) {
    throw new SpecError(
      `spec/${provenance.file} has sha256 ${sha256}, but spec/provenance.json records ${provenance.sha256}. ` +
        "Update the provenance record (source, sync date, sha256) together with the model.",
    );
  }
  const ast = JSON.parse(bytes.toString("utf8")) as { smithy?: string; shapes?: Record<string, SmithyShape> };
  if (!ast.smithy?.startsWith("2.") || !ast.shapes) throw new SpecError("spec is not a Smithy 2.0 JSON AST");
  const service = ast.shapes[provenance.service];
  if (service?.type !== "service") throw new SpecError(`service shape ${provenance.service} not found in the spec`);
  const [namespace = "", serviceName = ""] = provenance.service.split("#");
  return { provenance, sha256, namespace, serviceName, service, shapes: ast.shapes };
}

/** `com.amazonaws.x#Name` -> `Name`; prelude shapes (`smithy.api#String`) likewise. */
export const shortName = (id: string): string => id.slice(id.indexOf("#") + 1);

export function shape(model: Model, id: string): SmithyShape {
  const found = model.shapes[id];
  if (found) return found;
  const prelude = PRELUDE[id];
  if (prelude) return prelude;
  throw new SpecError(`shape ${id} is referenced but not defined`);
}

const PRELUDE: Record<string, SmithyShape> = {
  "smithy.api#String": { type: "string" },
  "smithy.api#Boolean": { type: "boolean" },
  "smithy.api#PrimitiveBoolean": { type: "boolean" },
  "smithy.api#Integer": { type: "integer" },
  "smithy.api#PrimitiveInteger": { type: "integer" },
  "smithy.api#Long": { type: "long" },
  "smithy.api#PrimitiveLong": { type: "long" },
  "smithy.api#Double": { type: "double" },
  "smithy.api#Float": { type: "float" },
  "smithy.api#Timestamp": { type: "timestamp" },
  "smithy.api#Blob": { type: "blob" },
  "smithy.api#Document": { type: "document" },
  "smithy.api#Unit": { type: "structure", members: {} },
};

export const trait = <T = unknown>(s: { traits?: Record<string, unknown> } | undefined, name: string): T | undefined =>
  s?.traits?.[`smithy.api#${name}`] as T | undefined;

/** All operations of the service, sorted by name. */
export function operations(model: Model): Array<{ id: string; name: string; op: SmithyShape }> {
  return (model.service.operations ?? [])
    .map((ref) => ({ id: ref.target, name: shortName(ref.target), op: shape(model, ref.target) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Shape ids of the given type, sorted by short name. */
export function shapesOfType(model: Model, type: string): string[] {
  return Object.keys(model.shapes)
    .filter((id) => model.shapes[id]!.type === type)
    .sort((a, b) => (shortName(a) < shortName(b) ? -1 : shortName(a) > shortName(b) ? 1 : 0));
}

/**
 * The first sentence of a Smithy documentation string, HTML stripped and entities decoded, on one line.
 * Sentence ends at ". " followed by an upper-case letter or at the end of the first paragraph.
 */
export function firstSentence(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const firstParagraph = html.split(/<\/p>/i)[0] ?? html;
  const text = firstParagraph
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return undefined;
  const match = /^(.+?[.!?])(?=\s+[A-Z(])/.exec(text);
  // "*/" would end the TSDoc comment early.
  return (match ? match[1]! : text).replace(/\*\//g, "*\\/");
}

export const byKey = <T>(entries: Array<[string, T]>): Array<[string, T]> =>
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
