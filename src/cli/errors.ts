/**
 * How the CLI reports failures: the AWS CLI v1's messages and exit codes (awscli/clidriver.py,
 * botocore/exceptions.py, botocore/parsers.py), so scripts that parse `aws`'s stderr work.
 */

import { terminalText } from "../terminal-text.ts";
import { type PyValue, isPyObject, parseJson } from "./pyjson.ts";

/** An error the CLI prints as `\n<message>\n` on stderr, exiting 255 (`write_exception`). */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly exitCode: number = 255;
  /**
   * `false` for the errors awscli prints with `_show_error` (no region, no credentials): no blank
   * line before the message.
   */
  readonly blankLineBefore: boolean;
  constructor(message: string, options?: { cause?: unknown; blankLineBefore?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.blankLineBefore = options?.blankLineBefore ?? true;
  }
}

/** awscli's ParamError: `Error parsing parameter '<name>': <message>`. */
export class ParamError extends CliError {
  override readonly name = "ParamError";
  constructor(param: string, detail: string) {
    super(`Error parsing parameter '${param}': ${detail}`);
  }
}

/** botocore's ParamValidationError. */
export class ParamValidationError extends CliError {
  override readonly name = "ParamValidationError";
  constructor(report: readonly string[]) {
    super(`Parameter validation failed:\n${report.join("\n")}`);
  }
}

/** botocore's PaginationError: `Error during pagination: <message>`. */
export class CliPaginationError extends CliError {
  override readonly name = "CliPaginationError";
  constructor(detail: string) {
    super(`Error during pagination: ${detail}`);
  }
}

/** The HTTP reason phrases botocore uses for bodiless 5xx answers (Python's `http.client.responses`). */
const REASONS: Readonly<Record<number, string>> = {
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
};

/**
 * botocore's error code and message for an error response of the JSON protocol: a generic 5xx
 * (empty or `<html>` body) gives the status and its reason phrase; otherwise `__type` (after `#`,
 * before `:`) or the status, and `message` or `Message` (the whole body when it is not JSON).
 */
export function errorCodeAndMessage(status: number, body: string): { code: string; message: string } {
  const trimmed = body.trim();
  if (status >= 500 && (trimmed === "" || trimmed.startsWith("<html>"))) {
    return { code: String(status), message: REASONS[status] ?? "" };
  }
  let parsed: PyValue = null;
  if (body !== "") {
    try {
      parsed = parseJson(body);
    } catch {
      parsed = { message: body } as unknown as PyValue;
    }
  }
  const obj = isPyObject(parsed) ? parsed : ({} as Record<string, PyValue>);
  const messageValue = "message" in obj ? obj["message"] : "Message" in obj ? obj["Message"] : "";
  let code = "__type" in obj ? obj["__type"] : String(status);
  if (typeof code === "string") {
    if (code.includes(":")) code = code.slice(0, code.indexOf(":"));
    if (code.includes("#")) code = code.slice(code.lastIndexOf("#") + 1);
  }
  return {
    code: typeof code === "string" ? code : String(code),
    message: typeof messageValue === "string" ? messageValue : String(messageValue),
  };
}

/**
 * botocore's ClientError message: `An error occurred (Code) when calling the Op operation: msg`,
 * with ` (reached max retries: N)` after the operation when retries ran out. The code and the message are the
 * service's: their control and bidi characters (line breaks included) are shown as `\u{XXXX}`, where the AWS CLI
 * writes them raw.
 */
export function clientErrorMessage(
  code: string,
  message: string,
  operation: string,
  retriesExhausted?: number,
): string {
  const retry = retriesExhausted === undefined ? "" : ` (reached max retries: ${retriesExhausted})`;
  return `An error occurred (${terminalText(code)}) when calling the ${operation} operation${retry}: ${terminalText(message)}`;
}

/**
 * What to do when no credentials were found, in this CLI's own terms (a deliberate difference from the AWS CLI,
 * whose message sends people to `aws configure`, a tool they may not have).
 */
export const NO_CREDENTIALS_HINT =
  "Give them in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), choose a profile with --profile " +
  "(or AWS_PROFILE), or add them to ~/.aws/credentials.";
