/**
 * What the Node build's defaults load when a request first needs credentials from the default chain, or the region
 * from the instance metadata (src/node/defaults.ts). The published package builds it apart from the default entry
 * (tsup.config.ts): importing the default entry then reads one file, and a program that passes its credentials and
 * region never loads this one, nor the Node built-ins it uses (child processes, https, crypto).
 *
 * Node and Deno.
 */
export { fromNodeProviderChain } from "./default-chain.ts";
export { instanceMetadataRegion } from "./remote-credentials.ts";
