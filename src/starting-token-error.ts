/**
 * The error of a starting token botocore refuses (src/resume-token.ts decodes them). A module of its own: the Node
 * build's tools (tsup.config.ts) take it from the Node build that loads them, with the package's other public
 * classes, while they carry their own copy of the token code.
 *
 * Web-standard globals only.
 */

/**
 * A starting token that botocore refuses, before any request or when it would have to write a resume token from it.
 * The message is botocore's, after `startingToken: ` (the AWS CLI prints `botocoreMessage`).
 */
export class StartingTokenError extends TypeError {
  override readonly name = "StartingTokenError";
  /**
   * botocore's message for the same token, word for word; but where botocore shows {@link token} as Python's
   * `repr()`, this shows it as JSON.
   */
  readonly botocoreMessage: string;
  /** The resume token botocore refuses to write (the parameters that fetched the page, then the amount to skip). */
  readonly token: ReadonlyMap<string, unknown> | undefined;
  constructor(botocoreMessage: string, token?: ReadonlyMap<string, unknown>) {
    super(`startingToken: ${botocoreMessage}`);
    this.botocoreMessage = botocoreMessage;
    this.token = token;
  }
}
