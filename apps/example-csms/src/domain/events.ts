import type { ConnectorRecord, TransactionRecord } from '../store/records.js';

/** What the dashboard (Server-Sent Events) and cluster peers hear about. */
export type CsmsEvent =
  | { type: 'charger.connected'; chargerId: string; protocol: string; nodeId: string }
  | { type: 'charger.disconnected'; chargerId: string; nodeId: string; code: number }
  | { type: 'charger.updated'; chargerId: string }
  | { type: 'connector.status'; connector: ConnectorRecord }
  | { type: 'transaction.started' | 'transaction.updated' | 'transaction.stopped'; transaction: TransactionRecord };

export type CsmsEventType = CsmsEvent['type'];
