/**
 * What the Node build's client takes from the environment and the shared config files when its options leave it out
 * (region, endpoint, FIPS and dual-stack, retry settings), compared with the AWS SDK's client (installed) given the
 * same environment and files: where each sends the same request (MSW records both: the SDK over node:http, ours over
 * fetch), and what `client.config` resolves.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CognitoIdentityProviderClient, ListUsersCommand } from "../src/node/default-entry.ts";
import { type StandIn, startStandIn } from "./fixtures/credentials/stand-in.ts";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };
const saved = { ...process.env };
const urls: string[] = [];
const server = setupServer(
  http.post("*", ({ request }) => {
    urls.push(request.url);
    return HttpResponse.json({ Users: [] }, { headers: { "x-amzn-requestid": "r" } });
  }),
);
let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
  // The stand-in (instance metadata) is reached over real HTTP; everything else is MSW's.
  server.listen({ onUnhandledRequest: ({ url }) => (url.startsWith(standIn.url) ? undefined : "error") as never });
});
afterAll(async () => {
  server.close();
  await standIn.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** The temporary HOMEs {@link setUp} made, removed once this file is done. */
const homes: string[] = [];
afterEach(() => {
  process.env = { ...saved };
  urls.length = 0;
});

/** process.env with only the given AWS settings, and a fresh HOME with the given config and credentials files. */
function setUp(env: Record<string, string>, files: { config?: string; credentials?: string } = {}): void {
  const home = mkdtempSync(join(tmpdir(), "cae-defaults-"));
  homes.push(home);
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "config"), files.config ?? "");
  writeFileSync(join(home, ".aws", "credentials"), files.credentials ?? "");
  const kept = Object.fromEntries(Object.entries(saved).filter(([key]) => !key.startsWith("AWS_")));
  process.env = {
    ...kept,
    HOME: home,
    AWS_CONFIG_FILE: join(home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK's notice about its future Node versions is test-output noise (vitest.config.ts).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...env,
  };
  for (const [key, value] of Object.entries(process.env)) if (value === "") delete process.env[key];
}

/** Sends ListUsers with the SDK's client and ours, created from the same options; the URL each went to. */
async function destinations(options: Record<string, unknown> = {}): Promise<{ sdk: string; ours: string }> {
  await new Sdk.CognitoIdentityProviderClient({ credentials, ...options }).send(
    new Sdk.ListUsersCommand({ UserPoolId: "us-east-1_x" }),
  );
  await new CognitoIdentityProviderClient({ credentials, ...options }).send(
    new ListUsersCommand({ UserPoolId: "us-east-1_x" }),
  );
  expect(urls).toHaveLength(2);
  return { sdk: urls[0]!, ours: urls[1]! };
}

describe("endpoint configured outside the code", () => {
  it.each([
    [
      "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER over AWS_ENDPOINT_URL",
      { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "http://service.test", AWS_ENDPOINT_URL: "http://global.test" },
      {},
      "http://service.test/",
    ],
    ["AWS_ENDPOINT_URL", { AWS_ENDPOINT_URL: "http://global.test:8080" }, {}, "http://global.test:8080/"],
    [
      "the environment over the profile",
      { AWS_ENDPOINT_URL: "http://global.test" },
      { config: "[default]\nendpoint_url = http://profile.test\n" },
      "http://global.test/",
    ],
    [
      "the profile's services section over its endpoint_url",
      {},
      {
        config:
          "[default]\nendpoint_url = http://profile.test\nservices = local\n[services local]\ncognito_identity_provider =\n  endpoint_url = http://services.test\n",
      },
      "http://services.test/",
    ],
    [
      "the profile's endpoint_url",
      {},
      { config: "[default]\nendpoint_url = http://profile.test\n" },
      "http://profile.test/",
    ],
    [
      "nothing when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true",
      { AWS_ENDPOINT_URL: "http://global.test", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
      {},
      "https://cognito-idp.us-east-1.amazonaws.com/",
    ],
    [
      "nothing when the profile's ignore_configured_endpoint_urls is true",
      { AWS_ENDPOINT_URL: "http://global.test" },
      { config: "[default]\nignore_configured_endpoint_urls = true\n" },
      "https://cognito-idp.us-east-1.amazonaws.com/",
    ],
  ])("%s", async (_, env, files, expected) => {
    setUp({ AWS_REGION: "us-east-1", ...env }, files);
    expect(await destinations()).toEqual({ sdk: expected, ours: expected });
  });

  it("the endpoint option wins, and ignoreConfiguredEndpointUrls turns the configured one off", async () => {
    setUp({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://global.test" });
    expect(await destinations({ endpoint: "http://option.test" })).toEqual({
      sdk: "http://option.test/",
      ours: "http://option.test/",
    });
    urls.length = 0;
    const expected = "https://cognito-idp.us-east-1.amazonaws.com/";
    expect(await destinations({ ignoreConfiguredEndpointUrls: true })).toEqual({ sdk: expected, ours: expected });
  });

  it("config.endpoint stays undefined for a configured endpoint, as the SDK's; endpointUrl() gives it", async () => {
    setUp({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://global.test:9" });
    const sdk = new Sdk.CognitoIdentityProviderClient({ credentials });
    const ours = new CognitoIdentityProviderClient({ credentials });
    await sdk.send(new Sdk.ListUsersCommand({ UserPoolId: "us-east-1_x" }));
    await ours.send(new ListUsersCommand({ UserPoolId: "us-east-1_x" }));
    expect([sdk.config.endpoint, ours.config.endpoint]).toEqual([undefined, undefined]);
    expect((await ours.config.endpointUrl()).href).toBe("http://global.test:9/");
  });

  it("a profile naming a services section the file lacks fails at send with a message naming it", async () => {
    setUp({ AWS_REGION: "us-east-1" }, { config: "[default]\nservices = missing\n" });
    await expect(
      new CognitoIdentityProviderClient({ credentials }).send(new ListUsersCommand({ UserPoolId: "us-east-1_x" })),
    ).rejects.toThrow('The services section "missing" named by profile default is not in');
  });

  it("an empty services section is a missing one: the SDK then drops the whole configured endpoint, ours refuses", async () => {
    setUp(
      { AWS_REGION: "us-east-1" },
      { config: "[default]\nendpoint_url = http://profile.test\nservices = local\n[services local]\n" },
    );
    await new Sdk.CognitoIdentityProviderClient({ credentials }).send(
      new Sdk.ListUsersCommand({ UserPoolId: "us-east-1_x" }),
    );
    expect(urls).toEqual(["https://cognito-idp.us-east-1.amazonaws.com/"]);
    await expect(
      new CognitoIdentityProviderClient({ credentials }).send(new ListUsersCommand({ UserPoolId: "us-east-1_x" })),
    ).rejects.toThrow('The services section "local" named by profile default is not in');
    expect(urls).toHaveLength(1);
  });
});

describe("FIPS and dual-stack from the environment and the profile", () => {
  it.each([
    [
      "AWS_USE_FIPS_ENDPOINT",
      { AWS_USE_FIPS_ENDPOINT: "true" },
      {},
      "https://cognito-idp-fips.us-east-1.amazonaws.com/",
    ],
    [
      "use_fips_endpoint",
      {},
      { config: "[default]\nuse_fips_endpoint = true\n" },
      "https://cognito-idp-fips.us-east-1.amazonaws.com/",
    ],
    [
      "AWS_USE_DUALSTACK_ENDPOINT in China",
      { AWS_USE_DUALSTACK_ENDPOINT: "true", AWS_REGION: "cn-north-1" },
      {},
      "https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn/",
    ],
  ])("%s", async (_, env, files, expected) => {
    setUp({ AWS_REGION: "us-east-1", ...env }, files);
    expect(await destinations()).toEqual({ sdk: expected, ours: expected });
  });

  it("refuses a value other than true or false, naming the variable", async () => {
    setUp({ AWS_REGION: "us-east-1", AWS_USE_FIPS_ENDPOINT: "yes" });
    const send = new CognitoIdentityProviderClient({ credentials }).send(new ListUsersCommand({ UserPoolId: "x" }));
    await expect(send).rejects.toThrow(
      'the environment variable AWS_USE_FIPS_ENDPOINT must be "true" or "false", got "yes"',
    );
  });
});

describe("region", () => {
  const region = async (options: Record<string, unknown> = {}) => ({
    sdk: await new Sdk.CognitoIdentityProviderClient({ credentials, ...options }).config.region(),
    ours: await new CognitoIdentityProviderClient({ credentials, ...options }).config.region(),
  });

  it("AWS_REGION over the profile's region", async () => {
    setUp({ AWS_REGION: "eu-west-3" }, { config: "[default]\nregion = eu-west-1\n" });
    expect(await region()).toEqual({ sdk: "eu-west-3", ours: "eu-west-3" });
  });

  it("the profile's region, the credentials file's over the config file's, of AWS_PROFILE's profile", async () => {
    setUp(
      { AWS_PROFILE: "dev" },
      { config: "[profile dev]\nregion = eu-west-1\n", credentials: "[dev]\nregion = ap-south-1\n" },
    );
    expect(await region()).toEqual({ sdk: "ap-south-1", ours: "ap-south-1" });
  });

  it("the profile option selects the profile", async () => {
    setUp({}, { config: "[profile other]\nregion = sa-east-1\n" });
    expect(await region({ profile: "other" })).toEqual({ sdk: "sa-east-1", ours: "sa-east-1" });
  });

  it("the instance metadata's region last (EC2), unless AWS_EC2_METADATA_DISABLED", async () => {
    setUp({ AWS_EC2_METADATA_DISABLED: "", AWS_EC2_METADATA_SERVICE_ENDPOINT: standIn.url });
    expect(await region()).toEqual({ sdk: "eu-central-1", ours: "eu-central-1" });
  });

  it("none: the client is created (a module-level client does not crash the import), and send fails with 'Region is missing'", async () => {
    setUp({});
    const sdk = new Sdk.CognitoIdentityProviderClient({ credentials });
    const ours = new CognitoIdentityProviderClient({ credentials });
    const sdkError = (await sdk.send(new Sdk.ListUsersCommand({ UserPoolId: "x" })).catch((e: unknown) => e)) as Error;
    const ourError = (await ours.send(new ListUsersCommand({ UserPoolId: "x" })).catch((e: unknown) => e)) as Error;
    expect(sdkError).toMatchObject({ name: "Error", message: "Region is missing" });
    expect(ourError.name).toBe(sdkError.name);
    expect(ourError.message).toMatch(/^Region is missing: /);
    expect(urls).toEqual([]);
  });
});

describe("retry settings", () => {
  const settings = async () => {
    const sdk = new Sdk.CognitoIdentityProviderClient({ credentials });
    const ours = new CognitoIdentityProviderClient({ credentials });
    return {
      sdk: [await sdk.config.maxAttempts(), await (sdk.config.retryMode as () => Promise<string>)()],
      ours: [await ours.config.maxAttempts(), await ours.config.retryMode()],
    };
  };

  it("AWS_MAX_ATTEMPTS and AWS_RETRY_MODE", async () => {
    setUp({ AWS_REGION: "us-east-1", AWS_MAX_ATTEMPTS: "7", AWS_RETRY_MODE: "adaptive" });
    expect(await settings()).toEqual({ sdk: [7, "adaptive"], ours: [7, "adaptive"] });
  });

  it("the profile's max_attempts and retry_mode", async () => {
    setUp({ AWS_REGION: "us-east-1" }, { config: "[default]\nmax_attempts = 2\nretry_mode = standard\n" });
    expect(await settings()).toEqual({ sdk: [2, "standard"], ours: [2, "standard"] });
  });

  it("defaults: 3 attempts, standard", async () => {
    setUp({ AWS_REGION: "us-east-1" });
    expect(await settings()).toEqual({ sdk: [3, "standard"], ours: [3, "standard"] });
  });

  it("AWS_MAX_ATTEMPTS that is not a number fails at send, naming it", async () => {
    setUp({ AWS_REGION: "us-east-1", AWS_MAX_ATTEMPTS: "many" });
    const send = new CognitoIdentityProviderClient({ credentials }).send(new ListUsersCommand({ UserPoolId: "x" }));
    await expect(send).rejects.toThrow(
      'AWS_MAX_ATTEMPTS (or max_attempts in the profile) must be an integer, got "many"',
    );
  });
});
