/**
 * The CLI against the installed AWS CLI v1, byte for byte: service errors, retries, timeouts,
 * parameter validation, usage errors, credentials and region, feedback commands, skeletons
 * (harness: test/fixtures/cli/harness.ts).
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  type Case,
  POOL,
  type Run,
  compareWithAws,
  list,
  recorded,
  runAws,
  runAwsProcess,
  runOurs,
} from "./fixtures/cli/harness.ts";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/**
 * Deliberate difference: where the AWS CLI sends people to `aws configure` (a tool they may not have), this CLI names
 * its own ways to give credentials and a region; the rest of the output is aws's.
 */
const ownAdvice = (aws: Run): Run => {
  const stderr = aws.stderr
    .replace(
      'You can configure credentials by running "aws configure".',
      "Give them in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), choose a profile with --profile (or AWS_PROFILE), or add them to ~/.aws/credentials.",
    )
    .replace(
      'You must specify a region. You can also configure your region by running "aws configure".',
      "You must specify a region: give --region, set AWS_REGION (or AWS_DEFAULT_REGION), or add region = ... to the profile in ~/.aws/config.",
    );
  expect(stderr).not.toBe(aws.stderr);
  return { ...aws, stderr };
};

const cases: Case[] = [
  {
    title: "an --endpoint-url without a scheme is refused before any request, in the AWS CLI's words",
    args: ["list-users", "--user-pool-id", POOL, "--endpoint-url", "127.0.0.1"],
    endpointUrl: false,
  },
  {
    title: "UserNotFoundException: message and exit 255",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "nobody"],
    raw: true,
  },
  {
    title: "UserPoolAddOnNotEnabledException",
    args: ["admin-list-user-auth-events", "--user-pool-id", "us-east-1_cliLite", "--username", "carol"],
    raw: true,
  },
  // A secondary replica of a multi-region user pool: the four commands answer OperationNotEnabledException.
  ...[
    ["admin-list-user-auth-events", "--username", "dave"],
    ["admin-update-auth-event-feedback", "--username", "dave", "--event-id", "e1", "--feedback-value", "Valid"],
    [
      "update-auth-event-feedback",
      "--username",
      "dave",
      "--event-id",
      "e1",
      "--feedback-token",
      "t",
      "--feedback-value",
      "Valid",
    ],
    ["list-users"],
  ].map(([command, ...rest]) => ({
    title: `OperationNotEnabledException: ${command} on a secondary replica`,
    args: [command!, "--user-pool-id", "us-east-1_cliReplica", ...rest],
    raw: true,
  })),
  {
    title: "ResourceNotFoundException for an unknown pool",
    args: ["admin-list-user-auth-events", "--user-pool-id", "us-east-1_nope", "--username", "x"],
    raw: true,
  },
  {
    title: "service validation error (InvalidParameterException)",
    args: ["admin-list-user-auth-events", "--user-pool-id", "bad pool", "--username", "x"],
    raw: true,
  },
  { title: "an undecodable --starting-token goes to the service as is", args: list("--starting-token", "garbage") },
  // botocore sends every key of a decoded starting token as a request parameter.
  { title: '--starting-token {"foo": 1}: unknown parameter', args: list("--starting-token", "eyJmb28iOiAxfQ==") },
  {
    title: "--starting-token of ListUsers (PaginationToken): unknown parameter",
    args: list("--starting-token", b64('{"PaginationToken": "cD0z", "boto_truncate_amount": 1}')),
  },
  {
    title: "--starting-token setting a mistyped NextToken and an empty one",
    args: list("--starting-token", b64('{"NextToken": 5, "MaxResults": "x", "b": {"a": 1}}')),
  },
  {
    title: "--starting-token setting Username",
    args: list("--starting-token", b64('{"NextToken": null, "Username": "bob"}')),
  },
  {
    title: "--starting-token setting MaxResults, cut inside its first page: Bad starting token",
    args: list("--starting-token", b64('{"NextToken": null, "MaxResults": 5, "x\u00e9": null}'), "--max-items", "1"),
  },
  ...["1", "1.5", '"abc"', "true", "null"].map((json) => ({
    title: `--starting-token of JSON ${json}: botocore's AttributeError`,
    args: list("--starting-token", b64(json)),
  })),
  { title: "--starting-token a___b___c: Bad starting token", args: list("--starting-token", "a___b___c") },
  {
    title: "parameter validation: empty --username",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", ""],
    raw: true,
  },
  { title: "parameter validation: negative --page-size", args: list("--page-size", "-1") },
  {
    title: "--cli-input-json: invalid JSON",
    args: ["admin-list-user-auth-events", "--cli-input-json", '{"UserPoolId": 1'],
    raw: true,
  },
  {
    title: "--cli-input-json: unknown, mistyped and null members",
    args: [
      "admin-list-user-auth-events",
      "--cli-input-json",
      '{"UserPoolId": "us-east-1_cliTest", "Foo": 1, "MaxResults": "x", "Username": null}',
    ],
    raw: true,
  },
  {
    title: "--cli-input-json from file://, the command line overriding it",
    args: [
      "admin-list-user-auth-events",
      "--cli-input-json",
      "file://input.json",
      "--username",
      "zoë",
      "--max-items",
      "1",
    ],
    raw: true,
  },
  { title: "--generate-cli-skeleton", args: ["admin-list-user-auth-events", "--generate-cli-skeleton"], raw: true },
  {
    title: "--generate-cli-skeleton output (text)",
    args: ["list-users", "--user-pool-id", POOL, "--generate-cli-skeleton", "output", "--output", "text"],
    raw: true,
  },
  {
    title: "--generate-cli-skeleton output (json)",
    args: [
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "u",
      "--generate-cli-skeleton",
      "output",
    ],
    raw: true,
  },
  {
    title: "usage error: missing --username names it, exit 2",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL],
    raw: true,
  },
  { title: "usage error: both required options missing", args: ["admin-list-user-auth-events"], raw: true },
  { title: "usage error: ambiguous abbreviation", args: list("--max", "2") },
  { title: "usage error: --max-items not an int", args: list("--max-items", "x") },
  { title: "usage error: --color choices", args: list("--color", "blue") },
  {
    title: "usage error: a value that looks like an option",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "-x"],
    raw: true,
  },
  { title: "unknown options: exit 255", args: list("--bogus", "1"), raw: true },
  { title: "--max-results not an int", args: list("--max-results", "abc") },
  { title: "profile not found", args: list("--profile", "nope") },
  { title: "no region", args: list(), env: { AWS_DEFAULT_REGION: undefined }, expected: ownAdvice },
  {
    title: "no credentials",
    args: list(),
    env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: "true" },
    expected: ownAdvice,
  },
  {
    title: "empty AWS_ACCESS_KEY_ID: the environment has no credentials",
    args: list(),
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
    expected: ownAdvice,
  },
  {
    title: "AWS_ACCESS_KEY_ID without AWS_SECRET_ACCESS_KEY: partial credentials",
    args: list(),
    env: { AWS_SECRET_ACCESS_KEY: "" },
  },
  {
    title: "credentials from the shared credentials file",
    args: list("--profile", "keys", "--max-items", "1", "--output", "text"),
  },
  {
    title: "admin-update-auth-event-feedback prints nothing",
    args: [
      "admin-update-auth-event-feedback",
      "--user-pool-id",
      POOL,
      "--username",
      "田中",
      "--event-id",
      "t-2",
      "--feedback-value",
      "Valid",
    ],
    raw: true,
  },
  {
    title: "admin-update-auth-event-feedback: unknown event",
    args: [
      "admin-update-auth-event-feedback",
      "--user-pool-id",
      POOL,
      "--username",
      "田中",
      "--event-id",
      "nope",
      "--feedback-value",
      "Valid",
    ],
    raw: true,
  },
  {
    title: "update-auth-event-feedback unsigned: a wrong token",
    args: [
      "update-auth-event-feedback",
      "--no-sign-request",
      "--user-pool-id",
      POOL,
      "--username",
      "田中",
      "--event-id",
      "t-1",
      "--feedback-token",
      "wrong",
      "--feedback-value",
      "Invalid",
    ],
    raw: true,
  },
  {
    title: "HTTP 500 until retries run out: (reached max retries: 1)",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "fault-500"],
    env: { AWS_MAX_ATTEMPTS: "2" },
    raw: true,
  },
  {
    title: "an HTML 502 page: code 502, reason phrase",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "fault-html"],
    env: { AWS_MAX_ATTEMPTS: "1" },
    raw: true,
  },
  {
    title: "a modelled error with a unicode message",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "fault-error"],
    raw: true,
  },
  {
    title: "TooManyRequestsException at HTTP 400 is retried (deliberate difference: aws gives up at once)",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "fault-throttle"],
    env: { AWS_MAX_ATTEMPTS: "2" },
    raw: true,
    expected: (aws) => ({
      ...aws,
      stderr: aws.stderr.replace("operation: Rate exceeded", "operation (reached max retries: 1): Rate exceeded"),
    }),
  },
  {
    title: "read timeout",
    args: [
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      "fault-slow",
      "--cli-read-timeout",
      "1",
    ],
    env: { AWS_MAX_ATTEMPTS: "1" },
    raw: true,
  },
];

compareWithAws("the CLI against aws cognito-idp: errors", cases, () => {
  it("aws itself reports OperationNotEnabledException for each command on the replica (exit 255)", () => {
    const titles = [...recorded.keys()].filter((title) => title.startsWith("OperationNotEnabledException: "));
    expect(titles).toHaveLength(4);
    for (const title of titles) {
      expect(recorded.get(title)!.code).toBe(255);
      expect(recorded.get(title)!.stderr).toMatch(
        /^\nAn error occurred \(OperationNotEnabledException\) when calling the \w+ operation: /,
      );
    }
  });

  it("http:// parameter values are fetched as AWS CLI v1 fetches them (a 200 body is the value, another status an error; cli_follow_urlparam = false turns it off)", async () => {
    const server = createServer((req, res) => {
      // With its charset: requests (what awscli fetches with) reads text/* without one as ISO-8859-1.
      if (req.url === "/user") res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("zoë");
      else if (req.url === "/latin1") res.writeHead(200, { "content-type": "text/plain" }).end("zoë");
      else res.writeHead(404).end("no");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), "cae-cli-url-"));
    const noFollow = join(dir, "config");
    writeFileSync(noFollow, "[default]\ncli_follow_urlparam = false\n");
    const args = (user: string) => [
      "admin-list-user-auth-events",
      "--user-pool-id",
      POOL,
      "--username",
      user,
      "--max-items",
      "1",
      "--output",
      "text",
    ];
    try {
      for (const c of [
        { title: "a URL answered 200", args: args(`${base}/user`), raw: true },
        { title: "a URL answered 404", args: args(`${base}/missing`), raw: true },
        {
          title: "text/plain without a charset is read as ISO-8859-1 (so zoë's UTF-8 is another name)",
          args: args(`${base}/latin1`),
          raw: true,
        },
        {
          title: "cli_follow_urlparam = false",
          args: args(`${base}/user`),
          raw: true,
          env: { AWS_CONFIG_FILE: noFollow },
        },
      ] satisfies Case[]) {
        const [ours, aws] = [await runOurs(c), await runAws(c)];
        expect(ours, c.title).toEqual(aws);
        if (c.title === "a URL answered 200") expect(ours.stdout, "zoë's first event").toMatch(/^AUTHEVENTS\t/);
      }
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("the recording driver prints usage errors as the aws executable does", async () => {
    const c = cases.find((k) => k.title.startsWith("usage error: missing --username"))!;
    expect(await runAwsProcess(c)).toEqual(recorded.get(c.title));
  }, 20_000);
});
