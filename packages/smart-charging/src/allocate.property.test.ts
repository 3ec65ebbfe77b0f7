import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, type AllocationResult, type AllocationStrategy } from './allocate.js';
import type { ChargerSpec, Phase, Session, SiteNode } from './model.js';

// Random sites (site → feeders → chargers, limits in kW and/or A per phase, margins, 1- and 3-phase
// chargers) and random sessions on them, some on chargers the tree does not list (placed at the root).
const V = 230;
const phase = fc.constantFrom<Phase>('L1', 'L2', 'L3');
const limitKw = fc.option(fc.double({ min: 0, max: 150, noNaN: true }), { nil: undefined });
const limitA = fc.option(fc.double({ min: 0, max: 125, noNaN: true }), { nil: undefined });
const margin = fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined });

function chargerArb(id: string): fc.Arbitrary<ChargerSpec> {
  return fc.record({
    id: fc.constant(id),
    phases: fc.constantFrom<1 | 3>(1, 3),
    phase,
    maxAmpsPerPhase: fc.option(fc.integer({ min: 6, max: 63 }), { nil: undefined }),
  }).map((c) => (c.maxAmpsPerPhase === undefined ? { id: c.id, phases: c.phases, phase: c.phase } : c));
}

const siteArb: fc.Arbitrary<SiteNode> = fc
  .tuple(limitKw, limitA, margin, fc.array(fc.tuple(limitKw, limitA, margin, fc.integer({ min: 0, max: 3 })), { maxLength: 3 }), fc.integer({ min: 0, max: 2 }))
  .chain(([maxKw, maxA, safetyMargin, feeders, direct]) => {
    const ids = feeders.flatMap(([, , , n], f) => Array.from({ length: n }, (_, k) => `F${f}C${k}`));
    const directIds = Array.from({ length: direct }, (_, k) => `R${k}`);
    return fc.tuple(fc.tuple(...ids.map(chargerArb)), fc.tuple(...directIds.map(chargerArb))).map(([placed, atRoot]) => {
      let next = 0;
      const children: SiteNode[] = feeders.map(([fKw, fA, fMargin, n], f) => ({
        id: `feeder-${f}`,
        ...(fKw !== undefined ? { maxKw: fKw } : {}),
        ...(fA !== undefined ? { maxAmpsPerPhase: fA } : {}),
        ...(fMargin !== undefined ? { safetyMargin: fMargin } : {}),
        chargers: placed.slice(next, (next += n)),
      }));
      return {
        id: 'site',
        ...(maxKw !== undefined ? { maxKw } : {}),
        ...(maxA !== undefined ? { maxAmpsPerPhase: maxA } : {}),
        ...(safetyMargin !== undefined ? { safetyMargin } : {}),
        children,
        chargers: atRoot,
      };
    });
  });

function chargerIds(site: SiteNode): string[] {
  return [...(site.chargers ?? []).map((c) => c.id), ...(site.children ?? []).flatMap(chargerIds)];
}

function sessionsArb(site: SiteNode): fc.Arbitrary<Session[]> {
  const chargers = [...chargerIds(site), 'UNLISTED-1', 'UNLISTED-2'];
  const session = fc.record(
    {
      chargerId: fc.constantFrom(...chargers),
      phases: fc.constantFrom<1 | 3>(1, 3),
      phase,
      hardwareMaxA: fc.integer({ min: 6, max: 63 }),
      evMaxA: fc.double({ min: 0, max: 80, noNaN: true }),
      minA: fc.double({ min: 0, max: 16, noNaN: true }),
      priority: fc.integer({ min: 0, max: 3 }),
      arrival: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: ['chargerId'] },
  );
  return fc.array(session, { maxLength: 8 }).map((list) => list.map((s, i) => ({ ...s, id: `s${i}` })));
}

const caseArb = siteArb.chain((site) =>
  fc.record({ site: fc.constant(site), sessions: sessionsArb(site), strategy: fc.constantFrom<AllocationStrategy>('equal', 'priority') }),
);

/** Independent of the allocator: the nodes a charger's sessions count against, and its spec. */
function placement(site: SiteNode, chargerId: string): { path: string[]; charger: ChargerSpec | undefined } {
  const walk = (node: SiteNode, path: string[]): { path: string[]; charger: ChargerSpec | undefined } | undefined => {
    const here = [...path, node.id];
    const charger = node.chargers?.find((c) => c.id === chargerId);
    if (charger) return { path: here, charger };
    for (const child of node.children ?? []) {
      const found = walk(child, here);
      if (found) return found;
    }
    return undefined;
  };
  return walk(site, []) ?? { path: [site.id], charger: undefined };
}

function describeSession(site: SiteNode, s: Session) {
  const { path, charger } = placement(site, s.chargerId);
  const phases = s.phases ?? charger?.phases ?? 3;
  const used: Phase[] = phases === 3 ? ['L1', 'L2', 'L3'] : [s.phase ?? charger?.phase ?? 'L1'];
  const capA = Math.min(s.hardwareMaxA ?? charger?.maxAmpsPerPhase ?? 32, s.evMaxA ?? Infinity, charger?.maxAmpsPerPhase ?? Infinity);
  return { path, phases, used, capA, minA: Math.min(s.minA ?? 6, capA) };
}

/** Loads recomputed from the sessions' amps, per node and resource. */
function loads(site: SiteNode, sessions: Session[], result: AllocationResult): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (key: string, value: number): void => void totals.set(key, (totals.get(key) ?? 0) + value);
  result.sessions.forEach((share, i) => {
    const d = describeSession(site, sessions[i] as Session);
    for (const node of d.path) {
      add(`${node} power`, share.amps * V * d.phases);
      for (const p of d.used) add(`${node} ${p}`, share.amps);
    }
  });
  return totals;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe('allocate: properties', () => {
  it('never puts more on a node than its limit allows', () => {
    fc.assert(
      fc.property(caseArb, ({ site, sessions, strategy }) => {
        const result = allocate(site, sessions, { strategy });
        const totals = loads(site, sessions, result);
        for (const node of result.nodes) {
          const load = totals.get(`${node.nodeId} ${node.resource}`) ?? 0;
          expect(close(load, node.load)).toBe(true);
          expect(load).toBeLessThanOrEqual(node.capacity * (1 + 1e-9) + 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never gives a session more than its caps, nor less than its minimum unless paused', () => {
    fc.assert(
      fc.property(caseArb, ({ site, sessions, strategy }) => {
        const result = allocate(site, sessions, { strategy });
        result.sessions.forEach((share, i) => {
          const d = describeSession(site, sessions[i] as Session);
          expect(share.amps).toBeLessThanOrEqual(d.capA * (1 + 1e-9) + 1e-9);
          if (share.status === 'paused') expect(share.amps).toBe(0);
          else expect(share.amps).toBeGreaterThanOrEqual(d.minA * (1 - 1e-9) - 1e-9);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of the sessions', () => {
    fc.assert(
      fc.property(caseArb.chain((c) => fc.record({ c: fc.constant(c), order: fc.shuffledSubarray(c.sessions, { minLength: c.sessions.length }) })), ({ c, order }) => {
        const a = allocate(c.site, c.sessions, { strategy: c.strategy, at: new Date(0) });
        const b = allocate(c.site, order, { strategy: c.strategy, at: new Date(0) });
        const byId = new Map(b.sessions.map((s) => [s.sessionId, s]));
        for (const share of a.sessions) {
          const other = byId.get(share.sessionId);
          expect(other?.status).toBe(share.status);
          expect(close(other?.amps ?? NaN, share.amps)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('wastes nothing: a session below its cap is held by a full limit on its path', () => {
    fc.assert(
      fc.property(caseArb, ({ site, sessions, strategy }) => {
        const result = allocate(site, sessions, { strategy });
        const totals = loads(site, sessions, result);
        const usage = new Map(result.nodes.map((n) => [`${n.nodeId} ${n.resource}`, n.capacity]));
        result.sessions.forEach((share, i) => {
          const d = describeSession(site, sessions[i] as Session);
          const resources = ['power', ...d.used];
          const keys = d.path.flatMap((node) => resources.map((r) => `${node} ${r}`)).filter((k) => usage.has(k));
          if (share.status === 'paused') {
            // Its minimum does not fit: some limit on its path has less room than the minimum needs.
            const room = keys.some((k) => (totals.get(k) ?? 0) + d.minA * (k.endsWith('power') ? V * d.phases : 1) > (usage.get(k) ?? 0) * (1 + 1e-9));
            expect(room).toBe(true);
          } else if (share.amps < d.capA * (1 - 1e-9) - 1e-9) {
            const full = keys.some((k) => (totals.get(k) ?? 0) >= (usage.get(k) ?? 0) * (1 - 1e-6) - 1e-6);
            expect(full).toBe(true);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
