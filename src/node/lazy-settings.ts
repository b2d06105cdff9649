/**
 * What the Node build's defaults load when a request first needs a setting the options leave out (src/node/defaults.ts):
 * the shared files' reader and the settings read from them and the environment. Built apart from the default entry
 * (tsup.config.ts), as src/node/lazy-chain.ts is, and apart from it: settings need neither the credential chain nor its
 * Node built-ins.
 *
 * Node and Deno.
 */
export {
  booleanSetting,
  configuredEndpoint,
  integerSetting,
  loadSdkConfig,
  setting,
  stringSetting,
} from "./sdk-config.ts";
