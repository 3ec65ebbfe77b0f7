import type { Request, Response } from 'express';
import type { CsmsEvent } from '../domain/events.js';
import type { MessageLogEntry } from '../domain/messageLog.js';
import { HttpError } from './httpError.js';
import { CHARGER_ID } from './validation.js';

/** Bounds of the event stream. */
export interface EventStreamOptions {
  /** Open streams at once; one more is answered 503. @default 50 */
  maxClients?: number;
  /**
   * Bytes a stream may have queued (a client not reading); beyond that it is dropped and its browser
   * reconnects and reloads. @default 262144 (256 KiB)
   */
  maxBufferedBytes?: number;
  /** Comment line interval, so proxies do not cut idle streams. @default 15000 */
  keepAliveMs?: number;
}

/**
 * Server-Sent Events fan-out for the dashboard: one `event: <type>` message per domain event, and, for a
 * stream opened with `?chargerId=`, that charger's OCPP message log (`event: message`).
 */
export class EventStream {
  readonly #clients = new Map<Response, { chargerId: string | undefined }>();
  readonly #timer: NodeJS.Timeout;
  readonly #maxClients: number;
  readonly #maxBuffered: number;
  #nextId = 1;
  #dropped = 0;

  constructor(options: EventStreamOptions = {}) {
    this.#maxClients = options.maxClients ?? 50;
    this.#maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
    this.#timer = setInterval(() => {
      for (const res of this.#clients.keys()) this.#write(res, ': keep-alive\n\n');
    }, options.keepAliveMs ?? 15_000);
    this.#timer.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Streams closed because their client did not keep up. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Express handler for `GET /api/v1/events[?chargerId=<id>]`. */
  readonly handle = (req: Request, res: Response): void => {
    const raw = (req.query as Record<string, unknown>).chargerId;
    if (raw !== undefined && (typeof raw !== 'string' || !CHARGER_ID.test(raw))) {
      throw new HttpError(400, 'ValidationError', 'invalid query: chargerId must be a charger id');
    }
    if (this.#clients.size >= this.#maxClients) {
      res.setHeader('Retry-After', '5');
      throw new HttpError(503, 'TooManyStreams', `at most ${this.#maxClients} event streams at once`);
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    this.#clients.set(res, { chargerId: raw });
    res.on('close', () => this.#clients.delete(res));
  };

  publish(event: CsmsEvent): void {
    if (this.#clients.size === 0) return;
    const frame = `id: ${this.#nextId++}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const res of this.#clients.keys()) this.#write(res, frame);
  }

  /** A message-log entry, only to the streams watching that charger. */
  publishMessage(entry: MessageLogEntry): void {
    let frame: string | undefined;
    for (const [res, { chargerId }] of this.#clients) {
      if (chargerId !== entry.chargerId) continue;
      frame ??= `event: message\ndata: ${JSON.stringify(entry)}\n\n`;
      this.#write(res, frame);
    }
  }

  #write(res: Response, frame: string): void {
    if (res.writableLength > this.#maxBuffered) {
      // A stream that does not read would hold every event in memory: cut it.
      this.#clients.delete(res);
      this.#dropped++;
      res.destroy();
      return;
    }
    res.write(frame);
  }

  /** Ends every stream (shutdown); browsers would reconnect, so this comes after the server stops accepting. */
  close(): void {
    clearInterval(this.#timer);
    for (const res of this.#clients.keys()) res.end();
    this.#clients.clear();
  }
}
