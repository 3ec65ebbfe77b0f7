import { describe, expect, it } from 'vitest';
import { OCPPServer } from './ocppServer.js';
import { connectRaw } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';

const start = useServers();

/** An async DataTransfer handler that counts how many of its calls run at the same time. */
function countingHandler(): { handler: () => Promise<{ status: 'Accepted' }>; max: () => number; started: () => number } {
  let running = 0;
  let max = 0;
  let started = 0;
  return {
    handler: async () => {
      started++;
      max = Math.max(max, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return { status: 'Accepted' };
    },
    max: () => max,
    started: () => started,
  };
}

const dataTransfer = (i: number): unknown[] => [2, `m${i}`, 'DataTransfer', { vendorId: 'v', data: String(i) }];

describe('inbound limits per connection (defaults)', () => {
  it('5,000 pipelined CALLs never run more than 4 handlers at once; the flood is refused and closed with 1008', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const counting = countingHandler();
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    (await accepted).handle('ocpp1.6', 'DataTransfer', counting.handler);
    for (let i = 0; i < 5000; i++) raw.send(dataTransfer(i));
    expect(await raw.closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    expect(counting.max()).toBe(4);
    // 4 running + 16 waiting; the refusals are answered with the 1.6 spelling of RpcFrameworkError
    const refused = raw.frames.filter((f) => (f as unknown[])[0] === 4) as unknown[][];
    expect(refused.length).toBe(10);
    expect(refused.every((f) => f[2] === 'ProtocolError')).toBe(true);
    expect(counting.started()).toBeLessThanOrEqual(20);
    expect(server.stats().badMessages).toBeGreaterThanOrEqual(10);
  });

  it('the server options set the limits: inboundConcurrency 2 with a queue of 5,000 answers all 5,000, 2 at a time', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'], inboundConcurrency: 2, inboundQueueLimit: 5000 });
    const counting = countingHandler();
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    (await accepted).handle('ocpp1.6', 'DataTransfer', counting.handler);
    for (let i = 0; i < 5000; i++) raw.send(dataTransfer(i));
    for (let i = 0; i < 500 && raw.frames.length < 5000; i++) await new Promise((r) => setTimeout(r, 10));
    expect(raw.frames.filter((f) => (f as unknown[])[0] === 3).length).toBe(5000);
    expect(counting.max()).toBe(2);
    raw.ws.close();
  });

  it('a peer interleaving invalid JSON with CALLs of an unknown action is closed with 1008', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    server.on('client', (c) => c.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() })));
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1');
    for (let i = 0; i < 100; i++) {
      raw.ws.send('not json');
      raw.send([2, `x${i}`, 'NoSuchAction', {}]);
    }
    expect(await raw.closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    expect(raw.frames.length).toBe(10);
  });

  it('refuses inboundConcurrency < 1 and a negative inboundQueueLimit when the server or a route is created', () => {
    expect(() => new OCPPServer({ inboundConcurrency: 0 })).toThrow(/inboundConcurrency/);
    expect(() => new OCPPServer({ inboundQueueLimit: -1 })).toThrow(/inboundQueueLimit/);
    const server = new OCPPServer({});
    expect(() => server.route('/x/:id', { inboundConcurrency: 1.5 })).toThrow(/inboundConcurrency/);
  });
});
