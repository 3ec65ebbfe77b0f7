import { buildConstraints, loadOf, tolerance, type Constraint, type Resource } from './constraints.js';
import { SmartChargingError } from './errors.js';
import type { Session, SiteNode } from './model.js';
import { admissionOrder, resolveSessions, type ResolvedSession } from './resolveSessions.js';
import { indexSite } from './siteIndex.js';
import { waterFill } from './waterFill.js';

/** How capacity left after the minimum rates is shared. */
export type AllocationStrategy = 'equal' | 'priority';

/** Options of {@link allocate}. */
export interface AllocationOptions {
  /** The instant the allocation is for (selects time-of-use windows). @default new Date() */
  at?: Date;
  /**
   * `equal`: max-min fair share of power among all sessions. `priority`: sessions of a higher priority
   * are filled first (fairly among equals), lower ones share what is left. Minimum rates come first in both.
   * @default 'equal'
   */
  strategy?: AllocationStrategy;
  /** Phase-to-neutral voltage used to turn A per phase into W. @default 230 */
  voltage?: number;
  /** Minimum rate of sessions that give none, A per phase. @default 6 */
  defaultMinA?: number;
  /** Safety margin of nodes that give none, in [0, 1). @default 0 */
  safetyMargin?: number;
}

/** Why a session got what it got. */
export type LimitedBy =
  | { kind: 'cap' }
  | { kind: 'node'; nodeId: string; resource: Resource }
  | { kind: 'pinned' };

/** One session's share. */
export interface SessionAllocation {
  sessionId: string;
  chargerId: string;
  connectorId: number;
  phases: 1 | 3;
  /** A on each phase the session uses. */
  amps: number;
  /** W over the phases it uses. */
  watts: number;
  /** `paused`: its minimum rate did not fit (0 A); `pinned`: its draw was given, not allocated. */
  status: 'charging' | 'paused' | 'pinned';
  /** What stopped it from getting more (a paused session: the limit its minimum did not fit under). */
  limitedBy: LimitedBy | undefined;
}

/** Load against one limit of one node. */
export interface NodeUsage {
  nodeId: string;
  resource: Resource;
  /** W for `power`, A for a phase. */
  unit: 'W' | 'A';
  /** The limit in force (after time-of-use windows and the safety margin). */
  capacity: number;
  load: number;
}

/** A limit that the minimum rates (and pinned draws) together exceed. */
export interface OverCommitment {
  nodeId: string;
  resource: Resource;
  unit: 'W' | 'A';
  capacity: number;
  /** What every session's minimum plus every pinned draw below the node would need. */
  required: number;
  /** Sessions below the node that were paused. */
  paused: string[];
}

/** The result of {@link allocate}. Sessions are listed in the order they were given. */
export interface AllocationResult {
  at: Date;
  strategy: AllocationStrategy;
  sessions: SessionAllocation[];
  nodes: NodeUsage[];
  /** Empty when every minimum rate fits. */
  overCommitted: OverCommitment[];
}

/**
 * Shares a site's capacity among its sessions. Pure: the same site, sessions and options give the same
 * result, whatever order the sessions come in.
 *
 * 1. Pinned draws are counted first. 2. Minimum rates are granted by priority, then arrival, while they
 * fit under every limit; a session whose minimum does not fit is paused (0 A) and reported. 3. The rest
 * is water-filled: every session rises together until it reaches its cap or a limit it counts against is
 * full, so capacity a capped session cannot use goes to the others.
 *
 * @example
 * const result = allocate(
 *   { id: 'site', maxKw: 22, chargers: [{ id: 'CP-1' }, { id: 'CP-2' }] },
 *   [{ id: 'tx-1', chargerId: 'CP-1' }, { id: 'tx-2', chargerId: 'CP-2', evMaxA: 10 }],
 * );
 * result.sessions.map((s) => s.amps); // [≈21.9, 10]: CP-2's car takes 10 A, CP-1 gets the rest
 */
export function allocate(site: SiteNode, sessions: readonly Session[], options: AllocationOptions = {}): AllocationResult {
  const at = options.at ?? new Date();
  const strategy = options.strategy ?? 'equal';
  const voltage = options.voltage ?? 230;
  const defaultMinA = options.defaultMinA ?? 6;
  const margin = options.safetyMargin ?? 0;
  if (!(voltage > 0) || !Number.isFinite(voltage)) throw new SmartChargingError('InvalidSite', 'voltage must be a positive number');
  if (!(defaultMinA >= 0)) throw new SmartChargingError('InvalidSession', 'defaultMinA must be ≥ 0');
  if (!(margin >= 0 && margin < 1)) throw new SmartChargingError('InvalidSite', 'safetyMargin must be in [0, 1)');

  const index = indexSite(site);
  const resolved = resolveSessions(sessions, index, { voltage, defaultMinA });
  const constraints = buildConstraints(index, resolved, at, margin);
  const power = resolved.map((s) => s.pinnedW ?? 0);
  const cap = resolved.map((s) => (s.pinnedW === undefined ? s.capW : s.pinnedW));
  const blockedBy = new Map<number, Constraint>();

  const order = resolved.map((s, i) => ({ s, i })).filter(({ s }) => s.pinnedW === undefined).sort((a, b) => admissionOrder(a.s, b.s));
  // Loads kept up to date as minimums are granted, and each session's limits: linear in sessions × limits.
  const admittedLoad = constraints.map((c) => loadOf(c, power));
  const limitsOf = resolved.map(() => [] as Array<{ k: number; weight: number }>);
  constraints.forEach((c, k) => {
    for (const [i, weight] of c.weights) if (weight > 0) limitsOf[i]?.push({ k, weight });
  });
  for (const { s, i } of order) {
    const limits = limitsOf[i] ?? [];
    const blocking = limits.find(({ k, weight }) => {
      const c = constraints[k] as Constraint;
      return (admittedLoad[k] ?? 0) + weight * s.minW > c.capacity + tolerance(c.capacity);
    });
    if (blocking && s.minW > 0) {
      blockedBy.set(i, constraints[blocking.k] as Constraint);
      continue;
    }
    power[i] = s.minW;
    for (const { k, weight } of limits) admittedLoad[k] = (admittedLoad[k] ?? 0) + weight * s.minW;
  }

  const admitted = order.filter(({ i }) => !blockedBy.has(i));
  const tiers = strategy === 'priority' ? [...new Set(admitted.map(({ s }) => s.priority))].sort((a, b) => b - a) : [undefined];
  for (const tier of tiers) {
    const members = admitted.filter(({ s }) => tier === undefined || s.priority === tier).map(({ i }) => i);
    waterFill(members, power, cap, constraints);
  }

  const loads = constraints.map((c) => loadOf(c, power));
  const full = constraints.filter((c, k) => c.capacity - (loads[k] ?? 0) <= tolerance(c.capacity));
  return {
    at,
    strategy,
    sessions: resolved.map((s, i) => describe(s, i, power[i] ?? 0, blockedBy.get(i), full)),
    nodes: constraints.map((c, k) => ({ nodeId: c.nodeId, resource: c.resource, unit: unitOf(c.resource), capacity: c.capacity, load: loads[k] ?? 0 })),
    overCommitted: overCommitments(constraints, resolved, blockedBy),
  };
}

function unitOf(resource: Resource): 'W' | 'A' {
  return resource === 'power' ? 'W' : 'A';
}

/** The allocation of one session and what limited it (`full`: the limits with no room left). */
function describe(s: ResolvedSession, i: number, watts: number, blocked: Constraint | undefined, full: readonly Constraint[]): SessionAllocation {
  const base = { sessionId: s.id, chargerId: s.chargerId, connectorId: s.connectorId, phases: s.phases, amps: watts / s.wattsPerAmp, watts };
  if (s.pinnedW !== undefined) return { ...base, status: 'pinned', limitedBy: { kind: 'pinned' } };
  if (blocked) return { ...base, amps: 0, watts: 0, status: 'paused', limitedBy: { kind: 'node', nodeId: blocked.nodeId, resource: blocked.resource } };
  if (watts >= s.capW - tolerance(s.capW)) return { ...base, status: 'charging', limitedBy: { kind: 'cap' } };
  const limit = full.find((c) => (c.weights.get(i) ?? 0) > 0);
  return { ...base, status: 'charging', limitedBy: limit ? { kind: 'node', nodeId: limit.nodeId, resource: limit.resource } : undefined };
}

/** The limits that every minimum rate plus every pinned draw below them would exceed. */
function overCommitments(constraints: readonly Constraint[], sessions: readonly ResolvedSession[], blockedBy: ReadonlyMap<number, Constraint>): OverCommitment[] {
  const wanted = sessions.map((s) => s.pinnedW ?? s.minW);
  return constraints.flatMap((c) => {
    const required = loadOf(c, wanted);
    if (required <= c.capacity + tolerance(c.capacity)) return [];
    const paused = [...blockedBy.keys()].filter((i) => (c.weights.get(i) ?? 0) > 0).map((i) => sessions[i]?.id ?? '');
    return [{ nodeId: c.nodeId, resource: c.resource, unit: unitOf(c.resource), capacity: c.capacity, required, paused }];
  });
}
