// @ts-check
/**
 * The conformance scenario every runtime runs, against the emulator on loopback: signed, paginated
 * AdminListUserAuthEvents calls (3 pages; then maxItems with a resume token, resumed; then a typed
 * UserNotFoundException; then a throttle that the client retries).
 *
 * Plain ESM JavaScript with web-standard globals only, so Node, Deno, Bun, workerd and the edge runtime all load
 * it as it is (workerd and the edge runtime through a bundle). It takes the package as an argument: each harness
 * imports it its own way (the packed tarball installed in a temporary project, or the TypeScript source).
 *
 * It throws on the first broken expectation (so `deno test` and `workerd test` fail by themselves) and returns a
 * JSON-able summary that test/runtimes.test.ts compares with the emulator's data.
 */

/**
 * @typedef {object} ScenarioConfig
 * @property {string} endpoint the emulator's URL, `http://127.0.0.1:<port>`
 * @property {string} userPoolId a pool with threat protection (`us-east-1_demoPlus`)
 * @property {string} username a user with 75 events
 * @property {string} throttledUsername a user whose first AdminListUserAuthEvents call is throttled (emulator fault)
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 */

/** Marks the summary line in a runtime's output. */
export const RESULT_MARKER = "CAE_SCENARIO_RESULT ";

/** @param {unknown} condition @param {string} message @returns {asserts condition} */
function check(condition, message) {
  if (!condition) throw new Error(`scenario: ${message}`);
}

/** Names the runtime this runs in (Deno and Bun also have `process.versions.node`: test them first). */
export function runtimeName() {
  /** @type {any} */
  const g = globalThis;
  if (typeof g.Deno?.version?.deno === "string") return `deno ${g.Deno.version.deno}`;
  if (typeof g.Bun?.version === "string") return `bun ${g.Bun.version}`;
  if (typeof g.EdgeRuntime === "string") return `edge-runtime ${g.EdgeRuntime}`;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (typeof g.process?.versions?.node === "string") return `node ${g.process.versions.node}`;
  return "unknown";
}

/**
 * Runs the scenario.
 * @param {any} pkg the package's module namespace (`import * as pkg from "cognito-auth-events"`)
 * @param {ScenarioConfig} config
 */
export async function runScenario(pkg, config) {
  const { CognitoIdentityProviderClient, AdminListUserAuthEventsCommand, paginateAdminListUserAuthEvents } = pkg;
  const client = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const input = { UserPoolId: config.userPoolId, Username: config.username };
  /** @param {any[] | undefined} events */
  const ids = (events) => (events ?? []).map((event) => event.EventId);

  // 1. Every page, 25 items each.
  const pages = [];
  const allIds = [];
  let datesAreDates = true;
  for await (const page of paginateAdminListUserAuthEvents({ client, pageSize: 25 }, input)) {
    pages.push(page.AuthEvents?.length ?? 0);
    allIds.push(...ids(page.AuthEvents));
    for (const event of page.AuthEvents ?? [])
      datesAreDates &&= event.CreationDate instanceof Date && !Number.isNaN(event.CreationDate.getTime());
    check(pages.length <= 10, "more than 10 pages");
  }
  check(pages.length === 3, `expected 3 pages, got ${pages.length}`);
  check(datesAreDates, "CreationDate is not a valid Date");

  // 2. Stop early and resume. The default entry: maxItems stops mid-page and hands out botocore's resume token.
  // cognito-auth-events/lite (no maxItems): the first page's NextToken, given back as startingToken (the SDK's way).
  const lite = typeof paginateAdminListUserAuthEvents.buildFullResult !== "function";
  /** @type {{ AuthEvents?: any[]; NextToken?: string }} */
  let first = {};
  if (lite) {
    for await (const page of paginateAdminListUserAuthEvents({ client, pageSize: 25 }, input)) {
      first = page;
      break;
    }
  } else {
    first = await paginateAdminListUserAuthEvents.buildFullResult({ client, pageSize: 25, maxItems: 30 }, input);
  }
  check(typeof first.NextToken === "string", "stopping early left no token to resume from");
  /** @type {any[]} */
  const restEvents = [];
  let restEnd;
  for await (const page of paginateAdminListUserAuthEvents(
    { client, pageSize: 25, startingToken: first.NextToken },
    input,
  )) {
    restEvents.push(...(page.AuthEvents ?? []));
    restEnd = page.NextToken;
  }
  check(restEnd === undefined, "the resumed listing did not reach the end");
  const rest = { AuthEvents: restEvents };
  const resumedIds = [...ids(first.AuthEvents), ...ids(rest.AuthEvents)];
  check(resumedIds.join() === allIds.join(), "the first items plus the resumed rest differ from the full listing");

  // 3. A typed, modelled error.
  /** @type {any} */
  let notFound;
  try {
    await client.send(new AdminListUserAuthEventsCommand({ UserPoolId: config.userPoolId, Username: "no-such-user" }));
  } catch (error) {
    notFound = error;
  }
  check(notFound instanceof pkg.UserNotFoundException, `expected UserNotFoundException, got ${String(notFound)}`);

  // 4. A throttle (TooManyRequestsException, HTTP 400) retried by the client.
  const throttled = await client.send(
    new AdminListUserAuthEventsCommand({
      UserPoolId: config.userPoolId,
      Username: config.throttledUsername,
      MaxResults: 10,
    }),
  );
  check(throttled.$metadata.attempts === 2, `expected 2 attempts, got ${throttled.$metadata.attempts}`);

  return {
    runtime: runtimeName(),
    entry: lite ? "lite" : "default",
    pages,
    ids: allIds,
    datesAreDates,
    resume: {
      firstCount: first.AuthEvents?.length ?? 0,
      token: first.NextToken,
      restCount: rest.AuthEvents?.length ?? 0,
      matchesFullListing: resumedIds.join() === allIds.join(),
    },
    notFound: {
      name: notFound.name,
      isUserNotFoundException: notFound instanceof pkg.UserNotFoundException,
      isServiceException: notFound instanceof pkg.CognitoIdentityProviderServiceException,
      fault: notFound.$fault,
      httpStatusCode: notFound.$metadata?.httpStatusCode,
      message: notFound.message,
    },
    throttle: {
      attempts: throttled.$metadata.attempts,
      totalRetryDelay: throttled.$metadata.totalRetryDelay,
      items: throttled.AuthEvents?.length ?? 0,
    },
  };
}
