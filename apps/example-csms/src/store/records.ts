/** Registration state of a charger, as answered in BootNotification (same spelling in 1.6 and 2.0.1). */
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export const REGISTRATION_STATUSES: readonly RegistrationStatus[] = ['Accepted', 'Pending', 'Rejected'];

/** Status of an id tag in the local table (the 1.6 AuthorizationStatus values that a table can hold). */
export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';
export const ID_TAG_STATUSES: readonly IdTagStatus[] = ['Accepted', 'Blocked', 'Expired', 'Invalid'];

/** A charger as stored. The password hash never leaves the store layer through this type. */
export interface ChargerRecord {
  id: string;
  hasPassword: boolean;
  registrationStatus: RegistrationStatus;
  description: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  /** Protocol of the current (or last) connection. */
  protocol: string | null;
  /** Node that holds the current connection; null when disconnected. */
  nodeId: string | null;
  connected: boolean;
  connectedAt: string | null;
  disconnectedAt: string | null;
  lastBootAt: string | null;
  lastHeartbeatAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectorRecord {
  chargerId: string;
  /** 1.6 connectorId, or 2.0.1 evseId (one connector per EVSE is the common case). 0 = the whole charger. */
  connectorId: number;
  status: string;
  errorCode: string | null;
  info: string | null;
  statusAt: string;
}

export interface IdTagRecord {
  idTag: string;
  status: IdTagStatus;
  expiryDate: string | null;
  parentIdTag: string | null;
  description: string | null;
  createdAt: string;
}

/**
 * Who ended a transaction: the charger (StopTransaction / TransactionEvent Ended), the CSMS (refused at
 * start, superseded on its connector, reconciled after a reboot or an Available connector) or an operator.
 */
export type TransactionClosedBy = 'charger' | 'csms' | 'operator';

export interface TransactionRecord {
  /** CSMS-wide id; for 1.6 chargers this is also the OCPP transactionId. */
  id: number;
  chargerId: string;
  /** The id the charger uses: the 1.6 integer as a string, or the 2.0.1 transactionId. */
  ocppTransactionId: string;
  protocol: string;
  connectorId: number;
  idTag: string | null;
  authStatus: string | null;
  remoteStartId: number | null;
  startedAt: string;
  stoppedAt: string | null;
  active: boolean;
  meterStartWh: number | null;
  meterStopWh: number | null;
  lastMeterWh: number | null;
  /** Energy delivered so far (or in total once stopped), in Wh. */
  energyWh: number;
  stopReason: string | null;
  chargingState: string | null;
  /** null while the transaction is open. */
  closedBy: TransactionClosedBy | null;
  updatedAt: string;
}

export interface MeterValueRecord {
  id: number;
  chargerId: string;
  connectorId: number;
  transactionId: number | null;
  timestamp: string;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  unit: string | null;
  value: number | null;
  /** Set when the value is not a plain number (1.6 SignedData, for example). */
  rawValue: string | null;
}

/** One sampled value normalised by the OCPP layer: numeric values in the unit named in `unit`. */
export interface SampleInput {
  timestamp: string;
  measurand: string;
  phase?: string | undefined;
  location?: string | undefined;
  context?: string | undefined;
  unit?: string | undefined;
  value: number | null;
  rawValue?: string | undefined;
}
