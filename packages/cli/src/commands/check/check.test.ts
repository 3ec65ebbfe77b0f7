import { describe, expect, it } from 'vitest';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { startRawCsms, type RawCsmsOptions } from '../../testing/rawCsms.fixture.js';
import type { RuleResult } from './ruleResult.js';
import type { CheckReport } from './runCheck.js';

async function check(options: RawCsmsOptions, extra: string[] = []): Promise<{ code: number; report: CheckReport; stderr: string }> {
  const csms = await startRawCsms(options);
  try {
    const io = bufferIo();
    const code = await runCli(['check', '--json', '-e', csms.url('CHECK-1'), '--timeout', '1000', ...extra], io);
    return { code, report: JSON.parse(io.stdout || '{"results":[]}') as CheckReport, stderr: io.stderr };
  } finally {
    await csms.close();
  }
}

const rule = (report: CheckReport, id: string, protocol?: string): RuleResult | undefined =>
  report.results.find((r) => r.id === id && (protocol === undefined || r.protocol === protocol));

describe('chargewire check', () => {
  it('passes a conforming CSMS on every version it supports', async () => {
    const { code, report } = await check({ protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'], perMessageDeflate: true });
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report.supported).toEqual(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
    expect(rule(report, 'subprotocol.no-match')?.status).toBe('pass');
    expect(rule(report, 'identity.max-length')?.status).toBe('pass');
    expect(rule(report, 'message-type.unknown', 'ocpp2.0.1')?.detail).toMatch(/MessageTypeNotSupported/);
    expect(rule(report, 'message-type.unknown', 'ocpp2.1')?.detail).toBe('no answer');
    expect(rule(report, 'error.schema-code', 'ocpp1.6')?.detail).toMatch(/OccurenceConstraintViolation/);
    for (const r of report.results) expect(r.section).not.toBe('');
  });

  it('fails the rules a non-conforming CSMS breaks', async () => {
    const { code, report } = await check({
      protocols: ['ocpp2.0.1'],
      perMessageDeflate: false,
      faults: { serveWithoutProtocol: true, noPong: true, unknownActionCode: 'NotSupported', acceptLongIds: true },
    }, ['--protocols', 'ocpp1.6,ocpp2.0.1']);
    expect(code).toBe(1);
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id).sort();
    expect(failed).toEqual(['compression.permessage-deflate', 'error.unknown-action', 'message-id.max-length', 'ping.pong', 'subprotocol.no-match']);
    expect(rule(report, 'subprotocol.accepted', 'ocpp1.6')?.status).toBe('n/a');
    expect(rule(report, 'subprotocol.server-preference')?.status).toBe('n/a');
  });

  it('prints one line per rule with the spec section', async () => {
    const csms = await startRawCsms({ protocols: ['ocpp1.6'] });
    try {
      const io = bufferIo();
      const code = await runCli(['check', '-e', csms.url('CHECK-2'), '--protocols', 'ocpp1.6'], io);
      expect(code).toBe(0);
      const lines = io.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^PASS\s+ocpp1\.6\s+subprotocol\.accepted .* \[1\.6 §3\.1\.2/);
      expect(lines.some((l) => /^N\/A\s+ocpp1\.6\s+compression\.permessage-deflate .*optional in 1\.6/.test(l))).toBe(true);
      expect(lines.at(-1)).toMatch(/^\d+ pass, 0 fail, \d+ not applicable$/);
    } finally {
      await csms.close();
    }
  });

  it('explains an unreachable endpoint and a CSMS that accepts no version', async () => {
    const io = bufferIo();
    expect(await runCli(['check', '-e', 'ws://127.0.0.1:1/ocpp/X'], io)).toBe(1);
    expect(io.stderr).toMatch(/^error: cannot reach .*connection refused/);
    const { code, stderr } = await check({ protocols: ['ocpp2.0.1'] }, ['--protocols', 'ocpp1.6']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/accepts none of the subprotocols ocpp1\.6/);
  });

  it('rejects an unknown protocol with exit code 2', async () => {
    const io = bufferIo();
    expect(await runCli(['check', '-e', 'ws://127.0.0.1:1/ocpp/X', '--protocols', 'ocpp3'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown protocol 'ocpp3'/);
  });
});
