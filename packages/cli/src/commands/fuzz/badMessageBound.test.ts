import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPServer } from '@chargewire/server';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import type { FuzzReport } from './runFuzz.js';

/**
 * A server that closes with 1008 after a few bad messages (malformed frames, refused CALLs) is enforcing a
 * documented bound, not failing: the fuzzer must judge every frame on fresh connections and report nothing.
 */
describe('chargewire fuzz against a server with a tight bad-message bound', () => {
  let server: OCPPServer;
  let base: string;
  beforeAll(async () => {
    server = new OCPPServer({ protocols: ['ocpp2.0.1'], strictMode: true, maxBadMessages: 2, pingIntervalMs: 0 });
    server.on('client', (client) => {
      client.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
      client.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    });
    const address: AddressInfo = await server.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${address.port}/ocpp`;
  });
  afterAll(() => server.close());

  it('reports no finding for 1008 closes after malformed frames, and still judges every frame', async () => {
    const io = bufferIo();
    const code = await runCli(['fuzz', '--json', '-e', `${base}/BOUND`, '-p', 'ocpp2.0.1', '--seed', '5', '--runs', '25', '--only', 'invalid-json,bad-id,unknown-action,Heartbeat,NotifyEvent'], io);
    const report = JSON.parse(io.stdout) as FuzzReport;
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    // Every case of every category was judged, on as many fresh connections as the bound required.
    expect(Object.fromEntries(report.categories.map((c) => [c.name, c.runs]))).toEqual({ 'invalid-json': 25, 'bad-id': 25, 'unknown-action': 25, Heartbeat: 25, NotifyEvent: 25 });
  });
});
