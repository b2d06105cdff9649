import { describe, expect, it } from "vitest";
import { redacted } from "../src/credentials.ts";
import { parseAuthorization } from "../src/emulator/auth.ts";
import { EmulatorCore } from "../src/emulator/core.ts";
import { call, CREDENTIALS, ENDPOINT, NOW, POOL, request } from "./fixtures/emulator/helpers.ts";

const input = { UserPoolId: POOL, Username: "alice", MaxResults: 1 };
const newCore = (options: ConstructorParameters<typeof EmulatorCore>[0] = {}) =>
  new EmulatorCore({ now: () => NOW, users: 2, events: 2, ...options });

async function expectError(
  core: EmulatorCore,
  req: Awaited<ReturnType<typeof request>>,
  type: string,
  message?: string,
) {
  const res = await core.handle(req);
  expect(res.status).toBe(400);
  const json = JSON.parse(res.body) as { __type: string; message: string };
  expect(json.__type).toBe(type);
  if (message !== undefined) expect(json.message).toBe(message);
  expect(res.headers["x-amzn-ErrorType"]).toBe(`${type}:http://internal.amazon.com/coral/com.amazon.coral.service/`);
  return res;
}

describe("signature checking", () => {
  it("accepts a request signed with the default credentials", async () => {
    const { response } = await call(newCore(), "AdminListUserAuthEvents", input);
    expect(response.status).toBe(200);
  });

  it("answers UnrecognizedClientException for an unknown access key", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input, {
      credentials: { accessKeyId: "AKIDOTHER", secretAccessKey: "emulator-secret" },
    });
    await expectError(
      newCore(),
      req,
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  });

  it("answers InvalidSignatureException for a wrong secret, and never echoes secrets or the header", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input, {
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "not-the-secret" },
    });
    const res = await expectError(
      newCore(),
      req,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
    const everything = res.body + JSON.stringify(res.headers);
    for (const secret of ["not-the-secret", "emulator-secret", req.headers.authorization as string])
      expect(everything).not.toContain(secret);
  });

  it("answers InvalidSignatureException when the body changed after signing", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    await expectError(
      newCore(),
      { ...req, body: JSON.stringify({ ...input, Username: "bob.nohistory" }) },
      "InvalidSignatureException",
    );
  });

  it("answers InvalidSignatureException when the x-amz-content-sha256 header is not the body's hash", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    const body = JSON.stringify({ ...input, Username: "bob.nohistory" });
    await expectError(newCore(), { ...req, body }, "InvalidSignatureException");
    // Without the header the signature covers the body itself: a changed body still fails.
    const { "x-amz-content-sha256": _, ...rest } = req.headers;
    await expectError(newCore(), { ...req, headers: rest, body }, "InvalidSignatureException");
  });

  it("answers InvalidSignatureException when a header named in SignedHeaders was not sent", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    const authorization = (req.headers.authorization as string).replace("SignedHeaders=", "SignedHeaders=a-header;");
    await expectError(
      newCore(),
      { ...req, headers: { ...req.headers, authorization } },
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  });

  it("answers 'Signature expired' for an X-Amz-Date more than 5 minutes old", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input, { date: new Date(NOW - 6 * 60_000) });
    await expectError(
      newCore(),
      req,
      "InvalidSignatureException",
      "Signature expired: 20250601T115400Z is now earlier than 20250601T115500Z (20250601T120000Z - 5 min.)",
    );
  });

  it("answers 'Signature not yet current' for an X-Amz-Date more than 5 minutes ahead", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input, { date: new Date(NOW + 6 * 60_000) });
    await expectError(
      newCore(),
      req,
      "InvalidSignatureException",
      "Signature not yet current: 20250601T120600Z is still later than 20250601T120500Z (20250601T120000Z + 5 min.)",
    );
  });

  it("accepts an X-Amz-Date 4 minutes off either way", async () => {
    for (const offset of [-4, 4]) {
      const { response } = await call(newCore(), "AdminListUserAuthEvents", input, {
        date: new Date(NOW + offset * 60_000),
      });
      expect(response.status).toBe(200);
    }
  });

  it("checks the time against its own skewed clock (clockSkewSeconds) and says so in Date", async () => {
    const core = newCore({ clockSkewSeconds: 600 });
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    const res = await expectError(core, req, "InvalidSignatureException");
    expect(JSON.parse(res.body).message).toMatch(
      /^Signature expired: 20250601T120000Z is now earlier than 20250601T120500Z/,
    );
    expect(res.headers.Date).toBe(new Date(NOW + 600_000).toUTCString());
  });

  it("answers MissingAuthenticationTokenException for an unsigned call", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input, { unsigned: true });
    await expectError(newCore(), req, "MissingAuthenticationTokenException", "Missing Authentication Token");
  });

  it("answers IncompleteSignatureException for a malformed Authorization header without quoting it", async () => {
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    const malformed = { ...req, headers: { ...req.headers, authorization: "Bearer sekrit-value" } };
    const res = await expectError(newCore(), malformed, "IncompleteSignatureException");
    expect(res.body).toContain("Authorization header requires 'Credential' parameter.");
    expect(res.body).not.toContain("sekrit-value");
  });

  it("answers InvalidSignatureException for a scope of another service, date or region", async () => {
    await expectError(
      newCore(),
      await request(ENDPOINT, "AdminListUserAuthEvents", input, { service: "cognito-identity" }),
      "InvalidSignatureException",
      "Credential should be scoped to correct service: 'cognito-idp'. ",
    );
    const req = await request(ENDPOINT, "AdminListUserAuthEvents", input);
    const otherDay = {
      ...req,
      headers: {
        ...req.headers,
        authorization: (req.headers.authorization as string).replace("/20250601/", "/20250602/"),
      },
    };
    await expectError(newCore(), otherDay, "InvalidSignatureException");
    const regional = newCore({ signingRegion: "eu-west-1" });
    await expectError(regional, req, "InvalidSignatureException", "Credential should be scoped to a valid region. ");
    expect((await call(regional, "AdminListUserAuthEvents", input, { region: "eu-west-1" })).response.status).toBe(200);
  });

  it("requires the session token of temporary credentials", async () => {
    const withToken = { ...CREDENTIALS, sessionToken: "session-token-value" };
    const core = newCore({ credentials: [withToken] });
    expect((await call(core, "AdminListUserAuthEvents", input, { credentials: withToken })).response.status).toBe(200);
    const res = await expectError(
      core,
      await request(ENDPOINT, "AdminListUserAuthEvents", input),
      "UnrecognizedClientException",
    );
    expect(res.body).not.toContain("session-token-value");
  });

  it("takes credentials whose secret and token are hidden (as the package's providers return them)", async () => {
    const withToken = redacted({ ...CREDENTIALS, sessionToken: "session-token-value" });
    const core = newCore({ credentials: [withToken] });
    expect((await call(core, "AdminListUserAuthEvents", input, { credentials: withToken })).response.status).toBe(200);
    await expectError(core, await request(ENDPOINT, "AdminListUserAuthEvents", input), "UnrecognizedClientException");
  });

  it("accepts configured credentials other than the default", async () => {
    const mine = { accessKeyId: "AKIDMINE", secretAccessKey: "my-test-secret" };
    const core = newCore({ credentials: [mine] });
    expect((await call(core, "AdminListUserAuthEvents", input, { credentials: mine })).response.status).toBe(200);
    await expectError(core, await request(ENDPOINT, "AdminListUserAuthEvents", input), "UnrecognizedClientException");
  });

  it("accepts anything with checkSignatures: false", async () => {
    const core = newCore({ checkSignatures: false });
    expect((await call(core, "AdminListUserAuthEvents", input, { unsigned: true })).response.status).toBe(200);
    expect(
      (await call(core, "AdminListUserAuthEvents", input, { credentials: { accessKeyId: "X", secretAccessKey: "Y" } }))
        .response.status,
    ).toBe(200);
  });

  it("lets UpdateAuthEventFeedback through unsigned but still checks a signature it is given", async () => {
    const core = newCore();
    const event = core.getEvents(POOL, "alice")?.[0];
    const feedback = {
      UserPoolId: POOL,
      Username: "alice",
      EventId: event?.EventId,
      FeedbackToken: event?.FeedbackToken,
      FeedbackValue: "Valid",
    };
    expect((await call(core, "UpdateAuthEventFeedback", feedback, { unsigned: true })).response.status).toBe(200);
    const wrong = await request(ENDPOINT, "UpdateAuthEventFeedback", feedback, {
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "nope" },
    });
    await expectError(core, wrong, "InvalidSignatureException");
    const unsignedAdmin = await request(ENDPOINT, "AdminUpdateAuthEventFeedback", feedback, { unsigned: true });
    await expectError(core, unsignedAdmin, "MissingAuthenticationTokenException");
  });
});

describe("parseAuthorization", () => {
  const good =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

  it("parses every part of a well-formed header", () => {
    expect(parseAuthorization(good)).toEqual({
      accessKeyId: "AKIDEXAMPLE",
      dateStamp: "20150830",
      region: "us-east-1",
      service: "service",
      signedHeaders: ["host", "x-amz-date"],
      signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    });
  });

  it("accepts commas without spaces and parts in another order", () => {
    const compact = good.replace(/, /g, ",");
    expect(parseAuthorization(compact)?.signedHeaders).toEqual(["host", "x-amz-date"]);
    const [algo, rest] = [good.slice(0, 17), good.slice(17).split(", ")];
    expect(parseAuthorization(algo + [...rest].reverse().join(", "))?.accessKeyId).toBe("AKIDEXAMPLE");
  });

  it.each([
    ["another algorithm", good.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")],
    ["a missing Signature", good.replace(/, Signature=.*/, "")],
    ["a short signature", good.slice(0, -1)],
    ["an uppercase hex signature", good.replace("5fa00fa3", "5FA00FA3")],
    ["a bad date stamp", good.replace("20150830", "2015083")],
    ["a scope without aws4_request", good.replace("aws4_request", "aws4")],
    ["a scope with too many parts", good.replace("us-east-1/", "us-east-1/x/")],
    ["an empty signed header name", good.replace("host;", ";")],
    ["an uppercase signed header name", good.replace("host;", "Host;")],
    ["a duplicate part", `${good}, Signature=${"0".repeat(64)}`],
    ["an unknown part", `${good}, Extra=1`],
    ["an empty string", ""],
  ])("returns undefined for %s", (_, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });
});
