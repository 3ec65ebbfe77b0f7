import { WebSocket } from 'ws';

/**
 * Ping/pong keep-alive (DESIGN rule 8, OCPP-J §5 `WebSocketPingInterval`): sends a ping every
 * `intervalMs`; if neither a pong nor any other frame (a server ping, a message) arrives within
 * `deadPeerTimeoutMs`, the peer is considered dead and `onDead` runs (the client terminates the socket and
 * reconnects).
 * Timers are unref'd so an idle client never keeps the process alive.
 */
export class KeepAlive {
  #interval: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  readonly #onAlive = (): void => this.#alive();
  readonly #ws: WebSocket;
  readonly #intervalMs: number;
  readonly #deadPeerTimeoutMs: number;
  readonly #onDead: () => void;

  constructor(
    ws: WebSocket,
    intervalMs: number,
    deadPeerTimeoutMs: number,
    onDead: () => void,
  ) {
    this.#ws = ws;
    this.#intervalMs = intervalMs;
    this.#deadPeerTimeoutMs = deadPeerTimeoutMs;
    this.#onDead = onDead;
  }

  start(): void {
    if (this.#intervalMs <= 0 || this.#interval) return;
    this.#ws.on('pong', this.#onAlive);
    this.#ws.on('ping', this.#onAlive);
    this.#ws.on('message', this.#onAlive);
    this.#interval = setInterval(() => this.#tick(), this.#intervalMs);
    this.#interval.unref();
  }

  stop(): void {
    if (this.#interval) clearInterval(this.#interval);
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#interval = undefined;
    this.#deadline = undefined;
    this.#ws.off('pong', this.#onAlive);
    this.#ws.off('ping', this.#onAlive);
    this.#ws.off('message', this.#onAlive);
  }

  #tick(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.#deadline) return; // still waiting for the previous pong
    this.#ws.ping();
    if (this.#deadPeerTimeoutMs > 0) {
      this.#deadline = setTimeout(() => {
        this.#deadline = undefined;
        this.stop();
        this.#onDead();
      }, this.#deadPeerTimeoutMs);
      this.#deadline.unref();
    }
  }

  #alive(): void {
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }
}
