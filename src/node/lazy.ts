/**
 * What the Node build's defaults load when a request first needs them (src/node/defaults.ts): the shared files'
 * reader and settings, the default credential chain, the instance metadata region. One module, which the published
 * package builds apart from the default entry (tsup.config.ts): importing the default entry then reads one file, and
 * a program that passes its region and credentials never loads this one.
 *
 * Node and Deno.
 */
export { fromNodeProviderChain } from "./default-chain.ts";
export { instanceMetadataRegion } from "./remote-credentials.ts";
export {
  booleanSetting,
  configuredEndpoint,
  integerSetting,
  loadSdkConfig,
  setting,
  stringSetting,
} from "./sdk-config.ts";
