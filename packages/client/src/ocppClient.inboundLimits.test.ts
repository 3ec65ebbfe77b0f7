import { describe, expect, it } from 'vitest';
import { once, useClientHarness } from './testing/clientHarness.fixture.js';
import { FrameLog } from './testing/frames.fixture.js';

const { server, client } = useClientHarness();

/** An async handler that counts how many of its calls run at the same time. */
function countingHandler(): { handler: () => Promise<{ status: 'Accepted' }>; max: () => number } {
  let running = 0;
  let max = 0;
  return {
    handler: async () => {
      max = Math.max(max, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return { status: 'Accepted' };
    },
    max: () => max,
  };
}

const reset = (i: number): string => JSON.stringify([2, `r${i}`, 'Reset', { type: 'Soft' }]);

describe('OCPPClient: CALLs the CSMS pipelines (raw ws server)', () => {
  it('5,000 pipelined CALLs run at most 4 handlers at once by default; the flood is refused and the connection closed (1008)', async () => {
    const s = await server();
    const c = client(s, { reconnect: false });
    const counting = countingHandler();
    c.handle('ocpp1.6', 'Reset', counting.handler);
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const disconnected = once(c, 'disconnect');
    for (let i = 0; i < 5000; i++) ws.send(reset(i));
    expect(await closed).toBe(1008);
    expect(await disconnected).toMatchObject({ code: 1008, reason: 'Too many bad messages' });
    expect(counting.max()).toBe(4);
    const refused = log.frames.filter((f) => f[0] === 4);
    expect(refused.length).toBe(10);
    expect(refused.every((f) => f[2] === 'ProtocolError')).toBe(true);
  });

  it('inboundConcurrency and inboundQueueLimit raise the limits: all 2,000 answered, at most 3 at a time', async () => {
    const s = await server();
    const c = client(s, { reconnect: false, inboundConcurrency: 3, inboundQueueLimit: 2000 });
    const counting = countingHandler();
    c.handle('ocpp1.6', 'Reset', counting.handler);
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    for (let i = 0; i < 2000; i++) ws.send(reset(i));
    for (let i = 0; i < 500 && log.frames.length < 2000; i++) await new Promise((r) => setTimeout(r, 10));
    expect(log.frames.filter((f) => f[0] === 3).length).toBe(2000);
    expect(counting.max()).toBe(3);
  });

  it('a CSMS interleaving invalid JSON with unknown actions is disconnected with 1008 by default', async () => {
    const s = await server();
    const c = client(s, { reconnect: false });
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const disconnected = once(c, 'disconnect');
    for (let i = 0; i < 50; i++) {
      ws.send('not json');
      ws.send(JSON.stringify([2, `x${i}`, 'NoSuchAction', {}]));
    }
    expect(await disconnected).toMatchObject({ code: 1008, reason: 'Too many bad messages' });
  });
});
