/**
 * A failed operation call, worded as the AWS CLI words it (botocore's exceptions), from what the client threw and
 * the last HTTP exchange.
 */

import { AbortError, NetworkError } from "../../errors.ts";
import { NoCredentialsError } from "../../node/credentials.ts";
import { PaginationError } from "../../paginate.ts";
import {
  CliError,
  CliPaginationError,
  clientErrorMessage,
  errorCodeAndMessage,
  NO_CREDENTIALS_HINT,
} from "../errors.ts";
import { type Exchange, TransportError } from "../http.ts";

/** What {@link describeFailure} knows of the call. */
export interface FailedCall {
  /** `AdminListUserAuthEvents`. */
  readonly operation: string;
  /** The last HTTP exchange, if there was one. */
  readonly last: Exchange | undefined;
  /** The attempts the retry settings allow. */
  readonly maxAttempts: number;
}

/** The error to report for a failed call: a {@link CliError} with the AWS CLI's message, or the error as it is. */
export function describeFailure(error: unknown, call: FailedCall): unknown {
  const { operation, last, maxAttempts } = call;
  if (error instanceof AbortError || error instanceof CliError) return error;
  // The client wraps what the credential chain threw; the chain's errors carry botocore's wording.
  const cause = error instanceof Error && error.name === "CredentialsProviderError" ? error.cause : undefined;
  if (cause instanceof NoCredentialsError)
    return new CliError(`${cause.message}. ${NO_CREDENTIALS_HINT}`, { blankLineBefore: false });
  if (cause instanceof Error) return new CliError(cause.message, { cause });
  const meta = (error as { $metadata?: { attempts?: number; httpStatusCode?: number } }).$metadata;
  const retryable = (error as { $retryable?: unknown }).$retryable !== undefined;
  const attempts = meta?.attempts ?? 1;
  const exhausted = retryable && attempts >= maxAttempts ? attempts - 1 : undefined;
  if (error instanceof NetworkError && error.cause instanceof TransportError) return new CliError(error.cause.message);
  if (error instanceof NetworkError && last && last.status < 300) {
    // A 2xx answer whose body is not JSON, after every retry.
    return new CliError(clientErrorMessage(String(last.status), "the response body is not JSON", operation, exhausted));
  }
  if (error instanceof PaginationError) {
    const token = last ? /"(?:NextToken|PaginationToken)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(last.body)?.[1] : undefined;
    return new CliPaginationError(`The same next token was received twice: {'NextToken': '${token ?? ""}'}`);
  }
  if (last && last.status >= 300 && meta?.httpStatusCode !== undefined) {
    const { code, message } = errorCodeAndMessage(last.status, last.body);
    return new CliError(clientErrorMessage(code, message, operation, exhausted));
  }
  if (error instanceof NetworkError && error.cause instanceof Error) return new CliError(error.cause.message);
  return error;
}
