import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { startRawCsms, type RawCsms } from '../../testing/rawCsms.fixture.js';
import { latencyStats, percentile } from './latencyStats.js';
import type { BenchResult } from './runBench.js';

describe('latency percentiles', () => {
  it('uses nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('orders min ≤ p50 ≤ p95 ≤ p99 ≤ max and every percentile is a sample', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }), (samples) => {
        const s = latencyStats(samples);
        expect(s.min).toBeLessThanOrEqual(s.p50);
        expect(s.p50).toBeLessThanOrEqual(s.p95);
        expect(s.p95).toBeLessThanOrEqual(s.p99);
        expect(s.p99).toBeLessThanOrEqual(s.max);
        for (const p of [s.p50, s.p95, s.p99]) expect(samples).toContain(p);
      }),
    );
  });
});

describe('chargewire bench', () => {
  let csms: RawCsms;
  beforeAll(async () => void (csms = await startRawCsms()));
  afterAll(() => csms.close());

  for (const [protocol, action] of [['ocpp1.6', 'MeterValues'], ['ocpp2.0.1', 'Heartbeat']] as const) {
    it(`measures ${action} on ${protocol} and prints JSON`, async () => {
      const io = bufferIo();
      const code = await runCli(
        ['bench', '--endpoint', csms.url(`B-${protocol}`), '--protocol', protocol, '--connections', '3', '--duration', '1', '--action', action, '--json'],
        io,
      );
      const result = JSON.parse(io.stdout) as BenchResult;
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      expect(result.calls).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
      expect(result.connected).toBe(3);
      expect(result.latencyMs.count).toBe(result.calls);
      expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
      const frames = csms.received.get(`B-${protocol}-2`) ?? [];
      expect(JSON.parse(frames[0] ?? '[]')[2]).toBe('BootNotification');
      expect(JSON.parse(frames[1] ?? '[]')[2]).toBe(action);
    });
  }

  it('prints a table and exits 1 when calls fail', async () => {
    const hanging = await startRawCsms({ faults: { hangOn: 'Heartbeat' } });
    const io = bufferIo();
    const code = await runCli(['bench', '-e', hanging.url('H'), '-c', '1', '-d', '0.2', '--timeout', '300'], io);
    await hanging.close();
    expect(code).toBe(1);
    expect(io.stdout).toMatch(/calls\/s/);
    expect(io.stdout).toMatch(/errors\s+1 \(timeout: 1\)/);
  });

  it('explains an unreachable endpoint in one line', async () => {
    const io = bufferIo();
    const code = await runCli(['bench', '-e', 'ws://127.0.0.1:1/ocpp/X', '-d', '0.1', '-c', '1'], io);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^error: cannot reach ws:\/\/127\.0\.0\.1:1\/ocpp\/X-1: connection refused/);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a refused upgrade with its HTTP status', async () => {
    const refusing = await startRawCsms({ refuseWith: 401 });
    const io = bufferIo();
    const code = await runCli(['bench', '-e', refusing.url('R'), '-d', '0.1', '-c', '1'], io);
    await refusing.close();
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/upgrade refused by .*: HTTP 401/);
  });

  it('rejects bad options with exit code 2', async () => {
    for (const argv of [
      ['bench', '-e', 'ws://x/ocpp/A', '--connections', '0'],
      ['bench', '-e', 'ws://x/ocpp/A', '--action', 'Authorize'],
      ['bench', '-e', 'http://x/ocpp/A'],
      ['bench'],
    ]) {
      const io = bufferIo();
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toMatch(/error/);
    }
  });
});
