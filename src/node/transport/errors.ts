/**
 * The errors of the Node transport, shaped like undici's so code written against the global fetch reads them the
 * same way: requests that cannot complete reject with `TypeError("fetch failed", { cause })`, bodies cut short error
 * with `TypeError("terminated", { cause })`, and the cause carries undici's `name` and `code`.
 */

/** An error shaped like undici's, as the `cause` of "fetch failed" and "terminated". */
export class TransportError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** undici's ConnectTimeoutError, plus whether the TLS handshake (not the TCP connection) is what ran out of time. */
export class ConnectTimeoutError extends TransportError {
  constructor(
    address: string,
    timeout: number,
    readonly tlsHandshake: boolean,
  ) {
    super(
      "ConnectTimeoutError",
      "UND_ERR_CONNECT_TIMEOUT",
      `Connect Timeout Error (attempted address: ${address}, timeout: ${timeout}ms)`,
    );
  }
}

export const headersTimeoutError = (): TransportError =>
  new TransportError("HeadersTimeoutError", "UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error");

export const bodyTimeoutError = (): TransportError =>
  new TransportError("BodyTimeoutError", "UND_ERR_BODY_TIMEOUT", "Body Timeout Error");

/** What a request that cannot complete rejects with. */
export const fetchFailed = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });

/** What a body cut short (or stalled past its timeout) errors with. */
export const terminated = (cause: unknown): TypeError => new TypeError("terminated", { cause });
