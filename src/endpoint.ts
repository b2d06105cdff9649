/**
 * Region -> Cognito user pools endpoint, following the service model's endpoint rule set
 * (`smithy.rules#endpointRuleSet` in spec/cognito-identity-provider-2016-04-18.json) and the AWS
 * partition data the AWS SDK v3 uses. Web-standard globals only.
 *
 * @module
 */

/**
 * Options of {@link resolveEndpoint}: the client options of the same names.
 * @example
 * { region: "eu-west-1" }
 * @example
 * { region: "us-east-1", endpoint: "http://127.0.0.1:9229" } // the local emulator
 */
export interface EndpointOptions {
  /** AWS region, e.g. `"eu-west-1"`. Required unless `endpoint` is given. */
  region?: string;
  /** Custom endpoint (an emulator, a proxy): used as is; `http:` or `https:` only. */
  endpoint?: string | URL;
  /**
   * Use the FIPS 140 endpoint (`cognito-idp-fips.{region}...`). Not with `endpoint`.
   * @default false
   */
  useFipsEndpoint?: boolean;
  /**
   * Use the dual-stack (IPv6) endpoint. Not with `endpoint`.
   * @default false
   */
  useDualstackEndpoint?: boolean;
}

/** An AWS partition: the regions sharing one DNS suffix. */
export interface Partition {
  name: string;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  supportsFIPS: boolean;
  supportsDualStack: boolean;
}

// From the AWS partition data (partitions.json, as bundled by the AWS SDK v3): the first whose
// pattern matches wins, "aws" when none does; "<partition>-global" pseudo-regions map to theirs.
const PARTITIONS: readonly (Partition & { regionPattern: RegExp })[] = [
  ["aws", /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, "amazonaws.com", "api.aws"],
  ["aws-cn", /^cn-\w+-\d+$/, "amazonaws.com.cn", "api.amazonwebservices.com.cn"],
  ["aws-eusc", /^eusc-(de)-\w+-\d+$/, "amazonaws.eu", "api.amazonwebservices.eu"],
  ["aws-iso", /^us-iso-\w+-\d+$/, "c2s.ic.gov", "api.aws.ic.gov"],
  ["aws-iso-b", /^us-isob-\w+-\d+$/, "sc2s.sgov.gov", "api.aws.scloud"],
  ["aws-iso-e", /^eu-isoe-\w+-\d+$/, "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"],
  ["aws-iso-f", /^us-isof-\w+-\d+$/, "csp.hci.ic.gov", "api.aws.hci.ic.gov"],
  ["aws-us-gov", /^us-gov-\w+-\d+$/, "amazonaws.com", "api.aws"],
].map(([name, regionPattern, dnsSuffix, dualStackDnsSuffix]) => ({
  name: name as string,
  regionPattern: regionPattern as RegExp,
  dnsSuffix: dnsSuffix as string,
  dualStackDnsSuffix: dualStackDnsSuffix as string,
  supportsFIPS: true,
  supportsDualStack: true,
}));

/** A region name: one DNS label, lowercase (it becomes part of the host name). */
const REGION_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The partition a region belongs to (`aws` for unknown regions, as the SDK does). */
export function partitionOf(region: string): Partition {
  const byGlobal = PARTITIONS.find((p) => region === `${p.name}-global`);
  const found = byGlobal ?? PARTITIONS.find((p) => p.regionPattern.test(region)) ?? PARTITIONS[0];
  if (found === undefined) throw new Error("unreachable: no partitions");
  const { regionPattern: _, ...partition } = found;
  return partition;
}

/** Throws a TypeError unless `region` is a valid region name; the value is shown (it is not secret). */
export function validateRegion(region: unknown): asserts region is string {
  if (typeof region !== "string" || !REGION_PATTERN.test(region)) {
    const shown = typeof region === "string" ? JSON.stringify(region) : String(region);
    throw new TypeError(
      `region must be an AWS region name such as "eu-west-1" (lowercase letters, digits and hyphens), got ${shown}`,
    );
  }
}

function parseEndpoint(endpoint: string | URL): URL {
  let url: URL;
  if (endpoint instanceof URL) {
    url = new URL(endpoint.href);
  } else if (typeof endpoint === "string") {
    try {
      url = new URL(endpoint);
    } catch {
      throw new TypeError('endpoint must be an absolute http(s) URL such as "http://127.0.0.1:9229"');
    }
  } else {
    throw new TypeError(`endpoint must be a string or a URL, got ${endpoint === null ? "null" : typeof endpoint}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    // "localhost:9229" parses with the scheme "localhost:".
    const hint = url.href.startsWith(`${url.protocol}//`) ? "" : ' (did you forget "http://"?)';
    throw new TypeError(`endpoint must use http: or https:, got ${JSON.stringify(url.protocol)}${hint}`);
  }
  if (url.username !== "" || url.password !== "") {
    // Not echoed: it holds credentials.
    throw new TypeError("endpoint must not contain a user name or password");
  }
  return url;
}

/**
 * The endpoint URL for a region: `https://cognito-idp.{region}.amazonaws.com` (`.amazonaws.com.cn`
 * in China, the partition's suffix elsewhere), `cognito-idp-fips.` with `useFipsEndpoint`, the
 * dual-stack suffix with `useDualstackEndpoint`; or `endpoint` as given. TypeError naming the
 * option for a bad region or endpoint, or a combination the rule set refuses.
 * @example
 * resolveEndpoint({ region: "cn-north-1" }).href // "https://cognito-idp.cn-north-1.amazonaws.com.cn/"
 */
export function resolveEndpoint(options: EndpointOptions): URL {
  if (typeof options !== "object" || options === null) throw new TypeError("endpoint options must be an object");
  const { region, endpoint, useFipsEndpoint = false, useDualstackEndpoint = false } = options;
  if (typeof useFipsEndpoint !== "boolean") throw new TypeError("useFipsEndpoint must be a boolean");
  if (typeof useDualstackEndpoint !== "boolean") throw new TypeError("useDualstackEndpoint must be a boolean");
  if (region !== undefined) validateRegion(region);

  if (endpoint !== undefined) {
    // The rule set: "Invalid Configuration: FIPS and custom endpoint are not supported" (and Dualstack).
    if (useFipsEndpoint) throw new TypeError("useFipsEndpoint cannot be combined with a custom endpoint");
    if (useDualstackEndpoint) throw new TypeError("useDualstackEndpoint cannot be combined with a custom endpoint");
    return parseEndpoint(endpoint);
  }
  if (region === undefined) {
    throw new TypeError('region is required (e.g. "eu-west-1") unless a custom endpoint is given');
  }

  const partition = partitionOf(region);
  if (useFipsEndpoint && !partition.supportsFIPS) {
    throw new TypeError(`useFipsEndpoint: partition ${partition.name} has no FIPS endpoints`);
  }
  if (useDualstackEndpoint && !partition.supportsDualStack) {
    throw new TypeError(`useDualstackEndpoint: partition ${partition.name} has no dual-stack endpoints`);
  }
  if (useFipsEndpoint && useDualstackEndpoint) {
    // The rule set names the four FIPS hosts that serve IPv6 under the classic suffix.
    const suffix = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"].includes(region)
      ? "amazonaws.com"
      : partition.dualStackDnsSuffix;
    return new URL(`https://cognito-idp-fips.${region}.${suffix}`);
  }
  if (useFipsEndpoint) return new URL(`https://cognito-idp-fips.${region}.${partition.dnsSuffix}`);
  if (useDualstackEndpoint) {
    // Cognito's dual-stack endpoints in the aws partition keep the amazonaws.com names.
    const suffix = partition.name === "aws" ? "amazonaws.com" : partition.dualStackDnsSuffix;
    return new URL(`https://cognito-idp.${region}.${suffix}`);
  }
  return new URL(`https://cognito-idp.${region}.${partition.dnsSuffix}`);
}
