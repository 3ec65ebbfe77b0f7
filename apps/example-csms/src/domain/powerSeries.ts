import type { MeterValueRecord } from '../store/records.js';
import { ENERGY_REGISTER } from './meterSamples.js';

/** One point of a transaction's power chart. */
export interface PowerPoint {
  at: string;
  /** Active import power in kW: the charger's `Power.Active.Import` sample, else derived from the energy register. */
  kW: number;
  /** Energy delivered since the transaction started, when known. */
  energyWh?: number;
}

const POWER = 'Power.Active.Import';
/** Totals only: per-phase samples and samples at the EV or grid side would be counted twice. */
const isTotal = (s: MeterValueRecord): boolean => s.phase === null && (s.location === null || s.location === 'Outlet') && s.value !== null;

/**
 * A transaction's power over time from its meter values (OCPP 1.6 MeterValues/Start/StopTransaction,
 * 2.0.1 TransactionEvent meterValue). Samples are grouped by timestamp; where a charger reports no power
 * measurand, power is the energy register's rise over the time since the previous reading.
 */
export function powerSeries(samples: readonly MeterValueRecord[], start: { at: string; meterStartWh: number | null }): PowerPoint[] {
  const byTime = new Map<string, { power?: number; energy?: number }>();
  for (const s of samples) {
    if (!isTotal(s)) continue;
    const slot = byTime.get(s.timestamp) ?? {};
    if (s.measurand === POWER && (s.unit === null || s.unit === 'W')) slot.power = s.value as number;
    else if (s.measurand === ENERGY_REGISTER && (s.unit === null || s.unit === 'Wh')) slot.energy = s.value as number;
    else continue;
    byTime.set(s.timestamp, slot);
  }
  const times = [...byTime.keys()].sort();
  const points: PowerPoint[] = [];
  const startWh = start.meterStartWh ?? byTime.get(times[0] ?? '')?.energy;
  // The transaction's start reading is where the first rate is measured from.
  let previous = start.meterStartWh === null ? undefined : { t: Date.parse(start.at), energy: start.meterStartWh };
  if (previous !== undefined && !byTime.has(start.at)) points.push({ at: start.at, kW: 0, energyWh: 0 });
  for (const at of times) {
    const slot = byTime.get(at) as { power?: number; energy?: number };
    const t = Date.parse(at);
    if (t < (previous?.t ?? -Infinity)) continue;
    let kW = slot.power === undefined ? undefined : slot.power / 1000;
    if (kW === undefined && slot.energy !== undefined && previous !== undefined && t > previous.t) {
      kW = Math.max(0, (slot.energy - previous.energy) / ((t - previous.t) / 3_600_000) / 1000);
    }
    if (slot.energy !== undefined) previous = { t, energy: slot.energy };
    if (kW === undefined) {
      // The first energy reading (or one at the same instant) has no rate yet: a zero point anchors the chart.
      if (points.length > 0 || slot.energy === undefined) continue;
      kW = 0;
    }
    const point: PowerPoint = { at, kW: Math.round(kW * 1000) / 1000 };
    if (slot.energy !== undefined && startWh !== undefined) point.energyWh = slot.energy - startWh;
    points.push(point);
  }
  return points;
}
