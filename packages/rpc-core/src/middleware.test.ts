import { describe, expect, it } from 'vitest';
import { RpcError } from './errors.js';
import type { MessageContext } from './middleware.js';
import { NOREPLY } from './noreply.js';
import { endpointPair, endpointWithRawPeer, once } from './testing/peers.fixture.js';

const lax = { strictMode: false } as const;

describe('message middleware', () => {
  it('wraps inbound calls as an onion and shares state with the handler', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    const log: string[] = [];
    csms.use(async (ctx, next) => {
      log.push(`a> ${ctx.direction} ${ctx.kind} ${ctx.action}`);
      ctx.state.user = 'alice';
      await next();
      log.push(`a< ${JSON.stringify(ctx.result)}`);
    });
    csms.use(async (ctx, next) => {
      log.push('b>');
      await next();
      log.push('b<');
    });
    csms.handle(({ state, params }) => {
      log.push('handler');
      return { user: state.user, params };
    });
    expect(await station.callRaw('Echo', { n: 1 })).toEqual({ user: 'alice', params: { n: 1 } });
    expect(log).toEqual(['a> in call Echo', 'b>', 'handler', 'b<', 'a< {"user":"alice","params":{"n":1}}']);
  });

  it('may rewrite params and results, turn errors into results and throw to refuse', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.use(async (ctx, next) => {
      if (ctx.action === 'Limited') throw new RpcError('SecurityError', 'rate limited');
      ctx.params = { ...(ctx.params as object), added: true };
      try {
        await next();
        ctx.result = { wrapped: ctx.result };
      } catch (err) {
        ctx.result = { recovered: (err as RpcError).code };
      }
    });
    csms.handle(({ action, params }) => {
      if (action === 'Fail') throw new RpcError('NotSupported');
      return params;
    });
    expect(await station.callRaw('Echo', { n: 1 })).toEqual({ wrapped: { n: 1, added: true } });
    expect(await station.callRaw('Fail', {})).toEqual({ recovered: 'NotSupported' });
    await expect(station.callRaw('Limited', {})).rejects.toMatchObject({ code: 'SecurityError', description: 'rate limited' });
  });

  it('waits for a NOREPLY handler to reply', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    let seen: unknown;
    csms.use(async (ctx, next) => {
      await next();
      seen = ctx.result;
    });
    csms.handle(({ reply }) => {
      setTimeout(() => reply({ late: 1 }), 5);
      return NOREPLY;
    });
    expect(await station.callRaw('X', {})).toEqual({ late: 1 });
    expect(seen).toEqual({ late: 1 });
  });

  it('wraps outbound calls: sees params, result, errors and timing, and may rewrite params', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    const seen: MessageContext[] = [];
    station.use(async (ctx, next) => {
      ctx.params = { ...(ctx.params as object), stamp: 1 };
      try {
        await next();
      } finally {
        seen.push({ ...ctx });
      }
    });
    csms.handle(({ action, params }) => {
      if (action === 'Bad') throw new RpcError('GenericError', 'bad');
      return { got: params };
    });
    expect(await station.callRaw('Good', { a: 1 })).toEqual({ got: { a: 1, stamp: 1 } });
    await expect(station.callRaw('Bad', {})).rejects.toMatchObject({ code: 'GenericError' });
    expect(seen[0]).toMatchObject({ direction: 'out', kind: 'call', action: 'Good', protocol: 'ocpp1.6', result: { got: { a: 1, stamp: 1 } } });
    expect(seen[0]?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]?.error).toMatchObject({ code: 'GenericError' });
  });

  it('releases middleware awaiting a handler that never answered when the channel closes', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    let inFlight = 0;
    const released = new Promise<unknown>((resolve) => {
      csms.use(async (_ctx, next) => {
        inFlight++;
        try {
          await next();
        } catch (err) {
          resolve(err);
        } finally {
          inFlight--;
        }
      });
    });
    const handling = new Promise<void>((resolve) => {
      csms.handle(() => {
        resolve();
        return NOREPLY;
      });
    });
    const call = station.callRaw('Hang', {});
    await handling;
    expect(inFlight).toBe(1);
    csms.close();
    await expect(call).rejects.toBeInstanceOf(Error);
    expect(await released).toMatchObject({ name: 'ConnectionClosedError' });
    expect(inFlight).toBe(0);
  });

  it('calling next() twice fails the call', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    csms.use(async (_ctx, next) => {
      await next();
      await next();
    });
    csms.handle(() => ({}));
    await expect(station.callRaw('X', {})).rejects.toMatchObject({ code: 'InternalError' });
  });

  it('wraps SENDs both ways with kind "send"', async () => {
    const stream = { id: 1, pending: 0, basetime: '2026-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };
    const { csms, station } = endpointPair('ocpp2.1');
    const kinds: string[] = [];
    station.use(async (ctx, next) => {
      kinds.push(`${ctx.direction}:${ctx.kind}`);
      await next();
    });
    csms.use(async (ctx, next) => {
      kinds.push(`${ctx.direction}:${ctx.kind}`);
      await next();
    });
    const got = new Promise((resolve) => csms.handle('ocpp2.1', 'NotifyPeriodicEventStream', ({ params }) => resolve(params) as never));
    station.send('ocpp2.1', 'NotifyPeriodicEventStream', stream);
    expect(await got).toEqual(stream);
    expect(kinds).toEqual(['out:send', 'in:send']);
  });

  it('reports an outbound SEND refused by middleware through callError', async () => {
    const { endpoint } = endpointWithRawPeer('ocpp2.1', 'ChargingStation', lax);
    endpoint.use(() => {
      throw new RpcError('SecurityError', 'no streaming today');
    });
    const err = once(endpoint, 'callError');
    endpoint.sendRaw('NotifyPeriodicEventStream', {});
    expect(await err).toMatchObject({ direction: 'out', action: 'NotifyPeriodicEventStream', error: { code: 'SecurityError' } });
  });
});

describe('observability events', () => {
  it('emits call, callResult and callError for both directions', async () => {
    const { csms, station } = endpointPair('ocpp1.6', lax, lax);
    const events: string[] = [];
    for (const ep of [csms, station]) {
      const name = ep === csms ? 'csms' : 'station';
      ep.on('call', (e) => events.push(`${name} call ${e.direction} ${e.action}`));
      ep.on('callResult', (e) => {
        expect(e.durationMs).toBeGreaterThanOrEqual(0);
        events.push(`${name} result ${e.direction} ${e.action}`);
      });
      ep.on('callError', (e) => events.push(`${name} error ${e.direction} ${e.action} ${e.error.code}`));
    }
    csms.handle(({ action }) => {
      if (action === 'B') throw new Error('x');
      return {};
    });
    await station.callRaw('A', {});
    await station.callRaw('B', {}).catch(() => undefined);
    expect(events).toEqual([
      'station call out A',
      'csms call in A',
      'csms result in A',
      'station result out A',
      'station call out B',
      'csms call in B',
      'csms error in B InternalError',
      'station error out B InternalError',
    ]);
  });
});
