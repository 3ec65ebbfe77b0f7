import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { toChargingProfile16, toPurpose16 } from '../chargingProfiles.js';
import { TranslationError, truncate } from '../errors.js';
import { defined, local, nonEmpty, single, type ActionTranslator } from '../plan.js';

/**
 * SetChargingProfile {evseId, chargingProfile} → {connectorId, csChargingProfiles}; 1.6 NotSupported → Rejected.
 * A profile a 1.6 charger cannot hold (purpose ChargingStationExternalConstraints, K01.FR.22; several schedules,
 * salesTariff, phaseToUse, an unknown transaction) is answered Rejected, the status K01 defines, with the reason.
 */
export const setChargingProfile: ActionTranslator<Req201<'SetChargingProfile'>> = async (p, env) => {
  let csChargingProfiles;
  try {
    csChargingProfiles = await toChargingProfile16('SetChargingProfile', p.chargingProfile, env);
  } catch (err) {
    if (!(err instanceof TranslationError) || err.code !== 'NotSupported') throw err;
    const description = err.description;
    return local((): Res201<'SetChargingProfile'> => ({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: truncate(description, 512) } }));
  }
  return single<Res16<'SetChargingProfile'>>('SetChargingProfile', { connectorId: p.evseId, csChargingProfiles }, (r): Res201<'SetChargingProfile'> =>
    r.status === 'NotSupported' ? { status: 'Rejected', statusInfo: { reasonCode: 'NotSupported' } } : { status: r.status },
  );
};

/** ClearChargingProfile; criteria for ChargingStationExternalConstraints match nothing a 1.6 charger holds: Unknown. */
export const clearChargingProfile: ActionTranslator<Req201<'ClearChargingProfile'>> = async (p) => {
  const criteria = p.chargingProfileCriteria;
  if (criteria?.chargingProfilePurpose === 'ChargingStationExternalConstraints') {
    return local((): Res201<'ClearChargingProfile'> => ({ status: 'Unknown' }));
  }
  return single<Res16<'ClearChargingProfile'>>(
    'ClearChargingProfile',
    defined({
      id: p.chargingProfileId,
      connectorId: criteria?.evseId,
      chargingProfilePurpose: criteria?.chargingProfilePurpose ? toPurpose16('ClearChargingProfile', criteria.chargingProfilePurpose) : undefined,
      stackLevel: criteria?.stackLevel,
    }),
    (r): Res201<'ClearChargingProfile'> => ({ status: r.status }),
  );
};

/** 1.6 leaves numberPhases unbounded; an AC supply has 1–3 phases (and 2.1 enforces it). */
function phases(n: number | undefined): number | undefined {
  return n !== undefined && n >= 1 && n <= 3 ? n : undefined;
}

/** GetCompositeSchedule: evseId → connectorId; the 1.6 answer becomes the 2.0.1 `schedule` object. */
export const getCompositeSchedule: ActionTranslator<Req201<'GetCompositeSchedule'>> = async (p, env) =>
  single<Res16<'GetCompositeSchedule'>>(
    'GetCompositeSchedule',
    defined({ connectorId: p.evseId, duration: p.duration, chargingRateUnit: p.chargingRateUnit }),
    (r): Res201<'GetCompositeSchedule'> => {
      const schedule = r.chargingSchedule;
      if (schedule?.chargingSchedulePeriod.some((period) => period.numberPhases !== undefined && phases(period.numberPhases) === undefined)) {
        env.note('GetCompositeSchedule: numberPhases outside 1–3 left out');
      }
      if (r.status !== 'Accepted' || !schedule || schedule.chargingSchedulePeriod.length === 0) {
        if (r.status === 'Accepted' && schedule) env.note('GetCompositeSchedule: empty 1.6 schedule answered without `schedule`');
        return { status: r.status };
      }
      return {
        status: r.status,
        schedule: {
          evseId: r.connectorId ?? p.evseId,
          duration: schedule.duration ?? p.duration,
          // 1.6 §6.24: scheduleStart is the start of the composite schedule; fall back to the schedule's own start.
          scheduleStart: r.scheduleStart ?? schedule.startSchedule ?? env.now().toISOString(),
          chargingRateUnit: schedule.chargingRateUnit,
          chargingSchedulePeriod: nonEmpty(
            schedule.chargingSchedulePeriod.map((period) =>
              defined({ startPeriod: period.startPeriod, limit: period.limit, numberPhases: phases(period.numberPhases) }),
            ),
            'chargingSchedulePeriod',
          ),
        },
      };
    },
  );
