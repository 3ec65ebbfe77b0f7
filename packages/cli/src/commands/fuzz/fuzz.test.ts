import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { startRawCsms, type RawCsms } from '../../testing/rawCsms.fixture.js';
import type { FuzzReport } from './runFuzz.js';

async function fuzz(argv: string[]): Promise<{ code: number; report: FuzzReport; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await runCli(['fuzz', '--json', ...argv], io);
  return { code, report: JSON.parse(io.stdout || '{}') as FuzzReport, stdout: io.stdout, stderr: io.stderr };
}

const MALFORMED = 'invalid-json,not-a-frame,unknown-type,stray-response,send,bad-id,long-id,bad-arity,bad-action,unknown-action,bad-payload';

describe('chargewire fuzz against a conforming CSMS', () => {
  let csms: RawCsms;
  beforeAll(async () => void (csms = await startRawCsms({ protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] })));
  afterAll(() => csms.close());

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
    it(`finds nothing in the frame categories on ${protocol}`, async () => {
      const { code, report, stderr } = await fuzz(['-e', csms.url(`F-${protocol}`), '-p', protocol, '--seed', '7', '--runs', '15', '--only', MALFORMED]);
      expect(stderr).toBe('');
      expect(report.findings).toEqual([]);
      expect(code).toBe(0);
      expect(report.seed).toBe(7);
      expect(report.categories.map((c) => c.runs)).toEqual(Array(11).fill(15));
      expect(report.framesSent).toBeGreaterThan(15 * 11);
    });
  }

  it('covers every charger→CSMS action of 1.6, the security extension included', async () => {
    const { report } = await fuzz(['-e', csms.url('F-ALL'), '-p', 'ocpp1.6', '--seed', '7', '--runs', '8']);
    const names = report.categories.map((c) => c.name);
    for (const action of ['BootNotification', 'StartTransaction', 'StopTransaction', 'SecurityEventNotification', 'SignCertificate', 'SignedFirmwareStatusNotification', 'LogStatusNotification']) {
      expect(names).toContain(action);
    }
    expect(names).not.toContain('RemoteStartTransaction');
    // The raw CSMS implements only a few actions; the others are refused NotImplemented, which is no finding.
    expect(report.categories.find((c) => c.name === 'StartTransaction')?.notImplemented).toBe(true);
    expect(report.findings).toEqual([]);
  });
});

describe('chargewire fuzz finds deviations', () => {
  it('reports unknown message types answered on 1.6 with a shrunk reproducer and replay data', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { answerUnknownTypes: true } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D1'), '-p', 'ocpp1.6', '--seed', '3', '--runs', '20', '--only', 'unknown-type,long-id']);
      expect(code).toBe(1);
      expect(report.findings).toHaveLength(1);
      const unknown = report.findings[0];
      expect(unknown?.kind).toBe('deviation');
      expect(unknown?.category).toBe('unknown-type');
      expect(unknown?.message).toMatch(/must be ignored/);
      // Shrinking reaches the simplest frame fast-check can build: smallest type, shortest id, no rest.
      expect(unknown?.frame).toMatch(/^\[-?\d+,"[A-Za-z0-9-]"\]$/);
      expect(unknown?.path).toMatch(/^\d+(:\d+)*$/);
      expect(unknown?.replay).toContain(`--only unknown-type --seed 3 --runs 20 --path ${unknown?.path}`);

      // The reported seed and path replay the same reproducer.
      const replay = await fuzz(['-e', csms.url('D1'), '-p', 'ocpp1.6', '--seed', '3', '--runs', '20', '--only', 'unknown-type', '--path', unknown?.path ?? '']);
      expect(replay.report.findings[0]?.frame).toBe(unknown?.frame);
    } finally {
      await csms.close();
    }
  });

  it('reports the wrong CALLERROR code for invalid JSON and accepted over-long ids', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp2.0.1'], faults: { invalidJsonCode: 'GenericError', acceptLongIds: true } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D2'), '-p', 'ocpp2.0.1', '--seed', '11', '--runs', '10', '--only', 'invalid-json,long-id']);
      expect(code).toBe(1);
      const invalid = report.findings.find((f) => f.category === 'invalid-json');
      expect(invalid?.message).toBe('CALLERROR with code GenericError, expected CALLERROR RpcFrameworkError|FormatViolation for "-1"');
      expect(invalid?.actual).toBe('CALLERROR GenericError for "-1"');
      expect(() => JSON.parse(invalid?.frame ?? '')).toThrow();
      const longId = report.findings.find((f) => f.category === 'long-id');
      expect(longId?.message).toMatch(/expected CALLERROR RpcFrameworkError\|FormatViolation for "-1"/);
      expect(longId?.frame).toMatch(/^\[2,"[A-Za-z0-9]{37}","Heartbeat",\{\}\]$/);
    } finally {
      await csms.close();
    }
  });

  it('reports a hang', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { hangOn: 'Heartbeat' } });
    try {
      const { code, report } = await fuzz(['-e', csms.url('D3'), '-p', 'ocpp1.6', '--seed', '1', '--runs', '1', '--only', 'stray-response', '--deadline', '200']);
      expect(code).toBe(1);
      expect(report.findings[0]?.kind).toBe('hang');
    } finally {
      await csms.close();
    }
  });

  it('reports an endpoint that stops accepting connections, with the last frame', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'], faults: { crashOn: 'Heartbeat' } });
    const { code, report } = await fuzz(['-e', csms.url('D4'), '-p', 'ocpp1.6', '--seed', '1', '--runs', '5', '--only', 'bad-payload', '--deadline', '300']);
    expect(code).toBe(1);
    const unreachable = report.findings.find((f) => f.kind === 'unreachable');
    expect(unreachable?.message).toMatch(/stopped accepting connections/);
    expect(unreachable?.frame).toMatch(/Heartbeat/);
  });

  it('rejects an unknown category, --path without one category, and neither/both of --endpoint and --listen (exit 2)', async () => {
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--only', 'nope'])).code).toBe(2);
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--only', 'RemoteStartTransaction'])).code).toBe(2);
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--path', '1:2'])).code).toBe(2);
    expect((await fuzz([])).code).toBe(2);
    expect((await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--listen', '0'])).code).toBe(2);
  });

  it('reports an unreachable endpoint as an error, not a finding (exit 1)', async () => {
    const { code, stderr } = await fuzz(['-e', 'ws://127.0.0.1:1/o/X', '--only', 'invalid-json']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot reach ws:\/\/127\.0\.0\.1:1\/o\/X/);
  });
});
