import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import { HandlerRegistry, type OcppHandlers } from '@chargewire/rpc-core';
import { definePeerMethods } from '@chargewire/rpc-core/internal';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ChannelSocket } from './channelSocket.js';
import { addExtensionHeader, installDeflate, negotiateDeflate } from './compression/installDeflate.js';
import type { AuthHandler } from './auth.js';
import type { ConnectionMiddleware } from './connectionMiddleware.js';
import type { RouteParamValues } from './handshake.js';
import type { ResolvedRouteOptions } from './options.js';
import { compileRoutePattern } from './routePattern.js';
import type { RoutePattern } from './routePattern.js';
import type { ServerClient } from './serverClient.js';

/** The subprotocol chosen for a request before the upgrade, read back by ws' `handleProtocols`. */
const selectedProtocols = new WeakMap<IncomingMessage, string>();

/**
 * One URL pattern with its own options, connection middleware, auth, handlers and `client` event.
 * `Params` are the pattern's path parameters (typed by `server.route()`).
 * @example
 * const chargers = server.route('/api/v1/chargers/:id', { protocols: ['ocpp2.0.1'] });
 * chargers.handle('ocpp2.0.1', 'Heartbeat', ({ client }) => ({ currentTime: new Date().toISOString() }));
 * chargers.on('client', (client) => client.handshake.params.id);
 */
export class Route<M extends ProtocolMap = OcppProtocols, Params extends RouteParamValues = RouteParamValues> extends EventEmitter {
  readonly pattern: RoutePattern;
  readonly middleware: ConnectionMiddleware[] = [];
  authHandler: AuthHandler | undefined;
  /** @internal handlers shared by every client of this route; the server's are its parent. */
  readonly handlers: HandlerRegistry;
  #wss: WebSocketServer | undefined;

  constructor(pattern: string, readonly options: ResolvedRouteOptions, serverHandlers?: HandlerRegistry) {
    super();
    this.pattern = compileRoutePattern(pattern);
    this.handlers = new HandlerRegistry(serverHandlers);
  }

  /**
   * Registers a handler shared by every client of this route, typed like `client.handle()`; it gets the
   * client as `ctx.client`. A client's own handler of the same action overrides it; it overrides the
   * server's. One registration serves every connection: no closure or table per client.
   */
  declare readonly handle: OcppHandlers<'CSMS', M, ServerClient<M, unknown, Params>>['handle'];

  static {
    definePeerMethods<Route<ProtocolMap>>(this.prototype, {
      handle(protocolOrHandler, action, handler) {
        this.handlers.register(protocolOrHandler, action, handler);
      },
    });
  }

  /** No arguments: removes the route's wildcard handler; a protocol: all of its handlers; both: one handler. */
  removeHandler(protocol?: string, action?: string): void {
    this.handlers.delete(protocol, action);
  }

  /** Adds connection middleware that runs after the server's own, for this route only. */
  use(middleware: ConnectionMiddleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Auth handler for this route (replaces the server's for connections on this route). */
  auth<Session = unknown>(handler: AuthHandler<Session>): this {
    this.authHandler = handler;
    return this;
  }

  override on(event: 'client', listener: (client: ServerClient<M, unknown, Params>) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /**
   * @internal the ws server of this route, created on first use with the route's options. permessage-deflate is
   * negotiated and run by `compression/` instead of ws (synchronous zlib, no state kept on idle connections).
   */
  get wss(): WebSocketServer {
    if (!this.#wss) {
      this.#wss = new WebSocketServer({
        noServer: true,
        clientTracking: false,
        WebSocket: ChannelSocket,
        maxPayload: this.options.maxPayload,
        perMessageDeflate: false,
        handleProtocols: (_offered, req) => selectedProtocols.get(req) ?? false,
      });
      this.#wss.on('headers', addExtensionHeader);
    }
    return this.#wss;
  }

  /** @internal Completes the upgrade with `protocol` selected; `done` gets the new socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, done: (ws: WebSocket) => void): void {
    selectedProtocols.set(req, protocol);
    negotiateDeflate(req, this.options.perMessageDeflate, this.options.maxPayload);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      selectedProtocols.delete(req);
      if (installDeflate(ws, req)) done(ws);
    });
  }

  /**
   * @internal DESIGN rule 2 / OCPP-J §3.1.2: no common subprotocol. The handshake completes without
   * Sec-WebSocket-Protocol and the socket is closed at once, never served.
   */
  upgradeWithoutProtocol(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(1002, 'No supported subprotocol');
    });
  }

  /** @internal */
  closeWss(): void {
    this.#wss?.close();
    this.#wss = undefined;
  }
}
