/**
 * Where `node:crypto` is available (Node, Bun, Deno) the signer hashes with it; elsewhere (Workers, edge runtimes)
 * with WebCrypto. Both must produce the same signatures: the official suite runs on the first here, this file checks
 * the second against it.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearSigningKeyCache, forceWebCrypto, hexSha256, signPost, signRequest, signingKey } from "../src/sigv4.ts";

afterEach(() => {
  forceWebCrypto(false);
  clearSigningKeyCache();
});

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "tok",
};

/** Runs `f` on node:crypto, then on WebCrypto, checking each run used the backend it should. */
async function both<T>(f: () => Promise<T>): Promise<[T, T]> {
  const digest = vi.spyOn(crypto.subtle, "digest");
  const sign = vi.spyOn(crypto.subtle, "sign");
  const webCryptoCalls = () => digest.mock.calls.length + sign.mock.calls.length;
  try {
    forceWebCrypto(false);
    clearSigningKeyCache();
    const a = await f();
    expect(webCryptoCalls()).toBe(0);
    forceWebCrypto(true);
    clearSigningKeyCache();
    const b = await f();
    expect(webCryptoCalls()).toBeGreaterThan(0);
    return [a, b];
  } finally {
    digest.mockRestore();
    sign.mockRestore();
  }
}

describe("crypto backends agree", () => {
  it("SHA-256 of strings (Unicode included) and bytes", async () => {
    for (const data of ["", "abc", "Kraków 😀 東京", new Uint8Array([0, 1, 2, 255])]) {
      const [a, b] = await both(() => hexSha256(data));
      expect(a).toBe(b);
    }
    expect(await hexSha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("signing keys and Authorization headers, across dates, regions and bodies", async () => {
    for (const [i, body] of ['{"UserPoolId":"eu-west-1_a"}', '{"Username":"😀"}', ""].entries()) {
      const req = {
        method: "POST",
        url: "https://cognito-idp.eu-west-1.amazonaws.com/",
        headers: { "x-amz-target": "T", "content-type": "application/x-amz-json-1.1" },
        body,
      };
      const opts = {
        credentials,
        region: ["eu-west-1", "us-east-1", "cn-north-1"][i]!,
        service: "cognito-idp",
        date: new Date(Date.UTC(2026, 0, 1 + i)),
      };
      const [a, b] = await both(() => signRequest(req, opts));
      expect(a).toEqual(b);
      const [ka, kb] = await both(() =>
        signingKey(credentials.secretAccessKey, "20260101", opts.region, "cognito-idp"),
      );
      expect(new Uint8Array(ka)).toEqual(new Uint8Array(kb));
    }
  });

  it("signPost (the client's signer): synchronous on node:crypto, a promise on WebCrypto, the same headers as signRequest", async () => {
    const url = new URL("https://cognito-idp.eu-west-1.amazonaws.com/");
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "T" };
    for (const [i, secret] of ["s1", "s1", "s2"].entries()) {
      const creds = { ...credentials, secretAccessKey: secret };
      const date = new Date(Date.UTC(2026, 0, 1 + i, 0, 0, i));
      const body = `{"n":${i}}`;
      const expected = await signRequest(
        { method: "POST", url, headers, body },
        { credentials: creds, region: "eu-west-1", service: "cognito-idp", date },
      );
      const [a, b] = await both(async () => {
        const signed = signPost(url, headers, body, creds, "eu-west-1", "cognito-idp", date, true);
        return { sync: !(signed instanceof Promise), headers: await signed };
      });
      expect(a.sync).toBe(true);
      expect(b.sync).toBe(false);
      const { host: _host, ...withoutHost } = expected;
      expect(a.headers).toEqual(withoutHost);
      expect(b.headers).toEqual(withoutHost);
    }
  });
});
