/**
 * Emits `generated/errors.ts`: one class per modelled error. The table of their traits (fault, status, retry) is
 * generated/error-table.ts, so the classes' module holds only what a program that catches them loads.
 */
import { type Model, firstSentence, shape, shapeId, shapesWhere } from "./model.ts";

export interface ErrorInfo {
  name: string;
  shapeId: string;
  fault: "client" | "server";
  httpStatus?: number;
  retryable: boolean;
  throttling: boolean;
  /** Members other than `message`, in model order. */
  members: string[];
}

export function errorTable(model: Model): ErrorInfo[] {
  return shapesWhere(model, (s) => s.type === "structure" && s.exception === true).map((name) => {
    const s = shape(model, name);
    // botocore's JSON has no HTTP status for this service's errors; the Smithy model's are in smithy-names.json.
    const httpStatus = model.names.errorHttpStatus[name] ?? s.error?.httpStatusCode;
    return {
      name,
      shapeId: shapeId(model, name),
      fault: s.fault ? "server" : "client",
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      retryable: s.retryable !== undefined,
      throttling: s.retryable?.throttling === true,
      members: Object.keys(s.members ?? {}).filter((m) => m !== "message" && m !== "Message"),
    };
  });
}

export const BASE_EXCEPTION = "CognitoIdentityProviderServiceException";

/** The base class of the service's errors, as generated/errors.ts and its Node build form write it. */
export function baseException(model: Model): string[] {
  return [
    "/**",
    " * Base class of every error of this service, as in the AWS SDK v3 (same shape id, so `instanceof` works",
    " * across this package and `@aws-sdk/client-cognito-identity-provider`). Each modelled error is a subclass that",
    " * fixes `name` and `$fault` with class fields (set after `ServiceException`'s constructor, so they always win).",
    " */",
    `export class ${BASE_EXCEPTION} extends ServiceException {`,
    `  static override readonly shapeId: string = "smithy.ts.sdk.synthetic.${model.namespace}#${BASE_EXCEPTION}";`,
    "  /** Subclasses take {@link ErrorOptions}: their class fields set `name` and `$fault`. */",
    "  constructor(options: ServiceExceptionOptions | ErrorOptions) {",
    "    super(options as ServiceExceptionOptions);",
    "  }",
    "}",
  ];
}

export function emitErrors(model: Model): string {
  const table = errorTable(model);
  const out: string[] = [
    'import { ServiceException, type ServiceExceptionOptions } from "@smithy/smithy-client";',
    "",
    "/** What the client passes to an error's constructor: the message, `$metadata` and the error's members. */",
    'export type ErrorOptions = Omit<ServiceExceptionOptions, "name" | "$fault"> & Record<string, unknown>;',
    "",
    ...baseException(model),
    "",
  ];
  for (const e of table) {
    const doc = firstSentence(shape(model, e.name).documentation);
    out.push(`/** ${doc ?? e.name} */`);
    out.push(`export class ${e.name} extends ${BASE_EXCEPTION} {`);
    // A literal: bundlers drop an unused class only when its static initialisers are side-effect free.
    out.push(`  static override readonly shapeId: string = ${JSON.stringify(e.shapeId)};`);
    out.push(`  override readonly name = ${JSON.stringify(e.name)} as const;`);
    out.push(`  override readonly $fault = ${JSON.stringify(e.fault)} as const;`);
    if (e.members.length > 0) {
      for (const m of e.members) out.push(`  ${m}?: string | undefined;`);
      out.push("  constructor(options: ErrorOptions) {");
      out.push("    super(options);");
      for (const m of e.members) out.push(`    this.${m} = options.${m} as string | undefined;`);
      out.push("  }");
    }
    out.push("}", "");
  }
  return out.join("\n");
}
