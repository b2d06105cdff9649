/**
 * `CognitoIdentityProvider`, the AWS SDK v3's aggregated client: `CognitoIdentityProviderClient` with one method per
 * operation (`await cognito.listUsers({ UserPoolId })`, with a callback too) and one `paginateX` per paginated
 * operation. A bundle that does not use it carries none of it; one that does carries every command.
 */
import { type CognitoIdentityProviderOperations, withOperations } from "../generated/aggregated.ts";
import { type CognitoIdentityProviderClientConfig, CognitoIdentityProviderClient } from "./client.ts";

export type { AggregatedPaginationConfiguration, CognitoIdentityProviderOperations } from "../generated/aggregated.ts";

/** The aggregated client: a {@link CognitoIdentityProviderClient} with a method per operation. */
export interface CognitoIdentityProvider extends CognitoIdentityProviderClient, CognitoIdentityProviderOperations {}

/** The constructor of {@link CognitoIdentityProvider}. */
export type CognitoIdentityProviderConstructor = new (
  config?: CognitoIdentityProviderClientConfig,
) => CognitoIdentityProvider;

/**
 * The aggregated client, as the AWS SDK v3 exports it.
 * @example
 * const cognito = new CognitoIdentityProvider({ region: "eu-west-1" });
 * const { Users } = await cognito.listUsers({ UserPoolId });
 */
export const CognitoIdentityProvider: CognitoIdentityProviderConstructor = /* @__PURE__ */ withOperations(
  CognitoIdentityProviderClient,
) as unknown as CognitoIdentityProviderConstructor;
