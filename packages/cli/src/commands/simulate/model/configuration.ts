/** A configuration key (1.6) / component variable (2.0.1) the simulated charger exposes. */
export interface ConfigEntry {
  value: string;
  readonly: boolean;
  /** Validates a new value; returns false to reject it. */
  accepts?: (value: string) => boolean;
}

const positiveInteger = (v: string): boolean => /^\d+$/.test(v);
const boolean = (v: string): boolean => v === 'true' || v === 'false';

/** 1.6 configuration keys (OCPP 1.6 §9.1 core profile subset). */
export function ocpp16Configuration(connectors: number): Map<string, ConfigEntry> {
  return new Map<string, ConfigEntry>([
    ['HeartbeatInterval', { value: '300', readonly: false, accepts: positiveInteger }],
    ['MeterValueSampleInterval', { value: '60', readonly: false, accepts: positiveInteger }],
    ['MeterValuesSampledData', { value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC', readonly: false }],
    ['AuthorizeRemoteTxRequests', { value: 'false', readonly: false, accepts: boolean }],
    ['ConnectionTimeOut', { value: '60', readonly: false, accepts: positiveInteger }],
    ['NumberOfConnectors', { value: String(connectors), readonly: true }],
    ['SupportedFeatureProfiles', { value: 'Core,SmartCharging,RemoteTrigger', readonly: true }],
    ['ChargeProfileMaxStackLevel', { value: '8', readonly: true }],
  ]);
}

/** 2.0.1 variables keyed `Component/Variable` (2.0.1 Part 2 Appendix, controller components subset). */
export function ocpp201Variables(connectors: number): Map<string, ConfigEntry> {
  return new Map<string, ConfigEntry>([
    ['OCPPCommCtrlr/HeartbeatInterval', { value: '300', readonly: false, accepts: positiveInteger }],
    ['SampledDataCtrlr/TxUpdatedInterval', { value: '60', readonly: false, accepts: positiveInteger }],
    ['SampledDataCtrlr/TxUpdatedMeasurands', { value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC', readonly: false }],
    ['AuthCtrlr/AuthorizeRemoteStart', { value: 'false', readonly: false, accepts: boolean }],
    ['TxCtrlr/EVConnectionTimeOut', { value: '60', readonly: false, accepts: positiveInteger }],
    ['ChargingStation/AvailabilityState', { value: 'Available', readonly: true }],
    ['EVSE/Count', { value: String(connectors), readonly: true }],
  ]);
}
