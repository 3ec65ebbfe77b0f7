import { randomUUID } from 'node:crypto';
import type { ConnectorState, ConnectorStatus } from '../model/connector.js';
import { limitToAmps, tagStatus, type Outcome, type ProtocolDriver, type SimulatorHost, type StopReason } from './driver.js';
import { samplesOf } from './meterSamples.js';

type Params = Record<string, unknown>;
const now = (): string => new Date().toISOString();

function failed(action: string, error: string): Outcome {
  return { ok: false, detail: `${action} failed: ${error}` };
}

/** 2.0.1 ConnectorStatusEnumType for the model's (1.6-style) status. */
export function connectorStatus201(status: ConnectorStatus): string {
  switch (status) {
    case 'Available':
    case 'Unavailable':
    case 'Faulted':
      return status;
    default:
      return 'Occupied';
  }
}

/** 2.0.1 ChargingStateEnumType of a connector in a transaction. */
function chargingState(c: ConnectorState): string {
  if (c.status === 'Charging') return 'Charging';
  if (c.status === 'SuspendedEV') return 'SuspendedEV';
  if (c.status === 'SuspendedEVSE') return 'SuspendedEVSE';
  return c.plugged ? 'EVConnected' : 'Idle';
}

const STOPPED: Record<StopReason, { stoppedReason: string; triggerReason: string }> = {
  Local: { stoppedReason: 'Local', triggerReason: 'StopAuthorized' },
  Remote: { stoppedReason: 'Remote', triggerReason: 'RemoteStop' },
  EVDisconnected: { stoppedReason: 'EVDisconnected', triggerReason: 'EVCommunicationLost' },
  EmergencyStop: { stoppedReason: 'EmergencyStop', triggerReason: 'AbnormalCondition' },
  DeAuthorized: { stoppedReason: 'DeAuthorized', triggerReason: 'Deauthorized' },
  HardReset: { stoppedReason: 'ImmediateReset', triggerReason: 'ResetCommand' },
  SoftReset: { stoppedReason: 'Reboot', triggerReason: 'ResetCommand' },
  ImmediateReset: { stoppedReason: 'ImmediateReset', triggerReason: 'ResetCommand' },
  Reboot: { stoppedReason: 'Reboot', triggerReason: 'ResetCommand' },
  UnlockCommand: { stoppedReason: 'Other', triggerReason: 'UnlockCommand' },
};

function meterValue(c: ConnectorState, context = 'Sample.Periodic'): Params {
  return {
    timestamp: now(),
    sampledValue: samplesOf(c).map((s) => ({ value: s.value, context, measurand: s.measurand, location: s.location, unitOfMeasure: { unit: s.unit } })),
  };
}

function idToken(tag: string): Params {
  return { idToken: tag, type: 'ISO14443' };
}

/** Sends a TransactionEvent and bumps the connector's sequence number (2.0.1 E01: seqNo increments per event). */
async function transactionEvent(host: SimulatorHost, c: ConnectorState, body: Params): Promise<ReturnType<SimulatorHost['call']>> {
  const seqNo = c.seqNo;
  host.update(c.id, { seqNo: seqNo + 1 });
  return host.call('TransactionEvent', { timestamp: now(), seqNo, evse: { id: c.id, connectorId: 1 }, ...body }, true);
}

function evseTargets(host: SimulatorHost, evse: unknown): ConnectorState[] | undefined {
  if (typeof evse !== 'object' || evse === null) return [...host.connectors];
  const c = host.connector(Number((evse as Params)['id']));
  return c ? [c] : undefined;
}

/** OCPP 2.0.1 charging station (one connector per EVSE). */
export const ocpp201Driver: ProtocolDriver = {
  protocol: 'ocpp2.0.1',
  heartbeatKey: 'OCPPCommCtrlr/HeartbeatInterval',
  sampleIntervalKey: 'SampledDataCtrlr/TxUpdatedInterval',

  async boot(host) {
    const r = await host.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'simulator', vendorName: 'chargewire', serialNumber: host.identity.slice(0, 25), firmwareVersion: '1.0.0' },
    });
    if (!r.ok) return failed('BootNotification', r.error);
    const status = String(r.result['status']);
    const intervalS = Number(r.result['interval']);
    return status === 'Accepted'
      ? { ok: true, detail: `BootNotification accepted, heartbeat every ${intervalS} s`, intervalS }
      : { ok: false, detail: `BootNotification ${status}` };
  },

  async status(host, c) {
    const r = await host.call('StatusNotification', { timestamp: now(), connectorStatus: connectorStatus201(c.status), evseId: c.id, connectorId: 1 });
    return r.ok ? { ok: true, detail: `EVSE ${c.id} ${connectorStatus201(c.status)} (${c.status})` } : failed('StatusNotification', r.error);
  },

  async authorize(host, tag) {
    const r = await host.call('Authorize', { idToken: idToken(tag) });
    if (!r.ok) return failed('Authorize', r.error);
    const status = tagStatus(r.result, 'idTokenInfo');
    return status === 'Accepted' ? { ok: true, detail: `token ${tag} accepted` } : { ok: false, detail: `token ${tag} ${status ?? 'not accepted'}` };
  },

  async startTransaction(host, c, tag, remote) {
    // 2.0.1: the charging station chooses the transaction id (max 36 characters).
    const transactionId = randomUUID();
    const started = host.update(c.id, { transactionId, status: 'Charging' });
    const r = await transactionEvent(host, started, {
      eventType: 'Started',
      triggerReason: remote ? 'RemoteStart' : 'Authorized',
      transactionInfo: { transactionId, chargingState: 'Charging', ...(remote?.remoteStartId !== undefined ? { remoteStartId: remote.remoteStartId } : {}) },
      idToken: idToken(tag),
      meterValue: [meterValue(started, 'Transaction.Begin')],
    });
    if (!r.ok) {
      host.update(c.id, { transactionId: undefined, status: c.status });
      return failed('TransactionEvent(Started)', r.error);
    }
    const status = tagStatus(r.result, 'idTokenInfo');
    if (status !== undefined && status !== 'Accepted') {
      await host.ops.stop(c.id, 'DeAuthorized');
      return { ok: false, detail: `TransactionEvent: token ${tag} ${status}, transaction stopped` };
    }
    return { ok: true, detail: `transaction ${transactionId} started${r.queued ? ' offline' : ''}` };
  },

  async stopTransaction(host, c, reason) {
    const { stoppedReason, triggerReason } = STOPPED[reason];
    const r = await transactionEvent(host, c, {
      eventType: 'Ended',
      triggerReason,
      transactionInfo: { transactionId: String(c.transactionId), chargingState: chargingState(c), stoppedReason },
      ...(c.authorizedTag && reason === 'Local' ? { idToken: idToken(c.authorizedTag) } : {}),
      meterValue: [meterValue(c, 'Transaction.End')],
    });
    return r.ok ? { ok: true, detail: `transaction ${String(c.transactionId)} ended (${stoppedReason})` } : failed('TransactionEvent(Ended)', r.error);
  },

  async meterValues(host, c) {
    const r =
      c.transactionId !== undefined
        ? await transactionEvent(host, c, {
            eventType: 'Updated',
            triggerReason: 'MeterValuePeriodic',
            transactionInfo: { transactionId: String(c.transactionId), chargingState: chargingState(c) },
            meterValue: [meterValue(c)],
          })
        : await host.call('MeterValues', { evseId: c.id, meterValue: [meterValue(c)] });
    return r.ok ? { ok: true, detail: `EVSE ${c.id}: ${Math.round(c.energyWh)} Wh, ${c.powerW} W` } : failed('MeterValues', r.error);
  },

  async heartbeat(host) {
    const r = await host.call('Heartbeat', {});
    return r.ok ? { ok: true, detail: `Heartbeat: ${String(r.result['currentTime'])}` } : failed('Heartbeat', r.error);
  },

  install(host) {
    host.handle('RequestStartTransaction', (p: Params) => {
      const tag = String((p['idToken'] as Params)['idToken']);
      const wanted = p['evseId'] === undefined ? undefined : Number(p['evseId']);
      const c = wanted !== undefined ? host.connector(wanted) : host.connectors.find((x) => x.transactionId === undefined && x.status !== 'Faulted' && !x.inoperative);
      if (!c || c.transactionId !== undefined || c.status === 'Faulted' || c.inoperative) return { status: 'Rejected' };
      const profile = p['chargingProfile'] as Params | undefined;
      const remoteStartId = Number(p['remoteStartId']);
      host.later(async () => {
        if (host.config.get('AuthCtrlr/AuthorizeRemoteStart')?.value === 'true' && !(await host.ops.authorize(tag)).ok) return;
        if (profile) applyProfile(host, c.id, profile);
        await host.ops.start(c.id, tag, { remoteStartId });
      });
      return { status: 'Accepted' };
    });
    host.handle('RequestStopTransaction', (p: Params) => {
      const c = host.connectors.find((x) => x.transactionId !== undefined && x.transactionId === p['transactionId']);
      if (!c) return { status: 'Rejected' };
      host.later(() => host.ops.stop(c.id, 'Remote'));
      return { status: 'Accepted' };
    });
    host.handle('Reset', (p: Params) => {
      const busy = host.connectors.some((c) => c.transactionId !== undefined);
      if (p['type'] === 'OnIdle' && busy) return { status: 'Scheduled' };
      host.later(() => host.ops.reset(true));
      return { status: 'Accepted' };
    });
    host.handle('GetVariables', (p: Params) => ({
      getVariableResult: ((p['getVariableData'] as Params[]) ?? []).map((d) => {
        const component = d['component'] as Params;
        const variable = d['variable'] as Params;
        const key = `${String(component['name'])}/${String(variable['name'])}`;
        const entry = host.config.get(key);
        const knownComponent = [...host.config.keys()].some((k) => k.startsWith(`${String(component['name'])}/`));
        if (!entry) return { attributeStatus: knownComponent ? 'UnknownVariable' : 'UnknownComponent', component, variable };
        return { attributeStatus: 'Accepted', attributeValue: entry.value, component, variable };
      }),
    }));
    host.handle('SetVariables', (p: Params) => ({
      setVariableResult: ((p['setVariableData'] as Params[]) ?? []).map((d) => {
        const component = d['component'] as Params;
        const variable = d['variable'] as Params;
        const key = `${String(component['name'])}/${String(variable['name'])}`;
        const entry = host.config.get(key);
        const value = String(d['attributeValue']);
        const knownComponent = [...host.config.keys()].some((k) => k.startsWith(`${String(component['name'])}/`));
        if (!entry) return { attributeStatus: knownComponent ? 'UnknownVariable' : 'UnknownComponent', component, variable };
        if (entry.readonly || (entry.accepts && !entry.accepts(value))) return { attributeStatus: 'Rejected', component, variable };
        entry.value = value;
        host.ops.configChanged(key);
        host.info(`variable ${key} = ${value}`);
        return { attributeStatus: 'Accepted', component, variable };
      }),
    }));
    host.handle('TriggerMessage', (p: Params) => {
      const list = evseTargets(host, p['evse']);
      if (!list) return { status: 'Rejected' };
      const run: Record<string, (() => Promise<unknown>) | undefined> = {
        BootNotification: () => host.ops.boot(),
        Heartbeat: () => host.ops.heartbeat(),
        StatusNotification: async () => {
          for (const c of list) await host.ops.status(c.id);
        },
        MeterValues: async () => {
          for (const c of list) await host.ops.meter(c.id);
        },
        TransactionEvent: async () => {
          for (const c of list) if (c.transactionId !== undefined) await host.ops.meter(c.id);
        },
      };
      const task = run[String(p['requestedMessage'])];
      if (!task) return { status: 'NotImplemented' };
      host.later(task);
      return { status: 'Accepted' };
    });
    host.handle('ChangeAvailability', (p: Params) => {
      const list = evseTargets(host, p['evse']);
      if (!list) return { status: 'Rejected' };
      const operative = p['operationalStatus'] === 'Operative';
      const scheduled = list.some((c) => c.transactionId !== undefined);
      host.later(async () => {
        for (const c of list) await host.ops.setAvailability(c.id, operative);
      });
      return { status: scheduled ? 'Scheduled' : 'Accepted' };
    });
    host.handle('UnlockConnector', (p: Params) => {
      const c = host.connector(Number(p['evseId']));
      if (!c || p['connectorId'] !== 1) return { status: 'UnknownConnector' };
      // 2.0.1 F05: an authorized transaction keeps the cable locked.
      if (c.transactionId !== undefined) return { status: 'OngoingAuthorizedTransaction' };
      host.later(() => host.ops.unlock(c.id));
      return { status: 'Unlocked' };
    });
    host.handle('SetChargingProfile', (p: Params) => {
      const profile = p['chargingProfile'] as Params;
      const evseId = Number(p['evseId']);
      const list = evseId === 0 ? [...host.connectors] : [host.connector(evseId)].filter((c): c is ConnectorState => c !== undefined);
      if (list.length === 0) return { status: 'Rejected' };
      if (profile['chargingProfilePurpose'] === 'TxProfile' && !list.some((c) => c.transactionId !== undefined)) return { status: 'Rejected' };
      for (const c of list) applyProfile(host, c.id, profile);
      return { status: 'Accepted' };
    });
    host.handle('ClearChargingProfile', () => {
      const limited = host.connectors.filter((c) => c.limitA !== undefined);
      for (const c of limited) host.ops.setLimit(c.id, undefined);
      return { status: limited.length ? 'Accepted' : 'Unknown' };
    });
    host.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  },
};

/** Applies the first period of the first 2.0.1 charging schedule as the EVSE's current limit. */
function applyProfile(host: SimulatorHost, connectorId: number, profile: Params): void {
  const schedule = (profile['chargingSchedule'] as Params[] | undefined)?.[0];
  const period = (schedule?.['chargingSchedulePeriod'] as Params[] | undefined)?.[0];
  if (!schedule || !period) return;
  const amps = limitToAmps(Number(period['limit']), String(schedule['chargingRateUnit']), Number(period['numberPhases'] ?? 3));
  host.ops.setLimit(connectorId, amps);
  host.info(`EVSE ${connectorId}: charging limited to ${amps} A`);
}
