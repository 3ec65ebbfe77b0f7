import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ConnectAbortedError,
  ConnectionFailedError,
  ConnectionRefusedError,
  SubprotocolMismatchError,
} from './errors.js';
import { openSocket, parseRetryAfter, type OpenSocketOptions } from './openSocket.js';
import { generateTestCertificates, type TestCertificates } from '@chargewire/server/testing';
import { startRawServer, type RawServer } from './testing/rawServer.fixture.js';
import { basicAuthHeader } from './basicAuth.js';
import { buildEndpointUrl } from './url.js';

function opts(url: string, extra: Partial<OpenSocketOptions> = {}): OpenSocketOptions {
  return {
    url: new URL(url),
    protocols: ['ocpp2.0.1', 'ocpp1.6'],
    headers: {},
    handshakeTimeoutMs: 10_000,
    perMessageDeflate: true,
    maxPayloadBytes: 1024 * 1024,
    ...extra,
  };
}

describe('openSocket (raw ws server)', () => {
  let server: RawServer;
  afterAll(async () => server?.close());

  it('opens with the subprotocol the server chose and sends the configured headers', async () => {
    server = await startRawServer({ pickProtocol: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false) });
    const url = buildEndpointUrl(server.url, 'CP/1');
    const conn = server.nextConnection();
    const { ws, protocol } = await openSocket(
      opts(url.href, { headers: { authorization: basicAuthHeader('CP/1', 'pw:with:colons'), 'x-extra': 'yes' } }),
    );
    expect(protocol).toBe('ocpp1.6');
    const { req } = await conn;
    expect(req.url).toBe('/ocpp/CP%2F1');
    expect(req.headers['sec-websocket-protocol']).toBe('ocpp2.0.1,ocpp1.6');
    expect(req.headers['x-extra']).toBe('yes');
    expect(Buffer.from((req.headers.authorization ?? '').slice(6), 'base64').toString()).toBe('CP/1:pw:with:colons');
    ws.close();
  });

  it('rejects a refused upgrade with ConnectionRefusedError carrying the status', async () => {
    const refusing = await startRawServer({
      refuse: (req) => (req.url?.endsWith('/bad') ? 401 : req.url?.endsWith('/gone') ? 404 : { status: 503, headers: { 'retry-after': '7' } }),
    });
    try {
      const e401 = await openSocket(opts(`${refusing.url}/bad`)).catch((e: unknown) => e);
      expect(e401).toBeInstanceOf(ConnectionRefusedError);
      expect(e401).toMatchObject({ status: 401, retryable: false });
      const e404 = await openSocket(opts(`${refusing.url}/gone`)).catch((e: unknown) => e);
      expect(e404).toMatchObject({ status: 404, retryable: false });
      const e503 = await openSocket(opts(`${refusing.url}/busy`)).catch((e: unknown) => e);
      expect(e503).toBeInstanceOf(ConnectionRefusedError);
      expect(e503).toMatchObject({ status: 503, retryable: true, retryAfterMs: 7000 });
    } finally {
      await refusing.close();
    }
  });

  it('rejects a handshake without a common subprotocol with a non-retryable SubprotocolMismatchError', async () => {
    const picky = await startRawServer({ pickProtocol: () => false });
    try {
      const err = await openSocket(opts(`${picky.url}/CP-1`)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubprotocolMismatchError);
      expect(err).toBeInstanceOf(ConnectionRefusedError);
      expect(err).toMatchObject({ retryable: false, offered: ['ocpp2.0.1', 'ocpp1.6'], received: undefined });
    } finally {
      await picky.close();
    }
  });

  it('rejects a subprotocol that was not offered', async () => {
    const rogue = await startRawServer({ pickProtocol: () => 'ocpp9' });
    try {
      const err = await openSocket(opts(`${rogue.url}/CP-1`)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SubprotocolMismatchError);
      expect(err).toMatchObject({ received: 'ocpp9', retryable: false });
    } finally {
      await rogue.close();
    }
  });

  it('rejects a network failure with a retryable ConnectionFailedError', async () => {
    const tmp = createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const err = await openSocket(opts(`ws://127.0.0.1:${port}/ocpp/CP-1`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionFailedError);
    expect(err).toMatchObject({ retryable: true });
  });

  it('times out a handshake the server never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const err = await openSocket(opts(`ws://127.0.0.1:${port}/ocpp/CP-1`, { handshakeTimeoutMs: 200 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionFailedError);
      expect((err as Error).message).toMatch(/timed out/);
    } finally {
      silent.close();
    }
  });

  it('aborts through the signal', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const ac = new AbortController();
      const pending = openSocket(opts(`ws://127.0.0.1:${port}/ocpp/CP-1`, { signal: ac.signal }));
      ac.abort();
      await expect(pending).rejects.toBeInstanceOf(ConnectAbortedError);
    } finally {
      silent.close();
    }
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('12')).toBe(12_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inFuture = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(inFuture).toBeGreaterThan(50_000);
    expect(parseRetryAfter(new Date(0).toUTCString())).toBe(0);
  });
});

describe('openSocket over TLS', () => {
  let certs: TestCertificates;
  let pki: { ca: Buffer; otherCa: Buffer; serverCert: Buffer; serverKey: Buffer; clientCert: Buffer; clientKey: Buffer };
  beforeAll(() => {
    certs = generateTestCertificates();
    const client = certs.client('CP-TLS');
    pki = { ca: certs.ca, otherCa: certs.rogueCa, serverCert: certs.serverCert, serverKey: certs.serverKey, clientCert: client.cert, clientKey: client.key };
  });
  afterAll(() => certs?.cleanup());

  it('connects to a server whose certificate is signed by the configured CA', async () => {
    const tlsServer = await startRawServer({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    try {
      const { ws, protocol } = await openSocket(opts(`${tlsServer.url}/CP-1`, { tls: { ca: pki.ca } }));
      expect(protocol).toBe('ocpp2.0.1');
      ws.close();
    } finally {
      await tlsServer.close();
    }
  });

  it('fails (retryable) when the server certificate is not trusted', async () => {
    const tlsServer = await startRawServer({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    try {
      const err = await openSocket(opts(`${tlsServer.url}/CP-1`, { tls: { ca: pki.otherCa } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionFailedError);
    } finally {
      await tlsServer.close();
    }
  });

  it('presents a client certificate for mutual TLS (security profile 3)', async () => {
    const mtls = await startRawServer({
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    });
    try {
      const conn = mtls.nextConnection();
      const { ws } = await openSocket(
        opts(`${mtls.url}/CP-TLS`, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } }),
      );
      const { req } = await conn;
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      expect(peer.subject.CN).toBe('CP-TLS');
      ws.close();
      const without = await openSocket(opts(`${mtls.url}/CP-TLS`, { tls: { ca: pki.ca } })).catch((e: unknown) => e);
      expect(without).toBeInstanceOf(ConnectionFailedError);
      expect(ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED).toBe(true);
    } finally {
      await mtls.close();
    }
  });
});
