import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  StartingTokenError,
  base64Encode,
  encodeResumeToken,
  encodeTruncatedToken,
  injectTokens,
  parseStartingToken,
  pythonB64Decode,
  pythonInt,
  pythonJsonDumps,
} from "../src/resume-token.ts";
import { Oracle } from "./oracle/harness.ts";

// botocore (test/oracle/botocore_paginate.py) is the reference for every expectation marked "oracle".
let oracle: Oracle;
beforeAll(() => {
  oracle = new Oracle();
});
afterAll(() => oracle.close());

type OracleError = { error: { type: string; message: string } };
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const pairsOf = (value: object) => Object.entries(value);

/** Any UTF-16 code unit sequence, lone surrogates included (Python strings can hold them too). */
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 12,
});
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  codeUnits,
  fc.string({ unit: "binary-ascii", maxLength: 12 }),
);

describe("pythonJsonDumps", () => {
  it("writes Python's default separators and keeps key order", () => {
    expect(pythonJsonDumps({ NextToken: "abc", boto_truncate_amount: 2 })).toBe(
      '{"NextToken": "abc", "boto_truncate_amount": 2}',
    );
    expect(
      pythonJsonDumps(
        new Map<string, unknown>([
          ["b", [1, null, true, false]],
          ["a", {}],
        ]),
      ),
    ).toBe('{"b": [1, null, true, false], "a": {}}');
  });

  it("escapes as ensure_ascii does: named escapes, lower-case \\u00XX, DEL, surrogate pairs and lone surrogates", () => {
    expect(pythonJsonDumps('"\\/\b\f\n\r\t\u0000\u001f\u007f~ é\u2028😀\ud800')).toBe(
      '"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f~ \\u00e9\\u2028\\ud83d\\ude00\\ud800"',
    );
  });

  it("refuses numbers Python would print differently from JavaScript", () => {
    expect(() => pythonJsonDumps(1.5)).toThrow(TypeError);
    expect(() => pythonJsonDumps(2 ** 60)).toThrow(/safe integers/);
    expect(() => pythonJsonDumps(undefined)).toThrow(TypeError);
  });
});

describe("encodeResumeToken (oracle: TokenEncoder.encode)", () => {
  it("matches botocore byte for byte on the token shapes pagination writes", async () => {
    const tokens = [
      { NextToken: null, boto_truncate_amount: 0 },
      { NextToken: "tok:10", boto_truncate_amount: 7 },
      { NextToken: "tok:60" },
      { PaginationToken: "a/b+c=d", boto_truncate_amount: -2 },
      { NextToken: 'Ünïcödé 😀 "quoted" back\\slash \u0000\u007f\ud800' },
      { NextToken: "x".repeat(1000), boto_truncate_amount: 123456789 },
    ];
    const answers = await oracle.call<{ token: string }[]>(tokens.map((t) => ({ op: "encode", pairs: pairsOf(t) })));
    expect(tokens.map((t) => encodeResumeToken(t))).toEqual(answers.map((a) => a.token));
  });

  it("matches botocore byte for byte for arbitrary service tokens (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(anyString, fc.integer({ min: -1000, max: 1_000_000 })), { minLength: 1, maxLength: 40 }),
        async (cases) => {
          const maps = cases.map(
            ([t, n]) =>
              new Map<string, unknown>([
                ["NextToken", t],
                ["boto_truncate_amount", n],
              ]),
          );
          const answers = await oracle.call<{ token: string }[]>(maps.map((m) => ({ op: "encode", pairs: [...m] })));
          expect(maps.map((m) => encodeResumeToken(m))).toEqual(answers.map((a) => a.token));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("base64Encode pads like Python's b64encode", () => {
    expect(["", "f", "fo", "foo", "foob"].map((s) => base64Encode(new TextEncoder().encode(s)))).toEqual([
      "",
      "Zg==",
      "Zm8=",
      "Zm9v",
      "Zm9vYg==",
    ]);
  });
});

describe("pythonB64Decode (oracle: base64.b64decode, validate=False)", () => {
  it("skips junk and follows Python's padding rules", async () => {
    const inputs = [
      "YQ==",
      "YQ=",
      "YQ",
      "Y",
      "=YQ==",
      "YW=Jj",
      "YWJj====Zm9v",
      "YQ==Zm9v",
      "Y Q = =",
      "YQ=x=",
      "-_Y\nQ==é",
      "",
      "Y===",
      "Y===QQ==",
      "YQ=Q",
      "YQ=====",
      "YWJ=",
      "YWJ",
      "YWJ==x",
      "YWJjZA",
    ];
    const answers = await oracle.call<({ hex: string } | OracleError)[]>(inputs.map((s) => ({ op: "b64decode", s })));
    inputs.forEach((s, i) => {
      const answer = answers[i]!;
      if ("hex" in answer) expect(hex(pythonB64Decode(s)), s).toBe(answer.hex);
      else expect(() => pythonB64Decode(s), s).toThrow();
    });
  });

  it("agrees with Python on random strings of base64 characters, padding and junk (property)", async () => {
    const unit = fc.oneof(
      fc.constantFrom(..."ABCXYZabcxyz0189+/"),
      fc.constantFrom("=", "==", "==="),
      fc.constantFrom(" ", "-", "_", "\n", "é", "€"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit, maxLength: 14 }), { minLength: 20, maxLength: 60 }),
        async (inputs) => {
          const answers = await oracle.call<({ hex: string } | OracleError)[]>(
            inputs.map((s) => ({ op: "b64decode", s })),
          );
          inputs.forEach((s, i) => {
            const answer = answers[i]!;
            let ours: string;
            try {
              ours = hex(pythonB64Decode(s));
            } catch {
              ours = "error";
            }
            expect(ours, JSON.stringify(s)).toBe("hex" in answer ? answer.hex : "error");
          });
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("pythonInt (oracle: int(str))", () => {
  it("accepts what Python's int() accepts, for legacy token___n indexes", async () => {
    const inputs = [
      " 5",
      "\x1c5",
      "5\x85",
      "+5",
      "-5",
      "0005",
      "1_0",
      "1__0",
      "_1",
      "1_",
      "٣",
      "\u0663\u0660",
      "𝟘𝟙𝟚",
      "\ufeff5",
      "5 ",
      "",
      " ",
      "-0",
      "+_1",
      "0_0",
      "12a",
      "0x10",
      "1e3",
      "\u00a07\u3000",
    ];
    const answers = await oracle.call<({ value: number } | OracleError)[]>(inputs.map((s) => ({ op: "int", s })));
    expect(inputs.map((s) => pythonInt(s) ?? "error")).toEqual(answers.map((a) => ("value" in a ? a.value : "error")));
  });
});

describe("parseStartingToken (oracle: PageIterator._parse_starting_token)", () => {
  const ours = (token: string, inputTokens = ["NextToken"]) => {
    try {
      const parsed = parseStartingToken(token, inputTokens);
      return { tokens: [...parsed.tokens], index: parsed.truncateAmount };
    } catch (e) {
      return { error: (e as Error).name };
    }
  };

  it("decodes botocore's tokens, legacy token___n forms and opaque service tokens as botocore does", async () => {
    const tokens = [
      encodeResumeToken({ NextToken: "tok:10", boto_truncate_amount: 3 }),
      encodeResumeToken({ NextToken: null, boto_truncate_amount: 0 }),
      encodeResumeToken({ NextToken: "tok:60" }),
      encodeResumeToken({ boto_truncate_amount: 4, NextToken: "tok:5" }),
      encodeResumeToken({ NextToken: "None" }),
      encodeResumeToken({ NextToken: "é😀\ud800", boto_truncate_amount: -2 }),
      encodeResumeToken({ NextToken: "x", boto_encoded_keys: [] }),
      encodeResumeToken({ NextToken: "x", boto_encoded_keys: null }),
      // base64 junk around a valid token is skipped, as by Python's lenient decoder
      ` ${encodeResumeToken({ NextToken: "tok:1" })}\n`,
      "tok:10___3",
      "tok:10___-2",
      "tok:10___ 1_0 ",
      "None___4",
      "tok:10___x",
      "___5",
      "tok:10",
      "None",
      "",
      "a/b+c==",
      "plain text token",
      "with\ud800lone surrogate",
      // JSON lists make botocore's decoder raise TypeError, which sends it down the legacy path
      encodeResumeToken(new Map([["k", 1]])).replace(/.*/, base64Encode(new TextEncoder().encode("[1, 2]"))),
      // a UTF-8 BOM makes json.loads fail, as JSON.parse
      base64Encode(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"NextToken": "a"}')])),
      // invalid UTF-8 after base64
      base64Encode(new Uint8Array([0xc3, 0x28])),
    ];
    const answers = await oracle.call<({ tokens: [string, string | null][]; index: number } | OracleError)[]>(
      tokens.map((startingToken) => ({ op: "parse", startingToken, inputTokens: ["NextToken"] })),
    );
    tokens.forEach((token, i) => {
      expect(answers[i], JSON.stringify(token)).not.toHaveProperty("error");
      expect(ours(token), JSON.stringify(token)).toEqual(answers[i]);
    });
  });

  it("uses the operation's own token name (ListUsers: PaginationToken)", async () => {
    const token = encodeResumeToken({ PaginationToken: "p", boto_truncate_amount: 1 });
    const answer = await oracle.call({ op: "parse", startingToken: token, inputTokens: ["PaginationToken"] });
    expect(ours(token, ["PaginationToken"])).toEqual(answer);
    // Given to an operation whose input token is NextToken, it still sets PaginationToken, as in botocore.
    const elsewhere = await oracle.call({ op: "parse", startingToken: token, inputTokens: ["NextToken"] });
    expect(ours(token, ["NextToken"])).toEqual(elsewhere);
    expect(ours(token, ["NextToken"])).toEqual({ tokens: [["PaginationToken", "p"]], index: 1 });
  });

  it("round-trips every token it encodes (property)", () => {
    fc.assert(
      fc.property(
        fc.option(anyString, { nil: null }),
        fc.option(fc.integer({ min: -5, max: 10_000 }), { nil: undefined }),
        (t, n) => {
          const map = new Map<string, unknown>([["NextToken", t]]);
          if (n !== undefined) map.set("boto_truncate_amount", n);
          const parsed = parseStartingToken(encodeResumeToken(map), ["NextToken"]);
          expect([...parsed.tokens]).toEqual([["NextToken", t]]);
          expect(parsed.truncateAmount).toBe(n ?? 0);
          expect(parsed.format).toBe("encoded");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects a legacy token with too many ___ parts with botocore's message (ValueError there)", async () => {
    const answer = await oracle.call<OracleError>({
      op: "parse",
      startingToken: "a___b___c",
      inputTokens: ["NextToken"],
    });
    expect(answer.error).toEqual({ type: "ValueError", message: "Bad starting token: a___b___c" });
    expect(() => parseStartingToken("a___b___c", ["NextToken"])).toThrow(
      new StartingTokenError("Bad starting token: a___b___c"),
    );
  });

  it("refuses a token that decodes to a JSON scalar with botocore's message (AttributeError there)", async () => {
    const json = (text: string) => base64Encode(new TextEncoder().encode(text));
    const tokens = ["123", "-0", "1.5", "1e3", '"abc"', "true", "false", "null"].map(json);
    const answers = await oracle.call<OracleError[]>(
      tokens.map((startingToken) => ({ op: "parse", startingToken, inputTokens: ["NextToken"] })),
    );
    tokens.forEach((token, i) => {
      expect(answers[i]!.error.type).toBe("AttributeError");
      let thrown: unknown;
      try {
        parseStartingToken(token, ["NextToken"]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StartingTokenError);
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as StartingTokenError).botocoreMessage).toBe(answers[i]!.error.message);
      expect((thrown as Error).message).toBe(`startingToken: ${answers[i]!.error.message}`);
    });
  });

  it("takes every key of a decoded JSON object as a request parameter, as botocore does", async () => {
    const json = (value: unknown) => base64Encode(new TextEncoder().encode(JSON.stringify(value)));
    const tokens = [
      // the shape of the emulator's tokens: base64 of a JSON cursor (padded), a dot, a MAC
      `${json({ offset: 10 })}.q1w2e3r4t5y6u7i8`,
      json({ NextToken: "a", UserPoolId: "eu-west-1_x" }),
      json({ foo: 1 }),
      json({ NextToken: 5, MaxResults: [1, { a: null }] }),
      json({ boto_truncate_amount: 2 }),
      json({ NextToken: null, Username: "bob" }),
      // an own key "__proto__", as JSON.parse makes it
      base64Encode(new TextEncoder().encode('{"NextToken": "a", "__proto__": {"polluted": 1}}')),
      json({}),
    ];
    const answers = await oracle.call<{ tokens: [string, unknown][]; index: number }[]>(
      tokens.map((startingToken) => ({ op: "parse", startingToken, inputTokens: ["NextToken"] })),
    );
    for (const [i, token] of tokens.entries()) expect(ours(token), token).toEqual(answers[i]);
    expect(ours(json({ foo: 1 }))).toEqual({ tokens: [["foo", 1]], index: 0 });
  });

  it("injects parameters as botocore's _inject_token_into_kwargs: set, or removed when null or 'None'", () => {
    const request = { UserPoolId: "p", NextToken: "old", MaxResults: 3 };
    const tokens = new Map<string, unknown>([
      ["NextToken", null],
      ["MaxResults", "None"],
      ["Username", "bob"],
      ["__proto__", { polluted: 1 }],
    ]);
    const next = injectTokens(request, tokens);
    expect(Object.keys(next)).toEqual(["UserPoolId", "Username", "__proto__"]);
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(next))).toEqual(
      JSON.parse('{"UserPoolId": "p", "Username": "bob", "__proto__": {"polluted": 1}}'),
    );
    expect(request).toEqual({ UserPoolId: "p", NextToken: "old", MaxResults: 3 });
  });

  it("writes a resume token inside a page only for the operation's input tokens, as botocore's resume_token setter", () => {
    expect(encodeTruncatedToken(new Map([["NextToken", "t"]]), 2, ["NextToken"])).toBe(
      encodeResumeToken({ NextToken: "t", boto_truncate_amount: 2 }),
    );
    const extra = new Map<string, unknown>([
      ["NextToken", null],
      ["MaxResults", 5],
    ]);
    expect(() => encodeTruncatedToken(extra, 1, ["NextToken"])).toThrow(StartingTokenError);
    try {
      encodeTruncatedToken(extra, 1, ["NextToken"]);
    } catch (error) {
      expect([...(error as StartingTokenError).token!]).toEqual([
        ["NextToken", null],
        ["MaxResults", 5],
        ["boto_truncate_amount", 1],
      ]);
      expect((error as Error).message).toBe(
        'startingToken: Bad starting token: {"NextToken":null,"MaxResults":5,"boto_truncate_amount":1}',
      );
    }
    expect(() => encodeTruncatedToken(new Map(), 1, ["NextToken"])).toThrow(/^startingToken: Bad starting token: /);
  });

  it.each([
    [
      "a non-integer boto_truncate_amount",
      { NextToken: "a", boto_truncate_amount: "2" },
      /boto_truncate_amount must be an integer/,
    ],
    [
      "a null boto_truncate_amount",
      { NextToken: "a", boto_truncate_amount: null },
      /boto_truncate_amount must be an integer/,
    ],
    ["binary boto_encoded_keys", { NextToken: "YQ==", boto_encoded_keys: [["NextToken"]] }, /binary values/],
  ])(
    "throws a TypeError naming startingToken for a decoded token with %s (botocore fails later or sends garbage)",
    (_, token, message) => {
      const encoded = encodeResumeToken(token);
      expect(() => parseStartingToken(encoded, ["NextToken"])).toThrow(TypeError);
      expect(() => parseStartingToken(encoded, ["NextToken"])).toThrow(message);
      expect(() => parseStartingToken(encoded, ["NextToken"])).toThrow(/^startingToken: /);
    },
  );
});
