/**
 * Emits `generated/error-table.ts`: every modelled error's traits (shape id, fault, the model's HTTP status, retry
 * traits), as data, apart from the classes (generated/errors.ts) so that loading them does not load it.
 */
import { errorTable } from "./errors.ts";
import type { Model } from "./model.ts";

export function emitErrorTable(model: Model): string {
  const table = errorTable(model);
  const out: string[] = [];
  out.push("/** One row of the error table. */");
  out.push("export interface ErrorInfo {");
  out.push("  readonly shapeId: string;");
  out.push('  readonly fault: "client" | "server";');
  out.push("  /** The status the model assigns (`smithy.api#httpError`); the service may send another. */");
  out.push("  readonly httpStatus?: number;");
  out.push("  /** `smithy.api#retryable` is present. */");
  out.push("  readonly retryable: boolean;");
  out.push("  /** `smithy.api#retryable` with `throttling: true`. */");
  out.push("  readonly throttling: boolean;");
  out.push("}", "");
  out.push(`/** Every modelled error (${table.length}), by name. */`);
  out.push("export const errorTable = {");
  for (const e of table) {
    const status = e.httpStatus !== undefined ? `, httpStatus: ${e.httpStatus}` : "";
    out.push(
      `  ${e.name}: { shapeId: ${JSON.stringify(e.shapeId)}, fault: ${JSON.stringify(e.fault)}${status}, retryable: ${e.retryable}, throttling: ${e.throttling} },`,
    );
  }
  out.push("} as const satisfies Record<string, ErrorInfo>;", "");
  return out.join("\n");
}
