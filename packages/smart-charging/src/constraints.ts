import type { Phase } from './model.js';
import { PHASES } from './model.js';
import type { ResolvedSession } from './resolveSessions.js';
import { effectiveLimits, type SiteIndex } from './siteIndex.js';

/** Which quantity a constraint limits: the node's power, or the current on one phase. */
export type Resource = 'power' | Phase;

/**
 * One linear limit: Σ weight(s) · p(s) ≤ capacity over the sessions below a node, where p(s) is the
 * session's power in W. Power: weight 1, capacity in W. A phase: weight 1 / (V · phases) for a session
 * using that phase (its current in A per W), capacity in A.
 */
export interface Constraint {
  nodeId: string;
  resource: Resource;
  capacity: number;
  /** Session index → weight. */
  weights: ReadonlyMap<number, number>;
}

/** The limits of every node at `at`, as constraints on the sessions' power. */
export function buildConstraints(site: SiteIndex, sessions: readonly ResolvedSession[], at: Date, defaultMargin: number): Constraint[] {
  const constraints: Constraint[] = [];
  for (const [nodeId, node] of site.nodes) {
    const limits = effectiveLimits(node, at, defaultMargin);
    const below = sessions.map((s, index) => ({ s, index })).filter(({ s }) => s.path.includes(nodeId));
    if (limits.maxW !== undefined) {
      constraints.push({ nodeId, resource: 'power', capacity: limits.maxW, weights: new Map(below.map(({ index }) => [index, 1])) });
    }
    if (limits.maxA !== undefined) {
      for (const phase of PHASES) {
        const weights = new Map(below.filter(({ s }) => s.usedPhases.includes(phase)).map(({ s, index }) => [index, 1 / s.wattsPerAmp]));
        constraints.push({ nodeId, resource: phase, capacity: limits.maxA, weights });
      }
    }
  }
  return constraints;
}

/** Σ weight · power over a constraint's sessions. */
export function loadOf(constraint: Constraint, power: readonly number[]): number {
  let load = 0;
  for (const [index, weight] of constraint.weights) load += weight * (power[index] ?? 0);
  return load;
}

/** Tolerance for floating-point comparisons against a capacity (relative, with an absolute floor). */
export function tolerance(capacity: number): number {
  return Math.max(1e-9, Math.abs(capacity) * 1e-9);
}
