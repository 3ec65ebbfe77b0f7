import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP round-robin load balancer in front of the CSMS nodes, like the one chargers meet in production:
 * each new connection goes to the next backend that accepts it, so when a node dies its chargers'
 * reconnects land on the survivors.
 */
export class LoadBalancer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #next = 0;

  constructor(readonly backends: number[]) {
    this.#server = createServer((downstream) => this.#accept(downstream));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops sending new connections to a backend (what a health check does after a node dies). */
  remove(port: number): void {
    const index = this.backends.indexOf(port);
    if (index >= 0) this.backends.splice(index, 1);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(downstream: Socket): void {
    this.#sockets.add(downstream);
    let upstream: Socket | undefined;
    downstream.on('error', () => downstream.destroy());
    downstream.once('close', () => {
      this.#sockets.delete(downstream);
      upstream?.destroy();
    });
    // Readable sockets start paused, so nothing the charger sends is lost while a backend is picked.
    const route = (attempt: number): void => {
      const port = this.backends[this.#next++ % Math.max(1, this.backends.length)];
      if (attempt >= this.backends.length || port === undefined || downstream.destroyed) {
        downstream.destroy();
        return;
      }
      const candidate = connect(port, '127.0.0.1');
      const refused = (): void => {
        candidate.destroy();
        route(attempt + 1);
      };
      candidate.once('error', refused);
      candidate.once('connect', () => {
        candidate.off('error', refused);
        upstream = candidate;
        this.#sockets.add(candidate);
        candidate.on('error', () => downstream.destroy());
        candidate.once('close', () => {
          this.#sockets.delete(candidate);
          downstream.destroy();
        });
        downstream.pipe(candidate).pipe(downstream);
      });
    };
    route(0);
  }
}
