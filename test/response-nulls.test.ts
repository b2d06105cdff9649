/**
 * JSON `null` in a response, compared with the AWS SDK v3 on the same bytes: MSW serves one body to the SDK's client
 * and to both of ours (the default entry and `/lite`), and the outputs must be equal. Structures lose their `null`
 * members at every depth, lists keep their entries, maps and documents stay as sent, and `NextToken: null` ends
 * pagination.
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as full from "../src/index.ts";
import * as lite from "../src/lite/index.ts";
import { readOutput } from "../src/protocol.ts";
import * as plans from "../generated/plans.ts";

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key" };
const POOL = "eu-west-1_abc123";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves `bodies` in turn (the last one repeats), as the service would send them. */
function serve(...bodies: string[]): void {
  let i = 0;
  server.use(
    http.post(
      ENDPOINT,
      () =>
        new HttpResponse(bodies[Math.min(i++, bodies.length - 1)], {
          headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-1" },
        }),
    ),
  );
}

const clients = () => ({
  sdk: new Sdk.CognitoIdentityProviderClient({ region: "eu-west-1", credentials }),
  full: new full.CognitoIdentityProviderClient({ region: "eu-west-1", credentials }),
  lite: new lite.CognitoIdentityProviderClient({ region: "eu-west-1", credentials }),
});

const withoutMetadata = ({ $metadata: _, ...output }: Record<string, unknown>) => output;

/** The three clients' outputs for one command name and input, each given the same body. */
async function outputsOf(
  command: keyof typeof Sdk & keyof typeof full & keyof typeof lite,
  input: object,
  body: string,
) {
  const { sdk, full: ours, lite: lean } = clients();
  const make = <M>(module: M) => new (module as Record<string, new (i: object) => never>)[command]!(input);
  const results: Record<string, unknown>[] = [];
  const sends: (() => Promise<unknown>)[] = [
    () => sdk.send(make(Sdk)),
    () => ours.send(make(full)),
    () => lean.send(make(lite)),
  ];
  for (const send of sends) {
    serve(body);
    results.push(withoutMetadata((await send()) as Record<string, unknown>));
  }
  const [theirs, fromFull, fromLite] = results as [Record<string, unknown>, unknown, unknown];
  return { theirs, fromFull, fromLite };
}

const EVENTS_BODY = JSON.stringify({
  AuthEvents: [
    {
      EventId: "a",
      EventType: "SignIn",
      CreationDate: 1.7e9,
      EventResponse: null,
      EventRisk: null,
      ChallengeResponses: [null, { ChallengeName: "Password", ChallengeResponse: null }],
      EventContextData: { IpAddress: "192.0.2.1", DeviceName: null, City: null, Country: "FR" },
      EventFeedback: { FeedbackValue: "Valid", Provider: null, FeedbackDate: null },
    },
    null,
    { EventId: "b", CreationDate: null, EventContextData: { City: null }, EventRisk: { RiskDecision: null } },
  ],
  NextToken: null,
});

describe("null members in responses, compared with the AWS SDK v3 on the same bytes", () => {
  it("AdminListUserAuthEvents: null members of structures are absent at every depth; list entries are kept", async () => {
    const { theirs, fromFull, fromLite } = await outputsOf(
      "AdminListUserAuthEventsCommand",
      { UserPoolId: POOL, Username: "alice" },
      EVENTS_BODY,
    );
    expect(fromFull).toStrictEqual(theirs);
    expect(fromLite).toStrictEqual(theirs);
    // What a TypeScript user's `=== undefined` check relies on.
    const [first, second, third] = (fromFull as full.AdminListUserAuthEventsResponse).AuthEvents! as [
      full.AuthEventType,
      null,
      full.AuthEventType,
    ];
    expect("NextToken" in (fromFull as object)).toBe(false);
    expect(Object.keys(first)).toEqual([
      "EventId",
      "EventType",
      "CreationDate",
      "ChallengeResponses",
      "EventContextData",
      "EventFeedback",
    ]);
    expect(first.EventContextData).toStrictEqual({ IpAddress: "192.0.2.1", Country: "FR" });
    expect(first.ChallengeResponses).toStrictEqual([null, { ChallengeName: "Password" }]);
    expect(second).toBeNull();
    expect(third).toStrictEqual({ EventId: "b", EventContextData: {}, EventRisk: {} });
  });

  it("a body without null (read where the plan points only) gives the SDK's output: Dates at every depth", async () => {
    const body = JSON.stringify({
      AuthEvents: [
        {
          EventId: "a",
          CreationDate: 1.7e9,
          EventRisk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
          ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
          EventContextData: { IpAddress: "192.0.2.1", DeviceName: "Pixel 8", City: "" },
          EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: "1700000000.5" },
        },
        { EventId: "b", CreationDate: "1.7e9" },
        {},
      ],
      NextToken: "next",
    });
    // No "ull" anywhere, or the clients would take the full read.
    expect(body).not.toContain("ull");
    const { theirs, fromFull, fromLite } = await outputsOf(
      "AdminListUserAuthEventsCommand",
      { UserPoolId: POOL, Username: "alice" },
      body,
    );
    expect(fromFull).toStrictEqual(theirs);
    expect(fromLite).toStrictEqual(theirs);
    const [first, second] = (fromFull as full.AdminListUserAuthEventsResponse).AuthEvents! as full.AuthEventType[];
    expect(first!.CreationDate).toStrictEqual(new Date(1.7e12));
    expect(first!.EventFeedback!.FeedbackDate).toStrictEqual(new Date(1_700_000_000_500));
    expect(second!.CreationDate).toStrictEqual(new Date(1.7e12));
  });

  it("the plan-only read and the full read give the same output on a body without null", () => {
    const plan = plans.AdminListUserAuthEventsResponse$read;
    const event = (i: number) => ({
      EventId: `e${i}`,
      CreationDate: i % 3 ? 1.7e9 + i : `${1.7e9 + i}.25`,
      EventRisk: { RiskLevel: "Low", CompromisedCredentialsDetected: i % 2 === 0 },
      ChallengeResponses: i % 4 ? [] : [{ ChallengeName: "Mfa", ChallengeResponse: "Failure" }],
      EventContextData: { DeviceName: "Nokia 3310", City: "Nantes", Country: "FR" },
      ...(i % 5 ? {} : { EventFeedback: { FeedbackValue: "Invalid", Provider: "User", FeedbackDate: 1.8e9 } }),
      // Members the model does not have are kept as sent: a lookalike timestamp inside stays a number.
      Unmodelled: { CreationDate: 1, Deep: [{ FeedbackDate: 2 }] },
    });
    const text = JSON.stringify({ AuthEvents: Array.from({ length: 60 }, (_, i) => event(i)), NextToken: "t" });
    const fast = JSON.parse(text) as Record<string, unknown>;
    const full = JSON.parse(text) as Record<string, unknown>;
    readOutput(fast, plan, text);
    readOutput(full, plan);
    expect(fast).toStrictEqual(full);
    expect((fast.AuthEvents as { CreationDate: unknown }[])[1]!.CreationDate).toStrictEqual(
      new Date(1_700_000_001_000),
    );
    expect((fast.AuthEvents as { Unmodelled: unknown }[])[0]!.Unmodelled).toStrictEqual(event(0).Unmodelled);
  });

  it("hostile member names are read by the model's members only, with or without a null in the body", () => {
    const cases: [string, Parameters<typeof readOutput>[1]][] = [
      ['{"Groups":{"length":5}}', plans.AdminListGroupsForUserResponse$read],
      ['{"User":{"constructor":{"length":5}}}', plans.AdminCreateUserResponse$read],
      ['{"User":{"__proto__":{"constructor":{"length":7}}}}', plans.AdminCreateUserResponse$read],
      ['{"AuthEvents":{"map":{"length":9}}}', plans.AdminListUserAuthEventsResponse$read],
    ];
    for (const [text, plan] of cases) {
      const [planOnly, full] = [JSON.parse(text) as object, JSON.parse(text) as object];
      readOutput(planOnly, plan, text);
      readOutput(full, plan);
      // Read as sent: no number became a Date (which would print as a date string).
      expect(JSON.stringify(full)).toBe(text);
      expect(JSON.stringify(planOnly)).toBe(text);
    }
  });

  it("a body without null is read where the plan points only; one with null (or any 'ull') in full", () => {
    const plan = plans.AdminListUserAuthEventsResponse$read;
    let reads = 0;
    const output = () => ({
      AuthEvents: [{ CreationDate: 1, EventId: "e" }],
      get Unmodelled() {
        reads++;
        return { Deep: [] };
      },
    });
    const withoutNull = '{"AuthEvents":[{"CreationDate":1,"EventId":"e"}],"Unmodelled":{"Deep":[]}}';
    const plain = output();
    readOutput(plain, plan, withoutNull);
    expect(reads).toBe(0);
    expect(plain.AuthEvents[0]!.CreationDate).toStrictEqual(new Date(1000));
    // "ull" in a string value (Istanbul, full) is no null: the full read, to the same output.
    for (const text of [withoutNull.replace('"e"', '"full"'), withoutNull.replace('"e"', "null"), undefined]) {
      const read = output();
      reads = 0;
      readOutput(read, plan, text);
      expect(reads).toBeGreaterThan(0);
      expect(read.AuthEvents[0]!.CreationDate).toStrictEqual(new Date(1000));
    }
  });

  it("ListUsers: null members of users and their attributes are absent; the timestamps still become Dates", async () => {
    const body = JSON.stringify({
      Users: [
        {
          Username: "alice",
          Attributes: [{ Name: "email", Value: null }, null],
          MFAOptions: null,
          Enabled: null,
          UserCreateDate: 1700000000,
          UserLastModifiedDate: null,
        },
      ],
      PaginationToken: null,
    });
    const { theirs, fromFull, fromLite } = await outputsOf("ListUsersCommand", { UserPoolId: POOL }, body);
    expect(fromFull).toStrictEqual(theirs);
    expect(fromLite).toStrictEqual(theirs);
    expect(theirs).toStrictEqual({
      Users: [{ Username: "alice", Attributes: [{ Name: "email" }, null], UserCreateDate: new Date(1.7e12) }],
    });
  });

  it("maps keep their null values and documents stay as sent, as the SDK keeps them", async () => {
    const tags = await outputsOf(
      "ListTagsForResourceCommand",
      { ResourceArn: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${POOL}` },
      JSON.stringify({ Tags: { team: null, stage: "prod" } }),
    );
    expect(tags.theirs).toStrictEqual({ Tags: { team: null, stage: "prod" } });
    expect(tags.fromFull).toStrictEqual(tags.theirs);
    expect(tags.fromLite).toStrictEqual(tags.theirs);

    const branding = await outputsOf(
      "DescribeManagedLoginBrandingCommand",
      { UserPoolId: POOL, ManagedLoginBrandingId: "00000000-0000-4000-8000-000000000000" },
      JSON.stringify({
        ManagedLoginBranding: {
          ManagedLoginBrandingId: null,
          Settings: { colour: null, layers: [null, { shade: null }] },
          Assets: null,
          CreationDate: 1.7e9,
        },
      }),
    );
    expect(branding.theirs).toStrictEqual({
      ManagedLoginBranding: {
        Settings: { colour: null, layers: [null, { shade: null }] },
        CreationDate: new Date(1.7e12),
      },
    });
    expect(branding.fromFull).toStrictEqual(branding.theirs);
    expect(branding.fromLite).toStrictEqual(branding.theirs);

    const pool = await outputsOf(
      "DescribeUserPoolCommand",
      { UserPoolId: POOL },
      JSON.stringify({
        UserPool: { Id: POOL, UserPoolTags: { owner: null }, LambdaConfig: { PreSignUp: null }, Policies: null },
      }),
    );
    expect(pool.theirs).toStrictEqual({ UserPool: { Id: POOL, UserPoolTags: { owner: null }, LambdaConfig: {} } });
    expect(pool.fromFull).toStrictEqual(pool.theirs);
    expect(pool.fromLite).toStrictEqual(pool.theirs);
  });

  it("NextToken: null ends pagination, with the same pages as the SDK's paginator", async () => {
    const page1 = JSON.stringify({ AuthEvents: [{ EventId: "a", EventRisk: null }], NextToken: "t1" });
    const page2 = JSON.stringify({ AuthEvents: [{ EventId: "b", EventRisk: null }], NextToken: null });
    const input = { UserPoolId: POOL, Username: "alice" };
    const { sdk, full: ours, lite: lean } = clients();
    const collect = async (pages: AsyncIterable<object>) => {
      const out: unknown[] = [];
      for await (const page of pages) out.push(withoutMetadata(page as Record<string, unknown>));
      return out;
    };
    serve(page1, page2);
    const theirs = await collect(Sdk.paginateAdminListUserAuthEvents({ client: sdk }, input));
    serve(page1, page2);
    const fromFull = await collect(full.paginateAdminListUserAuthEvents({ client: ours }, input));
    serve(page1, page2);
    const fromLite = await collect(lite.paginateAdminListUserAuthEvents({ client: lean }, input));
    expect(theirs).toStrictEqual([
      { AuthEvents: [{ EventId: "a" }], NextToken: "t1" },
      { AuthEvents: [{ EventId: "b" }] },
    ]);
    expect(fromFull).toStrictEqual(theirs);
    expect(fromLite).toStrictEqual(theirs);
  });
});
