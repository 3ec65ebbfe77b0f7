import type { Ocpp16, Ocpp201 } from '@chargewire/ocpp-types';
import { ENERGY_REGISTER, toBaseUnit } from '../domain/meterSamples.js';
import type { SampleInput } from '../store/records.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * 1.6 MeterValue[] → samples. Values are decimal strings (1.6 §7.45 SampledValue); defaults:
 * measurand Energy.Active.Import.Register, unit Wh. SignedData is kept as raw text, not parsed.
 */
export function samplesFrom16(meterValues: readonly Ocpp16.MeterValuesRequest['meterValue'][number][]): SampleInput[] {
  const out: SampleInput[] = [];
  for (const mv of meterValues) {
    for (const sv of mv.sampledValue) {
      const numeric = sv.format !== 'SignedData' && NUMBER.test(sv.value.trim());
      const base = numeric ? toBaseUnit(Number(sv.value), sv.unit ?? 'Wh') : { value: null, unit: sv.unit };
      out.push({
        timestamp: new Date(mv.timestamp).toISOString(),
        measurand: sv.measurand ?? ENERGY_REGISTER,
        phase: sv.phase,
        location: sv.location,
        context: sv.context,
        unit: base.unit,
        value: base.value,
        rawValue: numeric ? undefined : sv.value,
      });
    }
  }
  return out;
}

/** 2.0.1 MeterValueType[] → samples: value × 10^multiplier (UnitOfMeasureType), unit default Wh. */
export function samplesFrom201(meterValues: readonly Ocpp201.MeterValueType[] | undefined): SampleInput[] {
  const out: SampleInput[] = [];
  for (const mv of meterValues ?? []) {
    for (const sv of mv.sampledValue) {
      const scaled = sv.value * 10 ** (sv.unitOfMeasure?.multiplier ?? 0);
      const base = toBaseUnit(scaled, sv.unitOfMeasure?.unit ?? 'Wh');
      out.push({
        timestamp: new Date(mv.timestamp).toISOString(),
        measurand: sv.measurand ?? ENERGY_REGISTER,
        phase: sv.phase,
        location: sv.location,
        context: sv.context,
        unit: base.unit,
        value: Number.isFinite(base.value) ? base.value : null,
        rawValue: sv.signedMeterValue?.signedMeterData,
      });
    }
  }
  return out;
}
