import type { ConnectorState } from '../model/connector.js';
import type { ConfigEntry } from '../model/configuration.js';

/** Result of a simulator operation or a CALL it made. */
export interface Outcome {
  ok: boolean;
  /** What happened, for the log (`StartTransaction accepted, transaction 12`). */
  detail: string;
}

/** The answer of the CSMS to a CALL: its result payload, or a failure description. */
export type CallOutcome = { ok: true; result: Record<string, unknown>; queued?: boolean } | { ok: false; error: string };

/** Why a transaction ends (1.6 Reason / 2.0.1 ReasonEnumType share these names). */
export type StopReason = 'Local' | 'Remote' | 'EVDisconnected' | 'EmergencyStop' | 'DeAuthorized' | 'HardReset' | 'SoftReset' | 'UnlockCommand' | 'Reboot' | 'ImmediateReset';

/** What a protocol driver can use of the simulator. */
export interface SimulatorHost {
  readonly identity: string;
  readonly connectors: readonly ConnectorState[];
  readonly config: Map<string, ConfigEntry>;
  connector(id: number): ConnectorState | undefined;
  update(id: number, patch: Partial<ConnectorState>): ConnectorState;
  /** Sends a CALL (queued while offline when `queueOffline`); never throws. */
  call(action: string, payload: Record<string, unknown>, queueOffline?: boolean): Promise<CallOutcome>;
  /** Registers the answer to a CSMS command. */
  handle(action: string, handler: (params: Record<string, unknown>) => unknown): void;
  /** Runs an operation right after the current CSMS command has been answered. */
  later(task: () => Promise<unknown>): void;
  info(text: string): void;
  /** Operations a CSMS command may trigger. */
  ops: {
    start(connectorId: number, tag: string, remote?: { remoteStartId?: number }): Promise<Outcome>;
    stop(connectorId: number, reason: StopReason): Promise<Outcome>;
    status(connectorId: number): Promise<Outcome>;
    meter(connectorId: number): Promise<Outcome>;
    boot(): Promise<Outcome>;
    heartbeat(): Promise<Outcome>;
    reset(hard: boolean): Promise<Outcome>;
    setAvailability(connectorId: number, operative: boolean): Promise<Outcome>;
    setLimit(connectorId: number, limitA: number | undefined): void;
    unlock(connectorId: number): Promise<Outcome>;
    authorize(tag: string): Promise<Outcome>;
    configChanged(key: string): void;
  };
}

/** The version-specific messages of the simulated charger. */
export interface ProtocolDriver {
  readonly protocol: 'ocpp1.6' | 'ocpp2.0.1';
  boot(host: SimulatorHost): Promise<Outcome & { intervalS?: number }>;
  status(host: SimulatorHost, c: ConnectorState): Promise<Outcome>;
  authorize(host: SimulatorHost, tag: string): Promise<Outcome>;
  startTransaction(host: SimulatorHost, c: ConnectorState, tag: string, remote?: { remoteStartId?: number }): Promise<Outcome>;
  stopTransaction(host: SimulatorHost, c: ConnectorState, reason: StopReason): Promise<Outcome>;
  meterValues(host: SimulatorHost, c: ConnectorState): Promise<Outcome>;
  heartbeat(host: SimulatorHost): Promise<Outcome>;
  /** Installs the answers to CSMS commands. */
  install(host: SimulatorHost): void;
  /** Configuration key of the heartbeat interval and of the meter sample interval. */
  readonly heartbeatKey: string;
  readonly sampleIntervalKey: string;
}

/** The id tag status of an authorization answer (1.6 idTagInfo / 2.0.1 idTokenInfo). */
export function tagStatus(result: Record<string, unknown>, field: 'idTagInfo' | 'idTokenInfo'): string | undefined {
  const info = result[field];
  return typeof info === 'object' && info !== null ? String((info as Record<string, unknown>)['status']) : undefined;
}

/** A charging-schedule period limit converted to amperes per phase. */
export function limitToAmps(limit: number, unit: string, phases = 3, voltage = 230): number {
  return unit === 'W' ? Math.round((limit / (voltage * phases)) * 10) / 10 : limit;
}
