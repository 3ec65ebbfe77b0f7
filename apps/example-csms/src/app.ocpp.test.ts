import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionRefusedError, SubprotocolMismatchError } from '@chargewire/client';
import { DEMO_ID_TAG } from './seed.js';
import { NOW, eventually, startTestCsms, type TestCsms } from './testing/harness.fixture.js';

interface Tx {
  id: number;
  chargerId: string;
  protocol: string;
  connectorId: number;
  idTag: string | null;
  active: boolean;
  energyWh: number;
  stopReason: string | null;
  ocppTransactionId: string;
}

describe('example CSMS over real sockets', () => {
  let t: TestCsms;
  beforeEach(async () => {
    t = await startTestCsms();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('a 1.6 charger boots, authorizes, charges and stops; REST shows the transaction', async () => {
    const cp = t.charger('CP-16', 'ocpp1.6');
    expect(await cp.connect()).toBe('ocpp1.6');
    const boot = await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(300);
    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() });
    expect((await cp.call('ocpp1.6', 'Authorize', { idTag: DEMO_ID_TAG })).idTagInfo.status).toBe('Accepted');
    expect((await cp.call('ocpp1.6', 'Authorize', { idTag: 'NOPE' })).idTagInfo.status).toBe('Invalid');
    await cp.call('ocpp1.6', 'Heartbeat', {});

    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 1000, timestamp: NOW() });
    expect(start.idTagInfo.status).toBe('Accepted');
    await cp.call('ocpp1.6', 'MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: NOW(), sampledValue: [{ value: '1.75', unit: 'kWh', measurand: 'Energy.Active.Import.Register' }, { value: '7200', measurand: 'Power.Active.Import', unit: 'W' }] }],
    });
    const live = await t.api<{ items: Tx[] }>('GET', '/api/v1/transactions?status=active');
    expect(live.body.items).toHaveLength(1);
    expect(live.body.items[0]).toMatchObject({ chargerId: 'CP-16', active: true, energyWh: 750 });

    const stop = await cp.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 3500, timestamp: NOW(), idTag: DEMO_ID_TAG, reason: 'Local' });
    expect(stop.idTagInfo?.status).toBe('Accepted');
    const tx = await t.api<Tx & { meterValues: unknown[] }>('GET', `/api/v1/transactions/${start.transactionId}`);
    expect(tx.body).toMatchObject({ protocol: 'ocpp1.6', connectorId: 1, idTag: DEMO_ID_TAG, active: false, energyWh: 2500, stopReason: 'Local' });
    expect(tx.body.meterValues).toHaveLength(2);

    const charger = await t.api<Record<string, unknown>>('GET', '/api/v1/chargers/CP-16');
    expect(charger.body).toMatchObject({ id: 'CP-16', connected: true, protocol: 'ocpp1.6', vendor: 'Acme', model: 'One', authentication: 'none' });
    expect(charger.body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Available' })]);
    expect(charger.body.lastHeartbeatAt).toEqual(expect.any(String));
  });

  it('a 2.0.1 charger runs the same session through TransactionEvent into the same model', async () => {
    const cs = t.charger('CS-201', 'ocpp2.0.1');
    expect(await cs.connect()).toBe('ocpp2.0.1');
    const boot = await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    expect(boot.status).toBe('Accepted');
    await cs.call('ocpp2.0.1', 'StatusNotification', { timestamp: NOW(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    expect((await cs.call('ocpp2.0.1', 'Authorize', { idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' } })).idTokenInfo.status).toBe('Accepted');
    expect((await cs.call('ocpp2.0.1', 'Authorize', { idToken: { idToken: 'NOPE', type: 'ISO14443' } })).idTokenInfo.status).toBe('Unknown');

    const energy = (wh: number, context: 'Transaction.Begin' | 'Sample.Periodic' | 'Transaction.End') => [
      { timestamp: NOW(), sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register' as const }] },
    ];
    const started = await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: NOW(), triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId: 'tx-abc', chargingState: 'Charging' },
      evse: { id: 1, connectorId: 1 }, idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' }, meterValue: energy(500, 'Transaction.Begin'),
    });
    expect(started.idTokenInfo?.status).toBe('Accepted');
    await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Updated', timestamp: NOW(), triggerReason: 'MeterValuePeriodic', seqNo: 1,
      transactionInfo: { transactionId: 'tx-abc' }, meterValue: energy(1500, 'Sample.Periodic'),
    });
    const live = await t.api<{ items: Tx[] }>('GET', '/api/v1/transactions?status=active&chargerId=CS-201');
    expect(live.body.items).toEqual([expect.objectContaining({ ocppTransactionId: 'tx-abc', energyWh: 1000, active: true })]);
    await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Ended', timestamp: NOW(), triggerReason: 'StopAuthorized', seqNo: 2,
      transactionInfo: { transactionId: 'tx-abc', stoppedReason: 'Local' }, meterValue: energy(4200, 'Transaction.End'),
    });
    const all = await t.api<{ items: Tx[]; total: number }>('GET', '/api/v1/transactions?chargerId=CS-201');
    expect(all.body.total).toBe(1);
    expect(all.body.items[0]).toMatchObject({ protocol: 'ocpp2.0.1', connectorId: 1, idTag: DEMO_ID_TAG, active: false, energyWh: 3700, stopReason: 'Local' });
    const charger = await t.api<Record<string, unknown>>('GET', '/api/v1/chargers/CS-201');
    expect(charger.body.connectors).toEqual([expect.objectContaining({ connectorId: 1, status: 'Occupied' })]);
  });

  it('remote start and stop from REST reach a 1.6 and a 2.0.1 charger', async () => {
    const cp = t.charger('CP-R16', 'ocpp1.6');
    const cs = t.charger('CS-R201', 'ocpp2.0.1');
    const got16: unknown[] = [];
    const got201: unknown[] = [];
    cp.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => (got16.push(params), { status: 'Accepted' }));
    cp.handle('ocpp1.6', 'RemoteStopTransaction', ({ params }) => (got16.push(params), { status: 'Accepted' }));
    cs.handle('ocpp2.0.1', 'RequestStartTransaction', ({ params }) => (got201.push(params), { status: 'Accepted' }));
    cs.handle('ocpp2.0.1', 'RequestStopTransaction', ({ params }) => (got201.push(params), { status: 'Accepted' }));
    await cp.connect();
    await cs.connect();
    await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });

    const r16 = await t.api('POST', '/api/v1/chargers/CP-R16/remote-start', { connectorId: 1, idTag: DEMO_ID_TAG });
    expect(r16).toEqual({ status: 200, body: { chargerId: 'CP-R16', protocol: 'ocpp1.6', status: 'Accepted' } });
    expect(got16).toEqual([{ connectorId: 1, idTag: DEMO_ID_TAG }]);

    const r201 = await t.api<{ remoteStartId: number }>('POST', '/api/v1/chargers/CS-R201/remote-start', { connectorId: 2, idTag: DEMO_ID_TAG });
    expect(r201.status).toBe(200);
    expect(got201).toEqual([{ evseId: 2, idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' }, remoteStartId: r201.body.remoteStartId }]);

    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    const stop = await t.api('POST', '/api/v1/chargers/CP-R16/remote-stop', { transactionId: start.transactionId });
    expect(stop.status).toBe(200);
    expect(got16[1]).toEqual({ transactionId: start.transactionId });

    // The 2.0.1 charger starts the transaction it was asked for; REST stops it by the REST id.
    await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: NOW(), triggerReason: 'RemoteStart', seqNo: 0,
      transactionInfo: { transactionId: 'remote-1', remoteStartId: r201.body.remoteStartId },
      evse: { id: 2, connectorId: 1 }, idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' },
    });
    const tx = await t.api<{ items: Array<{ id: number; remoteStartId: number | null; connectorId: number }> }>('GET', '/api/v1/transactions?chargerId=CS-R201');
    expect(tx.body.items).toEqual([expect.objectContaining({ remoteStartId: r201.body.remoteStartId, connectorId: 2 })]);
    const stop201 = await t.api('POST', '/api/v1/chargers/CS-R201/remote-stop', { transactionId: tx.body.items[0]!.id });
    expect(stop201.body).toMatchObject({ protocol: 'ocpp2.0.1', status: 'Accepted' });
    expect(got201[1]).toEqual({ transactionId: 'remote-1' });
  });

  it('refuses bad credentials and, with a stored password, a missing one', async () => {
    const password = 'correct-horse-battery';
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-AUTH', password })).status).toBe(201);
    const wrong = t.charger('CP-AUTH', 'ocpp1.6', { password: 'wrong-password-123456' });
    await expect(wrong.connect()).rejects.toSatisfy((e: unknown) => e instanceof ConnectionRefusedError && e.status === 401);
    const none = t.charger('CP-AUTH', 'ocpp1.6');
    await expect(none.connect()).rejects.toSatisfy((e: unknown) => e instanceof ConnectionRefusedError && e.status === 401);
    const right = t.charger('CP-AUTH', 'ocpp1.6', { password });
    expect(await right.connect()).toBe('ocpp1.6');
    const view = await t.api<Record<string, unknown>>('GET', '/api/v1/chargers/CP-AUTH');
    expect(view.body.authentication).toBe('basic');
    expect(JSON.stringify(view.body)).not.toContain(password);
  });

  it('stops a charger that is not accepted from sending transactional messages', async () => {
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-PEND', registrationStatus: 'Pending' })).status).toBe(201);
    const cp = t.charger('CP-PEND', 'ocpp1.6');
    await cp.connect();
    expect((await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' })).status).toBe('Pending');
    await expect(cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() }))
      .rejects.toMatchObject({ name: 'RpcError', code: 'SecurityError' });
    expect((await t.api('PATCH', '/api/v1/chargers/CP-PEND', { registrationStatus: 'Accepted' })).status).toBe(200);
    expect((await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' })).status).toBe('Accepted');
  });

  it('refuses every message that stores data from a charger that is not accepted, in 1.6 and 2.0.1, and keeps nothing of it', async () => {
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-P16', registrationStatus: 'Pending' })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-P201', registrationStatus: 'Rejected' })).status).toBe(201);
    const cp16 = t.charger('CP-P16', 'ocpp1.6');
    const cp201 = t.charger('CP-P201', 'ocpp2.0.1');
    await cp16.connect();
    await cp201.connect();
    const refused = { name: 'RpcError', code: 'SecurityError' };
    const meter16 = [{ timestamp: NOW(), sampledValue: [{ value: '10', measurand: 'Energy.Active.Import.Register' as const }] }];
    await expect(cp16.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() })).rejects.toMatchObject(refused);
    await expect(cp16.call('ocpp1.6', 'StatusNotification', { connectorId: -1, errorCode: 'NoError', status: 'Available' })).rejects.toMatchObject(refused);
    await expect(cp16.call('ocpp1.6', 'MeterValues', { connectorId: 1, meterValue: meter16 })).rejects.toMatchObject(refused);
    await expect(cp16.call('ocpp1.6', 'StopTransaction', { transactionId: 1, meterStop: 5, timestamp: NOW() })).rejects.toMatchObject(refused);
    const meter201 = [{ timestamp: NOW(), sampledValue: [{ value: 10, measurand: 'Energy.Active.Import.Register' as const }] }];
    await expect(cp201.call('ocpp2.0.1', 'StatusNotification', { timestamp: NOW(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 })).rejects.toMatchObject(refused);
    await expect(cp201.call('ocpp2.0.1', 'MeterValues', { evseId: 1, meterValue: meter201 })).rejects.toMatchObject(refused);
    await expect(
      cp201.call('ocpp2.0.1', 'TransactionEvent', {
        eventType: 'Started', timestamp: NOW(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'T-REFUSED' }, evse: { id: 1, connectorId: 1 }, meterValue: meter201,
      }),
    ).rejects.toMatchObject(refused);
    for (const id of ['CP-P16', 'CP-P201']) {
      const view = await t.api<{ connectors: unknown[] }>('GET', `/api/v1/chargers/${id}`);
      expect(view.body.connectors).toEqual([]);
    }
    const transactions = await t.api<{ items: unknown[] }>('GET', '/api/v1/transactions?chargerId=CP-P201');
    expect(transactions.body.items).toEqual([]);
  });

  it('stores an accepted charger\'s messages that share a database transaction with refused ones', async () => {
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-NO', registrationStatus: 'Pending' })).status).toBe(201);
    const ok = t.charger('CP-YES', 'ocpp1.6');
    const no = t.charger('CP-NO', 'ocpp1.6');
    await ok.connect();
    await no.connect();
    expect((await ok.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' })).status).toBe('Accepted');
    // Sent together, the calls of both chargers reach the group commit in the same turn: each refused one is
    // rolled back alone.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? ok : no).call('ocpp1.6', 'StatusNotification', { connectorId: 1 + Math.floor(i / 2), errorCode: 'NoError', status: 'Available', timestamp: NOW() }),
      ),
    );
    results.forEach((r, i) => expect(r.status).toBe(i % 2 === 0 ? 'fulfilled' : 'rejected'));
    const yes = await t.api<{ connectors: unknown[] }>('GET', '/api/v1/chargers/CP-YES');
    expect(yes.body.connectors).toHaveLength(10);
    const refused = await t.api<{ connectors: unknown[] }>('GET', '/api/v1/chargers/CP-NO');
    expect(refused.body.connectors).toEqual([]);
  });

  it('marks a charger offline when it disconnects', async () => {
    const cp = t.charger('CP-GONE', 'ocpp1.6');
    await cp.connect();
    await eventually(async () => (await t.api<{ connected: boolean }>('GET', '/api/v1/chargers/CP-GONE')).body.connected);
    await cp.close();
    const list = await eventually(async () => {
      const { body } = await t.api<{ items: Array<{ id: string; connected: boolean; disconnectedAt: string | null }> }>('GET', '/api/v1/chargers');
      const row = body.items.find((c) => c.id === 'CP-GONE');
      return row !== undefined && !row.connected ? row : undefined;
    });
    expect(list.disconnectedAt).toEqual(expect.any(String));
  });
});

describe('unknown charger policies', () => {
  it('rejects the BootNotification of an unknown charger with UNKNOWN_CHARGERS=reject', async () => {
    const t = await startTestCsms({ unknownChargers: 'reject' });
    try {
      const cp = t.charger('CP-NEW', 'ocpp2.0.1');
      await cp.connect();
      const boot = await cp.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'A', model: 'B' } });
      expect(boot.status).toBe('Rejected');
      expect((await t.api('GET', '/api/v1/chargers/CP-NEW')).status).toBe(404);
    } finally {
      await t.stop();
    }
  });

  it('registers an unknown charger as Pending with UNKNOWN_CHARGERS=pending', async () => {
    const t = await startTestCsms({ unknownChargers: 'pending' });
    try {
      const cp = t.charger('CP-NEW', 'ocpp1.6');
      await cp.connect();
      expect((await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' })).status).toBe('Pending');
      expect((await t.api('GET', '/api/v1/chargers/CP-NEW')).body).toMatchObject({ registrationStatus: 'Pending', connected: true });
    } finally {
      await t.stop();
    }
  });

  it('with security profile 1 refuses chargers without stored credentials', async () => {
    const t = await startTestCsms({ securityProfile: 1 });
    try {
      const cp = t.charger('CP-X', 'ocpp1.6', { password: 'some-password-1234' });
      await expect(cp.connect()).rejects.toSatisfy((e: unknown) => e instanceof ConnectionRefusedError && e.status === 401);
    } finally {
      await t.stop();
    }
  });

  it('accepts only the protocols in OCPP_PROTOCOLS', async () => {
    const t = await startTestCsms({ protocols: ['ocpp2.0.1'] });
    try {
      const old = t.charger('CP-OLD', 'ocpp1.6');
      await expect(old.connect()).rejects.toBeInstanceOf(SubprotocolMismatchError);
      const cs = t.charger('CS-NEW', 'ocpp2.0.1');
      expect(await cs.connect()).toBe('ocpp2.0.1');
    } finally {
      await t.stop();
    }
  });
});
