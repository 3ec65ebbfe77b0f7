/**
 * The simulated electrical side of one connector (EVSE with one connector in 2.0.1 terms). Pure data and
 * pure functions: the simulator decides when time passes and what is sent.
 */

/** What the connector is doing, in OCPP 1.6 ChargePointStatus terms (2.0.1 drivers map it). */
export type ConnectorStatus = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Finishing' | 'Unavailable' | 'Faulted';

export interface ConnectorState {
  id: number;
  status: ConnectorStatus;
  plugged: boolean;
  /** Tag authorized for the next/current transaction. */
  authorizedTag: string | undefined;
  /** Transaction id: a number from the 1.6 CSMS, a string chosen by the charger in 2.0.1. */
  transactionId: number | string | undefined;
  /** 2.0.1 TransactionEvent sequence number. */
  seqNo: number;
  /** The remoteStartId of a 2.0.1 RequestStartTransaction, echoed in the Started event. */
  remoteStartId: number | undefined;
  /** Energy register, Wh (monotonic, like a real meter). */
  energyWh: number;
  /** Register value when the transaction started. */
  meterStartWh: number;
  voltageV: number;
  currentA: number;
  powerW: number;
  /** Vehicle battery state of charge, %. */
  socPercent: number;
  /** Hardware maximum, A per phase. */
  maxCurrentA: number;
  /** Limit set by a charging profile, A per phase (undefined: none). */
  limitA: number | undefined;
  /** ChangeAvailability Inoperative. */
  inoperative: boolean;
}

/** Nominal phase voltage of the simulated 3-phase supply. */
export const NOMINAL_VOLTAGE = 230;
export const PHASES = 3;
/** Simulated EV battery capacity. */
export const BATTERY_WH = 60_000;

export function newConnector(id: number, maxCurrentA = 32): ConnectorState {
  return {
    id,
    status: 'Available',
    plugged: false,
    authorizedTag: undefined,
    transactionId: undefined,
    seqNo: 0,
    remoteStartId: undefined,
    energyWh: 0,
    meterStartWh: 0,
    voltageV: NOMINAL_VOLTAGE,
    currentA: 0,
    powerW: 0,
    socPercent: 20,
    maxCurrentA,
    limitA: undefined,
    inoperative: false,
  };
}

/** The current the EV draws now: the hardware maximum capped by the profile limit; 0 unless charging. */
export function drawnCurrent(c: ConnectorState): number {
  if (c.status !== 'Charging') return 0;
  return Math.max(0, Math.min(c.maxCurrentA, c.limitA ?? Infinity));
}

/**
 * Advances the connector by `seconds`: energy flows while charging; a full battery suspends (SuspendedEV);
 * a zero-ampere limit suspends on the EVSE side (SuspendedEVSE) and lifting it resumes.
 */
export function advance(c: ConnectorState, seconds: number): ConnectorState {
  const next = { ...c };
  if (next.transactionId !== undefined && next.plugged) {
    if (next.status === 'SuspendedEVSE' && (next.limitA ?? 1) > 0) next.status = 'Charging';
    if (next.status === 'Charging' && next.limitA === 0) next.status = 'SuspendedEVSE';
  }
  next.currentA = drawnCurrent(next);
  next.voltageV = NOMINAL_VOLTAGE - (next.currentA > 0 ? 2 : 0);
  next.powerW = Math.round(next.voltageV * next.currentA * PHASES);
  if (seconds > 0 && next.powerW > 0) {
    const wh = (next.powerW * seconds) / 3600;
    next.energyWh = Math.round((next.energyWh + wh) * 10) / 10;
    next.socPercent = Math.min(100, Math.round((next.socPercent + (wh / BATTERY_WH) * 100) * 100) / 100);
    if (next.socPercent >= 100) {
      next.status = 'SuspendedEV';
      next.currentA = 0;
      next.powerW = 0;
    }
  }
  return next;
}

/** The energy delivered in the running transaction, Wh. */
export function sessionEnergy(c: ConnectorState): number {
  return c.transactionId === undefined ? 0 : Math.round((c.energyWh - c.meterStartWh) * 10) / 10;
}

/** The status a connector rests in when nothing happens: plugged → Preparing, faulted/inoperative stay. */
export function idleStatus(c: ConnectorState): ConnectorStatus {
  if (c.status === 'Faulted') return 'Faulted';
  if (c.inoperative) return 'Unavailable';
  return c.plugged ? 'Preparing' : 'Available';
}
