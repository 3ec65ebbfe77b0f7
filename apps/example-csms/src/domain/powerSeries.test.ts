import { describe, expect, it } from 'vitest';
import type { MeterValueRecord } from '../store/records.js';
import { powerSeries } from './powerSeries.js';

let nextId = 1;
const sample = (timestamp: string, measurand: string, value: number, extra: Partial<MeterValueRecord> = {}): MeterValueRecord => ({
  id: nextId++, chargerId: 'CP', connectorId: 1, transactionId: 1, timestamp, measurand,
  phase: null, location: null, context: null, unit: measurand.startsWith('Energy') ? 'Wh' : 'W', value, rawValue: null, ...extra,
});
const t = (minute: number) => new Date(Date.UTC(2030, 0, 1, 12, minute)).toISOString();

describe('powerSeries', () => {
  it('uses the charger power samples and counts energy from the transaction start', () => {
    const points = powerSeries(
      [
        sample(t(1), 'Energy.Active.Import.Register', 1100), sample(t(1), 'Power.Active.Import', 7200),
        sample(t(2), 'Energy.Active.Import.Register', 1220), sample(t(2), 'Power.Active.Import', 7000),
        // Per-phase values are not the total and are ignored.
        sample(t(2), 'Power.Active.Import', 2400, { phase: 'L1' }),
      ],
      { at: t(0), meterStartWh: 1000 },
    );
    expect(points).toEqual([
      { at: t(0), kW: 0, energyWh: 0 },
      { at: t(1), kW: 7.2, energyWh: 100 },
      { at: t(2), kW: 7, energyWh: 220 },
    ]);
  });

  it('derives power from the energy register where the charger sends no power measurand', () => {
    const points = powerSeries([sample(t(1), 'Energy.Active.Import.Register', 1000), sample(t(3), 'Energy.Active.Import.Register', 1500)], { at: t(0), meterStartWh: null });
    // 500 Wh in 2 minutes = 15 kW; the first reading has no rate yet and anchors the chart at 0.
    expect(points).toEqual([{ at: t(1), kW: 0, energyWh: 0 }, { at: t(3), kW: 15, energyWh: 500 }]);
  });
});
