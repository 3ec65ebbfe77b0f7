import type { OCPPClient } from '@chargewire/client';
import type { ServerClient } from '@chargewire/server';

/**
 * One charger crossing the proxy: its 1.6 connection (a ServerClient, bound once the WebSocket is accepted)
 * and its own upstream OCPPClient, opened during the charger's handshake.
 */
export class ChargerSession {
  readonly identity: string;
  readonly upstream: OCPPClient;
  readonly createdAt = Date.now();
  #charger: ServerClient | undefined;
  #chargerWaiters: Array<(client: ServerClient | undefined) => void> = [];
  #closed = false;
  #stopWatchingHandshake: (() => void) | undefined;

  constructor(identity: string, upstream: OCPPClient) {
    this.identity = identity;
    this.upstream = upstream;
  }

  get charger(): ServerClient | undefined {
    return this.#charger;
  }

  get closed(): boolean {
    return this.#closed;
  }

  bind(charger: ServerClient): void {
    this.#stopWatchingHandshake?.();
    this.#charger = charger;
    for (const resolve of this.#chargerWaiters.splice(0)) resolve(charger);
  }

  /**
   * Ends the session (and its upstream, with any reconnect attempt) as soon as `handshake` aborts before the
   * charger's socket is bound: the charger went away or timed out while the upstream was being opened.
   */
  endWithHandshake(handshake: AbortSignal): void {
    const left = () => {
      if (!this.#charger) void this.close(1001, 'Charger left during the handshake');
    };
    if (handshake.aborted) return left();
    handshake.addEventListener('abort', left, { once: true });
    this.#stopWatchingHandshake = () => handshake.removeEventListener('abort', left);
  }

  /** The charger connection, waiting up to `ms` for it (a backend call may arrive before the charger's socket is accepted). */
  waitForCharger(ms: number): Promise<ServerClient | undefined> {
    if (this.#charger || this.#closed) return Promise.resolve(this.#charger?.connected ? this.#charger : undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#chargerWaiters = this.#chargerWaiters.filter((w) => w !== done);
        resolve(undefined);
      }, ms);
      const done = (client: ServerClient | undefined) => {
        clearTimeout(timer);
        resolve(client);
      };
      this.#chargerWaiters.push(done);
    });
  }

  /** Whether the upstream is open, waiting up to `ms` while it reconnects. */
  waitForUpstream(ms: number): Promise<boolean> {
    const state = this.upstream.state;
    if (state === 'open') return Promise.resolve(true);
    if (this.#closed || state === 'closed' || state === 'closing' || ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (open: boolean) => {
        clearTimeout(timer);
        this.upstream.off('open', onOpen);
        this.upstream.off('close', onClose);
        resolve(open);
      };
      const onOpen = () => finish(true);
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(false), ms);
      this.upstream.on('open', onOpen);
      this.upstream.on('close', onClose);
    });
  }

  /** Ends both legs (idempotent). */
  async close(code: number, reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopWatchingHandshake?.();
    for (const resolve of this.#chargerWaiters.splice(0)) resolve(undefined);
    if (this.#charger?.connected) this.#charger.close(code, reason);
    await this.upstream.close({ code: code === 1000 ? 1000 : 1001, reason }).catch(() => undefined);
  }
}
