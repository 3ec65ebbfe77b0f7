import type { Req16, Req201 } from '../wire/types.js';
import { TranslationError } from './errors.js';
import { defined, nonEmpty, type TranslatorEnv } from './plan.js';

export type MeterValue16 = Req16<'MeterValues'>['meterValue'][number];
export type SampledValue16 = MeterValue16['sampledValue'][number];
export type MeterValue201 = Req201<'MeterValues'>['meterValue'][number];
export type SampledValue201 = MeterValue201['sampledValue'][number];
type Measurand201 = NonNullable<SampledValue201['measurand']>;

/** 1.6 measurands missing from 2.0.1 (its MeasurandEnumType dropped them). */
const UNMAPPABLE_MEASURANDS = new Set(['Temperature', 'RPM']);
const KILO_UNITS: Record<string, string> = { kWh: 'Wh', kvarh: 'varh', kW: 'W', kVA: 'VA', kvar: 'var' };
/** A decimal number as 1.6 meters write it; Number('') would be 0, so the empty string must not pass. */
const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

function unitOfMeasure(unit: SampledValue16['unit'], env: TranslatorEnv): SampledValue201['unitOfMeasure'] {
  if (unit === undefined) return undefined;
  // 1.6 spells Celsius "Celcius" in its enum; 2.0.1 uses the standard spelling.
  if (unit === 'Celcius') return { unit: 'Celsius', multiplier: 0 };
  const base = KILO_UNITS[unit];
  if (base !== undefined && env.policy.kiloUnits === 'multiplier') return { unit: base, multiplier: 3 };
  return { unit, multiplier: 0 };
}

function numeric(value: string, where: string): number {
  const n = NUMERIC.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new TranslationError('FormatViolation', `${where}: sampled value "${value.slice(0, 40)}" is not a number`, { pointer: where });
  }
  return n;
}

function sameQuantity(a: SampledValue16, b: SampledValue16): boolean {
  return a.measurand === b.measurand && a.phase === b.phase && a.location === b.location && a.context === b.context;
}

function unmappable(env: TranslatorEnv, action: string, what: string): void {
  if (env.policy.unmappableSamples === 'reject') throw new TranslationError('NotSupported', `${action}: ${what}`, { action });
  env.note(`${what}; left out`);
}

/**
 * 1.6 meterValue list → 2.0.1. Values become numbers; units become unitOfMeasure; SignedData samples become the
 * signedMeterValue of the Raw sample of the same quantity. Entries left with no sample are removed.
 */
export function toMeterValues201(list: readonly MeterValue16[], env: TranslatorEnv, action: string): MeterValue201[] {
  const out: MeterValue201[] = [];
  list.forEach((mv, i) => {
    const raw = mv.sampledValue.filter((s) => s.format !== 'SignedData');
    const signed = mv.sampledValue.filter((s) => s.format === 'SignedData');
    const samples: SampledValue201[] = [];
    const sources: SampledValue16[] = [];
    raw.forEach((s, j) => {
      if (s.measurand !== undefined && UNMAPPABLE_MEASURANDS.has(s.measurand)) {
        unmappable(env, action, `meterValue[${i}] measurand ${s.measurand} does not exist in OCPP 2.0.1`);
        return;
      }
      samples.push(
        defined({
          value: numeric(s.value, `/meterValue/${i}/sampledValue/${j}/value`),
          context: s.context,
          measurand: s.measurand as Measurand201 | undefined,
          phase: s.phase,
          location: s.location,
          unitOfMeasure: unitOfMeasure(s.unit, env),
        }),
      );
      sources.push(s);
    });
    for (const s of signed) {
      const index = sources.findIndex((r, k) => sameQuantity(r, s) && samples[k]?.signedMeterValue === undefined);
      const target = index >= 0 ? samples[index] : undefined;
      if (!target) {
        unmappable(env, action, `meterValue[${i}] SignedData sample has no Raw sample of the same quantity to carry it`);
        continue;
      }
      // 1.6 does not say how the blob is signed or encoded; 2.0.1 requires the fields, so they are left empty.
      target.signedMeterValue = { signedMeterData: s.value, signingMethod: '', encodingMethod: '', publicKey: '' };
    }
    if (samples.length > 0) out.push({ timestamp: mv.timestamp, sampledValue: nonEmpty(samples, 'sampledValue') });
  });
  return out;
}

/** The meter register reading a 1.6 Start/StopTransaction carries, as a 2.0.1 meter value. */
export function registerReading(
  timestamp: string,
  wh: number,
  context: 'Transaction.Begin' | 'Transaction.End',
): MeterValue201 {
  return {
    timestamp,
    sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 0 } }],
  };
}
