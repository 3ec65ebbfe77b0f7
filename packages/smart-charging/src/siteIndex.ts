import { SmartChargingError } from './errors.js';
import type { ChargerSpec, SiteNode } from './model.js';
import { activeWindows, checkTimeOfUse } from './timeOfUse.js';

/** Where a charger sits: its spec and the ids of the nodes from the root down to its node. */
export interface ChargerPlacement {
  charger: ChargerSpec | undefined;
  path: readonly string[];
}

/** A node's limits in force at one instant, after time-of-use windows and the safety margin. */
export interface EffectiveLimits {
  /** W over all phases; undefined: no power limit. */
  maxW: number | undefined;
  /** A on each phase; undefined: no current limit. */
  maxA: number | undefined;
}

/** The tree flattened for lookups: every node by id and every listed charger's placement. */
export interface SiteIndex {
  root: SiteNode;
  nodes: ReadonlyMap<string, SiteNode>;
  chargers: ReadonlyMap<string, ChargerPlacement>;
  /** Placement of a charger; chargers not in the tree are placed at the root. */
  placementOf(chargerId: string): ChargerPlacement;
}

function checkLimit(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new SmartChargingError('InvalidSite', `${what} must be a finite number ≥ 0 (got ${String(value)})`);
  }
}

/** Checks a site tree (unique ids, sane limits) and indexes it. Throws a SmartChargingError when invalid. */
export function indexSite(root: SiteNode): SiteIndex {
  const nodes = new Map<string, SiteNode>();
  const chargers = new Map<string, ChargerPlacement>();
  const visit = (node: SiteNode, parentPath: readonly string[]): void => {
    if (nodes.has(node.id)) throw new SmartChargingError('DuplicateId', `node id "${node.id}" is used twice`);
    nodes.set(node.id, node);
    checkLimit(node.maxKw, `node ${node.id}: maxKw`);
    checkLimit(node.maxAmpsPerPhase, `node ${node.id}: maxAmpsPerPhase`);
    const margin = node.safetyMargin;
    if (margin !== undefined && !(margin >= 0 && margin < 1)) {
      throw new SmartChargingError('InvalidSite', `node ${node.id}: safetyMargin must be in [0, 1) (got ${margin})`);
    }
    if (node.timeOfUse) checkTimeOfUse(node.timeOfUse);
    for (const window of node.timeOfUse?.windows ?? []) {
      checkLimit(window.maxKw, `node ${node.id}: time-of-use maxKw`);
      checkLimit(window.maxAmpsPerPhase, `node ${node.id}: time-of-use maxAmpsPerPhase`);
    }
    const path = [...parentPath, node.id];
    for (const charger of node.chargers ?? []) {
      if (chargers.has(charger.id)) throw new SmartChargingError('DuplicateId', `charger id "${charger.id}" is placed twice`);
      checkLimit(charger.maxAmpsPerPhase, `charger ${charger.id}: maxAmpsPerPhase`);
      chargers.set(charger.id, { charger, path });
    }
    for (const child of node.children ?? []) visit(child, path);
  };
  visit(root, []);
  const rootPlacement: ChargerPlacement = { charger: undefined, path: [root.id] };
  return { root, nodes, chargers, placementOf: (id) => chargers.get(id) ?? rootPlacement };
}

/**
 * The limits of a node at `at`: the lowest of its own limit and those of the time-of-use windows active
 * then, less the safety margin.
 */
export function effectiveLimits(node: SiteNode, at: Date, defaultMargin: number): EffectiveLimits {
  let maxKw = node.maxKw;
  let maxA = node.maxAmpsPerPhase;
  if (node.timeOfUse) {
    for (const window of activeWindows(node.timeOfUse, at)) {
      if (window.maxKw !== undefined) maxKw = Math.min(maxKw ?? Infinity, window.maxKw);
      if (window.maxAmpsPerPhase !== undefined) maxA = Math.min(maxA ?? Infinity, window.maxAmpsPerPhase);
    }
  }
  const keep = 1 - (node.safetyMargin ?? defaultMargin);
  return {
    maxW: maxKw === undefined ? undefined : maxKw * 1000 * keep,
    maxA: maxA === undefined ? undefined : maxA * keep,
  };
}
