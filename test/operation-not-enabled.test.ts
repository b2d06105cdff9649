/**
 * OperationNotEnabledException (multi-region user pools: the four operations in a secondary replica's region), as
 * the AWS SDK v3 raises it: MSW serves the service's error to the SDK's client and to both of ours; the emulator's
 * replica pool answers it over HTTP.
 */
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import * as full from "../src/index.ts";
import * as lite from "../src/lite/index.ts";

const ENDPOINT = "https://cognito-idp.eu-west-1.amazonaws.com/";
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret-key" };
const MESSAGE = "This operation is not available in this region.";

const COMMANDS = [
  ["AdminListUserAuthEventsCommand", { UserPoolId: "eu-west-1_abc", Username: "alice" }],
  [
    "AdminUpdateAuthEventFeedbackCommand",
    { UserPoolId: "eu-west-1_abc", Username: "alice", EventId: "e1", FeedbackValue: "Valid" },
  ],
  [
    "UpdateAuthEventFeedbackCommand",
    { UserPoolId: "eu-west-1_abc", Username: "alice", EventId: "e1", FeedbackToken: "t", FeedbackValue: "Valid" },
  ],
  ["ListUsersCommand", { UserPoolId: "eu-west-1_abc" }],
] as const;

type Module = Record<string, unknown>;
const commandOf = (module: Module, name: string, input: object) =>
  new (module[name] as new (input: object) => never)(input);
const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
  );

describe("OperationNotEnabledException from the service, compared with the AWS SDK v3", () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it.each(COMMANDS)("%s: the SDK's class and ours, both ways, from both entries", async (name, input) => {
    server.use(
      http.post(ENDPOINT, () =>
        HttpResponse.json(
          { __type: "OperationNotEnabledException", message: MESSAGE },
          { status: 400, headers: { "x-amzn-errortype": "OperationNotEnabledException:" } },
        ),
      ),
    );
    const sdk = new Sdk.CognitoIdentityProviderClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    const ours = new full.CognitoIdentityProviderClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    const lean = new lite.CognitoIdentityProviderClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    const theirs = await rejectionOf(sdk.send(commandOf(Sdk as Module, name, input)));
    const fromFull = await rejectionOf(ours.send(commandOf(full as Module, name, input)));
    const fromLite = await rejectionOf(lean.send(commandOf(lite as Module, name, input)));
    expect(theirs).toBeInstanceOf(Sdk.OperationNotEnabledException);
    for (const error of [fromFull, fromLite]) {
      expect(error).toBeInstanceOf(full.OperationNotEnabledException);
      expect(error).toBeInstanceOf(Sdk.OperationNotEnabledException);
      expect(error).toBeInstanceOf(full.CognitoIdentityProviderServiceException);
      expect([error!.name, error!.message, error!.$fault, error!.$metadata?.httpStatusCode]).toEqual([
        theirs!.name,
        theirs!.message,
        theirs!.$fault,
        theirs!.$metadata?.httpStatusCode,
      ]);
    }
    expect(theirs).toBeInstanceOf(full.OperationNotEnabledException);
    expect(lite.OperationNotEnabledException).toBe(full.OperationNotEnabledException);
  });
});

describe("the emulator's secondary replica pool", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({});
  });
  afterAll(() => emulator?.close());

  it("answers the four operations with OperationNotEnabledException, which both clients raise as the class", async () => {
    const replica = emulator.core.demo!.replicaPoolId;
    const config = { region: "us-east-1", endpoint: emulator.url, credentials: emulator.core.demo!.credentials! };
    for (const [module, client] of [
      [full, new full.CognitoIdentityProviderClient(config)],
      [lite, new lite.CognitoIdentityProviderClient(config)],
    ] as const) {
      for (const [name, input] of COMMANDS) {
        const error = await rejectionOf(
          client.send(commandOf(module as Module, name, { ...input, UserPoolId: replica }) as never),
        );
        expect(error, name).toBeInstanceOf(full.OperationNotEnabledException);
        expect(error!.$metadata?.httpStatusCode).toBe(400);
      }
    }
  });
});
