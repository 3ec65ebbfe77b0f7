import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import type { Session, SiteNode } from './model.js';

const V = 230;
const amps = (result: ReturnType<typeof allocate>): Record<string, number> =>
  Object.fromEntries(result.sessions.map((s) => [s.sessionId, Math.round(s.amps * 1000) / 1000]));

describe('allocate: equal share', () => {
  it('splits a 30 kW site evenly among three 22 kW chargers', () => {
    const site: SiteNode = { id: 'site', maxKw: 30 };
    const result = allocate(site, ['a', 'b', 'c'].map((id) => ({ id, chargerId: `CP-${id}` })));
    const each = 10_000 / (3 * V);
    for (const s of result.sessions) {
      expect(s.amps).toBeCloseTo(each, 9);
      expect(s.limitedBy).toEqual({ kind: 'node', nodeId: 'site', resource: 'power' });
    }
    expect(result.nodes).toEqual([{ nodeId: 'site', resource: 'power', unit: 'W', capacity: 30_000, load: expect.closeTo(30_000, 6) }]);
    expect(result.overCommitted).toEqual([]);
  });

  it('gives what a capped car cannot use to the others (water-filling)', () => {
    const site: SiteNode = { id: 'site', maxKw: 30 };
    const result = allocate(site, [
      { id: 'slow', chargerId: 'A', evMaxA: 8 },
      { id: 'b', chargerId: 'B' },
      { id: 'c', chargerId: 'C' },
    ]);
    expect(result.sessions[0]).toMatchObject({ amps: 8, limitedBy: { kind: 'cap' } });
    const rest = (30_000 - 8 * 3 * V) / 2 / (3 * V);
    expect(result.sessions[1]?.amps).toBeCloseTo(rest, 9);
    expect(result.sessions[2]?.amps).toBeCloseTo(rest, 9);
  });

  it('never gives a session more than its hardware maximum, however large the site', () => {
    const result = allocate({ id: 'site', maxKw: 1000, chargers: [{ id: 'A', maxAmpsPerPhase: 16 }] }, [
      { id: 'a', chargerId: 'A' },
      { id: 'b', chargerId: 'B', hardwareMaxA: 20 },
    ]);
    expect(amps(result)).toEqual({ a: 16, b: 20 });
  });

  it('applies the safety margin of a node', () => {
    const result = allocate({ id: 'site', maxKw: 20, safetyMargin: 0.1 }, [{ id: 'a', chargerId: 'A' }]);
    expect(result.sessions[0]?.watts).toBeCloseTo(18_000, 6);
  });

  it('enforces every level of a tree: a feeder limit below the site limit', () => {
    const site: SiteNode = {
      id: 'site',
      maxKw: 100,
      children: [{ id: 'feeder-1', maxAmpsPerPhase: 20, chargers: [{ id: 'A' }, { id: 'B' }] }],
      chargers: [{ id: 'C' }],
    };
    const result = allocate(site, [
      { id: 'a', chargerId: 'A' },
      { id: 'b', chargerId: 'B' },
      { id: 'c', chargerId: 'C' },
    ]);
    expect(amps(result)).toEqual({ a: 10, b: 10, c: 32 });
    expect(result.sessions[0]?.limitedBy).toMatchObject({ kind: 'node', nodeId: 'feeder-1' });
  });
});

describe('allocate: phases', () => {
  it('loads only its phase with a single-phase charger, and lets a three-phase one use the others', () => {
    // 32 A per phase. A 1-phase car on L1 and a 3-phase car share L1; L2 and L3 carry only the 3-phase car.
    const site: SiteNode = { id: 'feeder', maxAmpsPerPhase: 32, chargers: [{ id: 'ONE', phases: 1, phase: 'L1' }, { id: 'THREE' }] };
    const result = allocate(site, [
      { id: 'one', chargerId: 'ONE' },
      { id: 'three', chargerId: 'THREE' },
    ]);
    const [one, three] = result.sessions;
    // Equal power: one draws x A on L1, three draws x/3 A on every phase; L1 is full at x + x/3 = 32.
    expect(one?.amps).toBeCloseTo(24, 9);
    expect(three?.amps).toBeCloseTo(8, 9);
    expect(one?.watts).toBeCloseTo(three?.watts ?? 0, 6);
    const l1 = result.nodes.find((n) => n.resource === 'L1');
    const l2 = result.nodes.find((n) => n.resource === 'L2');
    expect(l1?.load).toBeCloseTo(32, 9);
    expect(l2?.load).toBeCloseTo(8, 9);
  });

  it('spreads single-phase chargers on different phases without limiting each other', () => {
    const site: SiteNode = {
      id: 'feeder',
      maxAmpsPerPhase: 16,
      chargers: [{ id: 'P1', phases: 1, phase: 'L1' }, { id: 'P2', phases: 1, phase: 'L2' }, { id: 'P3', phases: 1, phase: 'L3' }],
    };
    const result = allocate(site, ['P1', 'P2', 'P3'].map((chargerId) => ({ id: chargerId, chargerId })));
    expect(amps(result)).toEqual({ P1: 16, P2: 16, P3: 16 });
  });

  it('a single-phase car on a three-phase charger counts on one phase only', () => {
    const site: SiteNode = { id: 'feeder', maxAmpsPerPhase: 16, chargers: [{ id: 'A' }] };
    const result = allocate(site, [{ id: 'a', chargerId: 'A', phases: 1, phase: 'L2' }]);
    expect(result.sessions[0]).toMatchObject({ amps: 16, phases: 1, watts: 16 * V });
    expect(result.nodes.find((n) => n.resource === 'L1')?.load).toBe(0);
  });
});

describe('allocate: minimum rates and over-commitment', () => {
  it('honours minimum rates in priority then arrival order and reports the limit they exceed', () => {
    // 10 kW holds two 6 A three-phase minimums (8.28 kW) but not three.
    const sessions: Session[] = [
      { id: 'late', chargerId: 'A', arrival: 3 },
      { id: 'early', chargerId: 'B', arrival: 1 },
      { id: 'vip', chargerId: 'C', arrival: 5, priority: 5 },
    ];
    const result = allocate({ id: 'site', maxKw: 10 }, sessions);
    const byId = Object.fromEntries(result.sessions.map((s) => [s.sessionId, s]));
    expect(byId['vip']?.status).toBe('charging');
    expect(byId['early']?.status).toBe('charging');
    expect(byId['late']).toMatchObject({ status: 'paused', amps: 0, limitedBy: { kind: 'node', nodeId: 'site', resource: 'power' } });
    expect(result.overCommitted).toEqual([
      { nodeId: 'site', resource: 'power', unit: 'W', capacity: 10_000, required: expect.closeTo(3 * 6 * 3 * V, 6), paused: ['late'] },
    ]);
    // The capacity left after the minimums is shared by the two that charge.
    expect(byId['vip']?.watts).toBeCloseTo(5_000, 6);
  });

  it('keeps a session at its minimum even when equal shares would be below it', () => {
    // 9 kW: equal shares would be 4.5 kW each; b's minimum is 10 A (6.9 kW), so a gets the rest.
    const result = allocate({ id: 'site', maxKw: 9 }, [
      { id: 'a', chargerId: 'A', minA: 0 },
      { id: 'b', chargerId: 'B', minA: 10 },
    ]);
    expect(result.sessions[1]?.amps).toBeCloseTo(10, 9);
    expect(result.sessions[0]?.watts).toBeCloseTo(9_000 - 6_900, 6);
  });

  it('counts a pinned draw against the limits and reports when pins alone exceed them', () => {
    const result = allocate({ id: 'site', maxKw: 10 }, [
      { id: 'stuck', chargerId: 'A', pinnedA: 32 },
      { id: 'b', chargerId: 'B' },
    ]);
    expect(result.sessions[0]).toMatchObject({ status: 'pinned', amps: 32 });
    expect(result.sessions[1]).toMatchObject({ status: 'paused', amps: 0 });
    expect(result.overCommitted[0]?.paused).toEqual(['b']);
  });
});

describe('allocate: priority strategy', () => {
  it('fills higher priorities first and shares the rest among lower ones', () => {
    const sessions: Session[] = [
      { id: 'fleet', chargerId: 'A', priority: 2 },
      { id: 'guest-1', chargerId: 'B' },
      { id: 'guest-2', chargerId: 'C' },
    ];
    const result = allocate({ id: 'site', maxKw: 40 }, sessions, { strategy: 'priority' });
    expect(result.sessions[0]).toMatchObject({ amps: 32, limitedBy: { kind: 'cap' } });
    const rest = (40_000 - 32 * 3 * V) / 2 / (3 * V);
    expect(result.sessions[1]?.amps).toBeCloseTo(rest, 9);
    expect(result.sessions[2]?.amps).toBeCloseTo(rest, 9);
    // The equal strategy ignores priority once minimums are granted.
    const equal = allocate({ id: 'site', maxKw: 40 }, sessions);
    expect(equal.sessions[0]?.amps).toBeCloseTo(40_000 / 3 / (3 * V), 9);
  });

  it('grants the minimum rates of lower priorities before filling higher ones', () => {
    const result = allocate({ id: 'site', maxKw: 20 }, [{ id: 'fleet', chargerId: 'A', priority: 2 }, { id: 'guest', chargerId: 'B' }], { strategy: 'priority' });
    expect(result.sessions[1]?.amps).toBeCloseTo(6, 9);
    expect(result.sessions[0]?.watts).toBeCloseTo(20_000 - 6 * 3 * V, 6);
  });
});

describe('allocate: time of use', () => {
  const site: SiteNode = {
    id: 'site',
    maxKw: 50,
    timeOfUse: { timeZone: 'Europe/Berlin', windows: [{ from: '17:00', to: '21:00', days: [1, 2, 3, 4, 5], maxKw: 20 }] },
  };
  const sessions: Session[] = [{ id: 'a', chargerId: 'A' }, { id: 'b', chargerId: 'B' }];

  it('lowers the limit inside a window, in the site\'s local time', () => {
    // Monday 2026-03-02 18:30 in Berlin is 17:30 UTC (CET, UTC+1).
    const peak = allocate(site, sessions, { at: new Date('2026-03-02T17:30:00Z') });
    expect(peak.nodes[0]?.capacity).toBe(20_000);
    expect(peak.sessions[0]?.watts).toBeCloseTo(10_000, 6);
    // 16:30 UTC is 17:30 in Berlin too — but 15:59 UTC is 16:59, before the window.
    const before = allocate(site, sessions, { at: new Date('2026-03-02T15:59:00Z') });
    expect(before.nodes[0]?.capacity).toBe(50_000);
  });

  it('follows daylight saving time (CEST is UTC+2)', () => {
    // Monday 2026-06-01 17:30 UTC is 19:30 in Berlin: inside; 19:30 UTC is 21:30: outside.
    expect(allocate(site, sessions, { at: new Date('2026-06-01T17:30:00Z') }).nodes[0]?.capacity).toBe(20_000);
    expect(allocate(site, sessions, { at: new Date('2026-06-01T19:30:00Z') }).nodes[0]?.capacity).toBe(50_000);
  });

  it('does not apply on days outside the window (Saturday)', () => {
    expect(allocate(site, sessions, { at: new Date('2026-03-07T17:30:00Z') }).nodes[0]?.capacity).toBe(50_000);
  });
});

describe('allocate: input errors', () => {
  it('rejects duplicate session ids, negative limits and unknown time zones with a SmartChargingError', () => {
    expect(() => allocate({ id: 's' }, [{ id: 'x', chargerId: 'A' }, { id: 'x', chargerId: 'B' }])).toThrow(
      expect.objectContaining({ name: 'SmartChargingError', code: 'DuplicateId' }),
    );
    expect(() => allocate({ id: 's', maxKw: -1 }, [])).toThrow(expect.objectContaining({ code: 'InvalidSite' }));
    expect(() => allocate({ id: 's', timeOfUse: { timeZone: 'Mars/Olympus', windows: [{ from: '00:00', to: '01:00' }] } }, [])).toThrow(
      expect.objectContaining({ code: 'InvalidTimeZone' }),
    );
    expect(() => allocate({ id: 's' }, [{ id: 'x', chargerId: 'A', evMaxA: Number.NaN }])).toThrow(expect.objectContaining({ code: 'InvalidSession' }));
  });
});
