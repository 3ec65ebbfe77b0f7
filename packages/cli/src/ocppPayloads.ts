/**
 * Minimal valid request payloads the raw tools send, per protocol family. They follow the official
 * schemas (1.6: BootNotification.req / MeterValues.req; 2.x: BootNotificationRequest / MeterValuesRequest).
 */
export function isOcpp16(protocol: string): boolean {
  return protocol === 'ocpp1.6';
}

/** BootNotification request for a tool-generated charger. */
export function bootNotificationPayload(protocol: string, model: string): Record<string, unknown> {
  return isOcpp16(protocol)
    ? { chargePointVendor: 'chargewire', chargePointModel: model }
    : { reason: 'PowerUp', chargingStation: { vendorName: 'chargewire', model } };
}

/** A MeterValues request with one energy sample for connector / EVSE 1. */
export function meterValuesPayload(protocol: string, energyWh: number, timestamp = new Date()): Record<string, unknown> {
  const at = timestamp.toISOString();
  return isOcpp16(protocol)
    ? {
        connectorId: 1,
        meterValue: [{ timestamp: at, sampledValue: [{ value: String(energyWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      }
    : {
        evseId: 1,
        meterValue: [{ timestamp: at, sampledValue: [{ value: energyWh, measurand: 'Energy.Active.Import.Register' }] }],
      };
}

/** The CALLERROR code for "not implemented", identical in every version. */
export const NOT_IMPLEMENTED = 'NotImplemented';
