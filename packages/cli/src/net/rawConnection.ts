import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { EndpointError } from '../exitCodes.js';
import { basicAuthFor } from './basicAuth.js';
import { readFrame } from './frames.js';
import type { TlsFiles } from './tlsFiles.js';

/** Options for {@link openRaw}. */
export interface OpenRawOptions {
  /** Subprotocols offered in `Sec-WebSocket-Protocol` (in this order). */
  protocols?: readonly string[];
  /** Offer permessage-deflate (RFC 7692). @default false */
  perMessageDeflate?: boolean;
  /** Give up connecting after this long. @default 5000 */
  timeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Basic-auth password; the user name is the identity in the URL (security profiles 1/2). */
  password?: string;
  /** CA, client certificate and key for wss:// (security profiles 2/3). */
  tls?: TlsFiles;
  /** Lowest TLS version offered on wss://; OCPP requires TLS 1.2 or higher. @default 'TLSv1.2' */
  minTlsVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** Highest TLS version offered on wss:// (a check offers only old versions to see them refused). */
  maxTlsVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** How the peer closed (or the socket ended). */
export interface CloseInfo {
  code: number;
  reason: string;
}

/**
 * A raw OCPP-J WebSocket for tools that must see exactly what a server sends: an inbox of text frames
 * that callers await with a predicate and a deadline. Nothing is parsed or answered automatically.
 */
export class RawConnection {
  /** The subprotocol the server selected ('' when it sent none). */
  readonly protocol: string;
  /** The `Sec-WebSocket-Extensions` the server accepted ('' when none). */
  readonly extensions: string;
  readonly closed: Promise<CloseInfo>;
  readonly #inbox: string[] = [];
  readonly #waiters = new Set<() => void>();
  #closeInfo: CloseInfo | undefined;
  #callResponder: ((id: string, action: string, payload: unknown) => string | undefined) | undefined;

  constructor(readonly socket: WebSocket, upgrade: IncomingMessage | undefined) {
    this.protocol = socket.protocol;
    this.extensions = String(upgrade?.headers['sec-websocket-extensions'] ?? '');
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length} bytes>` : data.toString();
      if (this.#callResponder && this.#answer(text)) return;
      this.#inbox.push(text);
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        this.#closeInfo = { code, reason: reason.toString() };
        this.#wake();
        resolve(this.#closeInfo);
      });
    });
    // Errors after open end in 'close'; listening keeps them from becoming uncaught exceptions.
    socket.on('error', () => undefined);
  }

  /** True once the socket closed. */
  get isClosed(): boolean {
    return this.#closeInfo !== undefined;
  }

  /** Sends a text frame; returns false when the socket is no longer open. */
  send(text: string): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(text);
    return true;
  }

  /**
   * Resolves with the first received frame (oldest first) that matches, removing it from the inbox;
   * 'closed' when the socket closes first; 'timeout' after `timeoutMs`.
   */
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals name the two sentinels (a frame is JSON text, never one of them)
  async next(match: (text: string) => boolean, timeoutMs: number): Promise<string | 'timeout' | 'closed'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex(match);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as string;
      if (this.#closeInfo) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#waiters.add(done);
      });
    }
  }

  /** Removes and returns every frame received so far. */
  drain(): string[] {
    return this.#inbox.splice(0, this.#inbox.length);
  }

  /** Sends a ping and resolves true when the pong arrives within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.socket.readyState !== WebSocket.OPEN) return resolve(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      const onPong = (): void => finish(true);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.socket.off('pong', onPong);
        resolve(ok);
      };
      this.socket.on('pong', onPong);
      this.socket.ping();
    });
  }

  /** Waits until the socket closed, up to `timeoutMs`; resolves undefined on timeout. */
  async waitClosed(timeoutMs: number): Promise<CloseInfo | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const result = await Promise.race([this.closed, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Closes (1000 by default) and waits briefly for the close handshake, then terminates. */
  async close(code = 1000, reason = ''): Promise<void> {
    if (this.#closeInfo) return;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code, reason);
    if (!(await this.waitClosed(1000))) this.socket.terminate();
    await this.closed;
  }

  /**
   * Answers the server's own CALLs automatically (they then never reach the inbox). The responder returns
   * the reply frame, or undefined to leave the CALL in the inbox.
   */
  answerCalls(responder: (id: string, action: string, payload: unknown) => string | undefined): void {
    this.#callResponder = responder;
  }

  #answer(text: string): boolean {
    // Only a CALL ([2, …]) is answered: skip parsing every other frame (the fuzzer's hot path).
    if (!/^\s*\[\s*2\s*,/.test(text)) return false;
    const frame = readFrame(text);
    if (frame.type !== 'call' || !this.#callResponder) return false;
    const reply = this.#callResponder(frame.id, frame.action, frame.payload);
    if (reply === undefined) return false;
    this.send(reply);
    return true;
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/**
 * Opens a raw WebSocket. Rejects with an {@link EndpointError} carrying a one-line message for an
 * unreachable endpoint or a refused upgrade (with its HTTP status).
 */
export function openRaw(url: string, options: OpenRawOptions = {}): Promise<RawConnection> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, [...(options.protocols ?? [])], {
        perMessageDeflate: options.perMessageDeflate ?? false,
        handshakeTimeout: timeoutMs,
        headers: { ...options.headers, ...(options.password !== undefined ? { authorization: basicAuthFor(url, options.password) } : {}) },
        ...(url.startsWith('wss:') ? tlsSocketOptions(options) : {}),
      });
    } catch (err) {
      reject(new EndpointError(`cannot connect to ${url}: ${(err as Error).message}`));
      return;
    }
    let upgrade: IncomingMessage | undefined;
    let settled = false;
    const fail = (error: EndpointError): void => {
      if (settled) return;
      settled = true;
      socket.terminate();
      reject(error);
    };
    socket.once('upgrade', (res) => (upgrade = res));
    socket.once('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      fail(new EndpointError(`upgrade refused by ${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd(), status));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // ws aborts a handshake whose 101 response selected no (or an unoffered) subprotocol.
      if (/Server sent (no|an invalid) subprotocol/.test(err.message)) {
        const offered = (options.protocols ?? []).join(', ');
        fail(new EndpointError(`${url} accepted none of the offered subprotocols (${offered})`, undefined, true));
      } else fail(describeNetworkError(url, err));
    });
    socket.once('open', () => {
      settled = true;
      resolve(new RawConnection(socket, upgrade));
    });
  });
}

/** The `tls.connect` options ws passes through for a wss:// URL. */
function tlsSocketOptions(options: OpenRawOptions): Record<string, unknown> {
  return {
    minVersion: options.minTlsVersion ?? 'TLSv1.2',
    ...(options.maxTlsVersion ? { maxVersion: options.maxTlsVersion } : {}),
    ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
    ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
    ...(options.tls?.key ? { key: options.tls.key } : {}),
  };
}

/** One-line message for a socket error while connecting. */
export function describeNetworkError(url: string, err: NodeJS.ErrnoException): EndpointError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new EndpointError(`cannot reach ${url}: connection refused (is the server running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EndpointError(`cannot reach ${url}: host not found`);
    case 'ETIMEDOUT':
      return new EndpointError(`cannot reach ${url}: connection timed out`);
    case 'ECONNRESET':
      return new EndpointError(`cannot reach ${url}: connection reset by the server`);
    default:
      if (/timed out|timeout/i.test(err.message)) return new EndpointError(`cannot reach ${url}: handshake timed out`);
      return new EndpointError(`cannot reach ${url}: ${err.code ?? err.message}`);
  }
}
