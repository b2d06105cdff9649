import { readFileSync } from "node:fs";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partitionOf, resolveEndpoint, type EndpointOptions } from "../src/endpoint.ts";

interface EndpointTestCase {
  documentation: string;
  params?: { Region?: string; UseFIPS?: boolean; UseDualStack?: boolean; Endpoint?: string };
  expect: { endpoint?: { url: string }; error?: string };
}

const spec = JSON.parse(
  readFileSync(new URL("../spec/cognito-identity-provider-2016-04-18.json", import.meta.url), "utf8"),
) as { shapes: Record<string, { traits?: Record<string, unknown> }> };
const service = spec.shapes["com.amazonaws.cognitoidentityprovider#AWSCognitoIdentityProviderService"];
const endpointTests = (service!.traits!["smithy.rules#endpointTests"] as { testCases: EndpointTestCase[] }).testCases;

function toOptions(params: EndpointTestCase["params"] = {}): EndpointOptions {
  const options: EndpointOptions = {};
  if (params.Region !== undefined) options.region = params.Region;
  if (params.Endpoint !== undefined) options.endpoint = params.Endpoint;
  if (params.UseFIPS !== undefined) options.useFipsEndpoint = params.UseFIPS;
  if (params.UseDualStack !== undefined) options.useDualstackEndpoint = params.UseDualStack;
  return options;
}

// The SDK's own resolver for the same rule set, with the partition data it ships.
const sdkEndpointProvider = new CognitoIdentityProviderClient({ region: "us-east-1" }).config.endpointProvider;

function sdkResolve(params: EndpointTestCase["params"]): string {
  return sdkEndpointProvider({ UseFIPS: false, UseDualStack: false, ...params }, {}).url.href;
}

/**
 * endpointTests of the spec snapshot that the current partition data contradicts: they were
 * written when the ISO partitions had no dual-stack endpoints; the partition data the AWS SDK v3
 * ships (and we follow) now gives them one, so the SDK resolves these too.
 */
const OUTDATED = new Set(
  endpointTests
    .filter((c) => /^us-iso(b)?-/.test(c.params?.Region ?? "") && c.params?.UseDualStack === true)
    .map((c) => c.documentation),
);

describe("endpointTests from the service model", () => {
  it("the spec has endpoint tests for regions, FIPS, China, GovCloud, ISO and custom endpoints", () => {
    expect(endpointTests.length).toBeGreaterThan(50);
    expect(OUTDATED.size).toBe(4);
  });

  for (const c of endpointTests) {
    if (OUTDATED.has(c.documentation)) {
      it(`${c.documentation}: resolves as the SDK does with current partition data (the spec expects "${c.expect.error}")`, () => {
        expect(resolveEndpoint(toOptions(c.params)).href).toBe(sdkResolve(c.params));
        expect(() => sdkResolve(c.params)).not.toThrow();
      });
    } else if (c.expect.endpoint) {
      const url = c.expect.endpoint.url;
      it(`${c.documentation}: ${url}`, () => {
        expect(resolveEndpoint(toOptions(c.params)).href).toBe(new URL(url).href);
      });
    } else {
      it(`${c.documentation}: is a TypeError (${c.expect.error})`, () => {
        expect(() => resolveEndpoint(toOptions(c.params))).toThrow(TypeError);
      });
    }
  }
});

describe("resolveEndpoint", () => {
  it("uses .amazonaws.com.cn for China regions", () => {
    expect(resolveEndpoint({ region: "cn-northwest-1" }).href).toBe(
      "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/",
    );
  });

  it("uses the FIPS host name with useFipsEndpoint", () => {
    expect(resolveEndpoint({ region: "ca-central-1", useFipsEndpoint: true }).href).toBe(
      "https://cognito-idp-fips.ca-central-1.amazonaws.com/",
    );
  });

  it("resolves unknown but well-formed regions in the aws partition, as the SDK does", () => {
    expect(resolveEndpoint({ region: "xx-future-9" }).href).toBe("https://cognito-idp.xx-future-9.amazonaws.com/");
    expect(partitionOf("xx-future-9").name).toBe("aws");
    expect(partitionOf("aws-cn-global").name).toBe("aws-cn");
  });

  it("agrees with the SDK's resolver on random regions and flags", () => {
    const region = fc.oneof(
      fc.stringMatching(/^(us|eu|ap|cn|us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc-de|zz)-[a-z]{2,9}-[1-9]$/),
      fc.constantFrom("aws-global", "aws-us-gov-global", "aws-iso-b-global", "local"),
    );
    fc.assert(
      fc.property(region, fc.boolean(), fc.boolean(), (r, fips, dual) => {
        const ours = resolveEndpoint({ region: r, useFipsEndpoint: fips, useDualstackEndpoint: dual }).href;
        expect(ours).toBe(sdkResolve({ Region: r, UseFIPS: fips, UseDualStack: dual }));
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it("uses a string endpoint override as given (the emulator)", () => {
    expect(resolveEndpoint({ region: "us-east-1", endpoint: "http://127.0.0.1:9229" }).href).toBe(
      "http://127.0.0.1:9229/",
    );
    expect(resolveEndpoint({ endpoint: "https://proxy.example/base/path" }).href).toBe(
      "https://proxy.example/base/path",
    );
  });

  it("copies a URL endpoint override so later changes to it do not leak in", () => {
    const endpoint = new URL("http://localhost:4566");
    const resolved = resolveEndpoint({ region: "eu-west-1", endpoint });
    endpoint.port = "1";
    expect(resolved.href).toBe("http://localhost:4566/");
  });

  it.each([
    ["ftp://example.com", /endpoint must use http: or https:, got "ftp:"/],
    ["not a url", /endpoint must be an absolute http\(s\) URL/],
    ["127.0.0.1:9229", /endpoint must be an absolute http\(s\) URL/],
    ["localhost:9229", /endpoint must use http: or https:, got "localhost:" \(did you forget "http:\/\/"\?\)/],
    ["https://user:pass@example.com", /endpoint must not contain a user name or password/],
  ])("rejects the endpoint %j with a TypeError naming endpoint", (endpoint, message) => {
    const error = (() => {
      try {
        resolveEndpoint({ region: "us-east-1", endpoint });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("user:pass"); // credentials in the URL are not echoed
  });

  it("rejects an endpoint of the wrong type", () => {
    expect(() => resolveEndpoint({ region: "us-east-1", endpoint: 42 as unknown as string })).toThrow(
      /endpoint must be a string or a URL, got number/,
    );
  });

  it("rejects FIPS or dual-stack with a custom endpoint, naming the option", () => {
    expect(() => resolveEndpoint({ region: "us-east-1", endpoint: "http://h", useFipsEndpoint: true })).toThrow(
      /useFipsEndpoint cannot be combined with a custom endpoint/,
    );
    expect(() => resolveEndpoint({ region: "us-east-1", endpoint: "http://h", useDualstackEndpoint: true })).toThrow(
      /useDualstackEndpoint cannot be combined/,
    );
  });

  it.each([
    "",
    "EU-WEST-1",
    "eu_west_1",
    "eu-west-1.evil.com",
    "us-east-1#",
    "-eu-west-1",
    "a".repeat(64),
    " eu-west-1",
  ])("rejects the region %j with a TypeError naming region and showing the value", (region) => {
    expect(() => resolveEndpoint({ region })).toThrow(TypeError);
    expect(() => resolveEndpoint({ region })).toThrow(`region must be an AWS region name such as "eu-west-1"`);
    expect(() => resolveEndpoint({ region })).toThrow(`got ${JSON.stringify(region)}`);
  });

  it("rejects a region that is not a string", () => {
    expect(() => resolveEndpoint({ region: 1 as unknown as string })).toThrow(/region must be .*got 1$/);
  });

  it("requires a region without a custom endpoint", () => {
    expect(() => resolveEndpoint({})).toThrow(/region is required/);
  });

  it("rejects non-boolean FIPS and dual-stack flags", () => {
    expect(() => resolveEndpoint({ region: "us-east-1", useFipsEndpoint: "yes" as unknown as boolean })).toThrow(
      /useFipsEndpoint must be a boolean/,
    );
    expect(() => resolveEndpoint({ region: "us-east-1", useDualstackEndpoint: 1 as unknown as boolean })).toThrow(
      /useDualstackEndpoint must be a boolean/,
    );
  });
});
