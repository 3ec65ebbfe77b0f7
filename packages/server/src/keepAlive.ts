import type { WsChannel } from './wsChannel.js';

/** At most this many slices: with the default 30 s interval, one slice is visited about every 470 ms. */
const MAX_SLICES = 64;
/** Slices are visited no more often than this, however short the interval. */
const MIN_TICK_MS = 50;

/**
 * One shared ping schedule for all connections (no timer per connection), spread over the interval:
 * connections are dealt round-robin into slices and one timer visits one slice per tick, so each
 * connection is still visited once per `intervalMs` but a server with thousands of chargers never pings
 * them all in one burst (thousands of writes, then thousands of pongs, in one turn of the event loop and
 * through whatever balancer sits in front). A visited channel that showed no traffic since its previous
 * visit is terminated as a dead peer (so the dead-peer timeout is between one and two intervals); the
 * others are pinged (DESIGN rule 8).
 */
export class KeepAlive {
  readonly #slices: Array<Set<WsChannel>>;
  /** Which slice each channel is in, so delete() is O(1). */
  readonly #sliceOf = new Map<WsChannel, Set<WsChannel>>();
  readonly #tickMs: number;
  #nextSlice = 0;
  #visit = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #onDeadPeer: (channel: WsChannel) => void;

  constructor(
    readonly intervalMs: number,
    onDeadPeer: (channel: WsChannel) => void,
  ) {
    this.#onDeadPeer = onDeadPeer;
    const count = intervalMs > 0 ? Math.max(1, Math.min(MAX_SLICES, Math.floor(intervalMs / MIN_TICK_MS))) : 1;
    this.#slices = Array.from({ length: count }, () => new Set<WsChannel>());
    this.#tickMs = intervalMs / count;
  }

  /** Connections being kept alive. */
  get size(): number {
    return this.#sliceOf.size;
  }

  add(channel: WsChannel): void {
    if (this.intervalMs <= 0 || this.#sliceOf.has(channel)) return;
    // Round-robin keeps the slices even as connections come and go; a new connection is first visited
    // within one interval, as with a single sweep.
    const slice = this.#slices[this.#nextSlice]!;
    this.#nextSlice = (this.#nextSlice + 1) % this.#slices.length;
    slice.add(channel);
    this.#sliceOf.set(channel, slice);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.tick(), this.#tickMs);
      this.#timer.unref();
    }
  }

  delete(channel: WsChannel): void {
    const slice = this.#sliceOf.get(channel);
    if (!slice) return;
    slice.delete(channel);
    this.#sliceOf.delete(channel);
    if (this.#sliceOf.size === 0) this.stop();
  }

  /** Visits the next slice (the timer calls this every intervalMs / slices). */
  tick(): void {
    const slice = this.#slices[this.#visit]!;
    this.#visit = (this.#visit + 1) % this.#slices.length;
    this.#sweep(slice);
  }

  #sweep(slice: Set<WsChannel>): void {
    for (const channel of slice) {
      if (!channel.alive) {
        this.delete(channel);
        this.#onDeadPeer(channel);
        continue;
      }
      channel.alive = false;
      channel.ping();
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
