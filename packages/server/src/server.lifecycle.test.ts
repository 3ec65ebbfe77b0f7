import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { formatPrometheus, OCPPServer } from './index.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';

const start = useServers();

describe('close()', () => {
  it('closes every client with 1001 and stops accepting', async () => {
    const { server, url } = await start();
    const a = await connectRaw(`${url}/A`, 'ocpp1.6');
    const b = await connectRaw(`${url}/B`, 'ocpp2.0.1');
    let closeEvent = false;
    server.on('close', () => (closeEvent = true));
    await server.close();
    expect(await a.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect((await b.closed).code).toBe(1001);
    expect(server.clients.size).toBe(0);
    expect(closeEvent).toBe(true);
    await expect(connectRaw(`${url}/C`, 'ocpp1.6')).rejects.toThrow();
    await server.close(); // idempotent
  });

  it('awaitPending waits for outbound calls in flight before closing', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await accepted;
    const result = client.call('ocpp1.6', 'Reset', { type: 'Soft' });
    const call = (await raw.next((f) => Array.isArray(f) && f[0] === 2)) as unknown[];
    const closing = server.close({ awaitPending: true, code: 1001, reason: 'maintenance' });
    // New connections are refused while the server drains.
    expect((await refusedStatus(`${url}/CP-2`).catch(() => ({ status: 0 }))).status).not.toBe(101);
    raw.send([3, call[1], { status: 'Accepted' }]);
    expect(await result).toEqual({ status: 'Accepted' });
    await closing;
    expect(await raw.closed).toEqual({ code: 1001, reason: 'maintenance' });
  });

  it('never closes an HTTP server passed in by the user', async () => {
    const http = createServer((_req, res) => res.end('still here'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    const server = new OCPPServer({ server: http, pingIntervalMs: 0 });
    const raw = await connectRaw(`ws://127.0.0.1:${port}/CP-1`, 'ocpp1.6');
    await server.close();
    expect((await raw.closed).code).toBe(1001);
    expect(http.listening).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('still here');
    await new Promise((r) => http.close(r));
  });
});

describe('Express on the same port', () => {
  it('REST answers while chargers are connected; /metrics serves the stats', async () => {
    const app = express();
    const http = createServer(app);
    const ocpp = new OCPPServer({ server: http, pingIntervalMs: 0, protocols: ['ocpp1.6'] });
    const route = ocpp.route('/ocpp/:id');
    route.on('client', (client) => client.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date(0).toISOString() })));
    app.get('/api/chargers', (_req, res) => {
      res.json([...ocpp.clients.keys()]);
    });
    app.get('/metrics', (_req, res) => {
      res.type('text/plain').send(formatPrometheus(ocpp.stats()));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    try {
      const chargers = await Promise.all(['CP-1', 'CP-2'].map((id) => connectRaw(`ws://127.0.0.1:${port}/ocpp/${id}`, 'ocpp1.6')));
      chargers[0]!.send([2, 'h1', 'Heartbeat', {}]);
      await chargers[0]!.next((f) => Array.isArray(f) && f[1] === 'h1');
      expect(await (await fetch(`http://127.0.0.1:${port}/api/chargers`)).json()).toEqual(['CP-1', 'CP-2']);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('chargewire_connections{protocol="ocpp1.6"} 2');
      expect(metrics).toContain('chargewire_calls_total{direction="in"} 1');
      expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
      expect((await refusedStatus(`ws://127.0.0.1:${port}/api/chargers`)).status).toBe(404);
      for (const c of chargers) c.ws.close();
    } finally {
      await ocpp.close();
      await new Promise((r) => http.close(r));
    }
  });
});
