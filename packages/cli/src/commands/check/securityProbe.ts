import { connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import { callFrame, readFrame } from '../../net/frames.js';
import type { TlsFiles } from '../../net/tlsFiles.js';

/** How a connection attempt of the security check ended. */
export type ProbeOutcome =
  /** Upgraded and the server answered a Heartbeat: it serves this connection. */
  | { kind: 'accepted'; protocol: string }
  /** The upgrade was answered with an HTTP status. */
  | { kind: 'refused'; status: number }
  /** Upgraded, then closed (or never answered) instead of serving. */
  | { kind: 'closed'; code: number }
  /** No WebSocket at all: TCP or TLS failed (a refused client certificate, an untrusted server certificate, …). */
  | { kind: 'failed'; code: string; message: string };

/** Options of {@link probeConnect}. */
export interface ProbeOptions {
  protocols: readonly string[];
  /** `Authorization` header value, if any. */
  authorization?: string;
  tls?: TlsFiles;
  /** Verify the server certificate against `tls.ca` (or the system store). @default true */
  verifyServer?: boolean;
  timeoutMs: number;
}

/** Opens a WebSocket with exactly the given credentials and reports what the server did with it. */
export function probeConnect(url: string, options: ProbeOptions): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      resolve(outcome);
    };
    const socket = new WebSocket(url, [...options.protocols], {
      handshakeTimeout: options.timeoutMs,
      headers: options.authorization ? { authorization: options.authorization } : {},
      ...(url.startsWith('wss:')
        ? {
            minVersion: 'TLSv1.2' as const,
            rejectUnauthorized: options.verifyServer ?? true,
            ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
            ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
            ...(options.tls?.key ? { key: options.tls.key } : {}),
          }
        : {}),
    });
    const timer = setTimeout(() => done({ kind: 'failed', code: 'ETIMEDOUT', message: 'no answer within the timeout' }), options.timeoutMs * 2);
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      done({ kind: 'refused', status: res.statusCode ?? 0 });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done({ kind: 'failed', code: err.code ?? 'ERROR', message: err.message }));
    socket.on('close', (code) => done({ kind: 'closed', code }));
    socket.on('open', () => {
      socket.send(callFrame('cw-security', 'Heartbeat', {}));
    });
    socket.on('message', (data) => {
      const frame = readFrame(data.toString());
      if ((frame.type === 'result' || frame.type === 'error') && frame.id === 'cw-security') done({ kind: 'accepted', protocol: socket.protocol });
    });
  });
}

/** What a bare TLS handshake with a pinned version range led to. */
export type HandshakeOutcome = { ok: true; version: string } | { ok: false; code: string; message: string };

/** A TLS handshake with `host:port` offering only `min`…`max` (the server certificate is not verified here). */
export function tlsHandshake(
  host: string,
  port: number,
  min: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3',
  max: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3',
  tls: TlsFiles | undefined,
  timeoutMs: number,
): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      servername: /^[\d.]+$|:/.test(host) ? '' : host,
      minVersion: min,
      maxVersion: max,
      // OpenSSL 3 refuses to offer TLS 1.0/1.1 at its default security level; the probe must offer them.
      ...(max === 'TLSv1' || max === 'TLSv1.1' ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
      rejectUnauthorized: false,
      ...(tls?.cert ? { cert: tls.cert } : {}),
      ...(tls?.key ? { key: tls.key } : {}),
    });
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', message: 'handshake timed out' }), timeoutMs);
    const finish = (outcome: HandshakeOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.once('secureConnect', () => finish({ ok: true, version: socket.getProtocol() ?? max }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, code: err.code ?? 'ERROR', message: err.message }));
  });
}

/** True when a failed handshake was our own side's doing (this OpenSSL cannot offer those versions). */
export function refusedLocally(outcome: HandshakeOutcome): boolean {
  return !outcome.ok && /NO_PROTOCOLS_AVAILABLE|no protocols available|NO_CIPHERS_AVAILABLE/i.test(`${outcome.code} ${outcome.message}`);
}
