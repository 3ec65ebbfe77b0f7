import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPServer } from '@chargewire/server';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import type { FuzzReport } from './runFuzz.js';

/**
 * The CSMS of issue 16: strict mode on, and two handlers that crash on payload shapes their authors did
 * not expect — BootNotification without the optional firmwareVersion, StartTransaction with the optional
 * reservationId.
 */
describe('chargewire fuzz against a strict CSMS with buggy handlers', () => {
  let server: OCPPServer;
  let base: string;
  const reservations = new Map<number, { connectorId: number }>();
  beforeAll(async () => {
    server = new OCPPServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client) => {
      client.handle('ocpp1.6', 'BootNotification', ({ params }) => {
        const major = params.firmwareVersion!.split('.')[0]; // crashes when the optional field is absent
        return { status: major === 'x' ? 'Pending' : 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
      });
      client.handle('ocpp1.6', 'StartTransaction', ({ params }) => {
        // Crashes when the optional reservationId is present: no reservation was ever made.
        if (params.reservationId !== undefined && reservations.get(params.reservationId)!.connectorId !== params.connectorId) {
          return { transactionId: 0, idTagInfo: { status: 'Invalid' } };
        }
        return { transactionId: 1, idTagInfo: { status: 'Accepted' } };
      });
      client.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    });
    const address: AddressInfo = await server.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${address.port}/ocpp`;
  });
  afterAll(() => server.close());

  it('finds both handler crashes, shrinks them to the optional field, and exits 1', async () => {
    const io = bufferIo();
    const code = await runCli(['fuzz', '--json', '-e', `${base}/BUGGY`, '-p', 'ocpp1.6', '--seed', '42', '--runs', '60', '--only', 'BootNotification,StartTransaction,Heartbeat'], io);
    expect(code).toBe(1);
    const report = JSON.parse(io.stdout) as FuzzReport;
    expect(report.findings.map((f) => `${f.category}:${f.kind}`).sort()).toEqual(['BootNotification:crash', 'StartTransaction:crash']);

    const boot = report.findings.find((f) => f.category === 'BootNotification');
    const bootPayload = (JSON.parse(boot?.frame ?? '[]') as unknown[])[3] as Record<string, unknown>;
    // Shrunk to the required fields only: the absent firmwareVersion is what crashes it.
    expect(Object.keys(bootPayload).sort()).toEqual(['chargePointModel', 'chargePointVendor']);
    expect(boot?.actual).toMatch(/^CALLERROR InternalError/);
    expect(boot?.replay).toMatch(/--only BootNotification --seed 42 --runs 60 --path \d+/);

    const start = report.findings.find((f) => f.category === 'StartTransaction');
    const startPayload = (JSON.parse(start?.frame ?? '[]') as unknown[])[3] as Record<string, unknown>;
    expect(Object.keys(startPayload).sort()).toEqual(['connectorId', 'idTag', 'meterStart', 'reservationId', 'timestamp']);

    // The replay command reproduces the shrunk case.
    const replayIo = bufferIo();
    const replayArgs = (boot?.replay ?? '').split(' ').slice(1);
    expect(await runCli([...replayArgs, '--json'], replayIo)).toBe(1);
    expect((JSON.parse(replayIo.stdout) as FuzzReport).findings[0]?.frame).toBe(boot?.frame);
  });

  it('prints the findings with reproducer and replay line', async () => {
    const io = bufferIo();
    const code = await runCli(['fuzz', '-e', `${base}/BUGGY-TEXT`, '-p', 'ocpp1.6', '--seed', '42', '--runs', '30', '--only', 'BootNotification'], io);
    expect(code).toBe(1);
    expect(io.stdout).toMatch(/^FAIL {2}BootNotification +crash: handler crash: CALLERROR InternalError for a schema-valid CALL$/m);
    expect(io.stdout).toMatch(/^ {6}reproducer: \[2,"[^"]+","BootNotification",\{"chargePointVendor":"[^"]*","chargePointModel":"[^"]*"\}\]$/m);
    expect(io.stdout).toMatch(/^ {6}replay: {5}chargewire fuzz --endpoint .*BUGGY-TEXT --protocol ocpp1\.6 --only BootNotification --seed 42/m);
    expect(io.stdout).toMatch(/^1 finding\(s\): 1 crash — 1 categories, \d+ frames/m);
  });
});
