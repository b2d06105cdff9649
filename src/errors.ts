/**
 * Errors that are not the service's: the network failed, an attempt timed out, the caller aborted, or the input
 * broke the model's constraints before anything was sent. Each is its own class with the original error as `cause`,
 * so `catch` blocks can tell them apart without parsing messages. Service errors are the generated classes in
 * `generated/errors.ts`.
 */

/** Metadata a client-side error carries: how many attempts were made and how long was spent waiting. */
export interface ClientErrorMetadata {
  attempts?: number | undefined;
  totalRetryDelay?: number | undefined;
}

/** What the three client-side errors share: a message, the original error as `cause`, and `$metadata`. */
abstract class ClientSideError extends Error {
  readonly $metadata: ClientErrorMetadata;
  constructor(message: string, options: { cause?: unknown; $metadata?: ClientErrorMetadata } = {}) {
    super(message, { cause: options.cause });
    this.$metadata = options.$metadata ?? {};
  }
}

/** The request never got a complete HTTP response (DNS, connection refused or reset, body cut short). */
export class NetworkError extends ClientSideError {
  override readonly name = "NetworkError";
}

/** An attempt took longer than `requestTimeout` milliseconds. */
export class TimeoutError extends ClientSideError {
  override readonly name = "TimeoutError";
}

/** The caller's `abortSignal` fired; `cause` is the signal's reason. */
export class AbortError extends ClientSideError {
  override readonly name = "AbortError";
}

/** One broken constraint: which member (a path like `UserAttributes[0].Name`), which rule, and a safe detail. */
export interface ValidationIssue {
  path: string;
  rule: "required" | "type" | "length" | "range" | "pattern";
  message: string;
}

/**
 * The input breaks the model's constraints; nothing was sent. The message names each member and rule, and never
 * contains the value of a `@sensitive` member (only its length).
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly issues: readonly ValidationIssue[];
  constructor(operation: string, issues: ValidationIssue[]) {
    super(
      `${issues.length} validation error${issues.length === 1 ? "" : "s"} in the ${operation} input: ` +
        issues.map((i) => i.message).join("; "),
    );
    this.issues = issues;
  }
}
