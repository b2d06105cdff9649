/**
 * Service errors as Cognito sends them: HTTP 400 (500 for internal errors), body
 * `{"__type":"UserNotFoundException","message":"User does not exist."}`, and the
 * `x-amzn-ErrorType` / `x-amzn-ErrorMessage` headers.
 */

/**
 * Where an error comes from: `service` errors are Cognito's own (`x-amzn-ErrorType:
 * UserNotFoundException:`); `frontend` errors come from the AWS request layer in front of it
 * (signature, unknown operation, serialization), whose header names the coral namespace.
 */
export type ErrorSource = "service" | "frontend";

/** An error the emulator answers with. Its message never holds secrets. */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  constructor(
    readonly errorType: string,
    message: string,
    readonly status = 400,
    readonly source: ErrorSource = "service",
  ) {
    super(message);
  }
}

const FRONTEND_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/";

/** The body and error headers of an error response. */
export function errorParts(error: ServiceError): { body: string; headers: Record<string, string> } {
  return {
    body: JSON.stringify({ __type: error.errorType, message: error.message }),
    headers: {
      "x-amzn-ErrorType": `${error.errorType}:${error.source === "frontend" ? FRONTEND_NAMESPACE : ""}`,
      // Header values must be Latin-1 for every HTTP stack: keep printable ASCII only.
      "x-amzn-ErrorMessage": error.message.replace(/[^\x20-\x7e]/g, "?"),
    },
  };
}

// The errors every operation shares, with the service's wording where it is known.

export const userNotFound = (): ServiceError => new ServiceError("UserNotFoundException", "User does not exist.");

export const poolNotFound = (poolId: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);

export const addOnNotEnabled = (): ServiceError =>
  new ServiceError("UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.");

export const operationNotEnabled = (): ServiceError =>
  new ServiceError(
    "OperationNotEnabledException",
    "This operation is not available on a secondary replica of the user pool; call it in the primary pool's region.",
  );

export const invalidParameter = (message: string): ServiceError =>
  new ServiceError("InvalidParameterException", message);

export const tooManyRequests = (status = 400): ServiceError =>
  new ServiceError("TooManyRequestsException", "Rate exceeded", status);

export const internalError = (): ServiceError =>
  new ServiceError("InternalErrorException", "Internal server error.", 500);

export const serialization = (message: string): ServiceError =>
  new ServiceError("SerializationException", message, 400, "frontend");
