import type { ChargerRecord, ConnectorRecord } from '../store/records.js';

/** The REST shape of a charger: never includes the password or its hash, only whether one is set. */
export function chargerView(charger: ChargerRecord, connectors: readonly ConnectorRecord[]): Record<string, unknown> {
  return {
    id: charger.id,
    registrationStatus: charger.registrationStatus,
    description: charger.description,
    authentication: charger.hasPassword ? 'basic' : 'none',
    connected: charger.connected,
    protocol: charger.protocol,
    nodeId: charger.nodeId,
    connectedAt: charger.connectedAt,
    disconnectedAt: charger.disconnectedAt,
    lastBootAt: charger.lastBootAt,
    lastHeartbeatAt: charger.lastHeartbeatAt,
    vendor: charger.vendor,
    model: charger.model,
    serialNumber: charger.serialNumber,
    firmwareVersion: charger.firmwareVersion,
    connectors: connectors.map((c) => ({
      connectorId: c.connectorId,
      status: c.status,
      errorCode: c.errorCode,
      info: c.info,
      statusAt: c.statusAt,
    })),
    createdAt: charger.createdAt,
    updatedAt: charger.updatedAt,
  };
}
