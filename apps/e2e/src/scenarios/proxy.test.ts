import { createConsoleLogger, createCsms, DEMO_ID_TAG, type Csms } from '@chargewire/example-csms';
import { createProtocolProxy, type ProtocolProxy } from '@chargewire/protocol-proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Charger16 } from '../support/charger16.js';
import { runCli } from '../support/cli.js';
import { E2E_OPERATOR_TOKEN, eventually, rest } from '../support/rest.js';

// Scenario 2: 1.6 chargers behind the protocol proxy, in front of a CSMS that accepts only OCPP 2.0.1.
interface Tx {
  id: number;
  chargerId: string;
  protocol: string;
  active: boolean;
  energyWh: number;
  idTag: string | null;
}

let csms: Csms;
let proxy: ProtocolProxy;
let api: string;
let chargerEndpoint: string;
const chargers: Charger16[] = [];

const transactionsOf = async (chargerId: string) =>
  (await rest<{ items: Tx[] }>(api, 'GET', `/api/v1/transactions?chargerId=${chargerId}&status=all`)).body.items;

beforeAll(async () => {
  csms = await createCsms({ databaseFile: ':memory:', port: 0, host: '127.0.0.1', protocols: ['ocpp2.0.1'], pingIntervalMs: 0, adminToken: E2E_OPERATOR_TOKEN, logger: createConsoleLogger('error') });
  const { port } = await csms.listen();
  api = `http://127.0.0.1:${port}`;
  proxy = createProtocolProxy({ upstream: { url: `ws://127.0.0.1:${port}/api/v1/chargers`, protocol: 'ocpp2.0.1' } });
  const address = await proxy.listen(0, '127.0.0.1');
  chargerEndpoint = `ws://127.0.0.1:${address.port}/ocpp`;
});

afterAll(async () => {
  await Promise.all(chargers.map((c) => c.close()));
  await proxy.close();
  await csms.close();
});

describe('1.6 chargers through the protocol proxy to a 2.0.1-only CSMS', () => {
  it('the CSMS refuses a 1.6 charger that connects directly (it really is 2.0.1-only)', async () => {
    const direct = new Charger16({ endpoint: api.replace('http', 'ws') + '/api/v1/chargers', identity: 'DIRECT-16' });
    direct.client.on('error', () => {});
    await expect(direct.client.connect()).rejects.toThrow();
    await direct.close();
  });

  it('boot, authorize and a full local transaction with meter values land in the backend with the right energy', async () => {
    const cp = new Charger16({ endpoint: chargerEndpoint, identity: 'PX-1' });
    chargers.push(cp);
    await cp.start();
    const charger = await rest<{ id: string; protocol: string; connected: boolean }>(api, 'GET', '/api/v1/chargers/PX-1');
    expect(charger.status, JSON.stringify(charger.body)).toBe(200);
    expect(charger.body.protocol).toBe('ocpp2.0.1');

    expect((await cp.client.call('ocpp1.6', 'Authorize', { idTag: DEMO_ID_TAG })).idTagInfo.status).toBe('Accepted');
    expect((await cp.client.call('ocpp1.6', 'Authorize', { idTag: 'NOT-A-TAG' })).idTagInfo.status).toBe('Invalid');

    const started = await cp.client.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 1_000, timestamp: new Date().toISOString() });
    expect(started.idTagInfo.status).toBe('Accepted');
    expect(Number.isInteger(started.transactionId)).toBe(true);
    for (const wh of [1_500, 2_500]) {
      await cp.client.call('ocpp1.6', 'MeterValues', {
        connectorId: 1,
        transactionId: started.transactionId,
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      });
    }
    await cp.client.call('ocpp1.6', 'StopTransaction', { transactionId: started.transactionId, meterStop: 3_000, timestamp: new Date().toISOString(), reason: 'Local' });

    const [tx] = await transactionsOf('PX-1');
    expect(tx).toMatchObject({ chargerId: 'PX-1', protocol: 'ocpp2.0.1', active: false, energyWh: 2_000, idTag: DEMO_ID_TAG });
  });

  it('remote start and stop from the backend REST API run a transaction on the 1.6 charger', async () => {
    const cp = new Charger16({ endpoint: chargerEndpoint, identity: 'PX-2', samples: 2, whPerSample: 500 });
    chargers.push(cp);
    await cp.start();
    const start = await rest<{ status: string }>(api, 'POST', '/api/v1/chargers/PX-2/remote-start', { idTag: DEMO_ID_TAG, connectorId: 1 });
    expect(start).toMatchObject({ status: 200, body: { status: 'Accepted' } });
    await cp.idle();
    const active = await eventually(async () => (await transactionsOf('PX-2')).find((t) => t.active), 15_000, 'an active transaction');
    expect(cp.active).toBeDefined();

    const stop = await rest<{ status: string }>(api, 'POST', '/api/v1/chargers/PX-2/remote-stop', { transactionId: active.id });
    expect(stop).toMatchObject({ status: 200, body: { status: 'Accepted' } });
    await cp.idle();
    const done = await eventually(async () => (await transactionsOf('PX-2')).find((t) => t.id === active.id && !t.active), 15_000, 'the stopped transaction');
    expect(done.energyWh).toBe(1_000);
    expect(cp.transactions).toHaveLength(1);
  });

  it('configuration get and set from the backend reach the 1.6 charger as GetConfiguration / ChangeConfiguration', async () => {
    const cp = new Charger16({ endpoint: chargerEndpoint, identity: 'PX-3' });
    chargers.push(cp);
    await cp.start();
    const before = await rest<{ configuration: Array<{ key: string; value: string }> }>(api, 'GET', '/api/v1/chargers/PX-3/configuration?key=HeartbeatInterval');
    expect(before.status).toBe(200);
    expect(before.body.configuration).toEqual([expect.objectContaining({ key: 'HeartbeatInterval', value: '300' })]);

    const set = await rest<{ status: string }>(api, 'PUT', '/api/v1/chargers/PX-3/configuration', { key: 'HeartbeatInterval', value: '120' });
    expect(set).toMatchObject({ status: 200, body: { status: 'Accepted' } });
    expect(cp.configuration.get('HeartbeatInterval')).toBe('120');
  });

  it('the CLI simulator in script mode charges through the proxy', async () => {
    const run = await runCli([
      'simulate', '--endpoint', `${chargerEndpoint}/SIM-1`, '--protocol', 'ocpp1.6',
      '--script', `boot; plug 1; tap 1 ${DEMO_ID_TAG}; start 1; meter 1 x3; stop 1; unplug 1`,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const [tx] = await transactionsOf('SIM-1');
    expect(tx).toMatchObject({ protocol: 'ocpp2.0.1', active: false, idTag: DEMO_ID_TAG });
    expect(tx?.energyWh).toBeGreaterThan(0);
  });
});
