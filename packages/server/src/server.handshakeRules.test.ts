import { describe, expect, it } from 'vitest';
import { connectRaw, rawUpgrade, refusedStatus } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';
import { MAX_OFFERED_SUBPROTOCOLS } from './subprotocol.js';

const start = useServers();

describe('subprotocol negotiation (rule 2)', () => {
  it("selects by the server's preference order", async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, ['ocpp1.6', 'ocpp2.0.1']);
    expect(raw.protocol).toBe('ocpp2.0.1');
    expect((await accepted).handshake.protocols).toEqual(['ocpp1.6', 'ocpp2.0.1']);
    raw.ws.close();
  });

  it('with no match: completes the handshake without the header and closes at once with 1002', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    let served = false;
    server.on('client', () => (served = true));
    for (const offered of ['ocpp1.6', undefined, 'OCPP2.0.1', 'ocpp2.0.1x, ocpp1.6']) {
      const up = await rawUpgrade(`${url}/CP-1`, offered);
      expect(up.status).toBe(101);
      expect(up.headers['sec-websocket-protocol']).toBeUndefined();
      expect(await up.firstFrame).toEqual({ opcode: 8, code: 1002, reason: 'No supported subprotocol' });
      up.destroy();
    }
    // A malformed header (empty token list, RFC 6455 §4.1) is a bad request.
    expect((await rawUpgrade(`${url}/CP-1`, '')).status).toBe(400);
    expect(served).toBe(false);
    expect(server.clients.size).toBe(0);
    expect(server.stats().connections.rejected).toMatchObject({ noSubprotocol: expect.any(Number) });
  });

  it('refuses a Sec-WebSocket-Protocol header of thousands of tokens with 400, and serves one at the cap', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    let authCalls = 0;
    server.auth((ctx) => {
      authCalls++;
      ctx.accept();
    });
    // 3,500 distinct tokens in a 13 KB header: parsed once, linearly, and refused before anything else reads it.
    const bomb = [...Array.from({ length: 3500 }, (_, i) => i.toString(36)), 'ocpp1.6'].join(',');
    const up = await rawUpgrade(`${url}/CP-1`, bomb);
    expect(up.status).toBe(400);
    up.destroy();
    expect(authCalls).toBe(0);
    expect(server.stats().connections.rejected).toMatchObject({ '400': 1 });

    const atCap = [...Array.from({ length: MAX_OFFERED_SUBPROTOCOLS - 1 }, (_, i) => `v${i}`), 'ocpp1.6'];
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-2`, atCap);
    expect(raw.protocol).toBe('ocpp1.6');
    expect((await accepted).handshake.protocols).toEqual(atCap);
    raw.ws.close();
  });

  it('runs no middleware or auth for a socket it will not serve', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    let authCalls = 0;
    server.auth((ctx) => {
      authCalls++;
      ctx.accept();
    });
    const up = await rawUpgrade(`${url}/CP-1`, 'ocpp2.1');
    expect(up.status).toBe(101);
    expect((await up.firstFrame).code).toBe(1002);
    up.destroy();
    expect(authCalls).toBe(0);
  });
});

describe('identity rules (rule 1)', () => {
  it('percent-decodes the identity', async () => {
    const { server, url } = await start();
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/ocpp/${encodeURIComponent('Ladesäule 7')}`, ['ocpp1.6']);
    expect((await accepted).identity).toBe('Ladesäule 7');
    raw.ws.close();
  });

  it('2.x: refuses identities longer than 48 characters or with a colon (400 before upgrade)', async () => {
    const { url } = await start({ protocols: ['ocpp2.0.1'] });
    expect((await refusedStatus(`${url}/${'x'.repeat(49)}`, ['ocpp2.0.1'])).status).toBe(400);
    expect((await refusedStatus(`${url}/CP%3A1`, ['ocpp2.0.1'])).status).toBe(400);
    const ok = await connectRaw(`${url}/${'x'.repeat(48)}`, ['ocpp2.0.1']);
    ok.ws.close();
  });

  it('1.6: the 2.x limits do not apply', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP%3A${'x'.repeat(60)}`, ['ocpp1.6']);
    expect((await accepted).identity).toBe(`CP:${'x'.repeat(60)}`);
    raw.ws.close();
  });

  it('refuses bad percent-encoding and control characters with 400', async () => {
    const { url } = await start();
    expect((await refusedStatus(`${url}/ocpp/%E2%82`)).status).toBe(400);
    expect((await refusedStatus(`${url}/ocpp/CP%0A1`)).status).toBe(400);
  });

  it('a route whose parameter is missing does not match (404)', async () => {
    const { server, url } = await start();
    server.route('/ocpp/:id');
    expect((await refusedStatus(`${url}/ocpp/`)).status).toBe(404);
  });
});

describe('duplicate identity', () => {
  it('replace (default): the new connection wins, the old one is closed', async () => {
    const { server, url } = await start();
    const first = nextClient(server);
    const a = await connectRaw(`${url}/CP-1`);
    const oldClient = await first;
    const second = nextClient(server);
    const b = await connectRaw(`${url}/CP-1`);
    const newClient = await second;
    expect(await a.closed).toEqual({ code: 1000, reason: 'Replaced by a new connection' });
    await oldClient.closed();
    expect(server.getClient('CP-1')).toBe(newClient);
    expect(newClient.connected).toBe(true);
    expect(server.stats().connections.current).toBe(1);
    b.ws.close();
  });

  it('refuse: the second connection gets 409', async () => {
    const { server, url } = await start({ onDuplicateIdentity: 'refuse' });
    const first = nextClient(server);
    const a = await connectRaw(`${url}/CP-1`);
    const client = await first;
    expect((await refusedStatus(`${url}/CP-1`)).status).toBe(409);
    expect(server.getClient('CP-1')).toBe(client);
    a.ws.close();
    await client.closed();
    const again = await connectRaw(`${url}/CP-1`);
    again.ws.close();
  });

  it('refuse: two concurrent handshakes of one identity cannot both be accepted', async () => {
    const { server, url } = await start({ onDuplicateIdentity: 'refuse' });
    let waiting = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.auth(async (ctx) => {
      if (++waiting === 2) release();
      await gate; // both handshakes are inside auth at the same time
      ctx.accept();
    });
    const results = await Promise.allSettled([connectRaw(`${url}/CP-1`), connectRaw(`${url}/CP-1`)]);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    for (const r of accepted) r.value.ws.close();
  });
});

