import type { Request, Response } from 'express';
import type { CsmsEvent } from '../domain/events.js';

/**
 * Server-Sent Events fan-out for the dashboard: one `event: <type>` message per domain event, and a
 * comment line every `keepAliveMs` so proxies do not cut idle streams.
 */
export class EventStream {
  readonly #clients = new Set<Response>();
  readonly #timer: NodeJS.Timeout;
  #nextId = 1;

  constructor(keepAliveMs = 15_000) {
    this.#timer = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, keepAliveMs);
    this.#timer.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Express handler for `GET /api/v1/events`. */
  readonly handle = (_req: Request, res: Response): void => {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  };

  publish(event: CsmsEvent): void {
    if (this.#clients.size === 0) return;
    const frame = `id: ${this.#nextId++}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const res of this.#clients) res.write(frame);
  }

  /** Ends every stream (shutdown); browsers would reconnect, so this comes after the server stops accepting. */
  close(): void {
    clearInterval(this.#timer);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
