import { spawnSync } from "node:child_process";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UpdateAuthEventFeedbackCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAuthorization, verifySignature } from "../src/emulator/auth.ts";
import { SigV4Signer, uriEncode } from "../src/sigv4.ts";

// Ours and @smithy/signature-v4 (what the AWS SDK v3 signs with) sign the same random requests at
// the same time: the Authorization headers must be byte-identical.

/** The hash interface @smithy/signature-v4 wants (its packaged ones are not installed), over node:crypto. */
class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** What @smithy's hash constructors are given. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** The fields of @smithy's HttpRequest used here (a plain object is accepted by the signer). */
interface HttpRequestLike {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
}

const SEED = 20240506;
const RUNS = 250;

const OPERATIONS = [
  "AdminListUserAuthEvents",
  "AdminUpdateAuthEventFeedback",
  "UpdateAuthEventFeedback",
  "ListUsers",
  "AdminGetUser",
];

const region = fc.oneof(
  fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "il-central-1"),
  fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/),
);

// Whitespace a header value may hold before canonicalisation (tabs, runs, leading, trailing, CR/LF).
const oddWhitespace = fc.constantFrom(" ", "  ", "\t", " \t ", "\r\n ", "\n", "");
const headerValue = fc
  .array(fc.tuple(oddWhitespace, fc.string({ unit: "grapheme", maxLength: 12 })), { maxLength: 4 })
  .chain((parts) => oddWhitespace.map((tail) => parts.map(([ws, word]) => ws + word).join("") + tail));

const headerName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
  // Names either signer treats specially: unsignable, generated, or used as the payload hash.
  fc.constantFrom(
    "User-Agent",
    "X-Amzn-Trace-Id",
    "Expect",
    "Connection",
    "Proxy-Authorization",
    "Sec-Fetch-Mode",
    "Authorization",
    "Date",
    "X-Amz-Date",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "Content-Length",
  ),
);

const extraHeaders = fc
  .uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 6, selector: ([name]) => name.toLowerCase() })
  .map((pairs) => pairs.filter(([name]) => !["host", "content-type", "x-amz-target"].includes(name.toLowerCase())));

const endpoint = fc.oneof(
  region.map((r) => ({ protocol: "https:", hostname: `cognito-idp.${r}.amazonaws.com`, port: undefined })),
  fc.integer({ min: 1024, max: 65535 }).map((port) => ({ protocol: "http:", hostname: "127.0.0.1", port })),
);

const awsJsonRequest = fc.record({
  operation: fc.constantFrom(...OPERATIONS),
  body: fc.jsonValue({ stringUnit: "binary", maxDepth: 3 }).map((v) => JSON.stringify({ UserPoolId: "x", v })),
  bodyAsBytes: fc.boolean(),
  region,
  endpoint,
  date: fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z"), noInvalidDate: true }),
  accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
  secretAccessKey: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 40 }),
  sessionToken: fc.option(fc.base64String({ minLength: 4, maxLength: 300 }), { nil: undefined }),
  extra: extraHeaders,
  hostGiven: fc.boolean(),
  contentSha256: fc.option(fc.constantFrom("UNSIGNED-PAYLOAD", "0".repeat(64)), { nil: undefined }),
  applyChecksum: fc.boolean(),
});

type Generated = typeof awsJsonRequest extends fc.Arbitrary<infer T> ? T : never;

async function signBoth(g: Generated): Promise<{ ours: string | undefined; theirs: string | undefined }> {
  const host = g.endpoint.port === undefined ? g.endpoint.hostname : `${g.endpoint.hostname}:${g.endpoint.port}`;
  const headers: Record<string, string> = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": `AWSCognitoIdentityProviderService.${g.operation}`,
    ...Object.fromEntries(g.extra),
  };
  if (g.contentSha256 !== undefined) headers["X-Amz-Content-Sha256"] = g.contentSha256;
  const body = g.bodyAsBytes ? new TextEncoder().encode(g.body) : g.body;
  const credentials = { accessKeyId: g.accessKeyId, secretAccessKey: g.secretAccessKey, sessionToken: g.sessionToken };

  const signed = await new SigV4Signer().sign(
    {
      method: "POST",
      url: new URL(`${g.endpoint.protocol}//${host}/`),
      headers: g.hostGiven ? { ...headers, Host: host } : headers,
      body,
    },
    { credentials, region: g.region, service: "cognito-idp", date: g.date, applyChecksum: g.applyChecksum },
  );

  const signer = new SignatureV4({
    credentials,
    region: g.region,
    service: "cognito-idp",
    sha256: NodeSha256,
    applyChecksum: g.applyChecksum,
  });
  // The SDK's host-header middleware adds `host` before signing.
  const request: HttpRequestLike = {
    method: "POST",
    protocol: g.endpoint.protocol,
    hostname: g.endpoint.hostname,
    ...(g.endpoint.port === undefined ? {} : { port: g.endpoint.port }),
    path: "/",
    headers: { ...headers, host },
    body,
  };
  const theirs = await signer.sign(request, { signingDate: g.date });
  return { ours: signed.authorization, theirs: (theirs as HttpRequestLike).headers.authorization };
}

describe("differential: ours vs @smithy/signature-v4", () => {
  it("signs random awsJson1_1 requests with a byte-identical Authorization header", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(awsJsonRequest, async (g) => {
        const { ours, theirs } = await signBoth(g);
        expect(theirs).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
        expect(ours).toBe(theirs);
        compared++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThanOrEqual(RUNS);
  });

  it("signs random paths and query strings with a byte-identical Authorization header", async () => {
    // The SDK serialises a path already percent-encoded and a query as decoded name/value pairs,
    // which its fetch handler encodes; the URL we sign is that wire form. @smithy gets the path the
    // WHATWG URL parser (hence fetch) puts on the wire: it resolves `..` against empty segments
    // differently from @smithy's normaliser ("/a//.." is sent as "/a/"), and what is sent is what
    // the service checks.
    const segment = fc.oneof(
      fc.constantFrom("", ".", "..", "a b", "%", "ü", "~x", "a+b", "(*)"),
      fc.string({ unit: "grapheme", maxLength: 6 }),
    );
    const pathArb = fc
      .array(segment, { maxLength: 5 })
      .map((segments) => `/${segments.map((s) => uriEncode(s)).join("/")}`);
    const queryArb = fc.array(
      fc.tuple(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
        fc.string({ unit: "grapheme", maxLength: 6 }),
      ),
      { maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(pathArb, queryArb, fc.constantFrom("GET", "POST", "DELETE"), async (path, pairs, method) => {
        const query: Record<string, string | string[]> = {};
        for (const [name, value] of pairs) {
          if (name.toLowerCase() === "x-amz-signature") continue;
          const prior = query[name];
          query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
        }
        const search = Object.entries(query)
          .flatMap(([n, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${uriEncode(n)}=${uriEncode(x)}`))
          .join("&");
        const date = new Date("2024-02-29T12:00:00Z");
        const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
        const url = new URL(`https://example.amazonaws.com${path}${search ? `?${search}` : ""}`);
        const ours = await new SigV4Signer().sign(
          { method, url, headers: {} },
          { credentials, region: "us-east-1", service: "service", date },
        );
        const signer = new SignatureV4({ credentials, region: "us-east-1", service: "service", sha256: NodeSha256 });
        const theirs = (await signer.sign(
          {
            method,
            protocol: "https:",
            hostname: "example.amazonaws.com",
            path: url.pathname,
            query,
            headers: { host: "example.amazonaws.com" },
          } satisfies HttpRequestLike,
          { signingDate: date },
        )) as HttpRequestLike;
        expect(ours.authorization).toBe(theirs.headers.authorization);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe("differential: ours vs the AWS SDK v3 Cognito client", () => {
  it("re-signing what the SDK sends for each signed operation gives the SDK's Authorization", async () => {
    const captured: HttpRequestLike[] = [];
    const client = new CognitoIdentityProviderClient({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s3cr3t/+", sessionToken: "tok==" },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: HttpRequestLike) => {
          captured.push(request);
          throw new Error("captured");
        },
      },
    });
    const commands = [
      new AdminListUserAuthEventsCommand({ UserPoolId: "eu-west-1_abc", Username: "zoë 🐙", MaxResults: 60 }),
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: "eu-west-1_abc",
        Username: "bob",
        EventId: "e1",
        FeedbackValue: "Invalid",
      }),
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: "eu-west-1_abc",
        Username: "bob",
        EventId: "e1",
        FeedbackToken: "t",
        FeedbackValue: "Valid",
      }),
      new ListUsersCommand({ UserPoolId: "eu-west-1_abc", Filter: 'email ^= "ü"', Limit: 5 }),
    ];
    for (const command of commands) {
      await expect(client.send(command as never)).rejects.toThrow("captured");
    }
    expect(captured).toHaveLength(4);
    let resigned = 0;
    for (const request of captured) {
      const {
        authorization,
        "x-amz-date": time,
        "x-amz-security-token": _t,
        "x-amz-content-sha256": _c,
        ...headers
      } = request.headers;
      if (request.headers["x-amz-target"]?.endsWith(".UpdateAuthEventFeedback")) {
        // The model gives it `smithy.api#auth: []`: the SDK sends it unsigned.
        expect(authorization).toBeUndefined();
        continue;
      }
      expect(authorization).toMatch(/^AWS4-HMAC-SHA256 /);
      const date = new Date((time ?? "").replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
      expect(request.body).toBeInstanceOf(Uint8Array); // the SDK's JSON body, UTF-8 encoded
      const ours = await new SigV4Signer().sign(
        {
          method: request.method,
          url: new URL(`https://${request.hostname}${request.path}`),
          headers,
          body: request.body as Uint8Array,
        },
        {
          credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s3cr3t/+", sessionToken: "tok==" },
          region: "eu-west-1",
          service: "cognito-idp",
          date,
        },
      );
      expect(ours.authorization).toBe(authorization);
      expect(ours["x-amz-content-sha256"]).toBe(request.headers["x-amz-content-sha256"]);
      resigned++;
    }
    expect(resigned).toBe(3);
  });
});

// botocore (the AWS CLI's signer) signs; we verify, as the emulator does for AWS CLI requests.
const BOTOCORE_SIGNER = `
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for c in json.load(sys.stdin):
    req = AWSRequest(method="POST", url=c["url"], data=c["body"].encode("utf-8"), headers=c["headers"])
    SigV4Auth(Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken")), "cognito-idp", c["region"]).add_auth(req)
    out.append(dict(req.headers.items()))
json.dump(out, sys.stdout)
`;

describe("differential: botocore signs, we verify", () => {
  it("the emulator's verifier accepts botocore's signature of random awsJson1_1 requests, and no other", async () => {
    const inputs = fc.sample(
      fc.record({
        operation: fc.constantFrom(...OPERATIONS),
        body: fc.jsonValue({ stringUnit: "grapheme", maxDepth: 2 }).map((v) => JSON.stringify({ v })),
        region,
        port: fc.integer({ min: 1024, max: 65535 }),
        accessKeyId: fc.stringMatching(/^AKIA[A-Z0-9]{16}$/),
        secretAccessKey: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 40 }),
        sessionToken: fc.option(fc.base64String({ minLength: 4, maxLength: 200 }), { nil: undefined }),
        note: fc.string({ unit: "grapheme-ascii", maxLength: 10 }).map((s) => `  ${s}\t x  `),
      }),
      { seed: SEED, numRuns: 40 },
    );
    const cases = inputs.map((i) => ({
      url: `http://127.0.0.1:${i.port}/`,
      body: i.body,
      region: i.region,
      accessKeyId: i.accessKeyId,
      secretAccessKey: i.secretAccessKey,
      ...(i.sessionToken === undefined ? {} : { sessionToken: i.sessionToken }),
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${i.operation}`,
        "X-Note": i.note,
      },
    }));
    const run = spawnSync("python3", ["-c", BOTOCORE_SIGNER], { input: JSON.stringify(cases), encoding: "utf8" });
    expect(run.stderr).toBe("");
    const signed = JSON.parse(run.stdout) as Record<string, string>[];
    const signer = new SigV4Signer();
    expect(signed).toHaveLength(cases.length);
    for (const [i, headers] of signed.entries()) {
      const c = cases[i];
      const parsed = parseAuthorization(headers.Authorization ?? "");
      if (c === undefined || parsed === undefined) throw new Error(`case ${i}: no parsable Authorization`);
      expect(parsed.signedHeaders).toContain("host"); // botocore signs the Host the server will see
      expect(parsed.signedHeaders).toContain("x-note");
      const received = Object.fromEntries(
        Object.entries({ ...headers, Host: new URL(c.url).host }).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const verify = (secretAccessKey: string) =>
        verifySignature(
          { method: "POST", url: c.url, headers: received, body: c.body },
          {
            signer,
            credentials: [{ accessKeyId: c.accessKeyId, secretAccessKey, sessionToken: c.sessionToken }],
            nowMs: Date.now(),
          },
        );
      await expect(verify(c.secretAccessKey)).resolves.toBeUndefined();
      await expect(verify(`${c.secretAccessKey}x`)).rejects.toMatchObject({ errorType: "InvalidSignatureException" });
    }
  });
});
