/**
 * The CLI against the installed AWS CLI v1, byte for byte: output formats, pagination and resume
 * tokens, --query, profiles, list-users (harness: test/fixtures/cli/harness.ts).
 */

import { expect, it } from "vitest";
import {
  type Case,
  HOSTILE_USER,
  POOL,
  type Run,
  compareWithAws,
  list,
  recorded,
  runAws,
  runAwsProcess,
  runOurs,
} from "./fixtures/cli/harness.ts";

const cases: Case[] = [
  {
    title: "json: model key order, 4-space indent, non-ASCII as is, 1.7E9 as 1700000000.0, 1e16 and 1e-05",
    args: list(),
  },
  { title: "text: sorted scalar columns, nested rows, True/False", args: list("--output", "text") },
  {
    title: "table: wide, ambiguous and emoji widths, vertical layout beyond 80 columns",
    args: list("--output", "table"),
  },
  {
    title: "table --color on: colorama's styles and resets",
    args: list("--output", "table", "--color", "on", "--max-items", "2"),
  },
  { title: "table --color off", args: list("--output", "table", "--color", "off", "--max-items", "1") },
  { title: "json --max-items cuts mid-page and prints the resume token", args: list("--max-items", "3") },
  { title: "text --max-items prints NEXTTOKEN last", args: list("--max-items", "3", "--output", "text") },
  {
    title: "table --max-items with --page-size",
    args: list("--max-items", "3", "--page-size", "2", "--output", "table"),
  },
  { title: "json --page-size 2 merges every page", args: list("--page-size", "2") },
  {
    title: "json --max-items on a page boundary wraps the service token",
    args: list("--page-size", "2", "--max-items", "4"),
  },
  { title: "--max-items 0 warns and returns no item with a token", args: list("--max-items", "0") },
  {
    title: "negative --max-items drops the first page's last items, as botocore does",
    args: list("--max-items", "-2", "--output", "text"),
  },
  { title: "--max-results turns pagination off and prints the service token", args: list("--max-results", "2") },
  {
    title: "--no-paginate with --max-items and --page-size is refused",
    args: list("--no-paginate", "--max-items", "2", "--page-size", "1"),
  },
  {
    title: "--no-paginate with --max-items 0 fails validation on PaginationConfig",
    args: list("--no-paginate", "--max-items", "0"),
  },
  { title: "--query on the merged result (json)", args: list("--query", "AuthEvents[].EventId") },
  {
    title: "--query per page (text), None for the NextToken view",
    args: list("--query", "AuthEvents[].[EventId,CreationDate]", "--output", "text", "--max-items", "3"),
  },
  {
    title: "--query filter and multiselect (table)",
    args: list(
      "--query",
      "AuthEvents[?EventResponse=='Pass'].{id: EventId, at: CreationDate, risk: EventRisk.RiskDecision}",
      "--output",
      "table",
    ),
  },
  {
    title: "--query with numbers compared and sorted",
    args: list("--query", "sort_by(AuthEvents[?CreationDate > `1699997000`], &CreationDate)[].[EventId, CreationDate]"),
  },
  { title: "cli_timestamp_format = iso8601 from the profile (json)", args: list("--profile", "iso") },
  {
    title: "cli_timestamp_format = iso8601 from the profile (text)",
    args: list("--profile", "iso", "--output", "text"),
  },
  { title: "output = table from the profile", args: list("--profile", "tabled", "--max-items", "1") },
  { title: "AWS_DEFAULT_OUTPUT=text", args: list("--max-items", "2"), env: { AWS_DEFAULT_OUTPUT: "text" } },
  {
    title: "a user without events: json",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "bob"],
    raw: true,
  },
  {
    title: "a user without events: text and table print nothing",
    args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", "bob", "--output", "table"],
    raw: true,
  },
  ...(["json", "text", "table"] as const).map(
    (output): Case => ({
      title: `${output}, piped, with terminal escapes, CR, bidi and NUL in the data: as aws writes it`,
      args: ["admin-list-user-auth-events", "--user-pool-id", POOL, "--username", HOSTILE_USER, "--output", output],
      raw: true,
    }),
  ),
  { title: "list-users json", args: ["list-users", "--user-pool-id", POOL], raw: true },
  {
    title: "list-users text with --attributes-to-get",
    args: ["list-users", "--user-pool-id", POOL, "--attributes-to-get", "email", "name", "--output", "text"],
    raw: true,
  },
  {
    title: "list-users table with --max-items",
    args: ["list-users", "--user-pool-id", POOL, "--max-items", "2", "--output", "table"],
    raw: true,
  },
  {
    title: "list-users --filter",
    args: ["list-users", "--user-pool-id", POOL, "--filter", 'email ^= "zoe"'],
    raw: true,
  },
  {
    title: "list-users --limit turns pagination off",
    args: ["list-users", "--user-pool-id", POOL, "--limit", "1", "--output", "text"],
    raw: true,
  },
];

compareWithAws("the CLI against aws cognito-idp: output", cases, () => {
  it("the piped cases with terminal escapes in the data hold them raw (what aws wrote, and so what we wrote)", () => {
    for (const output of ["text", "table"]) {
      const aws = [...recorded].find(([title]) => title.startsWith(`${output}, piped, with terminal escapes`))![1];
      expect(aws.code).toBe(0);
      expect(aws.stdout).toContain("wipe\x1b[2J");
      expect(aws.stdout).toContain("invoice\u202Egnp.exe");
    }
  });

  it("the recording driver answers as the aws executable does (stdout, stderr, exit code)", async () => {
    const c = cases.find((k) => k.title.startsWith("text --max-items"))!;
    expect(await runAwsProcess(c)).toEqual(recorded.get(c.title));
  }, 20_000);

  it("resume tokens cross over: ours resumes aws's, aws resumes ours, mid-page and on a page boundary", async () => {
    const tokenOf = (run: Run) => (JSON.parse(run.stdout) as { NextToken: string }).NextToken;
    const midPage = recorded.get("json --max-items cuts mid-page and prints the resume token")!;
    const boundary = recorded.get("json --max-items on a page boundary wraps the service token")!;
    const resumeCases: Case[] = [
      { title: "r1", args: list("--starting-token", tokenOf(midPage), "--page-size", "3", "--max-items", "2") },
      { title: "r2", args: list("--starting-token", tokenOf(boundary), "--output", "text") },
    ];
    for (const c of resumeCases) {
      const [aws, ours] = await Promise.all([runAws(c), runOurs(c)]);
      expect(ours).toEqual(aws);
      expect(ours.code).toBe(0);
    }
    // And a token we printed, given back to aws.
    const ourToken = tokenOf(await runOurs({ title: "mine", args: list("--max-items", "5", "--page-size", "3") }));
    const back: Case = { title: "back", args: list("--starting-token", ourToken, "--output", "text") };
    const [aws, ours] = await Promise.all([runAws(back), runOurs(back)]);
    expect(ours).toEqual(aws);
    expect(aws.stdout).toContain("evt-exp");
  }, 30_000);
});
