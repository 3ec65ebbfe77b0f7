import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCsms, type LocalCsms } from '../serve/localCsms.js';
import { Simulator } from './simulator.js';

let csms: LocalCsms;
let base: string;
beforeAll(async () => {
  csms = await startLocalCsms({ port: 0, protocols: ['ocpp2.0.1', 'ocpp1.6'], onLog: () => undefined });
  base = `ws://127.0.0.1:${csms.address.port}/ocpp`;
});
afterAll(() => csms.close());

async function booted(identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', connectors = 2): Promise<Simulator> {
  const sim = new Simulator({ endpoint: base, identity, protocol, connectors });
  expect((await sim.connect()).ok).toBe(true);
  expect((await sim.boot()).ok).toBe(true);
  return sim;
}

function charger(identity: string) {
  const client = csms.server.getClient(identity);
  if (!client) throw new Error(`${identity} is not connected`);
  return client;
}

describe('simulated 1.6 charge point answers the CSMS', () => {
  it('remote start waits for the cable, charges within a charging profile, remote stop ends it', async () => {
    const sim = await booted('SIM16-A', 'ocpp1.6');
    const cp = charger('SIM16-A');
    expect(await cp.call('ocpp1.6', 'RemoteStartTransaction', { idTag: 'REMOTE', connectorId: 2 })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(sim.connector(2)?.transactionId).toBeUndefined();
    expect((await sim.plug(2)).ok).toBe(true);
    const tx = sim.connector(2)?.transactionId;
    expect(typeof tx).toBe('number');
    expect(sim.connector(2)).toMatchObject({ status: 'Charging', authorizedTag: 'REMOTE' });

    const limited = await cp.call('ocpp1.6', 'SetChargingProfile', {
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    });
    expect(limited).toEqual({ status: 'Accepted' });
    await sim.meter(2);
    expect(sim.connector(2)).toMatchObject({ limitA: 10, currentA: 10 });
    expect(sim.connector(2)?.powerW).toBe(3 * 228 * 10);

    expect(await cp.call('ocpp1.6', 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toEqual({ status: 'Scheduled' });
    expect(await cp.call('ocpp1.6', 'RemoteStopTransaction', { transactionId: tx as number })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(sim.connector(2)).toMatchObject({ transactionId: undefined, status: 'Unavailable' });
    expect(await cp.call('ocpp1.6', 'RemoteStopTransaction', { transactionId: 999 })).toEqual({ status: 'Rejected' });
    await sim.close();
  });

  it('reads and changes its configuration', async () => {
    const sim = await booted('SIM16-B', 'ocpp1.6');
    const cp = charger('SIM16-B');
    const all = await cp.call('ocpp1.6', 'GetConfiguration', {});
    expect(all.configurationKey?.map((k) => k.key)).toContain('HeartbeatInterval');
    expect(await cp.call('ocpp1.6', 'GetConfiguration', { key: ['NumberOfConnectors', 'Nope'] })).toEqual({
      configurationKey: [{ key: 'NumberOfConnectors', readonly: true, value: '2' }],
      unknownKey: ['Nope'],
    });
    expect(await cp.call('ocpp1.6', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' })).toEqual({ status: 'Accepted' });
    expect(sim.config.get('HeartbeatInterval')?.value).toBe('60');
    expect(await cp.call('ocpp1.6', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: 'soon' })).toEqual({ status: 'Rejected' });
    expect(await cp.call('ocpp1.6', 'ChangeConfiguration', { key: 'NumberOfConnectors', value: '5' })).toEqual({ status: 'Rejected' });
    expect(await cp.call('ocpp1.6', 'ChangeConfiguration', { key: 'Nope', value: '1' })).toEqual({ status: 'NotSupported' });
    await sim.close();
  });

  it('triggers messages, unlocks and resets (reboot + BootNotification)', async () => {
    const sim = await booted('SIM16-C', 'ocpp1.6', 1);
    const cp = charger('SIM16-C');
    const before = sim.stats.sent;
    expect(await cp.call('ocpp1.6', 'TriggerMessage', { requestedMessage: 'Heartbeat' })).toEqual({ status: 'Accepted' });
    expect(await cp.call('ocpp1.6', 'TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' })).toEqual({ status: 'NotImplemented' });
    await sim.idle();
    expect(sim.log.some((l) => l.kind === 'out' && l.text.includes('"Heartbeat"'))).toBe(true);
    expect(sim.stats.sent).toBeGreaterThan(before);

    await sim.plug(1);
    expect(await cp.call('ocpp1.6', 'UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    await sim.idle();
    expect(sim.connector(1)).toMatchObject({ plugged: false, status: 'Available' });

    const boots = (): number => sim.log.filter((l) => l.kind === 'out' && l.text.includes('"BootNotification"')).length;
    expect(await cp.call('ocpp1.6', 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(boots()).toBe(2);
    expect(sim.state).toBe('online');
    await sim.close();
  });
});

describe('simulated 2.0.1 charging station answers the CSMS', () => {
  it('RequestStart/StopTransaction with TransactionEvents and a charging limit', async () => {
    const sim = await booted('SIM201-A', 'ocpp2.0.1');
    const cp = charger('SIM201-A');
    await sim.plug(1);
    const started = await cp.call('ocpp2.0.1', 'RequestStartTransaction', {
      idToken: { idToken: 'R2', type: 'ISO14443' },
      remoteStartId: 7,
      evseId: 1,
      chargingProfile: {
        id: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6900 }] }],
      },
    });
    expect(started).toEqual({ status: 'Accepted' });
    await sim.idle();
    const c = sim.connector(1);
    expect(c).toMatchObject({ status: 'Charging', limitA: 10, remoteStartId: 7 });
    expect(sim.log.some((l) => l.text.includes('"eventType":"Started"') && l.text.includes('"remoteStartId":7'))).toBe(true);
    await sim.meter(1);
    expect(sim.connector(1)?.currentA).toBe(10);
    expect(await cp.call('ocpp2.0.1', 'UnlockConnector', { evseId: 1, connectorId: 1 })).toEqual({ status: 'OngoingAuthorizedTransaction' });
    expect(await cp.call('ocpp2.0.1', 'RequestStopTransaction', { transactionId: String(c?.transactionId) })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(sim.connector(1)?.transactionId).toBeUndefined();
    const ended = sim.log.find((l) => l.text.includes('"eventType":"Ended"'));
    expect(ended?.text).toMatch(/"stoppedReason":"Remote"/);
    expect(ended?.text).toMatch(/"seqNo":2/);
    await sim.close();
  });

  it('Get/SetVariables, TriggerMessage, ChangeAvailability and Reset', async () => {
    const sim = await booted('SIM201-B', 'ocpp2.0.1');
    const cp = charger('SIM201-B');
    const got = await cp.call('ocpp2.0.1', 'GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Nope' } },
        { component: { name: 'Nope' }, variable: { name: 'Nope' } },
      ],
    });
    expect(got.getVariableResult.map((r) => r.attributeStatus)).toEqual(['Accepted', 'UnknownVariable', 'UnknownComponent']);
    expect(got.getVariableResult[0]?.attributeValue).toBe('300');
    const set = await cp.call('ocpp2.0.1', 'SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '30' },
        { component: { name: 'EVSE' }, variable: { name: 'Count' }, attributeValue: '9' },
      ],
    });
    expect(set.setVariableResult.map((r) => r.attributeStatus)).toEqual(['Accepted', 'Rejected']);
    expect(await cp.call('ocpp2.0.1', 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 2 } })).toEqual({ status: 'Accepted' });
    expect(await cp.call('ocpp2.0.1', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(sim.connector(2)?.status).toBe('Unavailable');
    expect(sim.log.some((l) => l.text.includes('"connectorStatus":"Unavailable"'))).toBe(true);
    expect(await cp.call('ocpp2.0.1', 'Reset', { type: 'Immediate' })).toEqual({ status: 'Accepted' });
    await sim.idle();
    expect(sim.booted).toBe(true);
    await sim.close();
  });
});
