import type { Socket } from 'node:net';

/**
 * Sockets of the HTTP server `listen()` created that have connected but not yet sent an upgrade request. They count
 * against `maxConnections`: sockets that connect and send nothing (or trickle header bytes until `headersTimeoutMs`)
 * cannot hold more than the limit. One 'close' listener is shared by all of them (`this` is the socket) and removed
 * at the upgrade, so an upgraded connection keeps nothing from here.
 */
export class PreUpgradeSockets {
  readonly #sockets = new Set<Socket>();
  readonly #onClose: (this: Socket) => void;

  constructor() {
    const sockets = this.#sockets;
    this.#onClose = function (this: Socket) {
      sockets.delete(this);
    };
  }

  get size(): number {
    return this.#sockets.size;
  }

  add(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', this.#onClose);
  }

  /** The socket's upgrade request arrived: from now on the upgrade (then the client) is counted instead. */
  upgrading(socket: Socket): void {
    if (this.#sockets.delete(socket)) socket.off('close', this.#onClose);
  }
}
