/**
 * Region -> Cognito user pools endpoint, following the service model's endpoint rule set
 * (spec/endpoint-rule-set-1.json) and the AWS partition data the AWS SDK v3 uses. Web-standard globals only.
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

// From the AWS partition data (partitions.json, as bundled by the AWS SDK v3), as
// "name prefix dnsSuffix dualStackDnsSuffix" rows: a region `<prefix>-<word>-<digits>` is in the
// first partition whose prefix matches, "aws" when none does; "<partition>-global" pseudo-regions
// map to theirs. Every partition supports FIPS and dual-stack endpoints.
const PARTITIONS: readonly (Partition & { regionPattern: RegExp })[] =
  `aws (us|eu|ap|sa|ca|me|af|il|mx) amazonaws.com api.aws
aws-cn cn amazonaws.com.cn api.amazonwebservices.com.cn
aws-eusc eusc-(de) amazonaws.eu api.amazonwebservices.eu
aws-iso us-iso c2s.ic.gov api.aws.ic.gov
aws-iso-b us-isob sc2s.sgov.gov api.aws.scloud
aws-iso-e eu-isoe cloud.adc-e.uk api.cloud-aws.adc-e.uk
aws-iso-f us-isof csp.hci.ic.gov api.aws.hci.ic.gov
aws-us-gov us-gov amazonaws.com api.aws`
    .split("\n")
    .map((row) => {
      const [name, prefix, dnsSuffix, dualStackDnsSuffix] = row.split(" ") as [string, string, string, string];
      return {
        name,
        regionPattern: new RegExp(`^${prefix}-\\w+-\\d+$`),
        dnsSuffix,
        dualStackDnsSuffix,
        supportsFIPS: true,
        supportsDualStack: true,
      };
    });

/** A region name: one DNS label, lowercase (it becomes part of the host name). */
const REGION_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The partition a region belongs to (`aws` for unknown regions, as the SDK does). */
export function partitionOf(region: string): Partition {
  const { regionPattern: _, ...partition } =
    PARTITIONS.find((p) => region === `${p.name}-global`) ??
    PARTITIONS.find((p) => p.regionPattern.test(region)) ??
    PARTITIONS[0]!;
  return partition;
}

/** Throws a TypeError unless `region` is a valid region name; the value is shown (it is not secret). */
export function validateRegion(region: unknown): asserts region is string {
  if (typeof region !== "string" || !REGION_PATTERN.test(region)) {
    throw new TypeError(
      `region must be an AWS region name such as "eu-west-1" (lowercase letters, digits and hyphens), got ${typeof region === "string" ? JSON.stringify(region) : String(region)}`,
    );
  }
}

function parseEndpoint(endpoint: string | URL): URL {
  if (!(endpoint instanceof URL) && typeof endpoint !== "string") {
    throw new TypeError(`endpoint must be a string or a URL, got ${endpoint === null ? "null" : typeof endpoint}`);
  }
  let url: URL;
  try {
    // A URL is copied, so later changes to the caller's object do not leak in.
    url = new URL(endpoint);
  } catch {
    throw new TypeError('endpoint must be an absolute http(s) URL such as "http://127.0.0.1:9229"');
  }
  const { protocol } = url;
  if (protocol !== "http:" && protocol !== "https:") {
    // "localhost:9229" parses with the scheme "localhost:".
    throw new TypeError(
      `endpoint must use http: or https:, got ${JSON.stringify(protocol)}${url.href.startsWith(`${protocol}//`) ? "" : ' (did you forget "http://"?)'}`,
    );
  }
  // Not echoed: it holds credentials.
  if (url.username || url.password) throw new TypeError("endpoint must not contain a user name or password");
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
  const { region, endpoint, useFipsEndpoint: fips = false, useDualstackEndpoint: dual = false } = options;
  const flags = [
    ["useFipsEndpoint", fips],
    ["useDualstackEndpoint", dual],
  ] as const;
  for (const [name, value] of flags) if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean`);
  if (region !== undefined) validateRegion(region);
  if (endpoint !== undefined) {
    // The rule set: "Invalid Configuration: FIPS and custom endpoint are not supported" (and Dualstack).
    for (const [name, value] of flags)
      if (value) throw new TypeError(`${name} cannot be combined with a custom endpoint`);
    return parseEndpoint(endpoint);
  }
  if (region === undefined) {
    throw new TypeError('region is required (e.g. "eu-west-1") unless a custom endpoint is given');
  }
  const { name, dnsSuffix, dualStackDnsSuffix } = partitionOf(region);
  // FIPS with dual-stack: the rule set names the four FIPS hosts that serve IPv6 under the classic
  // suffix. Dual-stack alone: Cognito's endpoints in the aws partition keep the amazonaws.com names.
  const suffix = !dual
    ? dnsSuffix
    : (fips ? /^us-(east|west)-[12]$/.test(region) : name === "aws")
      ? "amazonaws.com"
      : dualStackDnsSuffix;
  return new URL(`https://cognito-idp${fips ? "-fips" : ""}.${region}.${suffix}`);
}
