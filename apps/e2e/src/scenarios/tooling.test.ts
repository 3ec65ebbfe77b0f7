import { createCsms, type Csms } from '@chargewire/example-csms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// Scenario 3: the CLI's tools against the live example CSMS, through the built `chargewire` bin.
let csms: Csms;
let endpoint: string;

beforeAll(async () => {
  csms = await createCsms({ databaseFile: ':memory:', port: 0, host: '127.0.0.1', pingIntervalMs: 0 });
  const { port } = await csms.listen();
  endpoint = `ws://127.0.0.1:${port}/api/v1/chargers`;
});

afterAll(async () => {
  await csms.close();
});

describe('chargewire tooling against the example CSMS', () => {
  it('check: every transport rule passes for both versions the CSMS speaks', async () => {
    const run = await runCli(['check', '--endpoint', `${endpoint}/CHECK-1`, '--protocols', 'ocpp1.6,ocpp2.0.1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { results: Array<{ id: string; protocol: string; status: string }> };
    expect(report.results.length).toBeGreaterThan(20);
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1']) {
    it(`fuzz (${protocol}, fixed seed): every charger action and frame category, zero findings`, async () => {
      const run = await runCli(['fuzz', '--endpoint', `${endpoint}/FUZZ-${protocol}`, '--protocol', protocol, '--seed', '20261125', '--runs', '40', '--json']);
      const report = JSON.parse(run.stdout || '{}') as { findings: unknown[]; framesSent: number; categories: Array<{ name: string; runs: number }> };
      expect(report.findings, run.stderr).toEqual([]);
      expect(run.code, run.stderr).toBe(0);
      // BootNotification, StartTransaction/TransactionEvent and the rest were all called.
      expect(report.categories.find((c) => c.name === 'BootNotification')?.runs).toBe(40);
      expect(report.categories.length).toBeGreaterThan(protocol === 'ocpp1.6' ? 24 : 35);
      expect(report.framesSent).toBeGreaterThan(1000);
      // The server is still healthy after the fuzzing.
      const health = await fetch(endpoint.replace('ws://', 'http://').replace('/api/v1/chargers', '/health'));
      expect(health.status).toBe(200);
    });
  }

  it('bench: a few seconds of load report throughput above zero and no errors', async () => {
    const run = await runCli(['bench', '--endpoint', `${endpoint}/BENCH`, '--connections', '5', '--duration', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { callsPerSecond: number; errors: number; connected: number };
    expect(result.connected).toBe(5);
    expect(result.callsPerSecond).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
  });
});
