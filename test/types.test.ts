/**
 * Type compatibility with the AWS SDK v3: these assignments fail `npm run typecheck` (part of `npm test`) if the
 * generated types drift from the SDK's. The runtime assertions only keep vitest honest about the file running.
 */
import type * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as Ours from "../generated/types.ts";
import type { AdminListUserAuthEventsCommandOutput } from "../generated/commands.ts";
import { EventType, FeedbackValueType, type RiskDecisionType } from "../generated/enums.ts";
import type * as Published from "../types/service-exception.d.ts";
import type * as Smithy from "@smithy/smithy-client";
import { DECLARATIONS_IN_PLACE_OF } from "../tsup.config.ts";
import type { CognitoIdentityProvider, CognitoIdentityProviderClient } from "../src/index.ts";

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("types are interchangeable with the AWS SDK v3's", () => {
  it("AdminListUserAuthEvents input and output are mutually assignable", () => {
    expectTypeOf<
      Mutual<Ours.AdminListUserAuthEventsRequest, Sdk.AdminListUserAuthEventsRequest>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Mutual<Ours.AdminListUserAuthEventsResponse, Sdk.AdminListUserAuthEventsResponse>
    >().toEqualTypeOf<true>();
    expectTypeOf<Mutual<Ours.AuthEventType, Sdk.AuthEventType>>().toEqualTypeOf<true>();
    expectTypeOf<
      Mutual<AdminListUserAuthEventsCommandOutput, Sdk.AdminListUserAuthEventsCommandOutput>
    >().toEqualTypeOf<true>();
  });

  it("the feedback and ListUsers shapes are mutually assignable", () => {
    expectTypeOf<
      Mutual<Ours.AdminUpdateAuthEventFeedbackRequest, Sdk.AdminUpdateAuthEventFeedbackRequest>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Mutual<Ours.UpdateAuthEventFeedbackRequest, Sdk.UpdateAuthEventFeedbackRequest>
    >().toEqualTypeOf<true>();
    expectTypeOf<Mutual<Ours.ListUsersRequest, Sdk.ListUsersRequest>>().toEqualTypeOf<true>();
    expectTypeOf<Mutual<Ours.ListUsersResponse, Sdk.ListUsersResponse>>().toEqualTypeOf<true>();
  });

  it("timestamps are Date and enums are unions of wire values", () => {
    expectTypeOf<NonNullable<Ours.AuthEventType["CreationDate"]>>().toEqualTypeOf<Date>();
    expectTypeOf<EventType>().toEqualTypeOf<Sdk.EventType>();
    expectTypeOf<RiskDecisionType>().toEqualTypeOf<Sdk.RiskDecisionType>();
    expectTypeOf<FeedbackValueType>().toEqualTypeOf<"Valid" | "Invalid">();
    expect(FeedbackValueType.VALID).toBe("Valid");
    expect(EventType.SignIn).toBe("SignIn");
  });

  it("the aggregated client's methods and the client's config read as the SDK's", () => {
    type Method<C, K extends keyof C> = C[K] extends (args: infer A, options?: infer _O) => Promise<infer R>
      ? [A, R]
      : never;
    expectTypeOf<
      Mutual<Method<CognitoIdentityProvider, "listUsers">[0], Method<Sdk.CognitoIdentityProvider, "listUsers">[0]>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Mutual<
        Method<CognitoIdentityProvider, "adminListUserAuthEvents">[1],
        Method<Sdk.CognitoIdentityProvider, "adminListUserAuthEvents">[1]
      >
    >().toEqualTypeOf<true>();
    expectTypeOf<ReturnType<CognitoIdentityProviderClient["config"]["region"]>>().toEqualTypeOf<Promise<string>>();
    // Code written with the SDK's callback types compiles against this client (type-checked, not called).
    const sdkShaped = (
      client: CognitoIdentityProvider,
      done: (err: unknown, data?: Sdk.ListUsersCommandOutput) => void,
    ) => client.listUsers({ UserPoolId: "eu-west-1_x" }, done);
    expect(typeof sdkShaped).toBe("function");
  });
});

describe("the error base class as the published declarations describe it (types/service-exception.d.ts)", () => {
  it("is the dependency's ServiceException: its instances, constructor and options", () => {
    expectTypeOf<Published.ServiceException>().toEqualTypeOf<Smithy.ServiceException>();
    expectTypeOf<Published.ServiceExceptionOptions>().toEqualTypeOf<Smithy.ServiceExceptionOptions>();
    expectTypeOf<typeof Published.ServiceException>().toEqualTypeOf<typeof Smithy.ServiceException>();
    // The file checked here is the one the .d.ts build puts in place of the dependency's.
    expect(new Set(Object.values(DECLARATIONS_IN_PLACE_OF))).toEqual(new Set(["./types/service-exception.d.ts"]));
  });
});
