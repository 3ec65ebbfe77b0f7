import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPClient } from '@chargewire/client';
import { runCli } from '../../program.js';
import { bufferIo, type BufferIo } from '../../testing/bufferIo.fixture.js';
import type { CheckReport } from '../check/runCheck.js';
import type { FuzzReport } from '../fuzz/runFuzz.js';
import { defaultResponse } from './defaultResponses.js';
import { getValidator } from '@chargewire/ocpp-types';

describe('defaultResponse', () => {
  it('answers every charger-initiated 1.6 and 2.0.1 action with a schema-valid payload', async () => {
    const { listActions, actionOrigin } = await import('@chargewire/ocpp-types');
    for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
      for (const action of listActions(protocol)) {
        if (!actionOrigin(protocol, action)?.includes('ChargingStation')) continue;
        const response = defaultResponse(protocol, action, {}, { nextTransactionId: 1 });
        const validate = getValidator(protocol, action, 'response');
        if (!validate) continue; // SEND-only
        expect(validate(response), `${protocol} ${action}`).toEqual({ valid: true });
      }
    }
  });

  it('hands out increasing transaction ids', () => {
    const state = { nextTransactionId: 1 };
    const a = defaultResponse('ocpp1.6', 'StartTransaction', {}, state) as { transactionId: number };
    const b = defaultResponse('ocpp1.6', 'StartTransaction', {}, state) as { transactionId: number };
    expect(b.transactionId).toBe(a.transactionId + 1);
  });
});

describe('chargewire serve', () => {
  let io: BufferIo;
  let done: Promise<number>;
  let base: string;

  beforeAll(async () => {
    io = bufferIo();
    done = runCli(['serve', '--port', '0', '--protocols', 'ocpp2.0.1,ocpp1.6', '--heartbeat-interval', '60'], io);
    const [, url] = await io.waitForOut(/listening on (ws:\/\/127\.0\.0\.1:\d+)\//);
    base = url ?? '';
  });
  afterAll(async () => {
    io.abort();
    await done;
  });

  it('accepts any charger, answers with valid defaults and logs every frame', async () => {
    const client = new OCPPClient({ endpoint: `${base}/ocpp`, identity: 'SERVE-1', protocols: ['ocpp1.6'], reconnect: false });
    await client.connect();
    const boot = await client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    expect(boot).toMatchObject({ status: 'Accepted', interval: 60 });
    const start = await client.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: new Date().toISOString() });
    expect(start.idTagInfo.status).toBe('Accepted');
    await client.close();
    await io.waitForOut(/SERVE-1 disconnected/);
    expect(io.stdout).toMatch(/SERVE-1 connected \(ocpp1\.6\)/);
    expect(io.stdout).toMatch(/SERVE-1 ← \[2,"[^"]+","BootNotification",\{"chargePointVendor":"V","chargePointModel":"M"\}\]/);
    expect(io.stdout).toMatch(/SERVE-1 → \[3,"[^"]+",\{"status":"Accepted"/);
    expect(io.stdout).toMatch(/SERVE-1 ← \[2,"[^"]+","StartTransaction"/);
  });

  it('passes chargewire check', async () => {
    const checkIo = bufferIo();
    const code = await runCli(['check', '--json', '-e', `${base}/ocpp/CHECK`, '--protocols', 'ocpp1.6,ocpp2.0.1'], checkIo);
    const report = JSON.parse(checkIo.stdout) as CheckReport;
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
  });

  it('passes chargewire fuzz on 2.0.1', async () => {
    const fuzzIo = bufferIo();
    const code = await runCli(['fuzz', '--json', '-e', `${base}/ocpp/FUZZ`, '-p', 'ocpp2.0.1', '--seed', '5', '--runs', '10'], fuzzIo);
    const report = JSON.parse(fuzzIo.stdout) as FuzzReport;
    expect(report.findings).toEqual([]);
    // Every charger→CSMS action of 2.0.1 was called, and the local CSMS implements them all.
    expect(report.categories.filter((c) => c.notImplemented)).toEqual([]);
    expect(report.categories.find((c) => c.name === 'TransactionEvent')?.runs).toBe(10);
    expect(code).toBe(0);
  });

  it('reports a port in use as a one-line error', async () => {
    const other = bufferIo();
    const port = new URL(base).port;
    expect(await runCli(['serve', '--port', port], other)).toBe(1);
    expect(other.stderr).toMatch(/^error: cannot listen on 127\.0\.0\.1:\d+: address in use\n$/);
  });
});
