import type { AdapterHost, PresenceRecord } from '../adapter.js';
import type { PresenceConflict } from './events.js';
import { toError } from './outcomes.js';
import type { ClusterPresenceStore, PresenceOwner } from './presenceStore.js';

/** Records per round trip unless the store asks for another size: keeps each pipeline (and the store's work per batch) small. */
const BATCH = 500;
/** A heartbeat is cut into parts of about this many records, refreshed one after another over the interval... */
const RECORDS_PER_SLICE = 256;
/** ...and into no more parts than this (a part of a Redis store still spans 1024 / 16 hash-tag buckets). */
const MAX_SLICES = 16;

/** Where the keeper reports what it finds. */
export interface PresenceKeeperSink {
  conflict(conflict: PresenceConflict): void;
  /** A register took `identity` from another connection: its node must close it. */
  replaced(identity: string, previous: PresenceOwner): void;
  error(error: Error): void;
  /** False once the adapter is closing: stop between batches. */
  active(): boolean;
}

/**
 * Keeps this node's presence in Redis true to the server's live connections (`AdapterHost.localPresence()`):
 * the periodic heartbeat, and the full re-registration after Redis came back.
 */
export class PresenceKeeper {
  readonly #store: ClusterPresenceStore;
  readonly #host: AdapterHost;
  readonly #sink: PresenceKeeperSink;
  /** Wakes a beat waiting between two parts (close() must not wait for the rest of the interval). */
  #wake: (() => void) | undefined;
  constructor(
    store: ClusterPresenceStore,
    host: AdapterHost,
    sink: PresenceKeeperSink,
  ) {
    this.#store = store;
    this.#host = host;
    this.#sink = sink;
  }

  /**
   * Heartbeat: extend the TTL of every record its connection still owns, then node liveness. Resolves with the
   * number of records that could not be refreshed or re-written (0: this node's presence is whole).
   *
   * The records are refreshed in parts spread over `spreadMs` (the adapter passes half its interval): a node
   * with thousands of chargers then never spends one long turn of its event loop, nor the store one long
   * pipeline, on a heartbeat while calls wait behind it.
   */
  async beat(spreadMs = 0): Promise<number> {
    const slices = this.#slices(this.#host.localPresence());
    let failed = 0;
    for (let s = 0; s < slices.length && this.#sink.active(); s++) {
      let slice = slices[s]!;
      if (s > 0 && spreadMs > 0) {
        await this.#pause(spreadMs / slices.length);
        // Connections closed during the pause are left out: their records are gone or taken by a newer
        // connection, and refreshing them would only report that as a conflict.
        const live = new Set(this.#host.localPresence().map((r) => r.connectionId));
        slice = slice.filter((r) => live.has(r.connectionId));
      }
      failed += await this.#refresh(slice);
    }
    // Liveness last: after a store restart, a node is back in the live set only once its records are, which
    // is what lets other nodes tell "absent" from "not re-registered yet".
    await this.#store.touchNode(this.#host.nodeId);
    return failed;
  }

  /** Ends a beat's pause between parts now: the rest of it runs at once (or stops, once the sink is inactive). */
  hurry(): void {
    this.#wake?.();
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = undefined;
    });
  }

  #slices(records: readonly PresenceRecord[]): PresenceRecord[][] {
    const count = Math.max(1, Math.min(MAX_SLICES, Math.ceil(records.length / RECORDS_PER_SLICE)));
    if (count === 1) return [records.slice()];
    const sliceOf = this.#store.sliceOf?.bind(this.#store);
    if (!sliceOf) {
      const size = Math.ceil(records.length / count);
      return Array.from({ length: count }, (_, i) => records.slice(i * size, (i + 1) * size));
    }
    const slices = Array.from({ length: count }, (): PresenceRecord[] => []);
    for (const r of records) slices[Math.min(count - 1, Math.max(0, sliceOf(r.identity, count)))]!.push(r);
    return slices.filter((slice) => slice.length > 0);
  }

  /** Refreshes one part of the records, in round trips of the store's batch size. */
  async #refresh(records: readonly PresenceRecord[]): Promise<number> {
    const size = this.#store.refreshBatch ?? BATCH;
    let failed = 0;
    for (let i = 0; i < records.length && this.#sink.active(); i += size) {
      const batch = records.slice(i, i + size);
      const results = await this.#store.refresh(batch);
      const missing: PresenceRecord[] = [];
      results.forEach((res, j) => {
        const r = batch[j];
        if (!r) return;
        if (res.status === 'missing') missing.push(r);
        else if (res.status === 'superseded') {
          // A newer connection of this identity registered elsewhere (its notice may have been lost): this one is stale.
          this.#conflict(r, res.owner, 'heartbeat');
          this.#host.closeSuperseded(r.identity, r.connectionId);
        }
        else if (res.status === 'failed') {
          failed++;
          this.#sink.error(new Error(`heartbeat of "${r.identity}" failed: ${res.error.message}`));
        }
      });
      // The record expired or Redis lost it: write it again, but only for connections still live now (one that
      // disconnected while the refresh was in flight must not come back as a ghost).
      if (missing.length > 0) failed += (await this.#registerLive(missing, 'heartbeat')).failed;
    }
    return failed;
  }

  /**
   * After a reconnect (Redis may have restarted empty, or a replica taken over without the last writes): every
   * live record, then liveness. Resolves with how many were written and how many could not be.
   */
  async reregister(): Promise<{ written: number; failed: number }> {
    const records = this.#host.localPresence();
    let written = 0;
    let failed = 0;
    for (let i = 0; i < records.length && this.#sink.active(); i += BATCH) {
      const result = await this.#registerLive(records.slice(i, i + BATCH), 'reregister');
      written += result.written;
      failed += result.failed;
    }
    await this.#store.touchNode(this.#host.nodeId); // last, as in beat()
    return { written, failed };
  }

  /**
   * Registers the records whose connection is still live. The check and the commands happen in the same tick, so an
   * unregister issued by a disconnect after the check reaches Redis after the register (one connection, in order).
   */
  async #registerLive(records: readonly PresenceRecord[], during: 'heartbeat' | 'reregister'): Promise<{ written: number; failed: number }> {
    const live = new Set(this.#host.localPresence().map((r) => r.connectionId));
    const todo = records.filter((r) => live.has(r.connectionId));
    const results = await Promise.all(todo.map((r) => this.#store.register(r).catch((err: unknown) => toError(err))));
    let written = 0;
    let failed = 0;
    results.forEach((res, j) => {
      const r = todo[j];
      if (!r) return;
      if (res instanceof Error) {
        failed++;
        this.#sink.error(new Error(`registering "${r.identity}" (${during}) failed: ${res.message}`));
      }
      else if (res.written) {
        written++;
        if (res.replaced) this.#sink.replaced(r.identity, res.replaced);
      }
      else this.#conflict(r, res.owner, during);
    });
    return { written, failed };
  }

  #conflict(r: PresenceRecord, owner: PresenceConflict['owner'], during: PresenceConflict['during']): void {
    this.#sink.conflict({ identity: r.identity, connectionId: r.connectionId, owner, during });
  }
}
