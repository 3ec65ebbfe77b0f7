import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { startRawCsms, type RawCsms } from '../../testing/rawCsms.fixture.js';
import type { FuzzReport } from './runFuzz.js';

async function fuzz(argv: string[]): Promise<{ code: number; report: FuzzReport; stderr: string }> {
  const io = bufferIo();
  const code = await runCli(['fuzz', '--json', ...argv], io);
  return { code, report: JSON.parse(io.stdout || '{}') as FuzzReport, stderr: io.stderr };
}

describe('chargewire fuzz against a conforming CSMS', () => {
  let csms: RawCsms;
  beforeAll(async () => void (csms = await startRawCsms({ protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] })));
  afterAll(() => csms.close());

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
    it(`finds no deviation on ${protocol}`, async () => {
      const { code, report, stderr } = await fuzz(['-e', csms.url(`F-${protocol}`), '-p', protocol, '--seed', '7', '--runs', '15']);
      expect(stderr).toBe('');
      expect(report.categories.filter((c) => c.deviation)).toEqual([]);
      expect(code).toBe(0);
      expect(report.seed).toBe(7);
      expect(report.categories.map((c) => c.name)).toContain('schema-BootNotification');
      expect(report.categories.find((c) => c.name === 'schema-BootNotification')?.runs).toBe(15);
      expect(report.framesSent).toBeGreaterThan(15 * 11);
    });
  }
});

describe('chargewire fuzz finds deviations', () => {
  it('reports unknown message types answered on 1.6 with a shrunk reproducer and replay data', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { answerUnknownTypes: true } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D1'), '-p', 'ocpp1.6', '--seed', '3', '--runs', '20', '--only', 'unknown-type,long-id']);
      expect(code).toBe(1);
      const unknown = report.categories.find((c) => c.name === 'unknown-type');
      expect(unknown?.deviation?.message).toMatch(/must be ignored/);
      // Shrinking reaches the simplest frame fast-check can build: smallest type, shortest id, no rest.
      expect(unknown?.deviation?.frame).toMatch(/^\[-?\d+,"[A-Za-z0-9-]"\]$/);
      expect(unknown?.deviation?.path).toMatch(/^\d+(:\d+)*$/);
      expect(report.categories.find((c) => c.name === 'long-id')?.deviation).toBeUndefined();

      // The reported seed and path replay the same reproducer.
      const replay = await fuzz(['-e', csms.url('D1'), '-p', 'ocpp1.6', '--seed', '3', '--runs', '20', '--only', 'unknown-type', '--path', unknown?.deviation?.path ?? '']);
      expect(replay.report.categories[0]?.deviation?.frame).toBe(unknown?.deviation?.frame);
    } finally {
      await csms.close();
    }
  });

  it('reports the wrong CALLERROR code for invalid JSON and accepted over-long ids', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp2.0.1'], faults: { invalidJsonCode: 'GenericError', acceptLongIds: true } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D2'), '-p', 'ocpp2.0.1', '--seed', '11', '--runs', '10', '--only', 'invalid-json,long-id']);
      expect(code).toBe(1);
      const invalid = report.categories.find((c) => c.name === 'invalid-json')?.deviation;
      expect(invalid?.message).toBe('CALLERROR with code GenericError, expected CALLERROR RpcFrameworkError|FormatViolation for "-1"');
      expect(invalid?.actual).toBe('CALLERROR GenericError for "-1"');
      expect(() => JSON.parse(invalid?.frame ?? '')).toThrow();
      const longId = report.categories.find((c) => c.name === 'long-id')?.deviation;
      expect(longId?.message).toMatch(/expected CALLERROR RpcFrameworkError\|FormatViolation for "-1"/);
      expect(longId?.frame).toMatch(/^\[2,"[A-Za-z0-9]{37}","Heartbeat",\{\}\]$/);
    } finally {
      await csms.close();
    }
  });

  it('detects a hang', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { hangOn: 'Heartbeat' } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D3'), '-p', 'ocpp1.6', '--seed', '1', '--runs', '1', '--only', 'stray-response', '--deadline', '200']);
      expect(code).toBe(1);
      expect(report.categories[0]?.deviation?.message).toMatch(/server hung/);
    } finally {
      await csms.close();
    }
  });

  it('detects a crash: the server stops accepting connections', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { crashOn: 'Heartbeat' } });
    const { code, report } = await fuzz(['-e', csms.url('D4'), '-p', 'ocpp1.6', '--seed', '1', '--runs', '5', '--only', 'bad-payload', '--deadline', '300']);
    expect(code).toBe(1);
    expect(report.crash?.message).toMatch(/stopped accepting connections/);
    expect(report.crash?.lastFrame).toMatch(/Heartbeat/);
  });

  it('rejects an unknown category and --path without one category (exit 2)', async () => {
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--only', 'nope'])).code).toBe(2);
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--path', '1:2'])).code).toBe(2);
  });
});
