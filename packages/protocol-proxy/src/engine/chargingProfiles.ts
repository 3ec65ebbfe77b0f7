import type { Req16, Req201 } from '../wire/types.js';
import { notSupported } from './errors.js';
import { defined, type TranslatorEnv } from './plan.js';

export type ChargingProfile201 = Req201<'SetChargingProfile'>['chargingProfile'];
export type ChargingProfile16 = Req16<'SetChargingProfile'>['csChargingProfiles'];
export type Purpose201 = ChargingProfile201['chargingProfilePurpose'];
export type Purpose16 = ChargingProfile16['chargingProfilePurpose'];

/** ChargingStationMaxProfile ⇄ ChargePointMaxProfile; ChargingStationExternalConstraints has no 1.6 counterpart. */
export function toPurpose16(action: string, purpose: Purpose201): Purpose16 {
  switch (purpose) {
    case 'ChargingStationMaxProfile':
      return 'ChargePointMaxProfile';
    case 'ChargingStationExternalConstraints':
      throw notSupported(action, 'charging profile purpose ChargingStationExternalConstraints has no OCPP 1.6 counterpart');
    default:
      return purpose;
  }
}

/**
 * 2.0.1 charging profile → 1.6. 1.6 carries exactly one schedule, no sales tariff and no phaseToUse; anything
 * else cannot be represented and is NotSupported. A transactionId is mapped to the proxy's 1.6 integer.
 */
export async function toChargingProfile16(action: string, profile: ChargingProfile201, env: TranslatorEnv): Promise<ChargingProfile16> {
  if (profile.chargingSchedule.length !== 1) {
    throw notSupported(action, `a 1.6 charging profile holds one schedule, this one has ${profile.chargingSchedule.length}`);
  }
  const [schedule] = profile.chargingSchedule;
  if (!schedule) throw notSupported(action, 'charging profile without a schedule');
  if (schedule.salesTariff !== undefined) throw notSupported(action, 'salesTariff has no OCPP 1.6 counterpart');
  if (schedule.chargingSchedulePeriod.some((period) => period.phaseToUse !== undefined)) {
    throw notSupported(action, 'phaseToUse has no OCPP 1.6 counterpart');
  }
  let transactionId: number | undefined;
  if (profile.transactionId !== undefined) {
    const tx = await env.store.getTransactionBy201(env.identity, profile.transactionId);
    if (!tx) throw notSupported(action, `transaction ${profile.transactionId} is not known to the proxy`, { transactionId: profile.transactionId });
    transactionId = tx.id16;
  }
  return defined({
    chargingProfileId: profile.id,
    transactionId,
    stackLevel: profile.stackLevel,
    chargingProfilePurpose: toPurpose16(action, profile.chargingProfilePurpose),
    chargingProfileKind: profile.chargingProfileKind,
    recurrencyKind: profile.recurrencyKind,
    validFrom: profile.validFrom,
    validTo: profile.validTo,
    chargingSchedule: defined({
      duration: schedule.duration,
      startSchedule: schedule.startSchedule,
      chargingRateUnit: schedule.chargingRateUnit,
      chargingSchedulePeriod: schedule.chargingSchedulePeriod.map((period) =>
        defined({ startPeriod: period.startPeriod, limit: period.limit, numberPhases: period.numberPhases }),
      ),
      minChargingRate: schedule.minChargingRate,
    }),
  });
}
