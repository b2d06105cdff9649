/**
 * A failed audit, worded for a person: the service's errors as the AWS CLI words them, the transport's as botocore
 * does, the credential chain's with this CLI's own ways to give credentials; and whether running it again from a
 * checkpoint can help.
 */

import { NoCredentialsError } from "../../node/credentials.ts";
import { classify } from "../../retry.ts";
import { CliError, clientErrorMessage, NO_CREDENTIALS_HINT } from "../errors.ts";

/** The message for an audit that failed; `operation` is the one whose request failed, if a request did. */
export function describeAuditFailure(error: unknown, operation: string | undefined): string {
  const e = error as { name?: string; message?: string; $fault?: string };
  if (e?.$fault !== undefined && operation !== undefined)
    return clientErrorMessage(e.name ?? "Unknown", e.message ?? "", operation);
  if (error instanceof CliError) return error.message;
  const cause = (error as { cause?: unknown })?.cause;
  // The client's NetworkError around the transport's failure: botocore's words ("Read timeout on endpoint URL...").
  if (
    error instanceof Error &&
    error.name === "NetworkError" &&
    cause instanceof Error &&
    cause.name === "TransportError"
  )
    return cause.message;
  // The credential chain's errors carry botocore's wording.
  if (error instanceof Error && error.name === "CredentialsProviderError" && cause instanceof Error)
    return cause instanceof NoCredentialsError ? `${cause.message}. ${NO_CREDENTIALS_HINT}` : cause.message;
  if (error instanceof Error && error.name === "ProfileNotFoundError") return error.message;
  return error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
}

/**
 * Whether the same audit may get further when run again: the network, a timeout, the service's own trouble or
 * throttling. A pool that does not exist, a refused signature or threat protection switched off stay as they are,
 * and a checkpoint would not help.
 */
export function resumeHelps(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "NetworkError" || error.name === "TimeoutError" || error.name === "AbortError") return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return classify({ name: error.name, status }) !== undefined;
}
