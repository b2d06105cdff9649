/**
 * Reading STS's XML answers (the query protocol of AssumeRole and AssumeRoleWithWebIdentity): whatever the body,
 * the provider resolves credentials a client can sign with, or rejects with its CredentialsProviderError, never
 * another error thrown on the way (a RangeError from a character reference, a TypeError later at signing).
 * STS is served by a stubbed global fetch, which the provider looks up at each call.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CredentialsProviderError, validateCredentials } from "../src/credentials.ts";
import { loadSdkConfig } from "../src/node/sdk-config.ts";
import { assumeRoleWithWebIdentity } from "../src/node/sts.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

const config = await loadSdkConfig({
  env: { AWS_ENDPOINT_URL_STS: "https://sts.test/" },
  readFile: async () => undefined,
});

/** AssumeRoleWithWebIdentity with STS answering `body` at `status`: the credentials, or the error. */
async function answeredWith(body: string, status = 200): Promise<unknown> {
  vi.stubGlobal("fetch", async () => new Response(body, { status }));
  const params = { RoleArn: "arn:aws:iam::123456789012:role/web", RoleSessionName: "s", WebIdentityToken: "t" };
  return assumeRoleWithWebIdentity(params, { config, region: "us-east-1" }).catch((error: unknown) => error);
}

const credentialsXml = (secret: string) =>
  "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>" +
  `<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>${secret}</SecretAccessKey>` +
  "<SessionToken>token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>" +
  "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

describe("STS answers: entities", () => {
  it.each([
    ["a&amp;b&lt;&gt;&quot;&apos;", "a&b<>\"'"],
    ["&#x41;&#X42;&#67;", "ABC"],
    ["&#x1F600;", "\u{1F600}"],
  ])("decodes %s", async (written, decoded) => {
    const credentials = (await answeredWith(credentialsXml(written))) as { secretAccessKey: string };
    expect(credentials.secretAccessKey).toBe(decoded);
  });

  // XML allows no such character (https://www.w3.org/TR/xml/#NT-Char) and declares no other entity: the answer is
  // not well-formed. The SDK's parser reads some of them (an out-of-range reference as U+0000); refusing is XML's rule.
  it.each([
    ["&#x110000;", "a character reference to no XML character"],
    ["&#99999999999999999999;", "a character reference to no XML character"],
    ["&#0;", "a character reference to no XML character"],
    ["&#xD800;", "a character reference to no XML character"],
    ["&bogus;", "an undeclared entity"],
    ["&constructor;", "an undeclared entity"],
  ])("refuses %s with the provider's error, naming the element and not the text", async (written, what) => {
    const error = (await answeredWith(credentialsXml(`secret${written}`))) as Error;
    expect(error).toBeInstanceOf(CredentialsProviderError);
    expect(error.message).toBe(`STS answered malformed XML: ${what} in <SecretAccessKey>`);
  });

  it("refuses credentials a client could not sign with: an Expiration that is no date, a key id with a space", async () => {
    const invalidDate = credentialsXml("s").replace("2030-01-01T00:00:00Z", "soon");
    expect(await answeredWith(invalidDate)).toMatchObject({
      name: "CredentialsProviderError",
      message: "STS AssumeRoleWithWebIdentity answered an Expiration that is not a date",
    });
    const spaced = credentialsXml("s").replace("ASIAEXAMPLE", "ASIA EXAMPLE");
    expect(await answeredWith(spaced)).toMatchObject({
      name: "CredentialsProviderError",
      message: "STS AssumeRoleWithWebIdentity answered an AccessKeyId that is not visible ASCII",
    });
  });
});

describe("STS answers: any body", () => {
  const NAMES = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "Arn", "Code", "Message"];
  const reference = fc.oneof(
    fc.integer({ min: 0, max: 0x7fffffff }).map((code) => `&#${code};`),
    fc.integer({ min: 0, max: 0x7fffffff }).map((code) => `&#x${code.toString(16)};`),
    fc.bigInt({ min: 0n, max: 10n ** 30n }).map((code) => `&#${code};`),
    fc.constantFrom(
      "&amp;",
      "&lt;",
      "&apos;",
      "&__proto__;",
      "&toString;",
      "&hasOwnProperty;",
      "&",
      ";",
      "&#;",
      "&#x;",
    ),
  );
  const text = fc.oneof(
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9+/=]{1,12}$/), weight: 4 },
    { arbitrary: reference, weight: 2 },
    { arbitrary: fc.string({ unit: "binary" }), weight: 2 },
    fc.constantFrom("2030-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "never", "arn:aws:sts::123456789012:x", " "),
  );
  const value = fc.oneof(
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), weight: 3 },
    fc.array(text, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("")),
  );
  /** Tags, text and references in any order. */
  const soup = fc
    .array(fc.oneof(fc.constantFrom(...NAMES.flatMap((n) => [`<${n}>`, `</${n}>`])), text), { maxLength: 20 })
    .map((parts) => parts.join(""));
  /** The shape of an answer: the key pair and any other elements, each with any text (Expiration often a date). */
  const date = fc
    .date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString());
  const shaped = fc
    .record(
      Object.fromEntries(
        NAMES.map((n) => [n, n === "Expiration" ? fc.oneof({ arbitrary: date, weight: 3 }, value) : value]),
      ),
      { requiredKeys: ["AccessKeyId", "SecretAccessKey"] },
    )
    .map((elements) =>
      Object.entries(elements)
        .map(([n, v]) => `<${n}>${v}</${n}>`)
        .join(""),
    );

  it("gives credentials a client signs with, or CredentialsProviderError, for any body at 200 or 400", async () => {
    let resolved = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(soup, shaped), fc.constantFrom(200, 200, 400), async (body, status) => {
        const result = await answeredWith(body, status);
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(CredentialsProviderError);
          return;
        }
        expect(() => validateCredentials(result)).not.toThrow();
        resolved++;
      }),
      { seed: 5918, numRuns: 600 },
    );
    // The property was tried on answers that resolve, not only on refusals.
    expect(resolved).toBeGreaterThan(20);
  });
});
