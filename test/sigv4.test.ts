/**
 * The general signer (src/sigv4.ts): every intermediate value against the official AWS SigV4 test suite, each step
 * on its own, what `sign` returns, and the two hash backends against each other.
 */
import { createHash, createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../src/emulator/auth.ts";
import { nodeCryptoSha256, webCryptoSha256 } from "../src/sha256.ts";
import {
  amzDate,
  authHeader,
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalString,
  canonicalUri,
  credentialScope,
  isSignableHeader,
  SigV4Signer,
  type SignableRequest,
  stringToSign,
} from "../src/sigv4.ts";

// The official AWS SigV4 test suite: every case, at every intermediate step.
const SUITE = fileURLToPath(new URL("./fixtures/sigv4-test-suite/", import.meta.url));
const ACCESS_KEY_ID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const REGION = "us-east-1";
const SERVICE = "service";
const SUITE_DATE = new Date("2015-08-30T12:36:00Z");
const SESSION_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/** Cases the signer's input type cannot express, with the reason. */
const CANNOT_EXPRESS: Record<string, string> = {
  "get-header-value-multiline":
    "the request holds an obs-folded header (continuation lines); a header value in a Record (or fetch's Headers, which rejects newlines) cannot carry a fold, and RFC 9112 unfolding to spaces gives 'value1 value2 value3', not the suite's comma-joined value",
  "normalize-path/get-space":
    "the request-target holds a raw space, which is not a valid wire path; the signer takes a URL whose pathname is percent-encoded (%20) and, as AWS requires for non-S3 services and as @smithy/signature-v4 and botocore do, encodes it once more (%2520). The canonical URI of the raw path is checked with canonicalUri below",
  "get-utf8":
    "the request-target holds raw UTF-8, which is not a valid wire path; the URL percent-encodes it and the signer encodes the wire path once more (double encoding for non-S3 services). The canonical URI of the raw path is checked with canonicalUri below",
};

/**
 * Cases whose own files disagree with each other (errata of the published suite): the `.sts`,
 * `.authz` and `.sreq` were computed from a slightly different request than the `.req`/`.creq`.
 * Their `.creq` is checked against the `.req`; `.sts` and `.authz` against the request they were
 * really computed from (found by hashing candidates: its canonical request's SHA-256 is the `.sts`
 * hash), and a test asserts the disagreement so a corrected copy of the suite is noticed.
 */
const ERRATA: Record<string, { reason: string; adjust: (headers: Record<string, string>) => Record<string, string> }> =
  {
    "post-x-www-form-urlencoded": {
      reason: ".req and .creq include Content-Length, but .sts, .authz and .sreq were computed without it",
      adjust: ({ "Content-Length": _, ...rest }) => rest,
    },
    "post-x-www-form-urlencoded-parameters": {
      reason:
        ".sts, .authz and the .sreq signature were computed without Content-Length and with 'charset=utf8' (the .req says 'charset=utf-8'); the .authz lists content-length in SignedHeaders although its signature does not cover it",
      adjust: ({ "Content-Length": _, ...rest }) => ({
        ...rest,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf8",
      }),
    },
  };

interface SuiteCase {
  name: string;
  dir: string;
  rawTarget: string;
  request: SignableRequest;
  creq: string;
  sts: string;
  authz: string;
  sreqHeaders: Record<string, string>;
}

/** Parses a `.req`/`.sreq` file: request line, headers (duplicates joined with ","), body. */
function parseHttp(text: string): { method: string; target: string; headers: Record<string, string>; body: string } {
  const blank = text.indexOf("\n\n");
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? "" : text.slice(blank + 2);
  const [requestLine = "", ...lines] = head.split("\n");
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(" "));
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      headers[last] += `\n${line}`; // obs-fold: only in the case we skip
      continue;
    }
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    // Repeated headers are one field whose values are joined by commas (RFC 9110 5.3).
    const existing = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
    if (existing === undefined) headers[name] = value;
    else headers[existing] += `,${value}`;
    last = existing ?? name;
  }
  return { method, target, headers, body };
}

function loadSuite(dir: string): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    const files = readdirSync(path);
    if (!files.includes(`${entry}.req`)) {
      cases.push(...loadSuite(path));
      continue;
    }
    const read = (ext: string) => readFileSync(join(path, `${entry}.${ext}`), "utf8");
    const req = parseHttp(read("req"));
    const host = Object.entries(req.headers).find(([n]) => n.toLowerCase() === "host")?.[1] ?? "";
    const request: SignableRequest = {
      method: req.method,
      url: new URL(`https://${host}${req.target}`),
      headers: req.headers,
    };
    if (req.body !== "") request.body = req.body;
    const sreq = parseHttp(read("sreq")).headers;
    cases.push({
      name: relative(SUITE, path).split("\\").join("/"),
      dir: path,
      rawTarget: req.target,
      request,
      creq: read("creq"),
      sts: read("sts"),
      authz: read("authz"),
      sreqHeaders: Object.fromEntries(Object.entries(sreq).map(([n, v]) => [n.toLowerCase(), v.trim()])),
    });
  }
  return cases;
}

const cases = loadSuite(SUITE);

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** The canonical string of a suite request, every header signed (the suite signs them all). */
function canonicalOf(req: SignableRequest): string {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([n, v]) => [n.toLowerCase(), v]));
  return canonicalString({
    method: req.method,
    url: req.url,
    headers,
    signedHeaders: Object.keys(headers).sort(),
    payloadHash: headers["x-amz-content-sha256"] ?? sha256(req.body ?? ""),
  });
}

describe("official SigV4 test suite", () => {
  it("loads every case of the suite, including normalize-path and post-sts-token", () => {
    const names = cases.map((c) => c.name);
    expect(names.length).toBe(31);
    expect(names).toContain("normalize-path/get-slashes");
    expect(names).toContain("post-sts-token/post-sts-header-before");
    expect(names).toContain("post-sts-token/post-sts-header-after");
    for (const name of Object.keys(CANNOT_EXPRESS)) expect(names).toContain(name);
  });

  for (const c of cases) {
    const reason = CANNOT_EXPRESS[c.name];
    if (reason !== undefined) {
      // Skipped: see the reason in CANNOT_EXPRESS (also in the title).
      it.skip(`${c.name}: cannot be expressed (${reason})`, () => {});
      continue;
    }

    const erratum = ERRATA[c.name];
    // The request the .sts and .authz were computed from (the .req itself but for the errata).
    const signedReq = erratum ? { ...c.request, headers: erratum.adjust(c.request.headers) } : c.request;
    const note = erratum ? ` (suite erratum: ${erratum.reason})` : "";
    const time = headerOf(c.request.headers, "x-amz-date") ?? "";
    const scope = credentialScope(time.slice(0, 8), REGION, SERVICE);

    describe(c.name, () => {
      it("builds the expected canonical request (.creq)", () => {
        expect(canonicalOf(c.request)).toBe(c.creq);
      });

      it(`builds the expected string to sign (.sts)${note}`, () => {
        expect(stringToSign(time, scope, sha256(canonicalOf(signedReq)))).toBe(c.sts);
        // The suite's own .creq hashes to its .sts hash, except in the errata.
        expect(sha256(c.creq) === c.sts.split("\n")[3]).toBe(erratum === undefined);
      });

      it(`computes the expected signature and Authorization header (.authz)${note}`, async () => {
        const expected = parseAuthorization(c.authz);
        const signature = await new SigV4Signer().signature(SECRET, c.sts);
        expect(signature).toBe(expected?.signature);
        if (!erratum) {
          const signedHeaders = Object.keys(c.request.headers)
            .map((h) => h.toLowerCase())
            .sort();
          expect(authHeader(ACCESS_KEY_ID, scope, signedHeaders, signature)).toBe(c.authz);
        }
      });

      it(`sign() produces the expected Authorization header and signed request (.sreq)${note}`, async () => {
        const before = c.name === "post-sts-token/post-sts-header-before";
        const headers = { ...signedReq.headers };
        if (before) delete headers["X-Amz-Security-Token"]; // comes from the credentials instead
        const signed = await new SigV4Signer().sign(
          { ...signedReq, headers },
          {
            credentials: before
              ? { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN }
              : { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
            region: REGION,
            service: SERVICE,
            date: SUITE_DATE,
            applyChecksum: false,
          },
        );
        // For the errata the .sreq's Authorization is the self-consistent one (the .authz is not, for -parameters).
        expect(signed.authorization).toBe(erratum ? c.sreqHeaders.authorization : c.authz);
        const sent = Object.fromEntries(Object.entries(signed).map(([n, v]) => [n, v.trim()])); // OWS is not sent
        if (c.name === "post-sts-token/post-sts-header-after") {
          // The token is added after signing, so it is sent but not signed.
          expect(c.sreqHeaders["x-amz-security-token"]).toBe(SESSION_TOKEN);
          expect({ ...sent, "x-amz-security-token": SESSION_TOKEN }).toEqual(c.sreqHeaders);
          expect(parseAuthorization(signed.authorization ?? "")?.signedHeaders).not.toContain("x-amz-security-token");
        } else if (c.name === "post-x-www-form-urlencoded-parameters") {
          // The .sreq shows charset=utf-8 although its signature covers charset=utf8.
          expect({ ...sent, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }).toEqual(
            c.sreqHeaders,
          );
        } else {
          expect(sent).toEqual(c.sreqHeaders);
        }
      });
    });
  }

  it("get-space and get-utf8: the canonical URI of the raw path is the expected one", () => {
    for (const c of cases.filter((k) => k.name === "normalize-path/get-space" || k.name === "get-utf8")) {
      expect(canonicalUri(c.rawTarget)).toBe(c.creq.split("\n")[1]);
    }
    expect.assertions(2);
  });
});

describe("canonical request parts", () => {
  it("amzDate formats a date as YYYYMMDDTHHMMSSZ in UTC, dropping milliseconds", () => {
    expect(amzDate(new Date("2015-08-30T12:36:00.999Z"))).toBe("20150830T123600Z");
    expect(amzDate(new Date(Date.UTC(2024, 1, 29, 23, 59, 59)))).toBe("20240229T235959Z");
  });

  it("canonicalUri normalises a wire path and encodes it once more", () => {
    expect(canonicalUri("/a%20b/c=d/")).toBe("/a%2520b/c%3Dd/");
    expect(canonicalUri("//a/./b/../c//")).toBe("/a/c/");
    expect(canonicalUri("/")).toBe("/");
  });

  it("canonicalQueryString sorts by name then value, encodes RFC 3986 style and keeps + literal", () => {
    expect(canonicalQueryString("?b=2&a=y&a=x&c&d=a+b&e=%7E%21")).toBe("a=x&a=y&b=2&c=&d=a%2Bb&e=~%21");
    expect(canonicalQueryString("X-Amz-Signature=abc&z=1")).toBe("z=1");
    expect(canonicalQueryString("bad=%zz")).toBe("bad=%25zz");
  });

  it("canonicalHeaderValue collapses whitespace runs and trims", () => {
    expect(canonicalHeaderValue("  a \t\t b\r\n c  ")).toBe("a b c");
    expect(canonicalHeaderValue("\u00a0x\u00a0")).toBe("\u00a0x\u00a0"); // only SP/HT/CR/LF, like @smithy
  });

  it("isSignableHeader leaves out what proxies and browsers rewrite, as @smithy/signature-v4 does", () => {
    for (const name of ["user-agent", "x-amzn-trace-id", "proxy-foo", "sec-fetch-mode", "authorization", "expect"])
      expect(isSignableHeader(name), name).toBe(false);
    for (const name of ["host", "content-type", "x-amz-target", "x-amz-date", "x-amz-security-token"])
      expect(isSignableHeader(name), name).toBe(true);
  });
});

describe("SigV4Signer.sign", () => {
  const credentials = { accessKeyId: "AKID", secretAccessKey: "SECRET/KEY+123" };
  const base = {
    method: "POST",
    url: new URL("https://cognito-idp.eu-west-1.amazonaws.com/"),
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers",
    },
    body: '{"UserPoolId":"eu-west-1_x"}',
  };
  const opts = { credentials, region: "eu-west-1", service: "cognito-idp", date: new Date("2024-05-06T07:08:09Z") };
  const signedHeadersOf = (headers: Record<string, string>) =>
    parseAuthorization(headers.authorization ?? "")?.signedHeaders;

  it("returns a new lowercase headers record with x-amz-date, x-amz-content-sha256 and authorization; host is signed, not added", async () => {
    const signed = await new SigV4Signer().sign(base, opts);
    expect(Object.keys(signed)).toEqual([
      "content-type",
      "x-amz-target",
      "x-amz-date",
      "x-amz-content-sha256",
      "authorization",
    ]);
    expect(signed["x-amz-date"]).toBe("20240506T070809Z");
    expect(signed["x-amz-content-sha256"]).toBe(sha256(base.body));
    expect(signed.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20240506\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(base.headers).not.toHaveProperty("authorization"); // input untouched
  });

  it("signs the host of the URL, a non-default port included, or the host header given (and keeps it)", async () => {
    const signer = new SigV4Signer();
    const url = new URL("http://127.0.0.1:8123/");
    const fromUrl = await signer.sign({ ...base, url }, opts);
    const given = await signer.sign({ ...base, url, headers: { ...base.headers, Host: "127.0.0.1:8123" } }, opts);
    expect(given.host).toBe("127.0.0.1:8123");
    expect(fromUrl).not.toHaveProperty("host");
    expect(fromUrl.authorization).toBe(given.authorization);
    const other = await signer.sign({ ...base, url: new URL("http://127.0.0.1:8124/") }, opts);
    expect(other.authorization).not.toBe(fromUrl.authorization);
  });

  it("applyChecksum: false adds no x-amz-content-sha256 header", async () => {
    const signed = await new SigV4Signer().sign(base, { ...opts, applyChecksum: false });
    expect(signed).not.toHaveProperty("x-amz-content-sha256");
    expect(signedHeadersOf(signed)).toEqual(["content-type", "host", "x-amz-date", "x-amz-target"]);
  });

  it("adds and signs x-amz-security-token when the credentials have a session token; an empty one adds nothing", async () => {
    const signer = new SigV4Signer();
    const signed = await signer.sign(base, { ...opts, credentials: { ...credentials, sessionToken: "TOKEN" } });
    expect(signed["x-amz-security-token"]).toBe("TOKEN");
    expect(signedHeadersOf(signed)).toContain("x-amz-security-token");
    const withoutToken = await signer.sign(base, opts);
    expect(signed.authorization).not.toBe(withoutToken.authorization);
    const empty = await signer.sign(base, { ...opts, credentials: { ...credentials, sessionToken: "" } });
    expect(empty).not.toHaveProperty("x-amz-security-token");
    expect(empty.authorization).toBe(withoutToken.authorization);
  });

  it("keeps unsignable headers unsigned and drops caller authorization, x-amz-date and date", async () => {
    const signed = await new SigV4Signer().sign(
      {
        ...base,
        headers: {
          ...base.headers,
          "User-Agent": "ua",
          "X-Amzn-Trace-Id": "t",
          "Proxy-Foo": "p",
          "Sec-Fetch-Mode": "cors",
          Authorization: "stale",
          "X-Amz-Date": "19990101T000000Z",
          Date: "Mon, 01 Jan 1999 00:00:00 GMT",
        },
      },
      opts,
    );
    expect(signed["user-agent"]).toBe("ua");
    expect(signed).not.toHaveProperty("date");
    expect(signed["x-amz-date"]).toBe("20240506T070809Z");
    expect(signed.authorization).not.toBe("stale");
    expect(signedHeadersOf(signed)).toEqual([
      "content-type",
      "host",
      "x-amz-content-sha256",
      "x-amz-date",
      "x-amz-target",
    ]);
  });

  it("signs a caller's x-amz-content-sha256 as given (it stands for the body)", async () => {
    const signer = new SigV4Signer();
    const given = { ...base.headers, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" };
    const a = await signer.sign({ ...base, headers: given }, opts);
    const b = await signer.sign({ ...base, headers: given, body: "another body" }, opts);
    expect(a["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    expect(a.authorization).toBe(b.authorization);
  });

  it("signs a Uint8Array body like the same string, and no body like an empty one", async () => {
    const signer = new SigV4Signer();
    const bytes = new TextEncoder().encode('{"Username":"zoë 🐙"}');
    const a = await signer.sign({ ...base, body: bytes }, opts);
    const b = await signer.sign({ ...base, body: '{"Username":"zoë 🐙"}' }, opts);
    expect(a.authorization).toBe(b.authorization);
    const none = await signer.sign({ ...base, body: undefined }, opts);
    expect(none["x-amz-content-sha256"]).toBe(sha256(""));
    expect(none.authorization).toBe((await signer.sign({ ...base, body: "" }, opts)).authorization);
  });

  it("matches an independent HMAC chain, one signer signing across secrets, days, regions and services", async () => {
    const reference = (secret: string, time: string, region: string, service: string, sts: string) => {
      let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(time.slice(0, 8)).digest();
      for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
      return createHmac("sha256", key).update(sts).digest("hex");
    };
    const signer = new SigV4Signer();
    // Each signature must use its own key: alternating them shows a kept key is never used for another scope.
    const turns: [string, string, string, string][] = [
      ["s1", "20240101T000000Z", "eu-west-1", "cognito-idp"],
      ["s1", "20240101T235959Z", "eu-west-1", "cognito-idp"],
      ["s2", "20240101T000000Z", "eu-west-1", "cognito-idp"],
      ["s1", "20240102T000000Z", "eu-west-1", "cognito-idp"],
      ["s1", "20240102T000000Z", "us-east-1", "cognito-idp"],
      ["s1", "20240102T000000Z", "us-east-1", "iam"],
      ["s1", "20240101T000000Z", "eu-west-1", "cognito-idp"],
    ];
    for (const [secret, time, region, service] of turns) {
      const sts = stringToSign(time, credentialScope(time.slice(0, 8), region, service), sha256("creq"));
      expect(await signer.signature(secret, sts)).toBe(reference(secret, time, region, service, sts));
    }
  });
});

describe("hash backends", () => {
  it("node:crypto is found on Node, through process.getBuiltinModule", () => {
    expect(nodeCryptoSha256()).toBeDefined();
  });

  it("node:crypto and WebCrypto agree: SHA-256 of strings (Unicode included) and bytes, and whole signatures", async () => {
    const node = new SigV4Signer({ sha256: nodeCryptoSha256()! });
    const web = new SigV4Signer({ sha256: webCryptoSha256 });
    for (const data of ["", "abc", "Kraków 😀 東京", new Uint8Array([0, 1, 2, 255])]) {
      expect(await node.hash(data)).toBe(sha256(data));
      expect(await web.hash(data)).toBe(sha256(data));
    }
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET, sessionToken: "tok" };
    for (const [i, body] of ['{"UserPoolId":"eu-west-1_a"}', '{"Username":"😀"}', ""].entries()) {
      const request = {
        method: "POST",
        url: new URL("https://cognito-idp.eu-west-1.amazonaws.com/"),
        headers: { "x-amz-target": "T", "content-type": "application/x-amz-json-1.1" },
        body,
      };
      const options = {
        credentials,
        region: ["eu-west-1", "us-east-1", "cn-north-1"][i]!,
        service: "cognito-idp",
        date: new Date(Date.UTC(2026, 0, 1 + i)),
      };
      expect(await web.sign(request, options)).toEqual(await node.sign(request, options));
    }
  });
});
