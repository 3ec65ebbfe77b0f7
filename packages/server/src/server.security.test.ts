import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkChargerPassword, OCPPServer } from './index.js';
import type { OCPPServerOptions } from './index.js';
import { generateTestCertificates, type TestCertificates } from './testing/testCertificates.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';

const basic = (user: string, password: Buffer | string): string =>
  'Basic ' + Buffer.concat([Buffer.from(`${user}:`), Buffer.from(password)]).toString('base64');

describe('security profile 1: Basic auth over ws', () => {
  const start = useServers();

  it('requires credentials whose username is the identity, and hands the password bytes to auth', async () => {
    const password = Buffer.concat([Buffer.from('sec:ret-'), Buffer.from([0xff, 0x00]), Buffer.from('-0123456789')]);
    const seen: Buffer[] = [];
    const { server, url } = await start({ securityProfile: 1 }, (s) =>
      s.auth((ctx) => {
        const pw = ctx.handshake.password!;
        seen.push(pw);
        if (pw.equals(password) && checkChargerPassword(pw).ok) ctx.accept({ session: { user: ctx.handshake.username } });
        else ctx.reject(401, 'Bad password');
      }),
    );

    const missing = await refusedStatus(`${url}/CP-1`);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await refusedStatus(`${url}/CP-1`, 'ocpp1.6', { headers: { Authorization: basic('CP-2', password) } })).status).toBe(401);
    expect((await refusedStatus(`${url}/CP-1`, 'ocpp1.6', { headers: { Authorization: basic('CP-1', 'wrong-password-123') } })).status).toBe(401);

    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6', { headers: { Authorization: basic('CP-1', password) } });
    const client = await accepted;
    expect(client.session).toEqual({ user: 'CP-1' });
    expect(client.handshake.password?.equals(password)).toBe(true);
    expect(client.handshake.secure).toBe(false);
    expect(seen.at(-1)?.equals(password)).toBe(true);
    raw.ws.close();
  });
});

describe('TLS profiles (certificates generated for this run)', () => {
  let certs: TestCertificates;
  let https: HttpsServer;
  let port: number;
  let server: OCPPServer | undefined;

  beforeAll(() => {
    certs = generateTestCertificates();
  });
  afterAll(() => certs.cleanup());
  afterEach(async () => {
    await server?.close({ timeoutMs: 2000 });
    server = undefined;
    await new Promise((r) => https.close(r));
  });

  async function startTls(options: OCPPServerOptions, mutual: boolean): Promise<OCPPServer> {
    https = createHttpsServer({
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: mutual,
      rejectUnauthorized: false,
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    port = (https.address() as AddressInfo).port;
    server = new OCPPServer({ server: https, pingIntervalMs: 0, ...options });
    return server;
  }

  it('profile 2: TLS + Basic auth', async () => {
    const ocpp = await startTls({ securityProfile: 2 }, false);
    ocpp.auth((ctx) => (ctx.handshake.password?.toString() === 'correct-horse-battery' ? ctx.accept() : ctx.reject(401)));
    const url = `wss://127.0.0.1:${port}/ocpp/CP-TLS`;
    expect((await refusedStatus(url, 'ocpp1.6', { ca: certs.ca })).status).toBe(401);
    const accepted = nextClient(ocpp);
    const raw = await connectRaw(url, 'ocpp1.6', { ca: certs.ca, headers: { Authorization: basic('CP-TLS', 'correct-horse-battery') } });
    const client = await accepted;
    expect(client.handshake.secure).toBe(true);
    expect(client.handshake.clientCertificate).toBeUndefined();
    raw.ws.close();
  });

  it('profile 3: mutual TLS, identity from the certificate CN', async () => {
    const ocpp = await startTls({ securityProfile: 3 }, true);
    const url = (id: string): string => `wss://127.0.0.1:${port}/ocpp/${id}`;
    const good = certs.client('CP-CERT');

    const accepted = nextClient(ocpp);
    const raw = await connectRaw(url('CP-CERT'), 'ocpp2.0.1', { ca: certs.ca, cert: good.cert, key: good.key });
    const client = await accepted;
    expect(client.identity).toBe('CP-CERT');
    expect(client.handshake.clientCertificate?.subject.CN).toBe('CP-CERT');
    raw.ws.close();

    // No certificate, an untrusted one, or one naming another station: refused before the upgrade.
    expect((await refusedStatus(url('CP-CERT'), 'ocpp2.0.1', { ca: certs.ca })).status).toBe(401);
    const rogue = certs.rogueClient('CP-CERT');
    expect((await refusedStatus(url('CP-CERT'), 'ocpp2.0.1', { ca: certs.ca, cert: rogue.cert, key: rogue.key })).status).toBe(401);
    expect((await refusedStatus(url('CP-OTHER'), 'ocpp2.0.1', { ca: certs.ca, cert: good.cert, key: good.key })).status).toBe(403);
  });

  it('requestCert on profile 0 binds a trusted certificate to the identity as profile 3 does (403)', async () => {
    const ocpp = await startTls({}, true);
    const url = (id: string): string => `wss://127.0.0.1:${port}/ocpp/${id}`;
    const good = certs.client('CP-CERT');
    expect((await refusedStatus(url('CP-OTHER'), 'ocpp1.6', { ca: certs.ca, cert: good.cert, key: good.key })).status).toBe(403);
    const accepted = nextClient(ocpp);
    const raw = await connectRaw(url('CP-CERT'), 'ocpp1.6', { ca: certs.ca, cert: good.cert, key: good.key });
    expect((await accepted).handshake.clientCertificate?.subject.CN).toBe('CP-CERT');
    raw.ws.close();
    // Profile 0 needs no certificate: a charger without one is left to auth (none here).
    const bare = await connectRaw(url('CP-BARE'), 'ocpp1.6', { ca: certs.ca });
    bare.ws.close();
  });

  it('profile 2 with requestCert: both the Basic username and the certificate CN must name the identity', async () => {
    const ocpp = await startTls({ securityProfile: 2, verifyPassword: (_id, pw) => pw.toString() === 'correct-horse-battery' }, true);
    const good = certs.client('CP-CERT');
    const tls = { ca: certs.ca, cert: good.cert, key: good.key };
    const url = (id: string): string => `wss://127.0.0.1:${port}/ocpp/${id}`;
    expect((await refusedStatus(url('CP-OTHER'), 'ocpp1.6', { ...tls, headers: { Authorization: basic('CP-OTHER', 'correct-horse-battery') } })).status).toBe(403);
    const accepted = nextClient(ocpp);
    const raw = await connectRaw(url('CP-CERT'), 'ocpp1.6', { ...tls, headers: { Authorization: basic('CP-CERT', 'correct-horse-battery') } });
    expect((await accepted).identity).toBe('CP-CERT');
    raw.ws.close();
  });

  it('profiles 2 and 3 refuse plain ws', async () => {
    const plain = useServersOnce();
    const { url } = await plain({ securityProfile: 3 });
    expect((await refusedStatus(`${url}/CP-1`)).status).toBe(403);
    await plain.close();
    https = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  });
});

/** A one-off plain server outside the per-test harness. */
function useServersOnce(): ((o: OCPPServerOptions) => Promise<{ url: string }>) & { close(): Promise<void> } {
  let s: OCPPServer | undefined;
  const fn = async (o: OCPPServerOptions): Promise<{ url: string }> => {
    s = new OCPPServer({ pingIntervalMs: 0, ...o });
    const { port: p } = await s.listen(0, '127.0.0.1');
    return { url: `ws://127.0.0.1:${p}` };
  };
  return Object.assign(fn, { close: async () => s?.close() });
}
