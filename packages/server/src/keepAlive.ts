import type { WsChannel } from './wsChannel.js';

/**
 * One shared ping sweep for all connections (no timer per connection). Every `intervalMs` each
 * channel that showed no traffic since the previous sweep is terminated as a dead peer (so the
 * dead-peer timeout is between one and two intervals); the others are pinged (DESIGN rule 8).
 */
export class KeepAlive {
  readonly #channels = new Set<WsChannel>();
  #timer: NodeJS.Timeout | undefined;
  readonly #onDeadPeer: (channel: WsChannel) => void;

  constructor(
    readonly intervalMs: number,
    onDeadPeer: (channel: WsChannel) => void,
  ) {
    this.#onDeadPeer = onDeadPeer;
  }

  add(channel: WsChannel): void {
    if (this.intervalMs <= 0) return;
    this.#channels.add(channel);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.sweep(), this.intervalMs);
      this.#timer.unref();
    }
  }

  delete(channel: WsChannel): void {
    this.#channels.delete(channel);
    if (this.#channels.size === 0) this.stop();
  }

  sweep(): void {
    for (const channel of this.#channels) {
      if (!channel.alive) {
        this.#channels.delete(channel);
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
