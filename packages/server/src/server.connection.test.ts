import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defineMiddleware, OCPPServer } from './index.js';
import type { ServerClient } from './index.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';

const servers: OCPPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close({ timeoutMs: 2000 })));
});

async function start(options: ConstructorParameters<typeof OCPPServer>[0] = {}): Promise<{ server: OCPPServer; url: string }> {
  const server = new OCPPServer({ pingIntervalMs: 0, ...options });
  servers.push(server);
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, url: `ws://127.0.0.1:${port}` };
}

const nextClient = (emitter: { once(e: 'client', l: (c: ServerClient) => void): unknown }): Promise<ServerClient> =>
  new Promise((resolve) => emitter.once('client', resolve));

describe('default route', () => {
  it('accepts any path and takes the identity from the last segment', async () => {
    const { server, url } = await start();
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/some/prefix/CP%2D1?token=abc`, ['ocpp1.6']);
    const client = await accepted;
    expect(client.identity).toBe('CP-1');
    expect(client.protocol).toBe('ocpp1.6');
    expect(raw.protocol).toBe('ocpp1.6');
    expect(client.handshake.query.get('token')).toBe('abc');
    expect(client.handshake.path).toBe('/some/prefix/CP%2D1');
    expect(client.handshake.remoteAddress).toBe('127.0.0.1');
    expect(client.handshake.protocols).toEqual(['ocpp1.6']);
    expect(server.clients.get('CP-1')).toBe(client);
    expect(server.getClient('CP-1')).toBe(client);
    raw.ws.close();
  });

  it('answers plain HTTP with 426 on its own server', async () => {
    const { url } = await start();
    const res = await fetch(url.replace('ws:', 'http:') + '/CP-1');
    expect(res.status).toBe(426);
  });
});

describe('routes', () => {
  it('routes by pattern with params, each route with its own client event and protocols', async () => {
    const { server, url } = await start();
    const v16 = server.route('/ocpp16/:tenant/:id', { protocols: ['ocpp1.6'] });
    const v201 = server.route('/api/v1/chargers/:id', { protocols: ['ocpp2.0.1'] });
    const on16 = nextClient(v16);
    const on201 = nextClient(v201);
    const all: string[] = [];
    server.on('client', (c) => all.push(c.identity));

    const a = await connectRaw(`${url}/ocpp16/acme/CP-A`, ['ocpp2.0.1', 'ocpp1.6']);
    const b = await connectRaw(`${url}/api/v1/chargers/CP-B`, ['ocpp1.6', 'ocpp2.0.1']);
    const ca = await on16;
    const cb = await on201;
    expect(ca.handshake.params).toEqual({ tenant: 'acme', id: 'CP-A' });
    expect(ca.protocol).toBe('ocpp1.6');
    expect(a.protocol).toBe('ocpp1.6');
    expect(cb.handshake.params).toEqual({ id: 'CP-B' });
    expect(cb.protocol).toBe('ocpp2.0.1');
    expect(ca.route).toBe('/ocpp16/:tenant/:id');
    expect(all.sort()).toEqual(['CP-A', 'CP-B']);
    a.ws.close();
    b.ws.close();
  });

  it('answers 404 to paths that match no route and leaves the HTTP server usable', async () => {
    const http = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    const server = new OCPPServer({ server: http, pingIntervalMs: 0 });
    servers.push(server);
    server.route('/ocpp/:id');
    const refused = await refusedStatus(`ws://127.0.0.1:${port}/elsewhere/CP-1`);
    expect(refused.status).toBe(404);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello');
    const ok = await connectRaw(`ws://127.0.0.1:${port}/ocpp/CP-1`);
    ok.ws.close();
    await server.close();
    expect(http.listening).toBe(true);
    await new Promise((r) => http.close(r));
  });

  it('keeps a default route next to explicit ones when `path` is given', async () => {
    const { server, url } = await start({ path: '/ocpp/:id' });
    server.route('/v2/:id', { protocols: ['ocpp2.0.1'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/ocpp/CP-9`);
    expect((await accepted).handshake.params).toEqual({ id: 'CP-9' });
    raw.ws.close();
    expect((await refusedStatus(`${url}/other/CP-9`)).status).toBe(404);
  });
});

describe('connection middleware', () => {
  it('runs server middleware, then route middleware, in order, passing state to auth and the client', async () => {
    const { server, url } = await start();
    const order: string[] = [];
    server.use(
      defineMiddleware(async (ctx, next) => {
        order.push('server-1');
        ctx.state.tenant = 'acme';
        await next();
        order.push('server-1-after');
      }),
    );
    server.use(async (_ctx, next) => {
      order.push('server-2');
      await next();
    });
    const route = server.route('/ocpp/:id');
    route.use(async (ctx, next) => {
      order.push(`route(${String(ctx.state.tenant)})`);
      await next();
    });
    server.auth((ctx) => {
      order.push('auth');
      ctx.accept({ session: { tenant: ctx.state.tenant } });
    });
    const accepted = nextClient(route);
    const raw = await connectRaw(`${url}/ocpp/CP-1`);
    const client = await accepted;
    expect(order).toEqual(['server-1', 'server-2', 'route(acme)', 'auth', 'server-1-after']);
    expect(client.state).toEqual({ tenant: 'acme' });
    expect(client.session).toEqual({ tenant: 'acme' });
    raw.ws.close();
  });

  it('ctx.reject() refuses with its status before the upgrade and skips auth', async () => {
    const { server, url } = await start();
    let authRan = false;
    server.use((ctx, next) => (ctx.handshake.remoteAddress === '127.0.0.1' ? ctx.reject(403, 'Banned address') : next()));
    server.auth((ctx) => {
      authRan = true;
      ctx.accept();
    });
    const refused = await refusedStatus(`${url}/CP-1`);
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('Banned address');
    expect(authRan).toBe(false);
    expect(server.clients.size).toBe(0);
    expect(server.stats().connections.rejected).toEqual({ '403': 1 });
  });

  it('a throwing middleware answers 500 without leaking its message', async () => {
    const { server, url } = await start();
    server.use(() => {
      throw new Error('secret database password');
    });
    const refused = await refusedStatus(`${url}/CP-1`);
    expect(refused.status).toBe(500);
    expect(refused.body).not.toContain('secret');
  });
});

describe('auth', () => {
  it('accepts with a session (async) and rejects with the given status', async () => {
    const { server, url } = await start();
    server.auth(async (ctx) => {
      await new Promise((r) => setImmediate(r));
      if (ctx.handshake.identity === 'GOOD') ctx.accept({ session: { role: 'charger' } });
      else if (ctx.handshake.identity === 'GONE') ctx.reject(410, 'Decommissioned');
      else ctx.reject();
    });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/GOOD`);
    expect((await accepted).session).toEqual({ role: 'charger' });
    raw.ws.close();
    const unauthorized = await refusedStatus(`${url}/BAD`);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await refusedStatus(`${url}/GONE`)).status).toBe(410);
  });

  it('an auth handler that never decides times out with 408', async () => {
    const { server, url } = await start({ handshakeTimeoutMs: 200 });
    let aborted: Promise<unknown> | undefined;
    server.auth((ctx) => {
      aborted = new Promise((r) => ctx.signal.addEventListener('abort', () => r(ctx.signal.reason)));
      return new Promise<void>(() => undefined);
    });
    expect((await refusedStatus(`${url}/CP-1`)).status).toBe(408);
    expect(await aborted).toMatchObject({ message: 'Handshake timed out' });
  });

  it('aborts the auth signal when the client goes away mid-handshake (its FIN, not only a full close)', async () => {
    const { server, url } = await start({ handshakeTimeoutMs: 5000 });
    let reached: () => void = () => undefined;
    const inAuth = new Promise<void>((r) => (reached = r));
    let aborted: Promise<unknown> | undefined;
    server.auth((ctx) => {
      aborted = new Promise((r) => ctx.signal.addEventListener('abort', () => r(ctx.signal.reason)));
      reached();
      return new Promise<void>(() => undefined);
    });
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${url}/CP-1`, ['ocpp1.6']);
    ws.on('error', () => undefined);
    await inAuth;
    ws.terminate();
    expect(await aborted).toMatchObject({ message: 'Socket closed during the handshake' });
  });

  it('a route auth handler replaces the server one', async () => {
    const { server, url } = await start();
    server.auth((ctx) => ctx.reject(401));
    server.route('/open/:id').auth((ctx) => ctx.accept({ session: 'route' }));
    server.route('/closed/:id');
    const raw = await connectRaw(`${url}/open/CP-1`);
    raw.ws.close();
    expect((await refusedStatus(`${url}/closed/CP-1`)).status).toBe(401);
  });
});

describe('handleUpgrade (manual wiring)', () => {
  it('serves upgrades passed in by hand', async () => {
    const http = createServer((_req, res) => res.end('rest'));
    const server = new OCPPServer({ pingIntervalMs: 0 });
    servers.push(server);
    http.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    const accepted = nextClient(server);
    const raw = await connectRaw(`ws://127.0.0.1:${port}/CP-M`);
    expect((await accepted).identity).toBe('CP-M');
    raw.ws.close();
    await server.close();
    await new Promise((r) => http.close(r));
  });
});

describe('options', () => {
  it('rejects invalid options when the server or route is created', () => {
    expect(() => new OCPPServer({ callTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => new OCPPServer({ protocols: [] })).toThrow(TypeError);
    const server = new OCPPServer();
    expect(() => server.route('/x/:id', { maxPayload: -1 })).toThrow(RangeError);
    expect(() => server.route('/x/:id', { messageRateLimit: { messages: 0, perMs: 1000 } })).toThrow(RangeError);
    expect(() => server.route('no-slash')).toThrow(TypeError);
  });
});
