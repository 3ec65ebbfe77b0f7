import { describe, expect, it } from 'vitest';
import { brokenExamplesFor, exampleFor } from './examples.js';
import { getValidator, listActions, preloadValidators, PROTOCOLS, toWireErrorCode } from './index.js';
import type { PayloadKind, Validator, Violation } from './index.js';

const KINDS: readonly PayloadKind[] = ['request', 'response'];

function violationsOf(validate: Validator, payload: unknown): Violation[] {
  const result = validate(payload);
  if (result.valid) throw new Error(`expected ${JSON.stringify(payload)} to be invalid`);
  return result.violations;
}

describe.each(PROTOCOLS)('%s validators', (protocol) => {
  it('accept a schema-derived example of every request and response', () => {
    let checked = 0;
    for (const action of listActions(protocol)) {
      for (const kind of KINDS) {
        const validate = getValidator(protocol, action, kind);
        if (!validate) continue;
        for (const optional of ['none', 'all'] as const) {
          expect(validate(exampleFor(protocol, action, kind, { optional })), `${action} ${kind} ${optional}`).toEqual({ valid: true });
        }
        checked++;
      }
    }
    expect(checked).toBe(listActions(protocol).length * 2 - (protocol === 'ocpp2.1' ? 1 : 0));
  });

  it('reject every single-rule breakage with the right pointer, keyword and code', () => {
    let checked = 0;
    for (const action of listActions(protocol)) {
      for (const kind of KINDS) {
        const validate = getValidator(protocol, action, kind);
        if (!validate) continue;
        const broken = brokenExamplesFor(protocol, action, kind);
        // Every payload schema is an object: at least "wrong type at the root" applies.
        expect(broken.length).toBeGreaterThan(0);
        for (const b of broken) {
          const violations = violationsOf(validate, b.payload);
          const label = `${action} ${kind}: ${b.description}`;
          // The first violation is what a CALLERROR reports; it must carry the expected code.
          expect(violations[0]?.code, label).toBe(b.code);
          expect(violations.some((v) => v.pointer === b.pointer && v.keyword === b.keyword && v.code === b.code), label).toBe(true);
          for (const v of violations) expect(v.wireCode).toBe(toWireErrorCode(protocol, v.code));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('getValidator', () => {
  it('returns undefined for unknown protocols, actions and kinds, and for a SEND response', () => {
    expect(getValidator('ocpp1.5', 'BootNotification', 'request')).toBeUndefined();
    expect(getValidator('ocpp1.6', 'RequestStartTransaction', 'request')).toBeUndefined();
    expect(getValidator('ocpp1.6', '__proto__', 'request')).toBeUndefined();
    expect(getValidator('ocpp1.6', '../../package', 'request')).toBeUndefined();
    expect(getValidator('ocpp1.6', 'Heartbeat', 'conf' as PayloadKind)).toBeUndefined();
    expect(getValidator('ocpp2.1', 'NotifyPeriodicEventStream', 'response')).toBeUndefined();
    expect(getValidator('ocpp2.1', 'NotifyPeriodicEventStream', 'request')).toBeTypeOf('function');
  });

  it('returns the same function for the same payload kind', () => {
    expect(getValidator('ocpp2.0.1', 'Heartbeat', 'request')).toBe(getValidator('ocpp2.0.1', 'Heartbeat', 'request'));
  });

  it('reports the 1.6 spellings on a 1.6 payload and the 2.x ones otherwise', () => {
    const v16 = violationsOf(getValidator('ocpp1.6', 'BootNotification', 'request')!, { chargePointVendor: 'V' });
    expect(v16).toEqual([{ pointer: '/chargePointModel', keyword: 'required', message: "must have required property 'chargePointModel'",
      code: 'OccurrenceConstraintViolation', wireCode: 'OccurenceConstraintViolation' }]);
    const v201 = violationsOf(getValidator('ocpp2.0.1', 'Heartbeat', 'response')!, { currentTime: 'yesterday' });
    expect(v201).toMatchObject([{ pointer: '/currentTime', keyword: 'format', code: 'FormatViolation', wireCode: 'FormatViolation' }]);
    const v16Format = violationsOf(getValidator('ocpp1.6', 'Heartbeat', 'response')!, { currentTime: 'yesterday' });
    expect(v16Format[0]?.wireCode).toBe('FormationViolation');
  });

  it('reports every violation, with nested pointers', () => {
    const validate = getValidator('ocpp1.6', 'MeterValues', 'request')!;
    const violations = violationsOf(validate, {
      connectorId: '1',
      meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: '1', unit: 'parsec' }, {}] }],
      extra: true,
    });
    expect(violations.map((v) => [v.pointer, v.code])).toEqual(expect.arrayContaining([
      ['/extra', 'PropertyConstraintViolation'],
      ['/connectorId', 'TypeConstraintViolation'],
      ['/meterValue/0/sampledValue/0/unit', 'FormatViolation'],
      ['/meterValue/0/sampledValue/1/value', 'OccurrenceConstraintViolation'],
    ]));
    expect(violations).toHaveLength(4);
  });

  it('escapes property names in pointers (RFC 6901)', () => {
    const validate = getValidator('ocpp2.0.1', 'Heartbeat', 'request')!;
    expect(violationsOf(validate, { 'a/b~c': 1 })[0]?.pointer).toBe('/a~1b~0c');
  });

  it('treats a parsed "__proto__" key as an ordinary unexpected property', () => {
    const validate = getValidator('ocpp1.6', 'BootNotification', 'request')!;
    const payload: unknown = JSON.parse('{"__proto__":{"polluted":true},"chargePointVendor":"a","chargePointModel":"b"}');
    expect(violationsOf(validate, payload)).toMatchObject([{ pointer: '/__proto__', keyword: 'additionalProperties', code: 'PropertyConstraintViolation' }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects payloads that are not objects with TypeConstraintViolation at the root', () => {
    const validate = getValidator('ocpp2.1', 'Heartbeat', 'request')!;
    for (const payload of [null, [], 'x', 1, true, undefined]) {
      expect(violationsOf(validate, payload)[0]).toMatchObject({ pointer: '', keyword: 'type', code: 'TypeConstraintViolation' });
    }
  });

  it('accepts 1.6 decimal limits that are multiples of 0.1 despite binary floating point', () => {
    const validate = getValidator('ocpp1.6', 'SetChargingProfile', 'request')!;
    const payload = (limit: number) => ({ connectorId: 1, csChargingProfiles: { chargingProfileId: 1, stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } } });
    for (const limit of [16.1, 0.3, 7.7, 32]) expect(validate(payload(limit)), String(limit)).toEqual({ valid: true });
    expect(violationsOf(validate, payload(16.15))[0]).toMatchObject({ keyword: 'multipleOf', code: 'FormatViolation' });
  });

  it('keeps CustomDataType open for vendor extensions (2.x)', () => {
    const validate = getValidator('ocpp2.0.1', 'Heartbeat', 'request')!;
    expect(validate({ customData: { vendorId: 'acme', anything: { nested: [1] } } })).toEqual({ valid: true });
    expect(violationsOf(validate, { customData: { anything: 1 } })[0]?.pointer).toBe('/customData/vendorId');
  });

  it('preloads all validators of a protocol', () => {
    expect(preloadValidators(['ocpp1.6'])).toBe(78);
  });
});
