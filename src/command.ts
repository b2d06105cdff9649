/**
 * The base of every generated Command: the input, plus the operation's schema (name, modelled errors, how to read
 * the output, where the input's sensitive members are). Only what an operation uses is referenced, so a bundle
 * that sends one command carries one command's errors and plans. The input's validation rules are not in it: the
 * runtimes that validate look them up by operation (generated/schemas.ts), so nothing else loads them.
 */
import type { ReadPlan, RedactPlan } from "../generated/plans.ts";

/** Response metadata, as the AWS SDK v3 reports it on outputs and errors. */
export interface ResponseMetadata {
  /** The HTTP status code of the last response. */
  httpStatusCode?: number | undefined;
  /** The `x-amzn-RequestId` of the last response. */
  requestId?: string | undefined;
  extendedRequestId?: string | undefined;
  cfId?: string | undefined;
  /** How many attempts were made (1 when the first one succeeded). */
  attempts?: number | undefined;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay?: number | undefined;
}

/** An output or error that carries `$metadata`. */
export interface MetadataBearer {
  $metadata: ResponseMetadata;
}

/** A modelled error's class: its Smithy shape id ends with `#` and the error's name. */
export type ErrorClass = (new (
  options: { message?: string; $metadata: ResponseMetadata } & Record<string, unknown>,
) => Error) & { readonly shapeId: string };

/** What a Command tells the client about its operation. */
export interface OperationSchema {
  /** The operation name; the X-Amz-Target is `AWSCognitoIdentityProviderService.<name>`. */
  readonly name: string;
  /** The classes of the modelled errors the operation can raise. */
  readonly errors: readonly ErrorClass[];
  /** How to read the output: where its timestamps, maps and documents are (absent: none of them). */
  readonly read?: ReadPlan;
  /** The operation takes no SigV4 signature (`smithy.api#auth: []`): its input carries its own token. */
  readonly unsigned?: boolean;
  /**
   * How the input is written when it holds blobs or timestamps (base64 and epoch seconds: `serializeBody`); absent,
   * `JSON.stringify` writes it. Carried by the three commands that need it, so other bundles leave the encoder out.
   */
  readonly serialize?: (input: object) => string;
  /** Where the input's `@sensitive` members are, hidden in debug output (absent: none). */
  readonly redact?: RedactPlan;
}

/**
 * A request to one operation: `client.send(new AdminListUserAuthEventsCommand(input))`.
 *
 * @typeParam Input - the operation's input structure
 * @typeParam Output - the operation's output structure with `$metadata`
 */
export class Command<Input extends object, Output extends MetadataBearer> {
  /** The input, as given (never mutated). */
  readonly input: Input;
  /** The operation this command calls. */
  readonly schema: OperationSchema;
  /** Type-only marker so `send` can infer the output type. */
  declare readonly __output?: Output;

  /**
   * @param schema the operation's; the generated commands leave it out: each class holds its own as `static schema`,
   * which the constructor reads (one object per operation, shared by its commands).
   */
  constructor(input: Input, schema: OperationSchema = (new.target as unknown as { schema: OperationSchema }).schema) {
    this.input = input;
    this.schema = schema;
  }
}
