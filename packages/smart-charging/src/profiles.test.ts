import { getValidator } from '@chargewire/ocpp-types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import { profileForAllocation } from './allocationProfile.js';
import { roundLimit, setChargingProfile, setChargingProfile16, setChargingProfile201, setChargingProfile21, type ProfileProtocol, type ProfileSpec } from './profiles.js';

const at = new Date('2026-12-03T17:00:00.000Z');

function expectValid(protocol: ProfileProtocol, payload: unknown): void {
  const validate = getValidator(protocol, 'SetChargingProfile', 'request');
  expect(validate).toBeDefined();
  const result = validate?.(payload);
  expect(result, JSON.stringify(result)).toEqual({ valid: true });
}

describe('SetChargingProfile builders', () => {
  const spec: ProfileSpec = { id: 1001, stackLevel: 1, transactionId: 42, unit: 'A', startSchedule: at, periods: [{ startPeriod: 0, limit: 14.49, numberPhases: 3 }] };

  it('1.6: csChargingProfiles with one schedule, a numeric transactionId and the limit rounded down', () => {
    const request = setChargingProfile16(1, spec);
    expect(request).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1001,
        transactionId: 42,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { startSchedule: at.toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 14.4, numberPhases: 3 }] },
      },
    });
    expectValid('ocpp1.6', request);
  });

  it('2.0.1 and 2.1: chargingProfile with schedules as an array and a string transactionId', () => {
    for (const [protocol, request] of [['ocpp2.0.1', setChargingProfile201(2, spec)], ['ocpp2.1', setChargingProfile21(2, spec)]] as const) {
      expect(request).toEqual({
        evseId: 2,
        chargingProfile: {
          id: 1001,
          stackLevel: 1,
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Absolute',
          transactionId: '42',
          chargingSchedule: [{ id: 1001, startSchedule: at.toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 14.4, numberPhases: 3 }] }],
        },
      });
      expectValid(protocol, request);
    }
  });

  it('names the station-wide maximum per version and leaves transactionId out of other purposes', () => {
    const max: ProfileSpec = { id: 1, purpose: 'MaxProfile', transactionId: 7, unit: 'W', kind: 'Relative', periods: [{ startPeriod: 0, limit: 30_000 }] };
    const v16 = setChargingProfile('ocpp1.6', 0, max);
    expect(v16.csChargingProfiles).toMatchObject({ chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Relative' });
    expect(v16.csChargingProfiles).not.toHaveProperty('transactionId');
    expect(v16.csChargingProfiles.chargingSchedule).not.toHaveProperty('startSchedule');
    const v201 = setChargingProfile('ocpp2.0.1', 0, max);
    expect(v201.chargingProfile.chargingProfilePurpose).toBe('ChargingStationMaxProfile');
    expect(v201.chargingProfile).not.toHaveProperty('transactionId');
    expectValid('ocpp1.6', v16);
    expectValid('ocpp2.0.1', v201);
    expectValid('ocpp2.1', setChargingProfile('ocpp2.1', 0, max));
  });

  it('refuses what the specifications forbid: a 2.x TxProfile without transaction, a fractional 1.6 transaction id, no periods', () => {
    const noTx: ProfileSpec = { id: 1, unit: 'A', periods: [{ startPeriod: 0, limit: 6 }] };
    expect(() => setChargingProfile201(1, noTx)).toThrow(/K01.FR.03/);
    expect(() => setChargingProfile16(1, { ...noTx, transactionId: 'abc' })).toThrow(/integer/);
    expect(() => setChargingProfile16(1, { ...noTx, periods: [] })).toThrow(/period/);
    expect(() => setChargingProfile('ocpp9' as ProfileProtocol, 1, noTx)).toThrow(/ocpp9/);
  });

  it('rounds limits down to 0.1 and never below 0', () => {
    expect(roundLimit(14.49)).toBe(14.4);
    expect(roundLimit(0.3)).toBe(0.3);
    expect(roundLimit(7)).toBe(7);
    expect(roundLimit(-3)).toBe(0);
    expect(roundLimit(Number.NaN)).toBe(0);
  });

  it('builds schema-valid requests for every version from random allocations, never above the allocation', () => {
    const sessionArb = fc.record({
      phases: fc.constantFrom<1 | 3>(1, 3),
      evMaxA: fc.double({ min: 0, max: 80, noNaN: true }),
      minA: fc.double({ min: 0, max: 16, noNaN: true }),
      transactionId: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.array(sessionArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<'A' | 'W'>('A', 'W'),
        fc.integer({ min: 0, max: 1_000_000 }),
        (maxKw, list, unit, id) => {
          const sessions = list.map((s, i) => ({ id: `s${i}`, chargerId: `CP-${i}`, phases: s.phases, evMaxA: s.evMaxA, minA: s.minA }));
          const result = allocate({ id: 'site', maxKw }, sessions, { at });
          result.sessions.forEach((share, i) => {
            const transactionId = list[i]?.transactionId;
            const spec = profileForAllocation(share, { id, unit, at, ...(transactionId !== undefined ? { transactionId } : {}) });
            const requests = {
              'ocpp1.6': setChargingProfile('ocpp1.6', i + 1, spec),
              'ocpp2.0.1': setChargingProfile('ocpp2.0.1', i + 1, spec),
              'ocpp2.1': setChargingProfile('ocpp2.1', i + 1, spec),
            };
            for (const [protocol, request] of Object.entries(requests)) expectValid(protocol as ProfileProtocol, request);
            const limit = requests['ocpp1.6'].csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? NaN;
            expect(limit).toBeLessThanOrEqual(unit === 'A' ? share.amps : share.watts);
            expect(limit).toBeGreaterThan((unit === 'A' ? share.amps : share.watts) - 0.1 - 1e-9);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
