/**
 * Loads the service model in `spec/`: botocore's JSON (`service-2.json`, `paginators-1.json`, what the AWS CLI and
 * boto3 run on) and `smithy-names.json` (the Smithy names botocore's JSON leaves out), checks every file against
 * `spec/provenance.json`, and offers the small lookups every emitter needs, in botocore's terms. One concept per
 * helper, so each emitter reads like the model.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A reference to a shape: a structure member, a list member, a map key or value, an operation's input... */
export interface ShapeRef {
  shape: string;
  documentation?: string;
  deprecated?: boolean;
}

/** A shape of botocore's `service-2.json`. */
export interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  /** The values of an enum (a string shape with `enum`). */
  enum?: string[];
  /** Length (strings, blobs, lists, maps) or range (numbers), by the shape's type. */
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  documentation?: string;
  deprecated?: boolean;
  /** An error structure; `fault` marks the server's errors. */
  exception?: boolean;
  fault?: boolean;
  retryable?: { throttling?: boolean };
  error?: { httpStatusCode?: number };
  /** A structure that stands for a Smithy document (any JSON value), or a union. */
  document?: boolean;
  union?: boolean;
}

/** An operation of `service-2.json`. */
export interface Operation {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  documentation?: string;
  deprecated?: boolean;
  /** `none` (with `auth: ["smithy.api#noAuth"]`): sent unsigned, its input carries its own token. */
  authtype?: string;
  auth?: string[];
}

/** An entry of `paginators-1.json`. */
export interface BotocorePaginator {
  input_token: string | string[];
  output_token: string | string[];
  limit_key?: string;
  result_key?: string | string[];
}

/** What botocore's JSON does not carry, from the Smithy model (scripts/refresh-spec.ts writes it). */
export interface SmithyNames {
  /** Enum -> wire value -> Smithy member name, where the name is not the value itself. */
  enumMembers: Record<string, Record<string, string>>;
  /** Error -> `smithy.api#httpError`. */
  errorHttpStatus: Record<string, number>;
}

export interface Provenance {
  /** Each file of the model in spec/, with its sha256. */
  files: Record<string, string>;
  botocoreVersion: string;
  modelDate: string;
  /** The Smithy namespace of the service's shape ids (`com.amazonaws.cognitoidentityprovider`). */
  smithyNamespace: string;
  [key: string]: unknown;
}

export interface Model {
  provenance: Provenance;
  /** sha256 of spec/provenance.json, which holds every model file's sha256. */
  sha256: string;
  /** Smithy namespace, for shape ids (`com.amazonaws.cognitoidentityprovider`). */
  namespace: string;
  /** The X-Amz-Target prefix (`AWSCognitoIdentityProviderService`). */
  serviceName: string;
  shapes: Record<string, Shape>;
  operations: Record<string, Operation>;
  paginators: Record<string, BotocorePaginator>;
  names: SmithyNames;
}

export class SpecError extends Error {
  override name = "SpecError";
}

const sha256 = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** Reads `spec/`, refusing a file whose sha256 differs from the one `spec/provenance.json` records. */
export function loadModel(specDir: string): Model {
  const provenanceBytes = readFileSync(join(specDir, "provenance.json"));
  const provenance = JSON.parse(provenanceBytes.toString("utf8")) as Provenance;
  const read = <T>(file: string): T => {
    const recorded = provenance.files?.[file];
    if (!recorded) throw new SpecError(`spec/provenance.json records no sha256 for ${file}`);
    const bytes = readFileSync(join(specDir, file));
    if (sha256(bytes) !== recorded) {
      throw new SpecError(
        `spec/${file} has sha256 ${sha256(bytes)}, but spec/provenance.json records ${recorded}. ` +
          "Refresh the model with `npm run spec:refresh`, which writes both.",
      );
    }
    return JSON.parse(bytes.toString("utf8")) as T;
  };
  const service = read<{
    metadata?: Record<string, string>;
    operations?: Record<string, Operation>;
    shapes?: Record<string, Shape>;
  }>("service-2.json");
  if (service.metadata?.protocol !== "json" || !service.operations || !service.shapes) {
    throw new SpecError("spec/service-2.json is not a botocore model of a JSON protocol service");
  }
  const { pagination } = read<{ pagination: Record<string, BotocorePaginator> }>("paginators-1.json");
  return {
    provenance,
    sha256: sha256(provenanceBytes),
    namespace: provenance.smithyNamespace,
    serviceName: service.metadata.targetPrefix ?? "",
    shapes: service.shapes,
    operations: service.operations,
    paginators: pagination,
    names: read<SmithyNames>("smithy-names.json"),
  };
}

export function shape(model: Model, name: string): Shape {
  const found = model.shapes[name];
  if (!found) throw new SpecError(`shape ${name} is referenced but not defined`);
  return found;
}

/** The Smithy shape id of a shape (`com.amazonaws.cognitoidentityprovider#UserNotFoundException`). */
export const shapeId = (model: Model, name: string): string => `${model.namespace}#${name}`;

/** An enum: a string shape with values. */
export const isEnum = (s: Shape): boolean => s.type === "string" && s.enum !== undefined;

/** A structure of data: not an error, not a document. */
export const isDataStructure = (s: Shape): boolean => s.type === "structure" && !s.exception && !s.document;

/** All operations of the service, sorted by name. */
export function operations(model: Model): Array<{ name: string; op: Operation }> {
  return Object.keys(model.operations)
    .sort(byName)
    .map((name) => ({ name, op: model.operations[name]! }));
}

/** Shape names matching `test`, sorted. */
export function shapesWhere(model: Model, test: (s: Shape) => boolean): string[] {
  return Object.keys(model.shapes)
    .filter((name) => test(model.shapes[name]!))
    .sort(byName);
}

/** An enum's members: [Smithy member name, wire value], in model order. */
export function enumMembers(model: Model, name: string): Array<[string, string]> {
  const overrides = model.names.enumMembers[name] ?? {};
  return (shape(model, name).enum ?? []).map((value): [string, string] => {
    // Smithy names a member after its value when the value is an identifier; other names are listed.
    const member = overrides[value] ?? value;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(member)) {
      throw new SpecError(`enum ${name}: value ${JSON.stringify(value)} needs a member name in spec/smithy-names.json`);
    }
    return [member, value];
  });
}

/**
 * The first sentence of a documentation string, HTML stripped and entities decoded, on one line.
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

export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const byKey = <T>(entries: Array<[string, T]>): Array<[string, T]> => entries.sort(([a], [b]) => byName(a, b));
