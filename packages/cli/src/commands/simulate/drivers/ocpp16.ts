import type { ConnectorState } from '../model/connector.js';
import { limitToAmps, tagStatus, type Outcome, type ProtocolDriver, type SimulatorHost, type StopReason } from './driver.js';
import { samplesOf } from './meterSamples.js';

type Params = Record<string, unknown>;
const now = (): string => new Date().toISOString();

function failed(action: string, error: string): Outcome {
  return { ok: false, detail: `${action} failed: ${error}` };
}

/** 1.6 StopTransaction.req reason values for the simulator's stop reasons. */
const REASONS: Record<StopReason, string> = {
  Local: 'Local', Remote: 'Remote', EVDisconnected: 'EVDisconnected', EmergencyStop: 'EmergencyStop', DeAuthorized: 'DeAuthorized',
  HardReset: 'HardReset', SoftReset: 'SoftReset', UnlockCommand: 'UnlockCommand', Reboot: 'Reboot', ImmediateReset: 'HardReset',
};

function meterValue(c: ConnectorState): Params {
  return {
    timestamp: now(),
    sampledValue: samplesOf(c).map((s) => ({ value: String(s.value), context: 'Sample.Periodic', measurand: s.measurand, location: s.location, unit: s.unit })),
  };
}

/** Connectors a command addresses: 0 = all (1.6 §5.x "connectorId 0 … the Charge Point as a whole"). */
function targets(host: SimulatorHost, connectorId: unknown): ConnectorState[] | undefined {
  if (connectorId === undefined || connectorId === 0) return [...host.connectors];
  const c = host.connector(Number(connectorId));
  return c ? [c] : undefined;
}

/** OCPP 1.6 (JSON) charge point. */
export const ocpp16Driver: ProtocolDriver = {
  protocol: 'ocpp1.6',
  heartbeatKey: 'HeartbeatInterval',
  sampleIntervalKey: 'MeterValueSampleInterval',

  async boot(host) {
    const r = await host.call('BootNotification', {
      chargePointVendor: 'chargewire',
      chargePointModel: 'simulator',
      chargePointSerialNumber: host.identity.slice(0, 25),
      firmwareVersion: '1.0.0',
    });
    if (!r.ok) return failed('BootNotification', r.error);
    const status = String(r.result['status']);
    const intervalS = Number(r.result['interval']);
    return status === 'Accepted'
      ? { ok: true, detail: `BootNotification accepted, heartbeat every ${intervalS} s`, intervalS }
      : { ok: false, detail: `BootNotification ${status}` };
  },

  async status(host, c) {
    const r = await host.call('StatusNotification', {
      connectorId: c.id,
      errorCode: c.status === 'Faulted' ? 'OtherError' : 'NoError',
      status: c.status,
      timestamp: now(),
    });
    return r.ok ? { ok: true, detail: `connector ${c.id} ${c.status}` } : failed('StatusNotification', r.error);
  },

  async authorize(host, tag) {
    const r = await host.call('Authorize', { idTag: tag });
    if (!r.ok) return failed('Authorize', r.error);
    const status = tagStatus(r.result, 'idTagInfo');
    return status === 'Accepted' ? { ok: true, detail: `tag ${tag} accepted` } : { ok: false, detail: `tag ${tag} ${status ?? 'not accepted'}` };
  },

  async startTransaction(host, c, tag) {
    const r = await host.call('StartTransaction', { connectorId: c.id, idTag: tag, meterStart: Math.round(c.energyWh), timestamp: now() }, true);
    if (!r.ok) return failed('StartTransaction', r.error);
    if (r.queued) {
      // Offline: the charger starts locally; the CSMS assigns the id once the message is delivered.
      host.update(c.id, { transactionId: -1 });
      return { ok: true, detail: 'transaction started offline' };
    }
    const transactionId = Number(r.result['transactionId']);
    host.update(c.id, { transactionId });
    const status = tagStatus(r.result, 'idTagInfo');
    if (status !== 'Accepted') {
      await host.ops.stop(c.id, 'DeAuthorized');
      return { ok: false, detail: `StartTransaction: tag ${tag} ${status ?? 'not accepted'}, transaction ${transactionId} stopped` };
    }
    return { ok: true, detail: `transaction ${transactionId} started` };
  },

  async stopTransaction(host, c, reason) {
    const r = await host.call(
      'StopTransaction',
      {
        transactionId: typeof c.transactionId === 'number' ? c.transactionId : -1,
        meterStop: Math.round(c.energyWh),
        timestamp: now(),
        reason: REASONS[reason],
        ...(c.authorizedTag ? { idTag: c.authorizedTag } : {}),
        transactionData: [meterValue(c)],
      },
      true,
    );
    return r.ok ? { ok: true, detail: `transaction ${String(c.transactionId)} stopped (${REASONS[reason]})` } : failed('StopTransaction', r.error);
  },

  async meterValues(host, c) {
    const r = await host.call(
      'MeterValues',
      { connectorId: c.id, ...(typeof c.transactionId === 'number' && c.transactionId >= 0 ? { transactionId: c.transactionId } : {}), meterValue: [meterValue(c)] },
      c.transactionId !== undefined,
    );
    return r.ok ? { ok: true, detail: `connector ${c.id}: ${Math.round(c.energyWh)} Wh, ${c.powerW} W` } : failed('MeterValues', r.error);
  },

  async heartbeat(host) {
    const r = await host.call('Heartbeat', {});
    return r.ok ? { ok: true, detail: `Heartbeat: ${String(r.result['currentTime'])}` } : failed('Heartbeat', r.error);
  },

  install(host) {
    host.handle('RemoteStartTransaction', (p: Params) => {
      const idTag = String(p['idTag']);
      const wanted = p['connectorId'] === undefined ? undefined : Number(p['connectorId']);
      const c = wanted !== undefined ? host.connector(wanted) : host.connectors.find((x) => x.transactionId === undefined && x.status !== 'Faulted' && !x.inoperative);
      if (!c || c.transactionId !== undefined || c.status === 'Faulted' || c.inoperative) return { status: 'Rejected' };
      const profile = p['chargingProfile'] as Params | undefined;
      host.later(async () => {
        if (host.config.get('AuthorizeRemoteTxRequests')?.value === 'true' && !(await host.ops.authorize(idTag)).ok) return;
        if (profile) applyProfile(host, c.id, profile);
        await host.ops.start(c.id, idTag, {});
      });
      return { status: 'Accepted' };
    });
    host.handle('RemoteStopTransaction', (p: Params) => {
      const c = host.connectors.find((x) => x.transactionId !== undefined && x.transactionId === p['transactionId']);
      if (!c) return { status: 'Rejected' };
      host.later(() => host.ops.stop(c.id, 'Remote'));
      return { status: 'Accepted' };
    });
    host.handle('Reset', (p: Params) => {
      host.later(() => host.ops.reset(p['type'] === 'Hard'));
      return { status: 'Accepted' };
    });
    host.handle('GetConfiguration', (p: Params) => {
      const keys = Array.isArray(p['key']) ? (p['key'] as string[]) : [...host.config.keys()];
      const known = keys.filter((k) => host.config.has(k));
      const unknown = keys.filter((k) => !host.config.has(k));
      return {
        configurationKey: known.map((key) => ({ key, readonly: host.config.get(key)?.readonly ?? true, value: host.config.get(key)?.value ?? '' })),
        ...(unknown.length ? { unknownKey: unknown } : {}),
      };
    });
    host.handle('ChangeConfiguration', (p: Params) => {
      const key = String(p['key']);
      const value = String(p['value']);
      const entry = host.config.get(key);
      if (!entry) return { status: 'NotSupported' };
      if (entry.readonly || (entry.accepts && !entry.accepts(value))) return { status: 'Rejected' };
      entry.value = value;
      host.ops.configChanged(key);
      host.info(`configuration ${key} = ${value}`);
      return { status: 'Accepted' };
    });
    host.handle('TriggerMessage', (p: Params) => {
      const requested = String(p['requestedMessage']);
      const list = targets(host, p['connectorId']);
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
      };
      const task = run[requested];
      if (!task) return { status: 'NotImplemented' };
      host.later(task);
      return { status: 'Accepted' };
    });
    host.handle('ChangeAvailability', (p: Params) => {
      const list = targets(host, p['connectorId']);
      if (!list) return { status: 'Rejected' };
      const operative = p['type'] === 'Operative';
      const scheduled = list.some((c) => c.transactionId !== undefined);
      host.later(async () => {
        for (const c of list) await host.ops.setAvailability(c.id, operative);
      });
      return { status: scheduled ? 'Scheduled' : 'Accepted' };
    });
    host.handle('UnlockConnector', (p: Params) => {
      const c = host.connector(Number(p['connectorId']));
      if (!c) return { status: 'NotSupported' };
      host.later(() => host.ops.unlock(c.id));
      return { status: 'Unlocked' };
    });
    host.handle('SetChargingProfile', (p: Params) => {
      const profile = p['csChargingProfiles'] as Params;
      const list = targets(host, p['connectorId']);
      if (!list) return { status: 'Rejected' };
      if (profile['chargingProfilePurpose'] === 'TxProfile' && !list.some((c) => c.transactionId !== undefined)) return { status: 'Rejected' };
      for (const c of list) applyProfile(host, c.id, profile);
      return { status: 'Accepted' };
    });
    host.handle('ClearChargingProfile', (p: Params) => {
      const list = targets(host, p['connectorId']) ?? [];
      const limited = list.filter((c) => c.limitA !== undefined);
      for (const c of limited) host.ops.setLimit(c.id, undefined);
      return { status: limited.length ? 'Accepted' : 'Unknown' };
    });
    host.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  },
};

/** Applies the first period of a 1.6 charging schedule as the connector's current limit. */
function applyProfile(host: SimulatorHost, connectorId: number, profile: Params): void {
  const schedule = profile['chargingSchedule'] as Params | undefined;
  const period = (schedule?.['chargingSchedulePeriod'] as Params[] | undefined)?.[0];
  if (!schedule || !period) return;
  const amps = limitToAmps(Number(period['limit']), String(schedule['chargingRateUnit']), Number(period['numberPhases'] ?? 3));
  host.ops.setLimit(connectorId, amps);
  host.info(`connector ${connectorId}: charging limited to ${amps} A`);
}
