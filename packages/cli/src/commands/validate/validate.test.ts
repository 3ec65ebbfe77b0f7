import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exampleFor } from '@chargewire/ocpp-types/examples';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import type { ValidationReport } from './validateText.js';
import { validateText } from './validateText.js';

describe('validateText', () => {
  it('accepts a valid payload and a valid frame', () => {
    expect(validateText('{"idTag":"TAG"}', { protocol: 'ocpp1.6', action: 'Authorize' }).valid).toBe(true);
    const frame = JSON.stringify([2, 'm1', 'BootNotification', exampleFor('ocpp2.0.1', 'BootNotification', 'request')]);
    const report = validateText(frame, { protocol: 'ocpp2.0.1' });
    expect(report).toMatchObject({ valid: true, frame: true, action: 'BootNotification', kind: 'request' });
  });

  it('maps schema keywords to the per-version wire codes', () => {
    const missing = validateText('{}', { protocol: 'ocpp1.6', action: 'Authorize' });
    expect(missing.violations[0]).toMatchObject({ keyword: 'required', code: 'OccurrenceConstraintViolation', wireCode: 'OccurenceConstraintViolation' });
    const long = validateText(JSON.stringify({ idTag: 'x'.repeat(21) }), { protocol: 'ocpp1.6', action: 'Authorize' });
    expect(long.violations[0]?.wireCode).toBe('FormationViolation');
    const type = validateText('{"idToken":{"idToken":5,"type":"Central"}}', { protocol: 'ocpp2.0.1', action: 'Authorize' });
    expect(type.violations[0]).toMatchObject({ pointer: '/idToken/idToken', wireCode: 'TypeConstraintViolation' });
  });

  it('reports frame-level problems with the code the spec answers with', () => {
    expect(validateText('[2,"a"', { protocol: 'ocpp1.6' }).violations[0]?.wireCode).toBe('FormationViolation');
    expect(validateText('[2,"a","Heartbeat"]', { protocol: 'ocpp2.0.1' }).violations[0]?.wireCode).toBe('RpcFrameworkError');
    expect(validateText('[2,"a","Nope",{}]', { protocol: 'ocpp2.0.1' }).violations[0]?.wireCode).toBe('NotImplemented');
    expect(validateText('[3,"a",{"currentTime":"2025-01-01T00:00:00Z"}]', { protocol: 'ocpp1.6', action: 'Heartbeat' })).toMatchObject({ valid: true, kind: 'response' });
    expect(() => validateText('{}', { protocol: 'ocpp1.6' })).toThrow(/--action is required/);
    expect(() => validateText('[2,"a","Heartbeat",{}]', { protocol: 'ocpp1.6', action: 'Authorize' })).toThrow(/does not match/);
  });

  it('accepts every generated example of every request (property)', () => {
    const protocol = 'ocpp1.6';
    const actions = ['BootNotification', 'MeterValues', 'StartTransaction', 'StopTransaction', 'StatusNotification'];
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.nat(), (action, seed) => {
        const payload = exampleFor(protocol, action, 'request', { seed });
        expect(validateText(JSON.stringify(payload), { protocol, action }).violations).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('chargewire validate', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'cw-validate-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file, prints violations and exits 1', async () => {
    const file = join(dir, 'auth.json');
    await writeFile(file, '{"idTag": 42, "extra": true}');
    const io = bufferIo();
    expect(await runCli(['validate', '-p', 'ocpp1.6', '-a', 'Authorize', file], io)).toBe(1);
    expect(io.stdout).toMatch(/violation\(s\): ocpp1.6 Authorize request/);
    expect(io.stdout).toMatch(/TypeConstraintViolation\s+\/idTag/);
    expect(io.stdout).toMatch(/PropertyConstraintViolation/);
  });

  it('reads standard input and prints JSON', async () => {
    const io = bufferIo('[2,"id-1","Heartbeat",{}]');
    expect(await runCli(['validate', '--protocol', 'ocpp2.1', '--json', '-'], io)).toBe(0);
    const report = JSON.parse(io.stdout) as ValidationReport;
    expect(report).toEqual({ protocol: 'ocpp2.1', action: 'Heartbeat', kind: 'request', frame: true, valid: true, violations: [] });
  });

  it('exits 2 for usage errors', async () => {
    for (const argv of [
      ['validate', '-p', 'ocpp1.6', '-a', 'Authorize', join(dir, 'missing.json')],
      ['validate', '-p', 'ocpp9', '-a', 'Authorize', '-'],
      ['validate', '-a', 'Authorize', '-'],
      ['validate', '-p', 'ocpp1.6', '-'],
    ]) {
      const io = bufferIo('{}');
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toMatch(/error/);
    }
  });
});
