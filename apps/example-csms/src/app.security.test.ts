import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionRefusedError } from '@chargewire/client';
import { createCsms } from './app.js';
import { OPERATOR_AUTH, startTestCsms, type TestCsms } from './testing/harness.fixture.js';
import { upgradeStatus } from './testing/upgrade.fixture.js';

const portOf = (t: TestCsms): number => Number(new URL(t.baseUrl).port);

/** Logs in like the login page does and returns the session cookie (`name=value`). */
async function login(t: TestCsms, token: string): Promise<{ status: number; cookie: string; setCookie: string }> {
  const res = await fetch(`${t.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { origin: t.baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, cookie: setCookie.split(';')[0] ?? '', setCookie };
}

describe('operator authentication', () => {
  let t: TestCsms;
  beforeAll(async () => {
    t = await startTestCsms();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses anonymous REST, event stream, metrics and dashboard; /health stays open', async () => {
    for (const path of ['/api/v1/chargers', '/api/v1/transactions', '/api/v1/id-tags', '/api/v1/events', '/api/v1/stats', '/metrics', '/js/overview.js', '/charger?id=CP-1', '/api/v1/nothing-here']) {
      const res = await fetch(`${t.baseUrl}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer/);
      expect(await res.json(), path).toMatchObject({ error: 'Unauthorized' });
    }
    const wrong = await fetch(`${t.baseUrl}/api/v1/chargers`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const page = await fetch(`${t.baseUrl}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    expect((await fetch(`${t.baseUrl}/login`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/api/v1/chargers`, { headers: OPERATOR_AUTH })).status).toBe(200);
  });

  it('makes the takeover impossible: an anonymous caller cannot remove a password, so cannot connect as that charger', async () => {
    const password = 'the-real-password-1234';
    expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-VICTIM', password })).status).toBe(201);
    const real = t.charger('CP-VICTIM', 'ocpp1.6', { password });
    await real.connect();

    const patch = await fetch(`${t.baseUrl}/api/v1/chargers/CP-VICTIM`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: null }),
    });
    expect(patch.status).toBe(401);
    const impostor = t.charger('CP-VICTIM', 'ocpp1.6');
    await expect(impostor.connect()).rejects.toSatisfy((e: unknown) => e instanceof ConnectionRefusedError && e.status === 401);
    expect(t.csms.ocppServer.clients.has('CP-VICTIM')).toBe(true);
    expect((await t.api<{ connected: boolean }>('GET', '/api/v1/chargers/CP-VICTIM')).body.connected).toBe(true);
  });

  it('refuses a cross-site form POST with 403 and the charger is not reset', async () => {
    const cp = t.charger('CP-CSRF', 'ocpp1.6');
    let resets = 0;
    cp.handle('ocpp1.6', 'Reset', () => (resets++, { status: 'Accepted' }));
    await cp.connect();
    const { cookie } = await login(t, OPERATOR_AUTH.authorization.slice('Bearer '.length));
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' };
    // Anonymous, and with the operator's session cookie (as if SameSite were not honoured).
    for (const headers of [form, { ...form, cookie }]) {
      const res = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, { method: 'POST', headers, body: 'type=Hard' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'CrossSiteRequest' });
    }
    // The request from the issue: an empty cross-site form POST (answered 200, and the charger reset, before).
    const empty = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(empty.status).toBe(403);
    // A cookie request without an Origin, or same-origin but not JSON, is refused too.
    const noOrigin = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, { method: 'POST', headers: { cookie } });
    expect(noOrigin.status).toBe(403);
    const notJson = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, { method: 'POST', headers: { cookie, origin: t.baseUrl, 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(403);
    const fetchSite = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, {
      method: 'POST',
      headers: { cookie, origin: t.baseUrl, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(fetchSite.status).toBe(403);
    expect(resets).toBe(0);

    // The dashboard's own request (same origin, JSON) works with the cookie.
    const ok = await fetch(`${t.baseUrl}/api/v1/chargers/CP-CSRF/reset`, {
      method: 'POST',
      headers: { cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    expect(resets).toBe(1);
  });

  it('logs in with a same-origin JSON request only and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const token = OPERATOR_AUTH.authorization.slice('Bearer '.length);
    const cross = await fetch(`${t.baseUrl}/auth/login`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(cross.status).toBe(403);
    const bad = await login(t, 'wrong-token');
    expect(bad.status).toBe(401);
    const good = await login(t, token);
    expect(good.status).toBe(204);
    expect(good.setCookie).toMatch(/^cw_session=cws_[\w-]{43}; /);
    expect(good.setCookie).toContain('HttpOnly');
    expect(good.setCookie).toContain('SameSite=Strict');
    expect(good.setCookie).not.toContain('Secure'); // plain http without a trusted proxy
    const page = await fetch(`${t.baseUrl}/`, { headers: { cookie: good.cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/js/overview.js');

    const logout = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: good.cookie, origin: t.baseUrl, 'content-type': 'application/json' }, body: '{}' });
    expect(logout.status).toBe(204);
    expect((await fetch(`${t.baseUrl}/api/v1/chargers`, { headers: { cookie: good.cookie } })).status).toBe(401);
  });

  it('refuses at the handshake (400) an identity the REST API cannot address', async () => {
    expect(await upgradeStatus(portOf(t), encodeURIComponent('a/b%c'))).toBe(400);
    expect(await upgradeStatus(portOf(t), encodeURIComponent('CP 1'))).toBe(400);
    expect((await t.api<{ items: Array<{ id: string }> }>('GET', '/api/v1/chargers')).body.items.map((c) => c.id)).not.toContain('a/b%c');
    expect(await upgradeStatus(portOf(t), 'CP-ADDRESSABLE')).toBe(101);
  });
});

describe('charger password throttling', () => {
  it('refuses most of 60 parallel bad passwords from one address without hashing, while a legitimate charger still connects', { timeout: 30_000 }, async () => {
    const t = await startTestCsms();
    const password = 'legit-password-123456';
    await Promise.all([t.api('POST', '/api/v1/chargers', { id: 'CP-LEGIT', password }), t.api('POST', '/api/v1/chargers', { id: 'CP-TARGET', password })]);
    const flood = Array.from({ length: 60 }, (_, i) =>
      upgradeStatus(portOf(t), 'CP-TARGET', { username: 'CP-TARGET', password: `wrong-password-${i}-xxxx`, localAddress: '127.0.0.2' }),
    );
    const legit = await upgradeStatus(portOf(t), 'CP-LEGIT', { username: 'CP-LEGIT', password });
    const statuses = await Promise.all(flood);
    expect(legit).toBe(101);
    // Only a couple were checked (401); the rest were refused before any scrypt work.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(55);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Five failures lock the identity for its window, even for the right password from elsewhere: 429, no check.
    const failures = statuses.filter((s) => s === 401).length;
    for (let i = failures; i < 5; i++) {
      expect(await upgradeStatus(portOf(t), 'CP-TARGET', { username: 'CP-TARGET', password: 'still-the-wrong-one-00', localAddress: '127.0.0.3' })).toBe(401);
    }
    expect(await upgradeStatus(portOf(t), 'CP-TARGET', { username: 'CP-TARGET', password, localAddress: '127.0.0.3' })).toBe(429);
    await t.stop();
  });
});

describe('the admin token', () => {
  it('is generated on first start, stored only as a hash, and not generated again', async () => {
    const first = await startTestCsms({ adminToken: undefined });
    const token = first.csms.generatedAdminToken as string;
    expect(token).toMatch(/^cwo_[\w-]{43}$/);
    expect((await first.api('GET', '/api/v1/chargers', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await first.api('GET', '/api/v1/chargers')).status).toBe(401); // the test token is not configured here
    await first.csms.close();
    expect(readFileSync(join(first.dir, 'csms.sqlite')).includes(token)).toBe(false);

    const again = await createCsms({ databaseFile: join(first.dir, 'csms.sqlite'), port: 0, host: '127.0.0.1' });
    expect(again.generatedAdminToken).toBeUndefined();
    await again.close();
    const rotated = await createCsms({ databaseFile: join(first.dir, 'csms.sqlite'), port: 0, host: '127.0.0.1', rotateAdminToken: true });
    const { port } = await rotated.listen();
    expect(rotated.generatedAdminToken).toMatch(/^cwo_/);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/chargers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/chargers`, { headers: { authorization: `Bearer ${rotated.generatedAdminToken}` } })).status).toBe(200);
    await rotated.close();
    await first.stop();
  });

  it('marks the cookie Secure when a trusted proxy says the request was https', async () => {
    const t = await startTestCsms({ trustProxy: 'loopback' });
    const res = await fetch(`${t.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { origin: t.baseUrl.replace('http:', 'https:'), 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
      body: JSON.stringify({ token: OPERATOR_AUTH.authorization.slice('Bearer '.length) }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toContain('; Secure');
    await t.stop();
  });
});

describe('event stream bounds', () => {
  it('caps its clients (503) and drops a client that does not read', async () => {
    const t = await startTestCsms({ eventStream: { maxClients: 2, maxBufferedBytes: 64 * 1024 } });
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(`${t.baseUrl}/api/v1/events`, { headers: OPERATOR_AUTH, signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(`${t.baseUrl}/api/v1/events`, { headers: OPERATOR_AUTH });
    expect(third.status).toBe(503);
    expect(await third.json()).toMatchObject({ error: 'TooManyStreams' });

    // Neither stream is read: once their buffers pass the bound they are cut, and new streams fit again.
    const big = 'x'.repeat(16 * 1024);
    const dropped = async () => (await t.api<{ eventStreams: { dropped: number } }>('GET', '/api/v1/stats')).body.eventStreams.dropped;
    for (let batch = 0; batch < 200 && (await dropped()) < 2; batch++) {
      for (let i = 0; i < 50; i++) t.csms.service.emit('event', { type: 'charger.updated', chargerId: big });
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await dropped()).toBe(2);
    const again = await fetch(`${t.baseUrl}/api/v1/events`, { headers: OPERATOR_AUTH });
    expect(again.status).toBe(200);
    await again.body?.cancel();
    for (const c of controllers) c.abort();
    await t.stop();
  });
});
