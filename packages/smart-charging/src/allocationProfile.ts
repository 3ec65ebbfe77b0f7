import type { SessionAllocation } from './allocate.js';
import type { ProfilePurpose, ProfileSpec } from './profiles.js';

/** Options of {@link profileForAllocation}. */
export interface AllocationProfileOptions {
  /** The profile id (re-using it replaces the previous limit on the charger). */
  id: number;
  /** @default 'A' */
  unit?: 'A' | 'W';
  /** @default 'TxProfile' when `transactionId` is given, else 'TxDefaultProfile' */
  purpose?: ProfilePurpose;
  transactionId?: number | string;
  /** @default 0 */
  stackLevel?: number;
  /** Start of the (Absolute) schedule. @default now */
  at?: Date;
}

/**
 * A one-period profile that holds a session at its allocation: A per phase with its number of phases,
 * or W over all phases. Pass the result to `setChargingProfile(protocol, connectorId, spec)`.
 */
export function profileForAllocation(allocation: SessionAllocation, options: AllocationProfileOptions): ProfileSpec {
  const unit = options.unit ?? 'A';
  return {
    id: options.id,
    stackLevel: options.stackLevel ?? 0,
    purpose: options.purpose ?? (options.transactionId !== undefined ? 'TxProfile' : 'TxDefaultProfile'),
    ...(options.transactionId !== undefined ? { transactionId: options.transactionId } : {}),
    unit,
    kind: 'Absolute',
    startSchedule: options.at ?? new Date(),
    periods: [{ startPeriod: 0, limit: unit === 'A' ? allocation.amps : allocation.watts, numberPhases: allocation.phases }],
  };
}
