/**
 * The edge bundle's size: a Worker that lists all of a user's auth events with pagination, retries and a typed
 * error, bundled for the browser platform, minified and gzipped: within its budget from `cognito-auth-events/lite`,
 * and within its own budget from the default entry (scripts/size.ts holds both). `npx tsx scripts/size.ts`
 * (`--full` for the default entry) prints the same figures with the bytes per input.
 *
 * The lite entry's own signer, there only for this budget, is held to the general one in test/sigv4-lite.test.ts.
 */
import { describe, expect, it } from "vitest";
import { FULL_WORKER_SOURCE, GZIP_BUDGET, FULL_GZIP_BUDGET, WORKER_SOURCE, measure } from "../scripts/size.ts";

describe("edge bundle size", () => {
  // A test annotation: the verbose reporter shows it, the default one only when the test fails.
  const report = (label: string, { raw, gzip, inputs }: Awaited<ReturnType<typeof measure>>) =>
    `${label}: ${raw} B raw, ${gzip} B gzip; largest: ${inputs
      .slice(0, 5)
      .map((i) => `${i.path} ${i.gzip}`)
      .join(", ")}`;

  it(`the Worker written against cognito-auth-events/lite fits its budget of ${GZIP_BUDGET} bytes gzip`, async ({
    annotate,
  }) => {
    const size = await measure(WORKER_SOURCE);
    await annotate(report("lite worker", size));
    expect(size.gzip).toBeLessThanOrEqual(GZIP_BUDGET);
    // It is the lite client: none of the default entry's heavier modules came along.
    const heavy = /^src\/(client|credentials|endpoint|resume-token|sha256|sigv4|validate)\.ts$/;
    expect(size.inputs.filter((i) => heavy.test(i.path) && i.bytes > 0)).toEqual([]);
    // Of the full paginator's module, only PaginationError.
    expect(size.inputs.find((i) => i.path === "src/paginate.ts")?.bytes ?? 0).toBeLessThan(100);
  });

  it(`the same Worker against the default entry stays within ${FULL_GZIP_BUDGET} bytes gzip`, async ({ annotate }) => {
    const size = await measure(FULL_WORKER_SOURCE);
    await annotate(report("default-entry worker", size));
    expect(size.gzip).toBeLessThanOrEqual(FULL_GZIP_BUDGET);
  });
});
