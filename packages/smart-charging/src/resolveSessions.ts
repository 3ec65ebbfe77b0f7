import { SmartChargingError } from './errors.js';
import type { Phase, Session } from './model.js';
import { PHASES } from './model.js';
import type { SiteIndex } from './siteIndex.js';

/** A session with every default applied, in the allocator's unit (W, over the phases it uses). */
export interface ResolvedSession {
  session: Session;
  id: string;
  chargerId: string;
  connectorId: number;
  phases: 1 | 3;
  usedPhases: readonly Phase[];
  /** Node ids from the root down to the charger's node. */
  path: readonly string[];
  /** W drawn per A on each used phase (voltage × phases). */
  wattsPerAmp: number;
  /** Minimum rate, W (already lowered to the cap when the cap is below it). */
  minW: number;
  /** Cap: the lowest of hardware and EV maximum, W. */
  capW: number;
  pinnedW: number | undefined;
  priority: number;
  arrival: number;
}

/** Defaults the sessions need from the allocation options. */
export interface SessionDefaults {
  voltage: number;
  defaultMinA: number;
}

/** Default hardware maximum when neither the session nor the charger names one (a 22 kW AC point). */
export const DEFAULT_HARDWARE_MAX_A = 32;

function amps(value: number | undefined, what: string, id: string): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new SmartChargingError('InvalidSession', `session ${id}: ${what} must be a finite number ≥ 0 (got ${String(value)})`);
  }
  return value;
}

/** Applies defaults and charger placement to every session; ids must be unique. */
export function resolveSessions(sessions: readonly Session[], site: SiteIndex, defaults: SessionDefaults): ResolvedSession[] {
  const seen = new Set<string>();
  return sessions.map((session) => {
    if (seen.has(session.id)) throw new SmartChargingError('DuplicateId', `session id "${session.id}" is used twice`);
    seen.add(session.id);
    const { charger, path } = site.placementOf(session.chargerId);
    const phases = session.phases ?? charger?.phases ?? 3;
    if (phases !== 1 && phases !== 3) throw new SmartChargingError('InvalidSession', `session ${session.id}: phases must be 1 or 3`);
    const phase = session.phase ?? charger?.phase ?? 'L1';
    if (!PHASES.includes(phase)) throw new SmartChargingError('InvalidSession', `session ${session.id}: phase must be L1, L2 or L3`);
    const wattsPerAmp = defaults.voltage * phases;
    const hardware = amps(session.hardwareMaxA, 'hardwareMaxA', session.id) ?? charger?.maxAmpsPerPhase ?? DEFAULT_HARDWARE_MAX_A;
    const ev = amps(session.evMaxA, 'evMaxA', session.id) ?? Infinity;
    const capA = Math.min(hardware, ev, charger?.maxAmpsPerPhase ?? Infinity);
    const minA = Math.min(amps(session.minA, 'minA', session.id) ?? defaults.defaultMinA, capA);
    const pinnedA = amps(session.pinnedA, 'pinnedA', session.id);
    const arrival = session.arrival instanceof Date ? session.arrival.getTime() : (session.arrival ?? 0);
    const priority = session.priority ?? 0;
    if (!Number.isFinite(priority) || !Number.isFinite(arrival)) {
      throw new SmartChargingError('InvalidSession', `session ${session.id}: priority and arrival must be finite`);
    }
    return {
      session,
      id: session.id,
      chargerId: session.chargerId,
      connectorId: session.connectorId ?? 1,
      phases,
      usedPhases: phases === 3 ? PHASES : [phase],
      path,
      wattsPerAmp,
      minW: minA * wattsPerAmp,
      capW: capA * wattsPerAmp,
      pinnedW: pinnedA === undefined ? undefined : pinnedA * wattsPerAmp,
      priority,
      arrival,
    };
  });
}

/**
 * The order in which minimum rates are granted: higher priority, then earlier arrival, then id. A total
 * order on session data alone, so the allocation does not depend on the order sessions are passed in.
 */
export function admissionOrder(a: ResolvedSession, b: ResolvedSession): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.arrival !== b.arrival) return a.arrival - b.arrival;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
