/**
 * The signers: the general one (src/sigv4.ts), its core's `signPlain` (what the client signs with: plain headers
 * only), and the lite entry's, which exists only because the lite budget cannot carry the general one
 * (src/lite/sigv4.ts). One contract for all: the official suite's POST vectors the lite one can express, and, on
 * random requests of the lite client's shape, the same headers from each; for the core, any path and query too.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { liteSigner } from "../src/lite/sigv4.ts";
import { SigV4Core, type SigV4Credentials, SigV4Signer } from "../src/sigv4.ts";

/** A signer as the contract sees it: lowercase headers and a body in, the headers to send out (no `host`). */
type Sign = (
  url: URL,
  region: string,
  service: string,
) => (
  headers: Record<string, string>,
  body: string,
  credentials: SigV4Credentials,
  date: Date,
) => Promise<Record<string, string>>;

const SIGNERS: [string, Sign][] = [
  [
    "general",
    (url, region, service) => {
      const signer = new SigV4Signer();
      return (headers, body, credentials, date) =>
        signer.sign(
          { method: "POST", url, headers, body },
          { credentials, region, service, date, applyChecksum: false },
        );
    },
  ],
  ["lite", liteSigner],
  [
    "core's plain",
    (url, region, service) => {
      const core = new SigV4Core();
      return (headers, body, credentials, date) =>
        core.signPlain(
          { method: "POST", url, headers, body },
          { credentials, region, service, date, applyChecksum: false },
        );
    },
  ],
];

const SUITE = fileURLToPath(new URL("./fixtures/sigv4-test-suite/", import.meta.url));
const SUITE_CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
// The suite's POST cases whose request the lite signer can express (path "/", no query).
const POST_CASES = [
  "post-vanilla/post-vanilla",
  "post-header-key-case/post-header-key-case",
  "post-header-key-sort/post-header-key-sort",
  "post-header-value-case/post-header-value-case",
  "post-sts-token/post-sts-header-before/post-sts-header-before",
  // Its .authz was computed without the .req's Content-Length (an erratum test/sigv4.test.ts documents).
  "post-x-www-form-urlencoded/post-x-www-form-urlencoded",
];

/** A suite case as the signers take it: lowercase headers but host, date and length; the token as a credential. */
function suiteCase(name: string) {
  const [head, body = ""] = readFileSync(`${SUITE}${name}.req`, "utf8").split(/\r?\n\r?\n/);
  const [requestLine, ...lines] = head!.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let sessionToken: string | undefined;
  for (const line of lines) {
    const header = line.slice(0, line.indexOf(":")).toLowerCase();
    const value = line.slice(line.indexOf(":") + 1);
    if (header === "x-amz-security-token") sessionToken = value;
    else if (!["host", "x-amz-date", "content-length"].includes(header)) headers[header] = value;
  }
  const authz = readFileSync(`${SUITE}${name}.authz`, "utf8").trim();
  return { requestLine, headers, body, credentials: { ...SUITE_CREDENTIALS, sessionToken }, authz };
}

describe.each(SIGNERS)("the %s signer", (_, signer) => {
  it.each(POST_CASES)("signs %s as the official suite's .authz", async (name) => {
    const c = suiteCase(name);
    expect(c.requestLine).toBe("POST / HTTP/1.1");
    const sign = signer(new URL("https://example.amazonaws.com/"), "us-east-1", "service");
    const signed = await sign(c.headers, c.body, c.credentials, new Date("2015-08-30T12:36:00Z"));
    expect(signed.authorization).toBe(c.authz);
    expect(signed["x-amz-date"]).toBe("20150830T123600Z");
    expect(signed["x-amz-security-token"]).toBe(c.credentials.sessionToken);
    expect(signed.host).toBeUndefined();
  });
});

describe("the lite signer, the core's plain one and the general one", () => {
  it("give the same headers for any body, canonical header values, credentials, region, date and plain path", async () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=]{1,60}$/);
    const headerValue = fc
      .stringMatching(/^[\x21-\x7e]([\x21-\x7e ]{0,20}[\x21-\x7e])?$/)
      .filter((v) => !/ {2}/.test(v));
    const [general, ...others] = SIGNERS.map(([, signer]) => signer);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.string({ unit: "grapheme", maxLength: 200 }),
          headers: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerValue, { maxKeys: 4 }),
          accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,20}$/),
          secretAccessKey: token,
          sessionToken: fc.option(token, { nil: undefined }),
          region: fc.constantFrom("eu-west-1", "us-east-1", "cn-north-1", "ap-southeast-2"),
          date: fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
          path: fc.constantFrom("/", "/a", "/prefix/x-y_z.~/", "/v1/"),
        }),
        async ({ body, headers, accessKeyId, secretAccessKey, sessionToken, region, date, path }) => {
          const url = new URL(`http://127.0.0.1:9${path}`);
          const credentials = { accessKeyId, secretAccessKey, sessionToken };
          const [a, ...rest] = await Promise.all(
            [general!, ...others].map((signer) => signer(url, region, "cognito-idp")(headers, body, credentials, date)),
          );
          for (const b of rest) expect(b).toEqual(a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keep signing right when the secret or the day changes between requests (each keeps its last key)", async () => {
    const url = new URL("https://cognito-idp.eu-west-1.amazonaws.com/");
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "T" };
    const [general, ...others] = SIGNERS.map(([, signer]) => signer(url, "eu-west-1", "cognito-idp"));
    const turns: [string, string][] = [
      ["s1", "2026-01-01T10:00:00Z"],
      ["s1", "2026-01-01T23:59:59Z"],
      ["s2", "2026-01-01T23:59:59Z"],
      ["s2", "2026-01-02T00:00:00Z"],
      ["s1", "2026-01-01T10:00:00Z"],
    ];
    for (const [secretAccessKey, time] of turns) {
      const credentials = { accessKeyId: "AKID", secretAccessKey };
      const fresh = await SIGNERS[0]![1](url, "eu-west-1", "cognito-idp")(headers, "{}", credentials, new Date(time));
      expect(await general!(headers, "{}", credentials, new Date(time))).toEqual(fresh);
      for (const other of others) expect(await other(headers, "{}", credentials, new Date(time))).toEqual(fresh);
    }
  });
});

describe("the core's plain signer", () => {
  it("gives the general signer's headers for any path and query, with the payload checksum", async () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=]{1,60}$/);
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@ -]{0,8}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.string({ maxLength: 100 }),
          path: fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
          query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&%+._~-]{0,20}$/), { nil: undefined }),
          secretAccessKey: token,
          sessionToken: fc.option(token, { nil: undefined }),
        }),
        async ({ body, path, query, secretAccessKey, sessionToken }) => {
          let url: URL;
          try {
            url = new URL(`http://127.0.0.1:9${path}${query === undefined ? "" : `?${query}`}`);
          } catch {
            return;
          }
          const request = { method: "POST", url, headers: { "content-type": "application/x-amz-json-1.1" }, body };
          const options = {
            credentials: { accessKeyId: "AKID", secretAccessKey, sessionToken },
            region: "eu-west-1",
            service: "cognito-idp",
            date: new Date("2026-01-01T10:00:00Z"),
          };
          expect(await new SigV4Core().signPlain(request, options)).toEqual(
            await new SigV4Signer().sign(request, options),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
