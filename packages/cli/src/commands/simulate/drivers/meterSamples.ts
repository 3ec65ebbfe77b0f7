import type { ConnectorState } from '../model/connector.js';

/** One reading of the simulated meter, independent of the OCPP version. */
export interface Sample {
  measurand: 'Energy.Active.Import.Register' | 'Power.Active.Import' | 'Current.Import' | 'Voltage' | 'SoC';
  value: number;
  unit: 'Wh' | 'W' | 'A' | 'V' | 'Percent';
  location: 'Outlet' | 'EV';
}

/** The readings of a connector; SoC only while a vehicle is connected. */
export function samplesOf(c: ConnectorState): Sample[] {
  const samples: Sample[] = [
    { measurand: 'Energy.Active.Import.Register', value: Math.round(c.energyWh), unit: 'Wh', location: 'Outlet' },
    { measurand: 'Power.Active.Import', value: c.powerW, unit: 'W', location: 'Outlet' },
    { measurand: 'Current.Import', value: c.currentA, unit: 'A', location: 'Outlet' },
    { measurand: 'Voltage', value: c.voltageV, unit: 'V', location: 'Outlet' },
  ];
  if (c.plugged) samples.push({ measurand: 'SoC', value: Math.round(c.socPercent), unit: 'Percent', location: 'EV' });
  return samples;
}
