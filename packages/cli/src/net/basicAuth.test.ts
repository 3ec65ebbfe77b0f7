import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPServer } from '@chargewire/server';
import { runCli } from '../program.js';
import { bufferIo } from '../testing/bufferIo.fixture.js';
import type { CheckReport } from '../commands/check/runCheck.js';
import type { BenchResult } from '../commands/bench/runBench.js';
import { basicAuthFor } from './basicAuth.js';

const PASSWORD = 'correct:horse:battery';

describe('basicAuthFor', () => {
  it('uses the percent-decoded identity as user name and keeps colons in the password', () => {
    const header = basicAuthFor('ws://h/ocpp/CP%201', 'a:b');
    expect(Buffer.from(header.replace('Basic ', ''), 'base64').toString()).toBe('CP 1:a:b');
  });
});

describe('commands against a CSMS with Basic auth (security profile 1)', () => {
  let server: OCPPServer;
  let base: string;
  beforeAll(async () => {
    server = new OCPPServer({ protocols: ['ocpp1.6'], securityProfile: 1 });
    server.auth((ctx) => (ctx.handshake.password?.toString('utf8') === PASSWORD ? ctx.accept() : ctx.reject(401, 'Bad credentials')));
    server.on('client', (client) => {
      client.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 }));
      client.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      client.handle('ocpp1.6', 'StatusNotification', () => ({}));
    });
    const address: AddressInfo = await server.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${address.port}/ocpp`;
  });
  afterAll(() => server.close());

  it('check explains the refusal without --password and passes with it', async () => {
    const refused = bufferIo();
    expect(await runCli(['check', '-e', `${base}/AUTH-1`, '--protocols', 'ocpp1.6'], refused)).toBe(1);
    expect(refused.stderr).toMatch(/upgrade refused by .*AUTH-1: HTTP 401 \(does it need --password\?\)/);

    const io = bufferIo();
    const code = await runCli(['check', '--json', '-e', `${base}/AUTH-1`, '--protocols', 'ocpp1.6', '--password', PASSWORD], io);
    const report = JSON.parse(io.stdout) as CheckReport;
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
  });

  it('bench and simulate authenticate every charger', async () => {
    const io = bufferIo();
    expect(await runCli(['bench', '--json', '-e', `${base}/AUTH-B`, '-c', '2', '-d', '0.3', '--password', PASSWORD], io)).toBe(0);
    expect((JSON.parse(io.stdout) as BenchResult).calls).toBeGreaterThan(0);
    const sim = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/AUTH-S`, '--password', PASSWORD, '--script', 'boot; heartbeat'], sim)).toBe(0);
  });
});
