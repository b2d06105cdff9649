/**
 * Opaque pagination tokens: base64 of a small JSON cursor, a dot, and a truncated
 * HMAC-SHA-256 of it, so a token that was altered, made up, or issued for another pool, user
 * or filter is refused (InvalidParameterException) instead of silently listing something else.
 */

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Issues and checks tokens with one key. */
export class TokenCodec {
  readonly #key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.#key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
  }

  async #mac(payload: string): Promise<string> {
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(payload)));
    return toBase64(mac.subarray(0, 12)).replace(/\+/g, "-").replace(/\//g, "_");
  }

  /** A token for `cursor`, valid only together with `context` (pool, user, filter...). */
  async encode(cursor: Record<string, unknown>, context: string): Promise<string> {
    const payload = toBase64(encoder.encode(JSON.stringify(cursor)));
    return `${payload}.${await this.#mac(`${context}\n${payload}`)}`;
  }

  /** The cursor of a token issued for `context`, or undefined if it is not one. */
  async decode(token: string, context: string): Promise<Record<string, unknown> | undefined> {
    const dot = token.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const payload = token.slice(0, dot);
    if (token.slice(dot + 1) !== (await this.#mac(`${context}\n${payload}`))) return undefined;
    const bytes = fromBase64(payload);
    if (!bytes) return undefined;
    try {
      const cursor: unknown = JSON.parse(new TextDecoder().decode(bytes));
      return typeof cursor === "object" && cursor !== null && !Array.isArray(cursor)
        ? (cursor as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
