/**
 * The AWS CLI v1 as the reference client: pointed at the emulator with --endpoint-url, it must
 * list, page and fail exactly as against AWS. Each `aws` call costs about a second of CPU, so
 * the calls are few and run concurrently.
 */

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/server.ts";
import { LITE_POOL, POOL } from "./fixtures/emulator/helpers.ts";

let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "emulator-awscli-"));
  emulator = await startEmulator({
    users: 3,
    events: 75,
    faults: [
      { kind: "throttle", username: "throttled" },
      {
        kind: "error",
        username: "unauthorized",
        errorType: "NotAuthorizedException",
        message: "Access Token has been revoked",
      },
      { kind: "http-500", username: "broken" },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
  await rm(home, { recursive: true, force: true });
});

interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
}

function aws(args: string[], env: Record<string, string> = {}): Promise<AwsResult> {
  return new Promise((resolve) => {
    execFile(
      "aws",
      ["cognito-idp", "admin-list-user-auth-events", "--endpoint-url", emulator.url, ...args],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
          AWS_SECRET_ACCESS_KEY: "emulator-secret",
          AWS_DEFAULT_REGION: "us-east-1",
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const errorLine = (code: string, message: string) =>
  `\nAn error occurred (${code}) when calling the AdminListUserAuthEvents operation: ${message}\n`;

type Listing = { AuthEvents: Array<{ EventId: string; CreationDate: number }>; NextToken?: string };

describe("AWS CLI v1 against the emulator", () => {
  it("lists every event and pages with --max-items, --page-size and --starting-token", async () => {
    const user = ["--user-pool-id", POOL, "--username", "alice"];
    const [all, first] = await Promise.all([aws(user), aws([...user, "--max-items", "10", "--page-size", "7"])]);
    expect(all.code).toBe(0);
    const everything = JSON.parse(all.stdout) as Listing;
    const ids = emulator.core.getEvents(POOL, "alice")?.map((e) => e.EventId);
    expect(everything.AuthEvents.map((e) => e.EventId)).toEqual(ids);
    expect(everything.NextToken).toBeUndefined();
    // The two oldest events are written 1700000000.123 and 1.7E9 on the wire.
    expect(everything.AuthEvents.slice(-2).map((e) => e.CreationDate)).toEqual([1700000000.123, 1700000000]);

    expect(first.code).toBe(0);
    const page = JSON.parse(first.stdout) as Listing;
    expect(page.AuthEvents.map((e) => e.EventId)).toEqual(ids?.slice(0, 10));
    expect(typeof page.NextToken).toBe("string");
    const rest = await aws([...user, "--starting-token", page.NextToken as string, "--page-size", "7"]);
    expect(rest.code).toBe(0);
    expect((JSON.parse(rest.stdout) as Listing).AuthEvents.map((e) => e.EventId)).toEqual(ids?.slice(10));
  });

  it("gets each modelled error with its message and exit code 255", async () => {
    const cases: Array<[string[], string, string, Record<string, string>?]> = [
      [["--user-pool-id", POOL, "--username", "nobody"], "UserNotFoundException", "User does not exist."],
      [
        ["--user-pool-id", "us-east-1_missing", "--username", "alice"],
        "ResourceNotFoundException",
        "User pool us-east-1_missing does not exist.",
      ],
      [
        ["--user-pool-id", LITE_POOL, "--username", "alice"],
        "UserPoolAddOnNotEnabledException",
        "Threat protection is not enabled for this user pool.",
      ],
      [
        ["--user-pool-id", POOL, "--username", "alice", "--starting-token", "not-a-token"],
        "InvalidParameterException",
        "Invalid NextToken.",
      ],
      [["--user-pool-id", POOL, "--username", "throttled"], "TooManyRequestsException", "Rate exceeded"],
      [
        ["--user-pool-id", POOL, "--username", "unauthorized"],
        "NotAuthorizedException",
        "Access Token has been revoked",
      ],
      [
        ["--user-pool-id", POOL, "--username", "alice", "--no-sign-request"],
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
      ],
      [
        ["--user-pool-id", POOL, "--username", "alice"],
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        { AWS_ACCESS_KEY_ID: "AKIDUNKNOWN" },
      ],
    ];
    const results = await Promise.all(cases.map(([args, , , env]) => aws(args, env)));
    results.forEach((result, i) => {
      const [, code, message] = cases[i] as (typeof cases)[number];
      expect(result.stderr, code).toBe(errorLine(code, message));
      expect(result.code, code).toBe(255);
    });
  });

  it("reports InternalErrorException (HTTP 500) once its attempts are used up", async () => {
    const result = await aws(["--user-pool-id", POOL, "--username", "broken"], { AWS_MAX_ATTEMPTS: "1" });
    expect(result.code).toBe(255);
    expect(result.stderr).toBe(
      "\nAn error occurred (InternalErrorException) when calling the AdminListUserAuthEvents operation (reached max retries: 0): Internal server error.\n",
    );
  });
});
