/**
 * `cognito-auth-events/emulator`: a local, in-memory emulator of the Cognito auth-event APIs
 * (AdminListUserAuthEvents, AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback, ListUsers)
 * with SigV4 checks, fault injection and quotas. See src/emulator/README.md.
 *
 * @example
 * import { startEmulator } from "cognito-auth-events/emulator";
 * const emulator = await startEmulator({ seed: 1 });
 * console.log(emulator.url, emulator.core.demo);
 * await emulator.close();
 *
 * @module
 */

export {
  DEFAULT_CREDENTIALS,
  EmulatorCore,
  type EmulatorDemoInfo,
  type EmulatorRequest,
  type EmulatorResponse,
  type RequestLogEntry,
} from "./core.ts";
export { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "./server.ts";
export { DEMO, seedData, type SeedOptions } from "./seed.ts";
export { DEFAULT_QUOTAS } from "./quotas.ts";
export type {
  EmulatorCredentials,
  EmulatorData,
  EmulatorEventData,
  EmulatorOptions,
  EmulatorPoolData,
  EmulatorTimestamp,
  EmulatorUserData,
  FaultKind,
  FaultRule,
  OperationName,
  QuotaOptions,
  ThreatProtectionMode,
} from "./types.ts";
