import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, NotConnectedError, ProtocolMismatchError, RpcError, TimeoutError } from './errors.js';
import { NOREPLY } from './noreply.js';
import { HandlerRegistry } from './handlerRegistry.js';
import { RpcEndpoint } from './rpcEndpoint.js';
import { createChannelPair, type RpcChannel } from './channel.js';
import { endpointPair, endpointWithRawPeer, once } from './testing/peers.fixture.js';

const lax = { strictMode: false } as const;

describe('RpcEndpoint calls and handlers', () => {
  it('answers a call with the handler result', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle('ocpp1.6', 'Heartbeat', ({ params, action, protocol, messageId }) => {
      expect(params).toEqual({});
      expect(action).toBe('Heartbeat');
      expect(protocol).toBe('ocpp1.6');
      expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
      return { currentTime: '2026-01-01T00:00:00Z' };
    });
    await expect(station.call('ocpp1.6', 'Heartbeat', {})).resolves.toEqual({ currentTime: '2026-01-01T00:00:00Z' });
    expect(station.pendingCalls).toBe(0);
  });

  it('serves from shared handlers (options.sharedHandlers) after its own; ctx.client is the endpoint', async () => {
    const shared = new HandlerRegistry();
    const [a, b] = createChannelPair();
    const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6', strictMode: false, sharedHandlers: shared });
    const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6', strictMode: false });
    csms.attach(a);
    station.attach(b);
    let seenClient: unknown;
    shared.register('ocpp1.6', 'Heartbeat', ({ client }: { client: unknown }) => {
      seenClient = client;
      return { currentTime: 'shared' };
    });
    await expect(station.call('ocpp1.6', 'Heartbeat', {})).resolves.toEqual({ currentTime: 'shared' });
    expect(seenClient).toBe(csms);
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: 'own' }));
    await expect(station.call('ocpp1.6', 'Heartbeat', {})).resolves.toEqual({ currentTime: 'own' });
    csms.removeHandler('ocpp1.6', 'Heartbeat');
    await expect(station.call('ocpp1.6', 'Heartbeat', {})).resolves.toEqual({ currentTime: 'shared' });
    shared.delete('ocpp1.6', 'Heartbeat');
    await expect(station.call('ocpp1.6', 'Heartbeat', {})).rejects.toMatchObject({ code: 'NotSupported' });
  });

  it('supports async handlers, the wildcard handler and removeHandler', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle(async ({ action }) => ({ via: 'wildcard', action }));
    csms.handle('ocpp1.6', 'Heartbeat', async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { currentTime: 'specific' };
    });
    expect(await station.callRaw('Heartbeat', {})).toEqual({ currentTime: 'specific' });
    expect(await station.callRaw('Vendor', {})).toEqual({ via: 'wildcard', action: 'Vendor' });
    csms.removeHandler('ocpp1.6', 'Heartbeat');
    expect(await station.callRaw('Heartbeat', {})).toEqual({ via: 'wildcard', action: 'Heartbeat' });
    csms.removeHandler();
    // a known OCPP action without a handler is recognised but not supported; an unknown one is not implemented
    await expect(station.callRaw('Heartbeat', {})).rejects.toMatchObject({ code: 'NotSupported' });
    await expect(station.callRaw('Vendor', {})).rejects.toMatchObject({ code: 'NotImplemented' });
  });

  it('keeps handlers of several protocols apart; removeHandler(protocol) drops only that protocol', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: '2.0.1' }));
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: '1.6' }));
    csms.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: '2.1' }));
    expect(await station.callRaw('Heartbeat', {})).toEqual({ currentTime: '1.6' });
    csms.removeHandler('ocpp2.0.1');
    expect(await station.callRaw('Heartbeat', {})).toEqual({ currentTime: '1.6' });
    csms.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: '2.0.1 again' }));
    csms.removeHandler('ocpp1.6');
    await expect(station.callRaw('Heartbeat', {})).rejects.toMatchObject({ code: 'NotSupported' });
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: '1.6 again' }));
    expect(await station.callRaw('Heartbeat', {})).toEqual({ currentTime: '1.6 again' });
    csms.removeHandler('ocpp1.6', 'Heartbeat');
    await expect(station.callRaw('Heartbeat', {})).rejects.toMatchObject({ code: 'NotSupported' });
  });

  it('an endpoint that never called or served anything attaches, closes and re-attaches cleanly', async () => {
    const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6', strictMode: false });
    expect(csms.pendingCalls).toBe(0);
    expect(csms.queuedCalls).toBe(0);
    csms.close(); // detached, nothing queued: a no-op
    const [a] = createChannelPair();
    csms.attach(a);
    const closed = new Promise((resolve) => csms.once('close', resolve));
    csms.close(4000, 'bye');
    expect(await closed).toEqual({ code: 4000, reason: 'bye' });
    expect(csms.attached).toBe(false);
    const [c, d] = createChannelPair();
    csms.attach(c);
    const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6', strictMode: false });
    station.attach(d);
    station.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    await expect(csms.call('ocpp1.6', 'Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
  });

  it('turns a thrown RpcError into its CALLERROR and a plain Error into a generic InternalError', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle('ocpp1.6', 'Heartbeat', () => {
      throw new RpcError('SecurityError', 'nope', { reason: 'x' });
    });
    csms.handle(() => {
      throw new Error('secret database password in stack');
    });
    const err = await station.callRaw('Heartbeat', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'SecurityError', description: 'nope', details: { reason: 'x' } });
    const internal = (await station.callRaw('Other', {}).catch((e: unknown) => e)) as RpcError;
    expect(internal.code).toBe('InternalError');
    expect(internal.description).not.toContain('secret');
    expect(JSON.stringify(internal.details)).not.toContain('secret');
  });

  it('NOREPLY handlers answer later through ctx.reply (even destructured) or ctx.replyError', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle('ocpp1.6', 'Heartbeat', ({ reply }) => {
      setTimeout(() => reply({ currentTime: 'later' }), 5);
      return NOREPLY;
    });
    csms.handle((ctx) => {
      setTimeout(() => ctx.replyError(new RpcError('NotSupported', 'later')), 5);
      return NOREPLY;
    });
    expect(await station.callRaw('Heartbeat', {})).toEqual({ currentTime: 'later' });
    await expect(station.callRaw('X', {})).rejects.toMatchObject({ code: 'NotSupported', description: 'later' });
  });

  it('a handler that never answers leaves the caller to time out; a late answer is reported, not counted', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, { ...lax, callTimeoutMs: 50, maxBadMessages: 0 });
    const answer = new Promise<(v: unknown) => void>((resolve) => {
      csms.handle(({ reply }) => {
        resolve(reply);
        return NOREPLY;
      });
    });
    const err = await station.callRaw('Heartbeat', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ action: 'Heartbeat', timeoutMs: 50 });
    const bad = once(station, 'badMessage');
    (await answer)({ currentTime: 'too late' });
    expect((await bad).error.description).toMatch(/timed out/);
    expect(station.attached).toBe(true);
  });

  it('per-call timeoutMs and AbortSignal', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle(() => NOREPLY);
    await expect(station.callRaw('A', {}, { timeoutMs: 20 })).rejects.toBeInstanceOf(TimeoutError);
    const ac = new AbortController();
    const p = station.callRaw('B', {}, { signal: ac.signal });
    const queued = station.callRaw('C', {}, { signal: ac.signal });
    expect(station.pendingCalls).toBe(1);
    expect(station.queuedCalls).toBe(1);
    ac.abort(new Error('user gave up'));
    await expect(p).rejects.toThrow('user gave up');
    await expect(queued).rejects.toThrow('user gave up');
    expect(station.pendingCalls + station.queuedCalls).toBe(0);
    const already = AbortSignal.abort(new Error('before'));
    await expect(station.callRaw('D', {}, { signal: already })).rejects.toThrow('before');
  });

  it('rejects call() for another protocol and calls while detached', async () => {
    const { station } = endpointPair('ocpp1.6', lax, lax);
    const untyped = station as unknown as { call(p: string, a: string, params: unknown): Promise<unknown> };
    await expect(untyped.call('ocpp2.0.1', 'Heartbeat', {})).rejects.toBeInstanceOf(ProtocolMismatchError);
    const lone = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6' });
    await expect(lone.callRaw('Reset', { type: 'Hard' })).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('rejects non-object or unserialisable params with a TypeError', async () => {
    const { station } = endpointPair('ocpp1.6', lax, lax);
    await expect(station.callRaw('A', 'text')).rejects.toBeInstanceOf(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(station.callRaw('A', cyclic)).rejects.toBeInstanceOf(TypeError);
    await expect(station.callRaw('A', { n: 1n })).rejects.toBeInstanceOf(TypeError);
  });

  it('handles inbound calls concurrently with its own outbound call (crossing calls)', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle(async () => {
      const inner = await csms.callRaw('Inner', {});
      return { outer: true, inner };
    });
    station.handle(() => ({ ok: 1 }));
    expect(await station.callRaw('Outer', {})).toEqual({ outer: true, inner: { ok: 1 } });
  });
});

describe('RpcEndpoint queue', () => {
  it('1000 calls queued behind one in flight complete in order with one outstanding at a time', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    let inFlight = 0;
    let maxInFlight = 0;
    const order: number[] = [];
    csms.handle(async ({ params }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      order.push((params as { n: number }).n);
      return { n: (params as { n: number }).n };
    });
    let sent = 0;
    station.on('call', () => {
      sent++;
      expect(station.pendingCalls).toBe(1);
    });
    const calls = Array.from({ length: 1000 }, (_, n) => station.callRaw('Seq', { n }));
    expect(station.pendingCalls).toBe(1);
    expect(station.queuedCalls).toBe(999);
    const results = await Promise.all(calls);
    expect(results.map((r) => (r as { n: number }).n)).toEqual(order);
    expect(order).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    expect(maxInFlight).toBe(1);
    expect(sent).toBe(1000);
  });

  it('callConcurrency allows N outstanding calls (when the peer runs as many at once)', async () => {
    const { csms, station } = endpointPair('ocpp1.6', { ...lax, inboundConcurrency: 4 }, { ...lax, callConcurrency: 4 });
    let inFlight = 0;
    let maxInFlight = 0;
    csms.handle(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return {};
    });
    await Promise.all(Array.from({ length: 40 }, () => station.callRaw('X', {})));
    expect(maxInFlight).toBe(4);
  });
});

describe('RpcEndpoint close and attach', () => {
  it('rejects in-flight and queued calls with ConnectionClosedError when the channel closes', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.handle(() => NOREPLY);
    const first = station.callRaw('A', {});
    const second = station.callRaw('B', {});
    const closed = once(station, 'close');
    csms.close(4001, 'bye');
    await expect(first).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(second).rejects.toMatchObject({ code: 4001, reason: 'bye' });
    expect(await closed).toEqual({ code: 4001, reason: 'bye' });
    expect(station.attached).toBe(false);
  });

  it('close() rejects at once and aborts the signals of inbound handlers', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    const aborted = new Promise<unknown>((resolve) => {
      csms.handle(({ signal }) => {
        signal.addEventListener('abort', () => resolve(signal.reason));
        return NOREPLY;
      });
    });
    const received = once(csms, 'call');
    const call = station.callRaw('A', {});
    await received;
    station.close();
    await expect(call).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(await aborted).toBeInstanceOf(ConnectionClosedError);
  });

  it('with an offline queue, calls made while detached go out in order after attach()', async () => {
    const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6', strictMode: false, offlineQueueSize: 2 });
    const a = station.callRaw('One', {});
    const b = station.callRaw('Two', {});
    await expect(station.callRaw('Three', {})).rejects.toBeInstanceOf(NotConnectedError);
    expect(station.queuedCalls).toBe(2);
    const [x, y] = createChannelPair();
    const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6', strictMode: false });
    const seen: string[] = [];
    csms.handle(({ action }) => {
      seen.push(action);
      return { action };
    });
    csms.attach(x);
    station.attach(y);
    expect(await a).toEqual({ action: 'One' });
    expect(await b).toEqual({ action: 'Two' });
    expect(seen).toEqual(['One', 'Two']);
  });

  it('keeps queued (unsent) calls across a dropped connection when an offline queue is configured', async () => {
    const { csms, station, channels } = endpointPair('ocpp1.6', lax, { ...lax, offlineQueueSize: 10 });
    csms.handle(() => NOREPLY);
    const inFlight = station.callRaw('A', {});
    const queued = station.callRaw('B', {});
    channels[0].close(1006, 'network');
    await expect(inFlight).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(station.queuedCalls).toBe(1);
    const [x, y] = createChannelPair();
    const csms2 = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6', strictMode: false });
    csms2.handle(({ action }) => ({ action }));
    csms2.attach(x);
    station.attach(y);
    expect(await queued).toEqual({ action: 'B' });
  });

  it('re-attach with another protocol rejects calls queued for the old one', async () => {
    const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6', strictMode: false, offlineQueueSize: 5 });
    const q = station.callRaw('Heartbeat', {});
    const [, y] = createChannelPair();
    station.attach(y, 'ocpp2.0.1');
    await expect(q).rejects.toBeInstanceOf(ProtocolMismatchError);
  });

  it('attach() twice throws; attach() without any protocol throws', () => {
    const { station } = endpointPair('ocpp1.6', lax, lax);
    expect(() => station.attach(createChannelPair()[0])).toThrow(/already attached/);
    expect(() => new RpcEndpoint({ side: 'CSMS' }).attach(createChannelPair()[0])).toThrow(TypeError);
  });

  it('drops the answer of a handler that finishes after its connection is gone', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS', lax);
    let finish: (() => void) | undefined;
    endpoint.handle(() => new Promise((resolve) => (finish = () => resolve({ late: true }))));
    peer.send('[2,"m1","Heartbeat",{}]');
    await peer.settle();
    endpoint.close();
    finish?.();
    await peer.settle();
    expect(peer.received).toEqual([]);
  });
});

describe('RpcEndpoint over a synchronous channel', () => {
  /** A channel pair that delivers inside send(): the worst case for re-entrancy. */
  function syncPair(): [RpcChannel, RpcChannel] {
    const make = () => {
      const listeners: Array<(t: string) => void> = [];
      const closers: Array<(c: number, r: string) => void> = [];
      const ch = {
        peer: undefined as unknown as { listeners: typeof listeners; closers: typeof closers },
        listeners,
        closers,
        send: (t: string) => ch.peer.listeners.forEach((l) => l(t)),
        close: (c = 1000, r = '') => [...closers, ...ch.peer.closers].forEach((l) => l(c, r)),
        onMessage: (l: (t: string) => void) => void listeners.push(l),
        onClose: (l: (c: number, r: string) => void) => void closers.push(l),
      };
      return ch;
    };
    const a = make();
    const b = make();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  it('serves 1000 queued calls in order without deep recursion', async () => {
    const [x, y] = syncPair();
    const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6', strictMode: false });
    const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6', strictMode: false });
    csms.handle(({ params }) => params as Record<string, unknown>);
    csms.attach(x);
    station.attach(y);
    const results = await Promise.all(Array.from({ length: 1000 }, (_, n) => station.callRaw('Echo', { n })));
    expect(results).toEqual(Array.from({ length: 1000 }, (_, n) => ({ n })));
  });
});

describe('timeouts', () => {
  it('an infinite timeout never fires; a non-positive one is refused', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, { ...lax, callTimeoutMs: Infinity });
    csms.handle(({ reply }) => {
      setTimeout(() => reply({ ok: true }), 30);
      return NOREPLY;
    });
    expect(await station.callRaw('Slow', {})).toEqual({ ok: true });
    await expect(station.callRaw('X', {}, { timeoutMs: 0 })).rejects.toBeInstanceOf(RangeError);
    expect(() => new RpcEndpoint({ side: 'CSMS', callTimeoutMs: -1 })).toThrow(RangeError);
  });
});
