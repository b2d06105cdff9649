/**
 * SigV4 for the lite client's one request shape, in as few bytes as it takes: a JSON `POST` to an endpoint whose
 * path needs no encoding and which has no query, with lowercase header names and values that are already canonical
 * (no surrounding or repeated spaces). WebCrypto only. It exists because the lite entry's size budget cannot carry
 * the general signer (src/sigv4.ts); test/sigv4-lite.test.ts holds it to the official suite's POST vectors and to the
 * general signer's output.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Web-standard globals only.
 */
import type { SigV4Credentials } from "../sigv4.ts";

/** Signs a request's `headers` and `body` with the credentials, at `date`; see {@link liteSigner}. */
export type LiteSign = (
  headers: Record<string, string>,
  body: string,
  credentials: SigV4Credentials,
  date: Date,
) => Promise<Record<string, string>>;

const encoder = new TextEncoder();

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => (byte + 256).toString(16).slice(1)).join("");

const sha256 = async (data: string): Promise<string> =>
  hex(await crypto.subtle.digest("SHA-256", encoder.encode(data)));

const hmac = async (key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> =>
  crypto.subtle.sign(
    "HMAC",
    await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    encoder.encode(data),
  );

/**
 * A signer of `POST`s to `url` for `region` and `service`, keeping the last signing key it derived (a client signs
 * with one secret for a day). The function it returns gives the headers to send: `headers` plus `x-amz-date`,
 * `x-amz-security-token` (with a session token) and `authorization` (`host` is signed, and left for fetch to set
 * from the URL: some runtimes refuse it as a header). `url` must have a plain path (letters, digits, `-._~/`) and no
 * query; header names must be lowercase.
 */
export function liteSigner(url: URL, region: string, service: string): LiteSign {
  // The last signing key and what it was derived from (secret and scope).
  let keyFor: string | undefined;
  let key: ArrayBuffer | Uint8Array<ArrayBuffer>;
  return async (headers, body, credentials, date) => {
    const time = date.toISOString().replace(/[-:]|\.\d+/g, "");
    const scope = `${time.slice(0, 8)}/${region}/${service}/aws4_request`;
    const out: Record<string, string> = { ...headers, "x-amz-date": time };
    if (credentials.sessionToken) out["x-amz-security-token"] = credentials.sessionToken;
    const all: Record<string, string> = { ...out, host: url.host };
    const names = Object.keys(all).sort();
    const signed = names.join(";");
    const canonical = `POST\n${url.pathname}\n\n${names.map((name) => `${name}:${all[name]}\n`).join("")}\n${signed}\n${await sha256(body)}`;
    const { secretAccessKey } = credentials;
    if (keyFor !== secretAccessKey + scope) {
      let k: ArrayBuffer | Uint8Array<ArrayBuffer> = encoder.encode(`AWS4${secretAccessKey}`);
      for (const part of scope.split("/")) k = await hmac(k, part);
      [keyFor, key] = [secretAccessKey + scope, k];
    }
    const signature = hex(await hmac(key, `AWS4-HMAC-SHA256\n${time}\n${scope}\n${await sha256(canonical)}`));
    out.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
    return out;
  };
}
