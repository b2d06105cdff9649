/**
 * What only the default entry's client does: input validation, the logger, clock-skew correction, requestTimeout,
 * endpoint rules and environment defaults, blobs. What both clients promise is in test/client-contract.test.ts.
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  TooManyRequestsException,
  UserNotFoundException,
  ValidationError,
} from "../src/index.ts";
import { CognitoIdentityProviderClient as NodeClient } from "../src/node/client.ts";

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key", sessionToken: "test-session-token" };
const input = { UserPoolId: "eu-west-1_abc123", Username: "alice" };

type Seen = { headers: Headers; body: unknown; url: string };
const seen: Seen[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Answers each request with the next response of the list (the last one repeats). */
function respond(...responses: Array<() => Response>) {
  let i = 0;
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      seen.push({ headers: request.headers, body: await request.json(), url: request.url });
      return responses[Math.min(i++, responses.length - 1)]!();
    }),
  );
}
const json =
  (body: unknown, init: ResponseInit = {}) =>
  () =>
    new HttpResponse(JSON.stringify(body), {
      status: 200,
      ...init,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": "req-1",
        ...(init.headers as object),
      },
    });
const awsError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  json({ __type: type, message }, { status, headers });

const client = (config: Partial<Sdk.CognitoIdentityProviderClientConfig> & Record<string, unknown> = {}) =>
  new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, ...config } as never);

describe("error classes", () => {
  it("an SDK error is an instance of this package's class too", () => {
    const sdkErr = new Sdk.UserNotFoundException({ message: "x", $metadata: {} });
    expect(sdkErr).toBeInstanceOf(UserNotFoundException);
    expect(sdkErr).not.toBeInstanceOf(TooManyRequestsException);
  });
});

describe("input validation (validateInput: true, the Node, Deno and Bun build)", () => {
  const client = (config: Partial<Sdk.CognitoIdentityProviderClientConfig> & Record<string, unknown> = {}) =>
    new NodeClient({ region: "eu-west-1", credentials, validateInput: true, ...config } as never);

  it("is refused by the edge build with a TypeError naming it and saying what checks inputs there", () => {
    expect(() => new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, validateInput: true })).toThrow(
      /^validateInput is in the Node, Deno and Bun build .*InvalidParameterException/,
    );
    expect(
      () => new CognitoIdentityProviderClient({ region: "eu-west-1", credentials, validateInput: false }),
    ).not.toThrow();
  });

  it("is off by default, as in the AWS SDK: the service checks the input", async () => {
    respond(awsError(400, "InvalidParameterException", "1 validation error detected"));
    const err = await new CognitoIdentityProviderClient({ region: "eu-west-1", credentials })
      .send(new AdminListUserAuthEventsCommand({ UserPoolId: input.UserPoolId } as never))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(seen).toHaveLength(1);
  });

  it("rejects a missing required member before sending, naming it", async () => {
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ UserPoolId: input.UserPoolId } as never))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain("Username is required");
    expect(seen).toHaveLength(0);
  });

  it("names the member, the pattern and the value of a non-sensitive member", async () => {
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ ...input, UserPoolId: "no-underscore" }))
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/UserPoolId must match the pattern .* \(length 13; value "no-underscore"\)/);
  });

  it("never echoes a sensitive member's value, only its length", async () => {
    const secretName = "x".repeat(129);
    const err = await client()
      .send(new AdminListUserAuthEventsCommand({ ...input, Username: secretName }))
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      "Username must have length <= 128 (length 129; value not shown: sensitive)",
    );
    expect((err as Error).message).not.toContain(secretName);
  });

  it("checks ranges and counts code points, not UTF-16 units", async () => {
    respond(json({}));
    await expect(client().send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 61 }))).rejects.toThrow(
      "MaxResults must be <= 60, got 61",
    );
    await expect(
      client().send(new AdminListUserAuthEventsCommand({ ...input, Username: "😀".repeat(128) })),
    ).resolves.toBeTruthy();
  });

  it("can be turned off", async () => {
    respond(json({}));
    await client({ validateInput: false }).send(new AdminListUserAuthEventsCommand({ ...input, MaxResults: 61 }));
    expect(seen[0]!.body).toMatchObject({ MaxResults: 61 });
  });
});

describe("configuration", () => {
  it("rejects bad options with a TypeError naming the option", () => {
    expect(() => client({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => client({ retryMode: "legacy" as never })).toThrow(/retryMode/);
    expect(() => client({ requestTimeout: -1 })).toThrow(/requestTimeout/);
  });

  it("without a region option or AWS_REGION/AWS_DEFAULT_REGION, is created and fails at send with 'Region is missing'", async () => {
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    try {
      const noRegion = new CognitoIdentityProviderClient({ credentials, endpoint: "http://127.0.0.1:9" });
      await expect(noRegion.send(new AdminListUserAuthEventsCommand(input))).rejects.toThrow(/^Region is missing: /);
      await expect(noRegion.config.region()).rejects.toThrow(/^Region is missing: /);
      expect(seen).toHaveLength(0);
      vi.stubEnv("AWS_DEFAULT_REGION", "eu-central-1");
      expect(await new CognitoIdentityProviderClient({ credentials }).config.region()).toBe("eu-central-1");
      vi.stubEnv("AWS_REGION", "eu-north-1");
      expect(await new CognitoIdentityProviderClient({ credentials }).config.region()).toBe("eu-north-1");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("sends to the endpoint override", async () => {
    server.use(http.post("http://127.0.0.1:9/", () => HttpResponse.json({ AuthEvents: [] })));
    const out = await client({ endpoint: "http://127.0.0.1:9" }).send(new AdminListUserAuthEventsCommand(input));
    expect(out.AuthEvents).toEqual([]);
  });

  it("useDualstackEndpoint and useFipsEndpoint pick the hosts of the model's endpoint rules", async () => {
    expect((await client({ region: "cn-north-1", useDualstackEndpoint: true }).config.endpointUrl()).href).toBe(
      "https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn/",
    );
    expect(
      (
        await client({
          region: "us-gov-west-1",
          useDualstackEndpoint: true,
          useFipsEndpoint: true,
        }).config.endpointUrl()
      ).href,
    ).toBe("https://cognito-idp-fips.us-gov-west-1.api.aws/");
    expect(() => client({ useDualstackEndpoint: true, endpoint: "http://127.0.0.1:9" })).toThrow(
      "useDualstackEndpoint cannot be combined with a custom endpoint",
    );
    expect(() => client({ useDualstackEndpoint: "yes" as never })).toThrow(TypeError);
  });

  it("JSON.stringify of the client shows the resolved configuration, no credentials", async () => {
    respond(json({}));
    const c = client();
    await c.send(new AdminListUserAuthEventsCommand(input));
    const text = JSON.stringify(c);
    expect(JSON.parse(text)).toMatchObject({ region: "eu-west-1", endpoint: ENDPOINT, maxAttempts: 3 });
    expect(text).not.toContain("test-secret-key");
    expect(text).not.toContain("test-session-token");
  });

  it("logs requests to the logger with Authorization, the session token and sensitive members redacted", async () => {
    respond(json({}));
    const lines: string[] = [];
    const logger = { debug: (...a: unknown[]) => lines.push(JSON.stringify(a)), info() {}, warn() {}, error() {} };
    await client({ logger }).send(new AdminListUserAuthEventsCommand({ ...input, Username: "alice-the-user" }));
    const all = lines.join("\n");
    expect(all).toContain("AdminListUserAuthEvents attempt 1: POST https://cognito-idp.eu-west-1.amazonaws.com/");
    expect(all).toContain('"authorization":"***"');
    expect(all).toContain('"x-amz-security-token":"***"');
    expect(all).toContain('"x-amz-target":"AWSCognitoIdentityProviderService.AdminListUserAuthEvents"');
    expect(all).toContain('"Username":"***SensitiveInformation***"');
    expect(all).toContain('"UserPoolId":"eu-west-1_abc123"');
    expect(all).toContain("HTTP 200 req-1");
    expect(all).not.toMatch(/test-secret-key|test-session-token|alice-the-user|Signature=/);
  });
});

describe("clock skew", () => {
  it("corrects the offset from the server's Date after a 'Signature expired' error, retries, and keeps it", async () => {
    const serverNow = Date.now() + 60 * 60 * 1000;
    const dates: string[] = [];
    let calls = 0;
    server.use(
      http.post(ENDPOINT, ({ request }) => {
        dates.push(request.headers.get("x-amz-date")!);
        calls++;
        const date = new Date(serverNow).toUTCString();
        if (calls === 1) {
          return HttpResponse.json(
            {
              __type: "InvalidSignatureException",
              message: "Signature expired: 20240101T000000Z is now earlier than ...",
            },
            { status: 400, headers: { date } },
          );
        }
        return HttpResponse.json({}, { headers: { date } });
      }),
    );
    const c = client({ maxAttempts: 1 });
    const out = await c.send(new AdminListUserAuthEventsCommand(input));
    expect(out.$metadata.attempts).toBe(2);
    await c.send(new AdminListUserAuthEventsCommand(input));
    const toMs = (d: string) =>
      Date.parse(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
      );
    expect(Math.abs(toMs(dates[0]!) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(toMs(dates[1]!) - serverNow)).toBeLessThan(60_000);
    expect(Math.abs(toMs(dates[2]!) - serverNow)).toBeLessThan(60_000);
    expect(c.config.systemClockOffset).toBeGreaterThan(59 * 60 * 1000);
  });

  it("does not retry a signature error when the clocks agree", async () => {
    respond(
      awsError(400, "InvalidSignatureException", "The request signature we calculated does not match", {
        date: new Date().toUTCString(),
      }),
    );
    const err = await client()
      .send(new AdminListUserAuthEventsCommand(input))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InvalidSignatureException", $metadata: { attempts: 1 } });
  });
});

describe("requestTimeout", () => {
  it("abandons an attempt that gets no answer with a TimeoutError, after the configured attempts", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    let calls = 0;
    let release!: () => void;
    const never = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post(ENDPOINT, async () => {
        calls++;
        await never;
        return HttpResponse.json({});
      }),
    );
    try {
      const err = await client({ requestTimeout: 50, maxAttempts: 2 })
        .send(new AdminListUserAuthEventsCommand(input))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "TimeoutError", $metadata: { attempts: 2 } });
      expect(calls).toBe(2);
    } finally {
      release();
      vi.restoreAllMocks();
    }
  });
});

describe("blobs", () => {
  it("a 128 KiB blob is sent as base64 and its length is validated in bytes", async () => {
    const { SetUICustomizationCommand } = await import("../src/index.ts");
    respond(json({}));
    const image = new Uint8Array(131_072).map((_, i) => i % 251);
    await client().send(new SetUICustomizationCommand({ UserPoolId: input.UserPoolId, ImageFile: image }));
    const sent = (seen[0]!.body as { ImageFile: string }).ImageFile;
    expect(Uint8Array.from(atob(sent), (c) => c.charCodeAt(0))).toEqual(image);
    const tooBig = new NodeClient({ region: "eu-west-1", credentials, validateInput: true }).send(
      new SetUICustomizationCommand({ UserPoolId: input.UserPoolId, ImageFile: new Uint8Array(131_073) }),
    );
    await expect(tooBig).rejects.toThrow("ImageFile must have length <= 131072 (131073 bytes)");
  });
});
