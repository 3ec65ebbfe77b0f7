import type { RequestOf } from '@chargewire/ocpp-types';
import type * as Ocpp16 from '@chargewire/ocpp-types/ocpp1.6';
import type * as Ocpp201 from '@chargewire/ocpp-types/ocpp2.0.1';
import type * as Ocpp21 from '@chargewire/ocpp-types/ocpp2.1';
import { SmartChargingError } from './errors.js';

/** The OCPP versions a profile can be built for. */
export type ProfileProtocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

/**
 * What a profile is for, named once for every version: `MaxProfile` is 1.6's ChargePointMaxProfile and
 * 2.x's ChargingStationMaxProfile.
 */
export type ProfilePurpose = 'TxProfile' | 'TxDefaultProfile' | 'MaxProfile';

/** One period of a schedule. */
export interface ProfilePeriod {
  /** Seconds from the start of the schedule. */
  startPeriod: number;
  /** In the profile's unit; rounded down to 0.1 (the schemas' resolution), never up. */
  limit: number;
  /** Phases the EV may use (1.6 §7.13, 2.x: 3 is assumed when absent). */
  numberPhases?: 1 | 2 | 3;
}

/** A charging profile, independent of the OCPP version. */
export interface ProfileSpec {
  /** chargingProfileId (1.6) / id (2.x). Re-using an id replaces that profile on the charger. */
  id: number;
  /** @default 0 */
  stackLevel?: number;
  /** @default 'TxProfile' */
  purpose?: ProfilePurpose;
  /** Required for a 2.x TxProfile (K01.FR.03); a 1.6 id must be an integer. Left out for other purposes. */
  transactionId?: number | string;
  /** `A` per phase or `W` over all phases. */
  unit: 'A' | 'W';
  periods: readonly ProfilePeriod[];
  /** `Absolute` starts at `startSchedule`; `Relative` at the start of charging. @default 'Absolute' */
  kind?: 'Absolute' | 'Relative';
  /** Start of an Absolute schedule. @default now */
  startSchedule?: Date;
  /** Seconds; absent: the last period lasts until the profile is replaced. */
  duration?: number;
  validTo?: Date;
  /** id of the 2.x ChargingSchedule. @default the profile id */
  scheduleId?: number;
}

/** Rounds a limit down to the schemas' 0.1 resolution (1.6 multipleOf 0.1; 2.x "at most one digit fraction"). */
export function roundLimit(limit: number): number {
  if (!(limit > 0)) return 0;
  return Number((Math.floor(limit * 10 + 1e-9) / 10).toFixed(1));
}

function checkSpec(spec: ProfileSpec): void {
  if (!Number.isInteger(spec.id)) throw new SmartChargingError('InvalidSession', 'profile id must be an integer');
  if (spec.periods.length === 0) throw new SmartChargingError('InvalidSession', 'a profile needs at least one period');
  if (spec.periods[0]?.startPeriod !== 0) throw new SmartChargingError('InvalidSession', 'the first period must start at 0');
}

function periods(spec: ProfileSpec): Array<{ startPeriod: number; limit: number; numberPhases?: number }> {
  return spec.periods.map((p) => ({ startPeriod: Math.max(0, Math.round(p.startPeriod)), limit: roundLimit(p.limit), ...(p.numberPhases ? { numberPhases: p.numberPhases } : {}) }));
}

function timing(spec: ProfileSpec): { kind: 'Absolute' | 'Relative'; startSchedule?: string } {
  const kind = spec.kind ?? 'Absolute';
  // 2.0.1 K01.FR.40/41: Absolute needs startSchedule, Relative must not have one; 1.6 reads them the same way.
  return kind === 'Absolute' ? { kind, startSchedule: (spec.startSchedule ?? new Date()).toISOString() } : { kind };
}

/** `SetChargingProfile` request for OCPP 1.6 (`csChargingProfiles`, one schedule). */
export function setChargingProfile16(connectorId: number, spec: ProfileSpec): Ocpp16.SetChargingProfileRequest {
  checkSpec(spec);
  const purpose = spec.purpose ?? 'TxProfile';
  const { kind, startSchedule } = timing(spec);
  let transactionId: number | undefined;
  if (purpose === 'TxProfile' && spec.transactionId !== undefined) {
    transactionId = Number(spec.transactionId);
    if (!Number.isInteger(transactionId)) throw new SmartChargingError('InvalidSession', 'a 1.6 transactionId is an integer');
  }
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: spec.id,
      ...(transactionId !== undefined ? { transactionId } : {}),
      stackLevel: spec.stackLevel ?? 0,
      chargingProfilePurpose: purpose === 'MaxProfile' ? 'ChargePointMaxProfile' : purpose,
      chargingProfileKind: kind,
      ...(spec.validTo ? { validTo: spec.validTo.toISOString() } : {}),
      chargingSchedule: {
        ...(spec.duration !== undefined ? { duration: spec.duration } : {}),
        ...(startSchedule ? { startSchedule } : {}),
        chargingRateUnit: spec.unit,
        chargingSchedulePeriod: periods(spec),
      },
    },
  };
}

/** The parts 2.0.1 and 2.1 share (their ChargingProfileType differ only in optional 2.1 additions). */
function profile2x(spec: ProfileSpec): Ocpp201.ChargingProfileType & Ocpp21.ChargingProfileType {
  checkSpec(spec);
  const purpose = spec.purpose ?? 'TxProfile';
  if (purpose === 'TxProfile' && spec.transactionId === undefined) {
    throw new SmartChargingError('InvalidSession', 'a 2.x TxProfile needs the transactionId (K01.FR.03)');
  }
  const { kind, startSchedule } = timing(spec);
  return {
    id: spec.id,
    stackLevel: spec.stackLevel ?? 0,
    chargingProfilePurpose: purpose === 'MaxProfile' ? 'ChargingStationMaxProfile' : purpose,
    chargingProfileKind: kind,
    ...(spec.validTo ? { validTo: spec.validTo.toISOString() } : {}),
    ...(purpose === 'TxProfile' ? { transactionId: String(spec.transactionId) } : {}),
    chargingSchedule: [
      {
        id: spec.scheduleId ?? spec.id,
        ...(startSchedule ? { startSchedule } : {}),
        ...(spec.duration !== undefined ? { duration: spec.duration } : {}),
        chargingRateUnit: spec.unit,
        chargingSchedulePeriod: periods(spec),
      },
    ],
  };
}

/** `SetChargingProfile` request for OCPP 2.0.1 (`chargingProfile`, schedules as an array). */
export function setChargingProfile201(evseId: number, spec: ProfileSpec): Ocpp201.SetChargingProfileRequest {
  return { evseId, chargingProfile: profile2x(spec) };
}

/** `SetChargingProfile` request for OCPP 2.1 (`chargingProfile`, schedules as an array). */
export function setChargingProfile21(evseId: number, spec: ProfileSpec): Ocpp21.SetChargingProfileRequest {
  return { evseId, chargingProfile: profile2x(spec) };
}

/**
 * `SetChargingProfile` request for any supported version: `target` is the connector (1.6) or EVSE (2.x).
 *
 * @example
 * const request = setChargingProfile('ocpp2.0.1', 1, { id: 101, transactionId: 'tx-9', unit: 'A', periods: [{ startPeriod: 0, limit: 14.5 }] });
 * await client.call('ocpp2.0.1', 'SetChargingProfile', request);
 */
export function setChargingProfile<P extends ProfileProtocol>(protocol: P, target: number, spec: ProfileSpec): RequestOf<P, 'SetChargingProfile'> {
  const build = Object.hasOwn(BUILDERS, protocol) ? (BUILDERS[protocol] as (target: number, spec: ProfileSpec) => RequestOf<P, 'SetChargingProfile'>) : undefined;
  if (!build) throw new SmartChargingError('InvalidSession', `no profile builder for protocol "${String(protocol)}"`);
  return build(target, spec);
}

const BUILDERS: { [P in ProfileProtocol]: (target: number, spec: ProfileSpec) => RequestOf<P, 'SetChargingProfile'> } = {
  'ocpp1.6': setChargingProfile16,
  'ocpp2.0.1': setChargingProfile201,
  'ocpp2.1': setChargingProfile21,
};
