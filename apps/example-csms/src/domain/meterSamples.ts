import type { SampleInput } from '../store/records.js';

/** The measurand both 1.6 and 2.0.1 use by default and that transaction energy is computed from. */
export const ENERGY_REGISTER = 'Energy.Active.Import.Register';

/**
 * Converts a reading to the base unit where the unit is a known multiple (kWh → Wh, kW → W, kvarh → varh).
 * OCPP 1.6 §7.31 UnitOfMeasure / 2.0.1 UnitOfMeasureType.
 */
export function toBaseUnit(value: number, unit: string | undefined): { value: number; unit: string | undefined } {
  switch (unit) {
    case 'kWh':
      return { value: value * 1000, unit: 'Wh' };
    case 'kW':
      return { value: value * 1000, unit: 'W' };
    case 'kvarh':
      return { value: value * 1000, unit: 'varh' };
    case 'kvar':
      return { value: value * 1000, unit: 'var' };
    case 'kVA':
      return { value: value * 1000, unit: 'VA' };
    default:
      return { value, unit };
  }
}

/**
 * The energy register reading (Wh) in a set of samples: the total (no phase) import register at the
 * outlet, preferring a given context (e.g. `Transaction.Begin`), else the latest one.
 */
export function energyRegisterWh(samples: readonly SampleInput[], preferContext?: string): number | undefined {
  return energyRegisterReading(samples, preferContext)?.value ?? undefined;
}

/** The sample {@link energyRegisterWh} reads its value from (its timestamp orders readings from several nodes). */
export function energyRegisterReading(samples: readonly SampleInput[], preferContext?: string): SampleInput | undefined {
  const candidates = samples.filter(
    (s) =>
      s.measurand === ENERGY_REGISTER &&
      s.value !== null &&
      s.phase === undefined &&
      (s.location === undefined || s.location === 'Outlet') &&
      (s.unit === undefined || s.unit === 'Wh'),
  );
  if (candidates.length === 0) return undefined;
  const preferred = preferContext === undefined ? [] : candidates.filter((s) => s.context === preferContext);
  const pool = preferred.length > 0 ? preferred : candidates;
  let best = pool[0] as SampleInput;
  for (const s of pool) if (s.timestamp >= best.timestamp) best = s;
  return best;
}
