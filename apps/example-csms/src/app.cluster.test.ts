import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, OPERATOR_AUTH, eventually, startTestCsms, type TestCsms } from './testing/harness.fixture.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Reads Server-Sent Events from an instance until `until` matches one. */
async function nextEvent(baseUrl: string, until: (type: string, data: Record<string, unknown>) => boolean, trigger: () => Promise<void>): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { signal: controller.signal, headers: OPERATOR_AUTH });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  await trigger();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('event stream ended');
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (type !== undefined && data !== undefined) {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (until(type, parsed)) return parsed;
        }
      }
    }
  } finally {
    controller.abort();
  }
}

describe('cluster mode (REDIS_URL): two instances, one database', () => {
  let dir: string;
  let a: TestCsms;
  let b: TestCsms;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'csms-cluster-'));
    const shared = { dir, redisUrl: REDIS_URL, redisPrefix: `csms-test-${randomUUID()}` };
    a = await startTestCsms({ ...shared, nodeId: 'node-a' });
    b = await startTestCsms({ ...shared, nodeId: 'node-b' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a REST call on one instance reaches a charger connected to the other, for both protocols', async () => {
    const cp = b.charger('CP-CL16', 'ocpp1.6');
    const cs = b.charger('CS-CL201', 'ocpp2.0.1');
    const received: unknown[] = [];
    cp.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => (received.push(params), { status: 'Accepted' }));
    cs.handle('ocpp2.0.1', 'Reset', ({ params }) => (received.push(params), { status: 'Accepted' }));
    await cp.connect();
    await cs.connect();

    const view = await eventually(async () => {
      const res = await a.api<{ connected: boolean; nodeId: string; protocol: string }>('GET', '/api/v1/chargers/CP-CL16');
      return res.status === 200 && res.body.connected ? res.body : undefined;
    });
    expect(view).toMatchObject({ nodeId: 'node-b', protocol: 'ocpp1.6' });
    const chargers = await a.api<{ items: Array<{ id: string; connected: boolean; nodeId: string | null }> }>('GET', '/api/v1/chargers');
    expect(chargers.body.items.filter((c) => c.id.includes('-CL'))).toEqual([
      expect.objectContaining({ id: 'CP-CL16', connected: true, nodeId: 'node-b' }),
      expect.objectContaining({ id: 'CS-CL201', connected: true, nodeId: 'node-b' }),
    ]);

    const start = await a.api('POST', '/api/v1/chargers/CP-CL16/remote-start', { connectorId: 1, idTag: 'DEMO-TAG-1' });
    expect(start).toEqual({ status: 200, body: { chargerId: 'CP-CL16', protocol: 'ocpp1.6', status: 'Accepted' } });
    const reset = await a.api('POST', '/api/v1/chargers/CS-CL201/reset', { type: 'Hard' });
    expect(reset.body).toMatchObject({ protocol: 'ocpp2.0.1', status: 'Accepted' });
    expect(received).toEqual([{ connectorId: 1, idTag: 'DEMO-TAG-1' }, { type: 'Immediate' }]);

    // A transaction written by node B is visible through node A (same database).
    const tx = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'DEMO-TAG-1', meterStart: 0, timestamp: NOW() });
    const list = await a.api<{ items: Array<{ id: number }> }>('GET', '/api/v1/transactions?chargerId=CP-CL16&status=active');
    expect(list.body.items.map((t) => t.id)).toEqual([tx.transactionId]);
  });

  it('streams events of chargers on other nodes to every dashboard', async () => {
    const cp = b.charger('CP-EVT', 'ocpp1.6');
    await cp.connect();
    const event = await nextEvent(
      a.baseUrl,
      (type, data) => type === 'connector.status' && (data.connector as { chargerId?: string } | undefined)?.chargerId === 'CP-EVT',
      async () => {
        await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: NOW() });
      },
    );
    expect(event).toMatchObject({ type: 'connector.status', connector: { chargerId: 'CP-EVT', connectorId: 1, status: 'Charging' } });
  });

  it('answers 409 when the charger is connected to no node', async () => {
    await a.api('POST', '/api/v1/chargers', { id: 'CP-NOWHERE' });
    expect((await b.api('POST', '/api/v1/chargers/CP-NOWHERE/reset', {})).status).toBe(409);
  });
});
