import { MAX_TIMER_MS } from './pendingCalls.js';

/** One node's delivery counts in a broadcast. */
export interface NodeDelivery {
  nodeId: string;
  delivered: number;
  failed: number;
}

/** What a collection ended with; `complete` = every receiver of the PUBLISH answered. */
export interface BroadcastCollection {
  reports: Map<string, NodeDelivery>;
  complete: boolean;
}

interface Collection {
  reports: Map<string, NodeDelivery>;
  /** Receivers of the PUBLISH (known once it returns), including this node when it is subscribed. */
  expected: number | undefined;
  /** Reports plus this node's own echo of the message. */
  arrivals: number;
  done(complete: boolean): void;
  timer: NodeJS.Timeout;
}

/**
 * Gathers the delivery reports of a cluster broadcast. PUBLISH returns how many subscribers got the message; this
 * node is one of them when subscribed, and sees its own message come back — counting that echo as an arrival
 * makes "all receivers answered" exact without knowing whether this node was counted.
 */
export class BroadcastCollector {
  readonly #open = new Map<string, Collection>();

  get size(): number {
    return this.#open.size;
  }

  /** Starts collecting for `id`; resolves when every receiver answered, on timeout, or on {@link abortAll}. */
  start(id: string, timeoutMs: number): Promise<BroadcastCollection> {
    return new Promise((resolve) => {
      const reports = new Map<string, NodeDelivery>();
      const done = (complete: boolean): void => {
        const c = this.#open.get(id);
        if (!c) return;
        clearTimeout(c.timer);
        this.#open.delete(id);
        resolve({ reports, complete });
      };
      const timer = setTimeout(() => done(false), Math.min(timeoutMs, MAX_TIMER_MS));
      this.#open.set(id, { reports, expected: undefined, arrivals: 0, done, timer });
    });
  }

  /** Records the PUBLISH receiver count. */
  setExpected(id: string, receivers: number): void {
    const c = this.#open.get(id);
    if (!c) return;
    c.expected = receivers;
    this.#check(c);
  }

  /** This node received its own broadcast message. */
  echo(id: string): void {
    const c = this.#open.get(id);
    if (!c) return;
    c.arrivals++;
    this.#check(c);
  }

  report(id: string, delivery: NodeDelivery): void {
    const c = this.#open.get(id);
    if (!c || c.reports.has(delivery.nodeId)) return;
    c.reports.set(delivery.nodeId, delivery);
    c.arrivals++;
    this.#check(c);
  }

  /** Ends every open collection with the reports gathered so far. */
  abortAll(): void {
    for (const c of [...this.#open.values()]) c.done(false);
  }

  /** Ends one collection early (e.g. its PUBLISH failed). */
  abort(id: string): void {
    this.#open.get(id)?.done(false);
  }

  #check(c: Collection): void {
    if (c.expected !== undefined && c.arrivals >= c.expected) c.done(true);
  }
}
