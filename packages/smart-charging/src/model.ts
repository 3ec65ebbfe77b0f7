/**
 * The site model: an electrical tree (site → feeders/panels → chargers) with limits, and the charging
 * sessions running on it. Plain data, so a site can live in a JSON file or a database row.
 */

/** A phase conductor of a three-phase supply. */
export type Phase = 'L1' | 'L2' | 'L3';

export const PHASES: readonly Phase[] = ['L1', 'L2', 'L3'];

/**
 * A time-of-use window: while it is active, the node's limits are at most the window's. Times are local
 * wall-clock times in the schedule's IANA time zone; a window whose `to` is not after `from` runs past
 * midnight (`22:00`–`06:00`).
 */
export interface TimeOfUseWindow {
  /** Local start time, `HH:MM` (24 h), inclusive. */
  from: string;
  /** Local end time, `HH:MM` (24 h), exclusive; `24:00` is the end of the day. */
  to: string;
  /** ISO weekdays the window starts on (1 = Monday … 7 = Sunday). @default every day */
  days?: readonly number[];
  /** Power limit during the window, kW over all phases. */
  maxKw?: number;
  /** Current limit during the window, A on each phase. */
  maxAmpsPerPhase?: number;
}

/** Time-of-use windows of a node, in one IANA time zone (`Europe/Berlin`, `America/New_York`, `UTC`). */
export interface TimeOfUse {
  timeZone: string;
  windows: readonly TimeOfUseWindow[];
}

/** A charger placed in the tree. Sessions on chargers not listed anywhere are placed at the root. */
export interface ChargerSpec {
  id: string;
  /** AC phases the charger is wired to: 3, or 1 (on `phase`). @default 3 */
  phases?: 1 | 3;
  /** The conductor a single-phase charger is wired to (phase rotation at install time). @default 'L1' */
  phase?: Phase;
  /** Hardware maximum, A per phase (the charger's rating, or its breaker). */
  maxAmpsPerPhase?: number;
}

/**
 * A node of the electrical tree: the site's grid connection, a feeder, a panel. Every limit given is
 * enforced on the sum of everything below the node.
 */
export interface SiteNode {
  id: string;
  /** Power limit, kW over all phases. */
  maxKw?: number;
  /** Current limit, A on each phase (the fuse or breaker rating). */
  maxAmpsPerPhase?: number;
  /** Share of this node's limits kept in reserve, in [0, 1): 0.1 allocates at most 90 %. @default the allocation's `safetyMargin` */
  safetyMargin?: number;
  /** Windows that lower this node's limits at certain local times. */
  timeOfUse?: TimeOfUse;
  /** Feeders or panels below this node. */
  children?: readonly SiteNode[];
  /** Chargers wired directly to this node. */
  chargers?: readonly ChargerSpec[];
}

/** A vehicle charging (or waiting to charge) on one connector / EVSE. */
export interface Session {
  /** Unique among the sessions allocated together (a transaction id is a good choice). */
  id: string;
  chargerId: string;
  /** Connector (1.6) or EVSE (2.x) id on the charger. @default 1 */
  connectorId?: number;
  /** Phases the vehicle draws from (a single-phase car on a three-phase charger: 1). @default the charger's */
  phases?: 1 | 3;
  /** Conductor a single-phase session uses. @default the charger's `phase`, else 'L1' */
  phase?: Phase;
  /** Hardware maximum of the connector, A per phase. @default the charger's `maxAmpsPerPhase`, else 32 */
  hardwareMaxA?: number;
  /** The vehicle's own maximum when known (from ISO 15118, or learned from its draw), A per phase. */
  evMaxA?: number;
  /**
   * Lowest useful rate, A per phase. Below it the session is paused (0 A) instead.
   * @default the allocation's `defaultMinA` (6 A: IEC 61851-1's lowest signalled current)
   */
  minA?: number;
  /** Higher is served first by the `priority` strategy and when minimum rates do not all fit. @default 0 */
  priority?: number;
  /** When the vehicle arrived (ms since the epoch, or a Date); earlier arrivals keep their minimum first. @default 0 */
  arrival?: number | Date;
  /**
   * A draw the allocator must take as given (A per phase), e.g. a charger that has not confirmed a
   * lower limit. It is counted against every limit and never changed.
   */
  pinnedA?: number;
}
