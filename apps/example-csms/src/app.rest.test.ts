import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOREPLY, RpcError } from '@chargewire/rpc-core';
import { NOW, OPERATOR_AUTH, startTestCsms, type TestCsms } from './testing/harness.fixture.js';

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }> | Record<string, unknown>;
}

describe('REST API', () => {
  let t: TestCsms;
  beforeAll(async () => {
    t = await startTestCsms({ callTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('input validation (400)', () => {
    it.each([
      ['missing id', { password: 'a-long-enough-password' }, 'id'],
      ['id with a colon', { id: 'CP:1' }, 'id'],
      ['id too long', { id: 'x'.repeat(49) }, 'id'],
      ['short password', { id: 'CP-V', password: 'short' }, 'password'],
      ['long password', { id: 'CP-V', password: 'p'.repeat(41) }, 'password'],
      ['bad registration status', { id: 'CP-V', registrationStatus: 'Maybe' }, 'registrationStatus'],
      ['unknown field', { id: 'CP-V', colour: 'red' }, 'colour'],
      ['wrong type', { id: 42 }, 'id'],
    ])('register charger: %s', async (_name, body, field) => {
      const res = await t.api<ErrorBody>('POST', '/api/v1/chargers', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ValidationError');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(res.body.message).toContain(field);
    });

    it('rejects malformed JSON, non-object bodies and non-JSON content types', async () => {
      const bad = await fetch(`${t.baseUrl}/api/v1/chargers`, { method: 'POST', headers: { ...OPERATOR_AUTH, 'content-type': 'application/json' }, body: '{"id":' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'InvalidJson' });
      expect((await t.api<ErrorBody>('POST', '/api/v1/chargers', '[1,2]')).status).toBe(400);
      const form = await fetch(`${t.baseUrl}/api/v1/chargers`, { method: 'POST', headers: { ...OPERATOR_AUTH, 'content-type': 'text/plain' }, body: 'id=CP' });
      expect(form.status).toBe(415);
    });

    it('validates query strings and id tags', async () => {
      expect((await t.api<ErrorBody>('GET', '/api/v1/transactions?limit=0')).status).toBe(400);
      expect((await t.api<ErrorBody>('GET', '/api/v1/transactions?status=running')).status).toBe(400);
      expect((await t.api<ErrorBody>('GET', '/api/v1/transactions?foo=1')).body.error).toBe('ValidationError');
      expect((await t.api<ErrorBody>('GET', '/api/v1/transactions/abc')).status).toBe(400);
      expect((await t.api<ErrorBody>('POST', '/api/v1/id-tags', { idTag: 'T'.repeat(37) })).status).toBe(400);
      expect((await t.api<ErrorBody>('POST', '/api/v1/id-tags', { idTag: 'TAG-X', expiryDate: 'tomorrow' })).status).toBe(400);
      expect((await t.api<ErrorBody>('POST', '/api/v1/id-tags', { idTag: 'TAG-X', status: 'Great' })).status).toBe(400);
    });
  });

  it('answers 404 for unknown chargers, transactions and routes', async () => {
    expect((await t.api<ErrorBody>('GET', '/api/v1/chargers/NOPE')).status).toBe(404);
    expect((await t.api<ErrorBody>('POST', '/api/v1/chargers/NOPE/remote-start', { idTag: 'X' })).status).toBe(404);
    expect((await t.api<ErrorBody>('PATCH', '/api/v1/chargers/NOPE', { description: 'x' })).status).toBe(404);
    expect((await t.api<ErrorBody>('GET', '/api/v1/transactions/999999')).status).toBe(404);
    expect((await t.api<ErrorBody>('GET', '/api/v1/nothing-here')).body).toMatchObject({ error: 'NotFound' });
  });

  it('manages chargers and id tags', async () => {
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-M', description: 'lab' })).status).toBe(201);
    expect((await t.api<ErrorBody>('POST', '/api/v1/chargers', { id: 'CP-M' })).status).toBe(409);
    const patched = await t.api<Record<string, unknown>>('PATCH', '/api/v1/chargers/CP-M', { password: 'sixteen-chars-pw', registrationStatus: 'Rejected' });
    expect(patched.body).toMatchObject({ authentication: 'basic', registrationStatus: 'Rejected' });
    expect((await t.api('DELETE', '/api/v1/chargers/CP-M')).status).toBe(204);
    expect((await t.api('GET', '/api/v1/chargers/CP-M')).status).toBe(404);

    expect((await t.api('POST', '/api/v1/id-tags', { idTag: 'TAG-B', status: 'Blocked' })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/id-tags', { idTag: 'TAG-B' })).status).toBe(409);
    expect((await t.api('PUT', '/api/v1/id-tags/TAG-B', { status: 'Accepted', expiryDate: '2031-01-01T00:00:00Z' })).body).toMatchObject({
      idTag: 'TAG-B', status: 'Accepted', expiryDate: '2031-01-01T00:00:00.000Z',
    });
    expect((await t.api('DELETE', '/api/v1/id-tags/TAG-B')).status).toBe(204);
    expect((await t.api('DELETE', '/api/v1/id-tags/TAG-B')).status).toBe(404);
  });

  it('closes the connection of a charger whose registration is deleted', async () => {
    const cp = t.charger('CP-DEL', 'ocpp1.6');
    await cp.connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => cp.once('disconnect', resolve));
    expect((await t.api('DELETE', '/api/v1/chargers/CP-DEL')).status).toBe(204);
    expect(await closed).toEqual({ code: 1000, reason: 'Charger removed' });
  });

  it('answers 409 when the charger is registered but connected nowhere', async () => {
    await t.api('POST', '/api/v1/chargers', { id: 'CP-OFF' });
    const res = await t.api<ErrorBody>('POST', '/api/v1/chargers/CP-OFF/reset', { type: 'Hard' });
    expect(res).toEqual({ status: 409, body: { error: 'ChargerOffline', message: 'charger CP-OFF is not connected' } });
  });

  it('answers 504 when the charger does not answer in time and 502 with the CALLERROR code', async () => {
    const cp = t.charger('CP-SLOW', 'ocpp1.6');
    cp.handle('ocpp1.6', 'Reset', () => NOREPLY);
    cp.handle('ocpp1.6', 'RemoteStartTransaction', () => {
      throw new RpcError('NotSupported', 'no remote start here');
    });
    await cp.connect();
    const slow = await t.api<ErrorBody>('POST', '/api/v1/chargers/CP-SLOW/reset?timeoutMs=300', { type: 'Soft' });
    expect(slow.status).toBe(504);
    expect(slow.body.error).toBe('ChargerTimeout');
    const failed = await t.api<ErrorBody>('POST', '/api/v1/chargers/CP-SLOW/remote-start', { idTag: 'DEMO-TAG-1' });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: 'ChargerError', details: { code: 'NotSupported', description: 'no remote start here' } });
    // 1.6 id tags are CiString20: refused before anything is sent.
    expect((await t.api<ErrorBody>('POST', '/api/v1/chargers/CP-SLOW/remote-start', { idTag: 'X'.repeat(21) })).status).toBe(400);
  });

  it('answers 409 for stopping a transaction that has already stopped', async () => {
    const cp = t.charger('CP-DONE', 'ocpp1.6');
    await cp.connect();
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'DEMO-TAG-1', meterStart: 0, timestamp: NOW() });
    await cp.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 10, timestamp: NOW() });
    const res = await t.api<ErrorBody>('POST', '/api/v1/chargers/CP-DONE/remote-stop', { transactionId: start.transactionId });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('TransactionNotActive');
  });

  it('maps get / change configuration and reset per protocol version', async () => {
    const cp = t.charger('CP-CFG16', 'ocpp1.6');
    const cs = t.charger('CS-CFG201', 'ocpp2.0.1');
    const seen: unknown[] = [];
    cp.handle('ocpp1.6', 'GetConfiguration', ({ params }) => (seen.push(params), {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['Foo'],
    }));
    cp.handle('ocpp1.6', 'ChangeConfiguration', ({ params }) => (seen.push(params), { status: 'Accepted' }));
    cp.handle('ocpp1.6', 'Reset', ({ params }) => (seen.push(params), { status: 'Accepted' }));
    cs.handle('ocpp2.0.1', 'GetVariables', ({ params }) => (seen.push(params), {
      getVariableResult: params.getVariableData.map((d) =>
        d.variable.name === 'HeartbeatInterval'
          ? { attributeStatus: 'Accepted' as const, attributeValue: '120', component: d.component, variable: d.variable }
          : { attributeStatus: 'UnknownVariable' as const, component: d.component, variable: d.variable }),
    }));
    cs.handle('ocpp2.0.1', 'SetVariables', ({ params }) => (seen.push(params), {
      setVariableResult: [{ attributeStatus: 'RebootRequired', component: params.setVariableData[0]!.component, variable: params.setVariableData[0]!.variable }],
    }));
    cs.handle('ocpp2.0.1', 'Reset', ({ params }) => (seen.push(params), { status: 'Scheduled' }));
    await cp.connect();
    await cs.connect();

    const get16 = await t.api('GET', '/api/v1/chargers/CP-CFG16/configuration?key=HeartbeatInterval,Foo');
    expect(get16.body).toMatchObject({
      protocol: 'ocpp1.6',
      configuration: [{ key: 'HeartbeatInterval', value: '300', readonly: false }],
      unknownKeys: [{ key: 'Foo', status: 'Unknown' }],
    });
    expect(seen.shift()).toEqual({ key: ['HeartbeatInterval', 'Foo'] });
    expect((await t.api('PUT', '/api/v1/chargers/CP-CFG16/configuration', { key: 'HeartbeatInterval', value: '60' })).body).toMatchObject({ status: 'Accepted' });
    expect(seen.shift()).toEqual({ key: 'HeartbeatInterval', value: '60' });
    expect((await t.api('POST', '/api/v1/chargers/CP-CFG16/reset', { type: 'Hard' })).body).toMatchObject({ status: 'Accepted' });
    expect(seen.shift()).toEqual({ type: 'Hard' });

    const get201 = await t.api('GET', '/api/v1/chargers/CS-CFG201/configuration?key=HeartbeatInterval&key=EVSE.Foo');
    expect(get201.body).toMatchObject({
      protocol: 'ocpp2.0.1',
      configuration: [{ key: 'HeartbeatInterval', value: '120' }],
      unknownKeys: [{ key: 'EVSE.Foo', status: 'UnknownVariable' }],
    });
    expect(seen.shift()).toEqual({
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'EVSE' }, variable: { name: 'Foo' } },
      ],
    });
    expect((await t.api('PUT', '/api/v1/chargers/CS-CFG201/configuration', { key: 'MeterValueSampleInterval', value: '30' })).body).toMatchObject({ status: 'RebootRequired' });
    expect(seen.shift()).toEqual({
      setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '30' }],
    });
    expect((await t.api('PUT', '/api/v1/chargers/CS-CFG201/configuration', { key: 'not a key', value: '1' })).status).toBe(400);
    expect((await t.api('POST', '/api/v1/chargers/CS-CFG201/reset', {})).body).toMatchObject({ status: 'Scheduled' });
    expect(seen.shift()).toEqual({ type: 'OnIdle' });
  });

  it('serves /health, /metrics and the dashboard page', async () => {
    const health = await t.api('GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', nodeId: t.csms.nodeId, cluster: false } });
    const metrics = await fetch(`${t.baseUrl}/metrics`, { headers: OPERATOR_AUTH });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('chargewire_connections_open');
    expect(text).toMatch(/csms_chargers_registered \d+/);
    const page = await fetch(`${t.baseUrl}/`, { headers: OPERATOR_AUTH });
    expect(await page.text()).toContain('<script type="module" src="/js/overview.js">');
  });
});
