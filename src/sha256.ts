/**
 * SHA-256 and HMAC-SHA-256, the two primitives SigV4 is made of, from the fastest source the runtime has.
 *
 * - {@link nodeCryptoSha256}: `node:crypto`, where the runtime hands it out through `process.getBuiltinModule`
 *   (Node >= 20.16, Bun, Deno). It is looked up behind a guard, never imported, so loading it waits until a signer
 *   needs it; the Node build's client, the emulator and the STS calls take it ({@link fastestSha256}), the edge build
 *   does not reference it. It answers at once, with a value.
 * - {@link webCryptoSha256}: `crypto.subtle`, in every runtime. It answers with a promise: each call is a job on
 *   another thread, whose round trip costs more than the rest of a request's client-side work (bench/), which is why
 *   `node:crypto` is preferred where it exists.
 *
 * Web-standard globals only.
 *
 * @module
 */

/** A value, or a promise of it: what `await` takes either way. */
export type Awaitable<T> = T | Promise<T>;

/** SHA-256 and HMAC-SHA-256: synchronous where the backend can be, a promise where it cannot. */
export interface Sha256 {
  /** Lowercase hex SHA-256 of a string (as UTF-8) or of bytes. */
  hex(data: string | Uint8Array): Awaitable<string>;
  /** HMAC-SHA-256 of `data` under `key` (strings as UTF-8). */
  hmac(key: string | Uint8Array, data: string): Awaitable<Uint8Array>;
}

const encoder = new TextEncoder();

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += (byte + 256).toString(16).slice(1);
  return out;
}

/** Bytes as WebCrypto takes them (a view of an ArrayBuffer; a view of a SharedArrayBuffer is refused). */
function bufferSource(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === "string" ? encoder.encode(data) : (data as Uint8Array<ArrayBuffer>);
}

/** SHA-256 and HMAC over `crypto.subtle`: every runtime has it. */
export const webCryptoSha256: Sha256 = {
  async hex(data) {
    return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bufferSource(data))));
  },
  async hmac(key, data) {
    const cryptoKey = await crypto.subtle.importKey(
      "raw",
      bufferSource(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, bufferSource(data)));
  },
};

/** The part of `node:crypto` used here, typed locally: this module must not depend on Node's types. */
interface NodeCrypto {
  /** One-shot hash (Node >= 20.12, and every runtime with `process.getBuiltinModule`). */
  hash(algorithm: "sha256", data: string | Uint8Array, encoding: "hex"): string;
  createHmac(algorithm: "sha256", key: string | Uint8Array): { update(data: string): { digest(): Uint8Array } };
}

/**
 * SHA-256 and HMAC over `node:crypto`, when the runtime hands it out through `process.getBuiltinModule`; `undefined`
 * elsewhere (edge runtimes, browsers, older Node).
 */
export function nodeCryptoSha256(): Sha256 | undefined {
  let node: NodeCrypto | undefined;
  try {
    const { process } = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
    node = process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
  } catch {
    // A runtime that has the function and refuses the module: WebCrypto then.
  }
  if (typeof node?.hash !== "function") return undefined;
  const crypto = node;
  return {
    hex: (data) => crypto.hash("sha256", data, "hex"),
    hmac: (key, data) => crypto.createHmac("sha256", key).update(data).digest(),
  };
}

/** `node:crypto`'s hashes where the runtime has them, else WebCrypto's: what Node-side code signs with. */
export function fastestSha256(): Sha256 {
  return nodeCryptoSha256() ?? webCryptoSha256;
}
