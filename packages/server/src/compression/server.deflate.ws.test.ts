import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientOptions } from 'ws';
import type { OCPPServerOptions } from '../options.js';
import { useServers } from '../testing/serverHarness.fixture.js';
import { connectRaw } from '../testing/wsClient.fixture.js';
import type { RawClient } from '../testing/wsClient.fixture.js';

const start = useServers();

/** A 2.0.1 server whose DataTransfer handler echoes `data`, so a payload's round trip can be compared. */
async function echoServer(perMessageDeflate: OCPPServerOptions['perMessageDeflate']): Promise<string> {
  const { url } = await start({ protocols: ['ocpp2.0.1'], perMessageDeflate }, (server) => {
    server.on('client', (client) => client.handle('ocpp2.0.1', 'DataTransfer', ({ params }) => ({ status: 'Accepted', data: params.data })));
  });
  return url;
}

let seq = 0;
async function echo(raw: RawClient, data: unknown): Promise<unknown> {
  const id = `m${++seq}`;
  raw.send([2, id, 'DataTransfer', { vendorId: 'chargewire', data }]);
  const answer = (await raw.next((f) => Array.isArray(f) && f[1] === id)) as [number, string, { data?: unknown }];
  expect(answer[0]).toBe(3);
  return answer[2].data;
}

/** JSON values as a charger might send them, small and large (large ones cross the 1 KB compression threshold). */
const payload = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ meterValue: fc.array(fc.record({ value: fc.double({ noNaN: true, noDefaultInfinity: true }), unit: fc.constantFrom('Wh', 'kW', 'A') }), { maxLength: 200 }) }),
  fc.string({ unit: 'grapheme', minLength: 500, maxLength: 4000 }),
);

interface Mode {
  name: string;
  server: OCPPServerOptions['perMessageDeflate'];
  client: ClientOptions['perMessageDeflate'];
  response: RegExp;
}

const modes: Mode[] = [
  {
    name: 'defaults: no context takeover either way, small frames uncompressed',
    server: true,
    client: { threshold: 0 },
    response: /^permessage-deflate; server_no_context_takeover; client_no_context_takeover$/,
  },
  {
    name: 'context takeover both ways (the ws client keeps its context, the server keeps its own)',
    server: { serverNoContextTakeover: false, clientNoContextTakeover: false },
    client: true,
    response: /^permessage-deflate$/,
  },
  {
    name: 'takeover with small windows asked both ways',
    server: { serverNoContextTakeover: false, clientNoContextTakeover: false, clientMaxWindowBits: 9 },
    client: { serverMaxWindowBits: 10 },
    response: /^permessage-deflate; server_max_window_bits=10; client_max_window_bits=9$/,
  },
];

describe('permessage-deflate against the ws client', () => {
  for (const mode of modes) {
    it(`round-trips random JSON payload sequences exactly: ${mode.name}`, async () => {
      const url = await echoServer(mode.server);
      const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: mode.client });
      expect(raw.ws.extensions).toBe('permessage-deflate');
      expect(raw.responseHeaders['sec-websocket-extensions']).toMatch(mode.response);
      await fc.assert(
        fc.asyncProperty(fc.array(payload, { minLength: 1, maxLength: 6 }), async (values) => {
          for (const value of values) expect(await echo(raw, value)).toEqual(JSON.parse(JSON.stringify(value)));
        }),
        { numRuns: 40 },
      );
      raw.ws.close();
    }, 60_000);
  }

  it('compresses large answers on the wire and leaves small ones plain by default', async () => {
    const url = await echoServer(true);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: true });
    const big = 'abc'.repeat(5000);
    let before = raw.bytesRead();
    expect(await echo(raw, big)).toBe(big);
    expect(raw.bytesRead() - before).toBeLessThan(1000);
    before = raw.bytesRead();
    expect(await echo(raw, 'small')).toBe('small');
    expect(raw.bytesRead() - before).toBeGreaterThan(40);
    raw.ws.close();
  });

  it('serves a client that declines compression, and a route with compression off', async () => {
    const url = await echoServer(true);
    const plain = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: false });
    expect(plain.responseHeaders['sec-websocket-extensions']).toBeUndefined();
    expect(await echo(plain, { a: 1 })).toEqual({ a: 1 });
    plain.ws.close();
    const offUrl = await echoServer(false);
    const off = await connectRaw(`${offUrl}/CP-2`, 'ocpp2.0.1', { perMessageDeflate: true });
    expect(off.ws.extensions).toBe('');
    expect(await echo(off, [1, 2])).toEqual([1, 2]);
    off.ws.close();
  });

  it('closes with 1009 when a message inflates beyond maxPayload', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'], maxPayload: 64 * 1024 });
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: { threshold: 0 } });
    // About 4 KB compressed, 8 MB inflated.
    raw.send([2, 'big', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(8 * 1024 * 1024) }]);
    expect((await raw.closed).code).toBe(1009);
    await expect.poll(() => server.stats().connections.current).toBe(0);
  });
});
