// The AWS SDK's error base class (`ServiceException` of `@smithy/smithy-client`, also `@smithy/core/client`) as the
// package's published declarations describe it. tsup.config.ts points those imports here for the .d.ts build only, so
// the declarations a user installs import no package: `@smithy/types` declares Node's streams, Buffer and agents, and
// fails a TypeScript project without `@types/node` (an edge Worker's). The class itself is built into dist/.
// test/types.test.ts checks these declarations against the dependency's, both ways.

/** What the service's response said about the call. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** An object carrying {@link ResponseMetadata}. */
export interface MetadataBearer {
  $metadata: ResponseMetadata;
}

/** `smithy.api#retryable`. */
export interface RetryableTrait {
  readonly throttling?: boolean;
}

/** The HTTP response an error came with. */
export interface HttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's own type for a body of any kind.
  body?: any;
}

/** A Smithy error shape's members common to every error. */
export interface SmithyException {
  readonly name: string;
  readonly $fault: "client" | "server";
  readonly $service?: string;
  readonly $retryable?: RetryableTrait;
  readonly $response?: HttpResponse;
}

/** The options of {@link ServiceException}'s constructor. */
export interface ServiceExceptionOptions extends SmithyException, MetadataBearer {
  message?: string;
}

/** Base class of the errors a service answers with; `instanceof` also recognises the AWS SDK's copies of it. */
export declare class ServiceException extends Error implements SmithyException, MetadataBearer {
  static readonly shapeId: string;
  readonly $fault: "client" | "server";
  $response?: HttpResponse;
  $retryable?: RetryableTrait;
  $metadata: ResponseMetadata;
  constructor(options: ServiceExceptionOptions);
  /** Whether `value` is a ServiceException (duck-typed). */
  static isInstance(value: unknown): value is ServiceException;
  static [Symbol.hasInstance](instance: unknown): boolean;
}
