import { deferListenerTable } from '@chargewire/rpc-core/internal';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

/** What a ChannelSocket hands its events to (the WsChannel of the connection). */
export interface SocketEventTarget {
  alive: boolean;
  receive(data: RawData, isBinary: boolean): void;
  closed(code: number, reason: Buffer): void;
  protocolError(wsErrorCode: string | undefined): void;
}

/**
 * The `ws` WebSocket class the server's WebSocketServers create. Its own events go straight to the
 * connection's channel instead of through listeners: four listeners per socket would give every idle
 * connection a listener table of its own (a few hundred bytes each, times tens of thousands of chargers).
 * Until a channel is set (and for events it does not take) it behaves like a plain WebSocket.
 */
export class ChannelSocket extends WebSocket {
  target: SocketEventTarget | undefined = undefined;

  // ws' WebSocketServer creates it with ws' own arguments: passed through untouched.
  constructor(...args: unknown[]) {
    super(...(args as ConstructorParameters<typeof WebSocket>));
    deferListenerTable(this);
  }

  override emit(event: string | symbol, a?: unknown, b?: unknown): boolean {
    const target = this.target;
    if (target === undefined) return super.emit(event, a, b);
    switch (event) {
      case 'message':
        target.receive(a as RawData, b as boolean);
        return true;
      case 'close':
        target.closed(a as number, b as Buffer);
        return true;
      case 'pong':
        target.alive = true;
        return true;
      case 'error':
        // ws closes the connection itself after a protocol error; the channel records which code it sent.
        target.protocolError((a as { code?: string } | undefined)?.code);
        return true;
      default:
        return super.emit(event, a, b);
    }
  }
}
