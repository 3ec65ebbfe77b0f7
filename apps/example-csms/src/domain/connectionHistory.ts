import type { CsmsEvent } from './events.js';

/** A charger connecting or going away, for the dashboard's history. */
export interface ConnectionEvent {
  at: string;
  chargerId: string;
  kind: 'connected' | 'disconnected';
  nodeId: string;
  /** Subprotocol (connected) or WebSocket close code (disconnected). */
  protocol?: string;
  code?: number;
}

/** The latest connects and disconnects (bounded ring, newest last). */
export class ConnectionHistory {
  readonly #events: ConnectionEvent[] = [];

  constructor(readonly capacity = 200) {}

  /** Records `charger.connected` / `charger.disconnected`; other events are ignored. */
  record(event: CsmsEvent, at = new Date().toISOString()): void {
    if (event.type === 'charger.connected') {
      this.#push({ at, chargerId: event.chargerId, kind: 'connected', nodeId: event.nodeId, protocol: event.protocol });
    } else if (event.type === 'charger.disconnected') {
      this.#push({ at, chargerId: event.chargerId, kind: 'disconnected', nodeId: event.nodeId, code: event.code });
    }
  }

  list(): ConnectionEvent[] {
    return [...this.#events];
  }

  #push(event: ConnectionEvent): void {
    this.#events.push(event);
    if (this.#events.length > this.capacity) this.#events.shift();
  }
}
