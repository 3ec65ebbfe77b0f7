import type { RemoteCallOutcome } from '../adapter.js';

/** setTimeout fires at once for delays above 2^31-1 ms; clamp (≈24.8 days is "for ever" here). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  settle(outcome: RemoteCallOutcome): void;
  timer: NodeJS.Timeout;
  nodeId: string;
}

/**
 * Cross-node calls waiting for their reply, keyed by request id. Every entry leaves the map exactly once: on its
 * reply, on its timer, or when the transport fails — so a slow or lost reply never leaks an entry.
 */
export class PendingCalls {
  readonly #entries = new Map<string, Entry>();

  get size(): number {
    return this.#entries.size;
  }

  /** Registers `id`; the promise resolves with the reply, or with `onTimeout()` after `timeoutMs`. */
  add(id: string, nodeId: string, timeoutMs: number, onTimeout: () => RemoteCallOutcome): Promise<RemoteCallOutcome> {
    if (this.#entries.has(id)) throw new Error(`duplicate cross-node request id ${id}`);
    return new Promise<RemoteCallOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.#entries.delete(id);
        resolve(onTimeout());
      }, Math.min(timeoutMs, MAX_TIMER_MS));
      this.#entries.set(id, { settle: resolve, timer, nodeId });
    });
  }

  /** Settles `id` if it is still pending (a late reply after a timeout is ignored). Returns whether it was. */
  settle(id: string, outcome: RemoteCallOutcome, fromNode?: string): boolean {
    const entry = this.#entries.get(id);
    // Only the node the request went to may answer it.
    if (!entry || (fromNode !== undefined && entry.nodeId !== fromNode)) return false;
    this.#entries.delete(id);
    clearTimeout(entry.timer);
    entry.settle(outcome);
    return true;
  }

  /** Nodes that have calls waiting for them. */
  targets(): Set<string> {
    return new Set([...this.#entries.values()].map((e) => e.nodeId));
  }

  /** Settles every call waiting for `nodeId` (that node left the cluster). Returns how many. */
  settleNode(nodeId: string, outcome: RemoteCallOutcome): number {
    let n = 0;
    for (const [id, entry] of [...this.#entries]) if (entry.nodeId === nodeId && this.settle(id, outcome)) n++;
    return n;
  }

  /** Settles every pending entry with `outcome` (transport lost, adapter closed). */
  settleAll(outcome: RemoteCallOutcome): void {
    for (const id of [...this.#entries.keys()]) this.settle(id, outcome);
  }
}
