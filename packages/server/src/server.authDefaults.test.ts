import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { InsecureConfigurationError, OCPPServer } from './index.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';

const basic = (user: string, password: Buffer | string): string =>
  'Basic ' + Buffer.concat([Buffer.from(`${user}:`), Buffer.from(password)]).toString('base64');
const auth = (user: string, password: Buffer | string): { headers: Record<string, string> } => ({ headers: { Authorization: basic(user, password) } });

const start = useServers();

describe('security profiles 1 and 2 never accept without a password check', () => {
  const extra: OCPPServer[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((s) => s.close()));
  });

  it('listen() throws InsecureConfigurationError for a profile 1 or 2 route with neither verifyPassword nor auth', async () => {
    for (const securityProfile of [1, 2] as const) {
      const server = new OCPPServer({ pingIntervalMs: 0, securityProfile });
      extra.push(server);
      const error = await server.listen(0, '127.0.0.1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsecureConfigurationError);
      expect(error).toMatchObject({ code: 'ERR_INSECURE_CONFIGURATION', route: '/*' });
      expect((error as Error).message).toMatch(/verifyPassword.*auth handler/);
    }
    // A declared route with profile 1 and no check is found too, even when the server itself is profile 0.
    const routed = new OCPPServer({ pingIntervalMs: 0 });
    extra.push(routed);
    routed.route('/secure/:id', { securityProfile: 1 });
    await expect(routed.listen(0, '127.0.0.1')).rejects.toMatchObject({ name: 'InsecureConfigurationError', route: '/secure/:id' });
    // With a route-level auth handler the same server starts.
    const ok = new OCPPServer({ pingIntervalMs: 0 });
    extra.push(ok);
    ok.route('/secure/:id', { securityProfile: 1 }).auth((ctx) => ctx.reject(401));
    await expect(ok.listen(0, '127.0.0.1')).resolves.toHaveProperty('port');
  });

  it('attached to an existing HTTP server without a password check, every handshake is refused with 500', async () => {
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const server = new OCPPServer({ server: http, pingIntervalMs: 0, securityProfile: 1 });
    extra.push(server);
    const errors: unknown[] = [];
    server.on('error', (e) => errors.push(e));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp/CP-1`;
    try {
      for (const password of ['any-password-at-all', 'another-password-123']) {
        expect((await refusedStatus(url, 'ocpp1.6', auth('CP-1', password))).status).toBe(500);
      }
      expect(server.clients.size).toBe(0);
      // Configured later, it accepts what auth accepts.
      server.auth((ctx) => (ctx.handshake.password?.toString() === 'another-password-123' ? ctx.accept() : ctx.reject(401)));
      expect((await refusedStatus(url, 'ocpp1.6', auth('CP-1', 'any-password-at-all'))).status).toBe(401);
      const raw = await connectRaw(url, 'ocpp1.6', auth('CP-1', 'another-password-123'));
      raw.ws.close();
    } finally {
      await server.close();
      await new Promise((r) => http.close(r));
    }
  });

  it('verifyPassword checks the password bytes of a 16–40 byte password, sync or async', async () => {
    const password = Buffer.concat([Buffer.from('pass:word:'), Buffer.from([0xfe, 0x00]), Buffer.from('-0123456')]);
    const calls: Array<[string, Buffer]> = [];
    const { server, url } = await start({
      securityProfile: 1,
      verifyPassword: async (identity, pw, handshake) => {
        calls.push([identity, pw]);
        expect(handshake.identity).toBe(identity);
        await new Promise((r) => setTimeout(r, 1));
        return identity === 'CP-1' && pw.equals(password);
      },
    });
    expect((await refusedStatus(`${url}/CP-1`)).status).toBe(401);
    expect((await refusedStatus(`${url}/CP-1`, 'ocpp1.6', auth('CP-1', 'wrong-password-12345'))).status).toBe(401);
    // Outside 16–40 bytes (DESIGN rule 9): refused without asking the verifier.
    const before = calls.length;
    expect((await refusedStatus(`${url}/CP-1`, 'ocpp1.6', auth('CP-1', 'short'))).status).toBe(401);
    expect((await refusedStatus(`${url}/CP-1`, 'ocpp1.6', auth('CP-1', 'x'.repeat(41)))).status).toBe(401);
    expect(calls.length).toBe(before);

    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6', auth('CP-1', password));
    expect((await accepted).identity).toBe('CP-1');
    expect(calls.at(-1)?.[1].equals(password)).toBe(true);
    raw.ws.close();
  });

  it('verifyPassword runs before the auth handler, which still decides', async () => {
    const { url } = await start({ securityProfile: 1, verifyPassword: (_id, pw) => pw.toString() === 'good-password-1234' }, (s) =>
      s.auth((ctx) => (ctx.handshake.identity === 'BANNED' ? ctx.reject(403, 'Banned') : ctx.accept())),
    );
    expect((await refusedStatus(`${url}/BANNED`, 'ocpp1.6', auth('BANNED', 'good-password-1234'))).status).toBe(403);
    expect((await refusedStatus(`${url}/CP-2`, 'ocpp1.6', auth('CP-2', 'bad-password-12345'))).status).toBe(401);
    const raw = await connectRaw(`${url}/CP-2`, 'ocpp1.6', auth('CP-2', 'good-password-1234'));
    raw.ws.close();
  });
});

describe('credentials that come with a connection must name its identity', () => {
  it('profile 0: a Basic username naming another station is refused with 401', async () => {
    const { server, url } = await start();
    const refused = await refusedStatus(`${url}/CP-1`, 'ocpp1.6', auth('CP-2', 'some-password-123'));
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    expect(server.clients.size).toBe(0);
    // Matching credentials (and none at all) are still fine in profile 0.
    const a = await connectRaw(`${url}/CP-1`, 'ocpp1.6', auth('CP-1', 'some-password-123'));
    const b = await connectRaw(`${url}/CP-3`, 'ocpp1.6');
    a.ws.close();
    b.ws.close();
  });

  it('allowIdentityMismatch: true lifts the rule in profile 0 only', async () => {
    const { url } = await start({ allowIdentityMismatch: true });
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6', auth('fleet-user', 'some-password-123'));
    raw.ws.close();
    const { url: p1 } = await start({ securityProfile: 1, allowIdentityMismatch: true }, (s) => s.auth((ctx) => ctx.accept()));
    expect((await refusedStatus(`${p1}/CP-1`, 'ocpp1.6', auth('fleet-user', 'some-password-123'))).status).toBe(401);
  });
});

describe('secrets stay out of serialised handshakes', () => {
  it('JSON.stringify and util.inspect redact the password and credential headers', async () => {
    const secret = 'top-secret-password-1';
    const { server, url } = await start({ securityProfile: 1, verifyPassword: (_id, pw) => pw.toString() === secret });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1?site=7`, 'ocpp1.6', { headers: { Authorization: basic('CP-1', secret), Cookie: 'session=abc123secret' } });
    const client = await accepted;
    const header = basic('CP-1', secret);
    const base64 = header.slice('Basic '.length);
    // The fields stay readable for code that needs them.
    expect(client.handshake.password?.toString()).toBe(secret);
    expect(client.handshake.headers.authorization).toBe(header);

    const outputs = [
      JSON.stringify(client.handshake),
      JSON.stringify({ handshake: client.handshake }),
      inspect(client.handshake, { depth: Infinity }),
      inspect(client.handshake, { depth: Infinity, showHidden: true }),
      inspect(client, { depth: 4 }),
    ];
    for (const text of outputs) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(base64);
      expect(text).not.toContain('abc123secret');
      expect(text).toContain('[redacted]');
    }
    const json = JSON.parse(outputs[0]!) as Record<string, unknown>;
    expect(json).toMatchObject({ identity: 'CP-1', username: 'CP-1', password: '[redacted]', query: 'site=7', protocol: 'ocpp1.6' });
    expect(json.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
    raw.ws.close();
  });
});
