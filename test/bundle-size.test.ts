/**
 * The edge bundle's size (issue 7, item 5): a Worker that lists all of a user's auth events with pagination,
 * retries and a typed error, bundled for the browser platform, minified and gzipped: within the 4 KB budget from
 * `cognito-auth-events/lite`, and within a ratcheted ceiling from the default entry. `npx tsx scripts/size.ts`
 * (`--full` for the default entry) prints the same figures with the bytes per input.
 *
 * Also here: the code paths that exist only to keep that bundle small behave exactly as the general ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FULL_WORKER_SOURCE, GZIP_BUDGET, GZIP_CEILING, WORKER_SOURCE, measure } from "../scripts/size.ts";
import { signPost, signRequest } from "../src/sigv4.ts";

describe("edge bundle size", () => {
  // A test annotation: the verbose reporter shows it, the default one only when the test fails.
  const report = (label: string, { raw, gzip, inputs }: Awaited<ReturnType<typeof measure>>) =>
    `${label}: ${raw} B raw, ${gzip} B gzip; largest: ${inputs
      .slice(0, 5)
      .map((i) => `${i.path} ${i.gzip}`)
      .join(", ")}`;

  it(`the Worker written against cognito-auth-events/lite fits issue 7's budget of ${GZIP_BUDGET} bytes gzip`, async ({
    annotate,
  }) => {
    const size = await measure(WORKER_SOURCE);
    await annotate(report("lite worker", size));
    expect(size.gzip).toBeLessThanOrEqual(GZIP_BUDGET);
    // It is the lite client: none of the default entry's heavier modules came along.
    const heavy = /^src\/(client|credentials|endpoint|resume-token|sigv4|validate)\.ts$/;
    expect(size.inputs.filter((i) => heavy.test(i.path) && i.bytes > 0)).toEqual([]);
    // Of the full paginator's module, only PaginationError.
    expect(size.inputs.find((i) => i.path === "src/paginate.ts")?.bytes ?? 0).toBeLessThan(100);
  });

  it(`the same Worker against the default entry stays within ${GZIP_CEILING} bytes gzip`, async ({ annotate }) => {
    const size = await measure(FULL_WORKER_SOURCE);
    await annotate(report("default-entry worker", size));
    expect(size.gzip).toBeLessThanOrEqual(GZIP_CEILING);
  });
});

describe("size-saving paths", () => {
  const token = fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/);
  it("signPost (the client's signer) returns exactly what signRequest returns for the client's requests (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "https://cognito-idp.eu-west-1.amazonaws.com/",
          "http://127.0.0.1:9229/",
          "https://proxy.example/base/./a%20b/../c/?b=2&a=1&a=0+x",
        ),
        fc.constantFrom("eu-west-1", "us-east-1", "cn-north-1"),
        fc.option(token, { nil: undefined }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        async (url, region, sessionToken, body, time) => {
          const credentials = {
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ...(sessionToken ? { sessionToken } : {}),
          };
          const headers = {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "AWSCognitoIdentityProviderService.ListUsers",
          };
          const date = new Date(time);
          const general = await signRequest(
            { method: "POST", url, headers, body },
            { credentials, region, service: "cognito-idp", date },
          );
          const lean = await signPost(new URL(url), headers, body, credentials, region, "cognito-idp", date);
          expect(lean).toEqual(general);
          expect(Object.keys(lean)).toEqual(Object.keys(general));
        },
      ),
      { numRuns: 150 },
    );
  });
});
