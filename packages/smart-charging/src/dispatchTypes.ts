import type { RequestOf } from '@chargewire/ocpp-types';
import type { AllocationResult, OverCommitment } from './allocate.js';
import type { Session } from './model.js';
import type { ProfileProtocol } from './profiles.js';

/** A session as the engine tracks it: the allocation model plus what it needs to address the charger. */
export interface EngineSession extends Session {
  /** The OCPP version the charger speaks. */
  protocol: ProfileProtocol;
  /** The CSMS's transaction id: the profile is then a TxProfile bound to it, else a TxDefaultProfile. */
  transactionId?: number | string;
}

/** A SetChargingProfile request for one charger, typed by its protocol. */
export type ProfileCommand = {
  [P in ProfileProtocol]: {
    protocol: P;
    chargerId: string;
    sessionId: string;
    /** The limit sent, in `unit` (already rounded down to 0.1). */
    limit: number;
    unit: 'A' | 'W';
    /** The same limit in A per phase (what changes are compared in). */
    amps: number;
    request: RequestOf<P, 'SetChargingProfile'>;
  };
}[ProfileProtocol];

/**
 * Sends one command and resolves with the charger's answer. It should honour `signal` (aborted when the
 * engine's timeout expires); a rejection or any status but `Accepted` counts as a failure of that charger only.
 */
export type SendProfile = (command: ProfileCommand, signal: AbortSignal) => Promise<{ status: string }>;

/** Why a command failed. */
export type FailureReason = 'rejected' | 'timeout' | 'error';

/** Outcome of one command. */
export interface CommandOutcome {
  command: ProfileCommand;
  ok: boolean;
  /** The charger's status when it answered. */
  status?: string;
  reason?: FailureReason;
  /** The error thrown by `send` (reason `error`). */
  error?: unknown;
}

/** What one dispatch did. */
export interface DispatchReport {
  allocation: AllocationResult;
  outcomes: CommandOutcome[];
  /** Sessions whose last command failed; they are retried and, until one succeeds, held at their last confirmed draw. */
  unconfirmed: string[];
}

/** Typed events of the engine. */
export interface SmartChargingEvents {
  /** A new allocation was computed. */
  allocation: [AllocationResult];
  /** A charger accepted its profile. */
  applied: [CommandOutcome];
  /** A charger rejected its profile, did not answer in time, or could not be reached. */
  failed: [CommandOutcome];
  /** The minimum rates do not all fit: some sessions are paused. */
  overcommitted: [OverCommitment[]];
  /** A dispatch finished. */
  dispatched: [DispatchReport];
}

/** What the engine knows about a session, for dashboards. */
export interface SessionState {
  session: EngineSession;
  /** Its share in the latest allocation, A per phase. */
  allocatedA: number | undefined;
  /** The last limit the charger accepted, A per phase. */
  confirmedA: number | undefined;
  /** Latest measured draw, A per phase. */
  measuredA: number | undefined;
  /** Whether its last command failed. */
  unconfirmed: boolean;
}
