// The published declarations use Node's types (the engine is an EventEmitter). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: the site model, allocation, profile builders and the dispatch engine. Helpers of those
// (time-zone arithmetic, limit rounding) are internal. The committed API report (api/smart-charging.api.md)
// lists the surface.
export type { ChargerSpec, Phase, Session, SiteNode, TimeOfUse, TimeOfUseWindow } from './model.js';
export { PHASES } from './model.js';
export { SmartChargingError, type SmartChargingErrorCode } from './errors.js';
export {
  allocate,
  type AllocationOptions,
  type AllocationResult,
  type AllocationStrategy,
  type LimitedBy,
  type NodeUsage,
  type OverCommitment,
  type SessionAllocation,
} from './allocate.js';
export type { Resource } from './constraints.js';
export { activeWindows } from './timeOfUse.js';
export { effectiveLimits, type EffectiveLimits } from './siteIndex.js';
export {
  setChargingProfile,
  setChargingProfile16,
  setChargingProfile201,
  setChargingProfile21,
  type ProfilePeriod,
  type ProfileProtocol,
  type ProfilePurpose,
  type ProfileSpec,
} from './profiles.js';
export { profileForAllocation, type AllocationProfileOptions } from './allocationProfile.js';
export { SmartChargingEngine, type SmartChargingEngineOptions } from './engine.js';
export type {
  CommandOutcome,
  DispatchReport,
  EngineSession,
  FailureReason,
  ProfileCommand,
  SendProfile,
  SessionState,
  SmartChargingEvents,
} from './dispatchTypes.js';
export { ChargerNotConnectedError, sendThroughServer, type CallSignal, type ChargerDirectory, type ProfileTarget } from './sendThroughServer.js';
