import { readFileSync } from "node:fs";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { resolveEndpoint as evaluateRuleSet, type RuleSetObject } from "@smithy/core/endpoints";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { partitionOf, resolveEndpoint, type EndpointOptions } from "../src/endpoint.ts";

/** The service model's endpoint rule set (botocore's endpoint-rule-set-1.json). */
const ruleSet = JSON.parse(
  readFileSync(new URL("../spec/endpoint-rule-set-1.json", import.meta.url), "utf8"),
) as RuleSetObject;

type Params = { Region?: string; UseFIPS?: boolean; UseDualStack?: boolean; Endpoint?: string };

function toOptions(params: Params): EndpointOptions {
  const options: EndpointOptions = {};
  if (params.Region !== undefined) options.region = params.Region;
  if (params.Endpoint !== undefined) options.endpoint = params.Endpoint;
  if (params.UseFIPS !== undefined) options.useFipsEndpoint = params.UseFIPS;
  if (params.UseDualStack !== undefined) options.useDualstackEndpoint = params.UseDualStack;
  return options;
}

// The SDK's own resolver, with the partition data it ships. Loading the SDK's client also registers the aws.*
// rule functions (aws.partition...) with @smithy/core's rules engine, which evaluates the model's rule set below.
const sdkEndpointProvider = new CognitoIdentityProviderClient({ region: "us-east-1" }).config.endpointProvider;

function sdkResolve(params: Params): string {
  return sdkEndpointProvider({ UseFIPS: false, UseDualStack: false, ...params }, {}).url.href;
}

/** What the model's rule set says for these parameters: a URL, or the rule set's error. */
function fromRuleSet(params: Params): { url: string } | { error: string } {
  try {
    const endpointParams = { UseFIPS: false, UseDualStack: false, ...params };
    return { url: evaluateRuleSet(ruleSet, { endpointParams }).url.href };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Every partition's regions (and a well-formed unknown one), with every FIPS and dual-stack combination, and
// custom endpoints alone and with the flags the rule set refuses.
const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "ap-northeast-3",
  "il-central-1",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-west-1",
  "us-gov-east-1",
  "us-iso-east-1",
  "us-isob-east-1",
  "eu-isoe-west-1",
  "us-isof-south-1",
  "eusc-de-east-1",
  "xx-future-9",
];
const CASES: Params[] = [
  ...REGIONS.flatMap((Region) =>
    [false, true].flatMap((UseFIPS) => [false, true].map((UseDualStack) => ({ Region, UseFIPS, UseDualStack }))),
  ),
  { Region: "us-east-1", Endpoint: "https://example.com" },
  { Endpoint: "https://example.com" },
  { Region: "us-east-1", Endpoint: "https://example.com", UseFIPS: true },
  { Region: "us-east-1", Endpoint: "https://example.com", UseDualStack: true },
];

describe("the endpoint rule set of the service model (spec/endpoint-rule-set-1.json)", () => {
  it("gives URLs and refusals across the partitions (the table covers both)", () => {
    const outcomes = CASES.map(fromRuleSet);
    expect(outcomes.filter((o) => "url" in o).length).toBeGreaterThan(40);
    expect(outcomes.filter((o) => "error" in o).length).toBeGreaterThanOrEqual(2);
    // Hosts of eight partitions' DNS suffixes (aws, aws-cn, aws-us-gov's share aws's, the ISO ones, eusc...).
    const suffixes = outcomes.flatMap((o) =>
      "url" in o ? [new URL(o.url).hostname.split(".").slice(-2).join(".")] : [],
    );
    expect(new Set(suffixes).size).toBeGreaterThanOrEqual(8);
  });

  for (const params of CASES) {
    const expected = fromRuleSet(params);
    if ("url" in expected) {
      it(`${JSON.stringify(params)}: ${expected.url}`, () => {
        expect(resolveEndpoint(toOptions(params)).href).toBe(expected.url);
        if (params.Region) expect(sdkResolve(params)).toBe(expected.url);
      });
    } else {
      it(`${JSON.stringify(params)}: is a TypeError (${expected.error})`, () => {
        expect(() => resolveEndpoint(toOptions(params))).toThrow(TypeError);
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
