import { describe, expect, it } from 'vitest';
import type { CallErrorEvent } from './events.js';
import { NOREPLY } from './noreply.js';
import { createChannelPair } from './channel.js';
import { endpointWithRawPeer, once, RawPeer } from './testing/peers.fixture.js';

const lax = { strictMode: false } as const;

/** A handler that counts how many of its calls run at once and answers when told to. */
function gatedHandler(): { handler: () => Promise<object>; running: () => number; max: () => number; started: () => number; openGate: () => void } {
  let running = 0;
  let max = 0;
  let started = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    handler: async () => {
      started++;
      max = Math.max(max, ++running);
      await gate;
      running--;
      return {};
    },
    running: () => running,
    max: () => max,
    started: () => started,
    openGate: () => open(),
  };
}

describe('inboundConcurrency and inboundQueueLimit', () => {
  it('inboundConcurrency 1 runs one handler at a time and answers pipelined CALLs in arrival order', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', { ...lax, inboundConcurrency: 1 });
    let running = 0;
    let max = 0;
    const order: string[] = [];
    endpoint.handle(async ({ messageId }) => {
      max = Math.max(max, ++running);
      await new Promise((r) => setTimeout(r, 1));
      order.push(messageId);
      running--;
      return { id: messageId };
    });
    for (let i = 0; i < 10; i++) peer.send(`[2,"c${i}","A",{}]`);
    for (let i = 0; i < 10; i++) expect(await peer.next()).toEqual([3, `c${i}`, { id: `c${i}` }]);
    expect(max).toBe(1);
    expect(order).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
  });

  it('answers CALLs beyond the queue with RpcFrameworkError (1.6: ProtocolError) and counts them as bad', async () => {
    for (const [protocol, code] of [['ocpp2.0.1', 'RpcFrameworkError'], ['ocpp1.6', 'ProtocolError']] as const) {
      const { endpoint, peer } = endpointWithRawPeer(protocol, 'CSMS', { ...lax, inboundConcurrency: 1, inboundQueueLimit: 2, maxBadMessages: 100 });
      const gated = gatedHandler();
      endpoint.handle(gated.handler);
      const bad: string[] = [];
      endpoint.on('badMessage', (e) => bad.push(e.error.description));
      for (let i = 0; i < 5; i++) peer.send(`[2,"c${i}","A",{}]`);
      await peer.settle();
      expect(gated.started()).toBe(1);
      // c0 runs, c1 and c2 wait, c3 and c4 are refused at once
      const refused = peer.received.map((f) => JSON.parse(f) as unknown[]);
      expect(refused.map((f) => f.slice(0, 3))).toEqual([
        [4, 'c3', code],
        [4, 'c4', code],
      ]);
      expect(refused[0]?.[3]).toMatch(/Too many calls in progress/);
      expect(bad.length).toBe(2);
      gated.openGate();
      await peer.settle();
      expect(peer.received.slice(2).map((f) => JSON.parse(f) as unknown)).toEqual([
        [3, 'c0', {}],
        [3, 'c1', {}],
        [3, 'c2', {}],
      ]);
      expect(gated.max()).toBe(1);
    }
  });

  it('closes a flooding peer with 1008 once refusals pass maxBadMessages; waiting handlers never run', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', lax);
    const gated = gatedHandler();
    endpoint.handle(gated.handler);
    const closed = once(endpoint, 'close');
    for (let i = 0; i < 5000; i++) peer.send(`[2,"c${i}","A",{}]`);
    // 4 running + 16 waiting (defaults), then 10 refusals are answered and the 11th closes
    expect(await closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    gated.openGate();
    await peer.settle();
    expect(gated.started()).toBe(4);
    expect(gated.max()).toBe(4);
    expect(peer.received.length).toBe(10);
  });

  it('runs 4 handlers at once by default, and N with inboundConcurrency: N', async () => {
    for (const [options, n] of [[lax, 4], [{ ...lax, inboundConcurrency: 7 }, 7]] as const) {
      const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', options);
      const gated = gatedHandler();
      endpoint.handle(gated.handler);
      for (let i = 0; i < 20; i++) peer.send(`[2,"c${i}","A",{}]`);
      await peer.settle();
      expect(gated.running()).toBe(n);
      gated.openGate();
      for (let i = 0; i < 20; i++) await peer.next();
      expect(gated.max()).toBe(n);
      expect(gated.started()).toBe(20);
    }
  });

  it('a waiting CALL is a call in progress for duplicate ids, and a NOREPLY handler holds its slot until reply()', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', { ...lax, inboundConcurrency: 1 });
    const replies: Array<() => void> = [];
    endpoint.handle(({ messageId, reply }) => {
      replies.push(() => reply({ id: messageId }));
      return NOREPLY;
    });
    peer.send('[2,"a","A",{}]');
    peer.send('[2,"b","A",{}]');
    peer.send('[2,"b","A",{}]');
    expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, 'b', 'RpcFrameworkError']);
    expect(replies.length).toBe(1);
    replies[0]?.();
    expect(await peer.next()).toEqual([3, 'a', { id: 'a' }]);
    await peer.settle();
    expect(replies.length).toBe(2);
    replies[1]?.();
    expect(await peer.next()).toEqual([3, 'b', { id: 'b' }]);
  });

  it('a handler that throws or fails frees its slot too', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', lax);
    let n = 0;
    endpoint.handle(async () => {
      n++;
      if (n % 2 === 0) throw new Error('boom');
      return {};
    });
    for (let i = 0; i < 6; i++) peer.send(`[2,"c${i}","A",{}]`);
    const types: unknown[] = [];
    for (let i = 0; i < 6; i++) types.push(((await peer.next()) as unknown[])[0]);
    expect(types).toEqual([3, 4, 3, 4, 3, 4]);
  });

  it('a closed channel drops waiting calls; a re-attached endpoint starts with free slots', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', { ...lax, inboundConcurrency: 1 });
    const gated = gatedHandler();
    endpoint.handle(gated.handler);
    for (let i = 0; i < 5; i++) peer.send(`[2,"c${i}","A",{}]`);
    await peer.settle();
    endpoint.close();
    gated.openGate();
    await peer.settle();
    expect(gated.started()).toBe(1);
    const [a, b] = createChannelPair();
    const peer2 = new RawPeer(b);
    endpoint.attach(a, 'ocpp2.0.1');
    peer2.send('[2,"d0","A",{}]');
    expect(await peer2.next()).toEqual([3, 'd0', {}]);
  });

  it('2.1 SENDs share the slots; one past the queue is dropped and reported; a NOREPLY SEND handler frees its slot', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'CSMS', { ...lax, inboundConcurrency: 1, inboundQueueLimit: 1 });
    let sends = 0;
    endpoint.handle('ocpp2.1', 'NotifyPeriodicEventStream', () => {
      sends++;
      return NOREPLY as never;
    });
    for (let i = 0; i < 5; i++) peer.send(`[6,"s${i}","NotifyPeriodicEventStream",{}]`);
    await peer.settle();
    expect(sends).toBe(5);
    const gated = gatedHandler();
    endpoint.handle(gated.handler);
    const errors: CallErrorEvent[] = [];
    const bad: string[] = [];
    endpoint.on('badMessage', (e) => bad.push(e.error.description));
    endpoint.on('callError', (e) => errors.push(e));
    peer.send('[2,"c0","A",{}]');
    peer.send('[6,"s5","NotifyPeriodicEventStream",{}]');
    peer.send('[6,"s6","NotifyPeriodicEventStream",{}]');
    await peer.settle();
    expect(bad).toEqual(['Too many messages in progress: SEND dropped']);
    expect(sends).toBe(5);
    gated.openGate();
    expect(await peer.next()).toEqual([3, 'c0', {}]);
    await peer.settle();
    expect(sends).toBe(6);
    expect(peer.unread).toBe(0);
    expect(errors).toEqual([]);
  });

  it('refuses inboundConcurrency < 1 and inboundQueueLimit < 0 (or fractions) with a RangeError naming them', () => {
    for (const value of [0, -1, 1.5, Number.NaN]) {
      expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { inboundConcurrency: value })).toThrow(/inboundConcurrency/);
    }
    for (const value of [-1, 0.5, Number.NaN]) {
      expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { inboundQueueLimit: value })).toThrow(/inboundQueueLimit/);
    }
    expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { inboundQueueLimit: 0, inboundConcurrency: Infinity })).not.toThrow();
  });
});
