import { describe, expect, it } from 'vitest';
import type { BadMessageEvent } from './events.js';
import { NOREPLY } from './noreply.js';
import { endpointWithRawPeer, once } from './testing/peers.fixture.js';
import { testValidators } from './testing/validators.fixture.js';

const lax = { strictMode: false } as const;

describe('answers to unexpected frames', () => {
  it('CALLRESULT / CALLERROR for an unknown id → badMessage, no reply', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', lax);
    const bad: BadMessageEvent[] = [];
    endpoint.on('badMessage', (e) => bad.push(e));
    peer.send('[3,"nobody",{}]');
    peer.send('[4,"nobody","GenericError","",{}]');
    await peer.settle();
    expect(bad.map((b) => b.error.description)).toEqual(['CALLRESULT for an unknown message id', 'CALLERROR for an unknown message id']);
    expect(bad[0]?.frame).toBe('[3,"nobody",{}]');
    expect(peer.received).toEqual([]);
  });

  it('a CALL whose id duplicates one still being handled → RpcFrameworkError (1.6 wire: ProtocolError)', async () => {
    for (const [protocol, code] of [['ocpp2.0.1', 'RpcFrameworkError'], ['ocpp1.6', 'ProtocolError']] as const) {
      const { endpoint, peer } = endpointWithRawPeer(protocol, 'CSMS', lax);
      let calls = 0;
      endpoint.handle(({ reply }) => {
        calls++;
        setTimeout(() => reply({ done: true }), 20);
        return NOREPLY;
      });
      const bad = once(endpoint, 'badMessage');
      peer.send('[2,"dup","A",{}]');
      peer.send('[2,"dup","A",{}]');
      expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, 'dup', code]);
      expect((await bad).error.code).toBe('RpcFrameworkError');
      expect(await peer.next()).toEqual([3, 'dup', { done: true }]);
      expect(calls).toBe(1);
      // once answered, the id may be used again
      peer.send('[2,"dup","A",{}]');
      expect(await peer.next()).toEqual([3, 'dup', { done: true }]);
    }
  });

  it('detects duplicate ids among overlapping inbound CALLs, whichever was first', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', lax);
    const replies = new Map<string, (result: unknown) => void>();
    endpoint.handle(({ messageId, reply }) => {
      replies.set(messageId, reply);
      return NOREPLY;
    });
    peer.send('[2,"a","A",{}]');
    peer.send('[2,"b","A",{}]');
    peer.send('[2,"c","A",{}]');
    await peer.settle();
    expect([...replies.keys()]).toEqual(['a', 'b', 'c']);
    for (const id of ['a', 'c', 'b']) {
      peer.send(`[2,"${id}","A",{}]`);
      expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, id, 'RpcFrameworkError']);
    }
    replies.get('a')?.({ id: 'a' });
    expect(await peer.next()).toEqual([3, 'a', { id: 'a' }]);
    // "a" is free again while "b" and "c" are still being handled
    peer.send('[2,"a","A",{}]');
    peer.send('[2,"c","A",{}]');
    expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, 'c', 'RpcFrameworkError']);
    for (const id of ['c', 'b', 'a']) {
      replies.get(id)?.({ id });
      expect(await peer.next()).toEqual([3, id, { id }]);
    }
    expect(peer.unread).toBe(0);
  });

  it('unknown message types at the endpoint: ignored in 1.6/2.1, answered in 2.0.1, reported always', async () => {
    for (const [protocol, answered] of [['ocpp1.6', false], ['ocpp2.0.1', true], ['ocpp2.1', false]] as const) {
      const { endpoint, peer } = endpointWithRawPeer(protocol, 'CSMS', lax);
      const bad = once(endpoint, 'badMessage');
      peer.send('[8,"x","A",{}]');
      expect((await bad).error.code).toBe('MessageTypeNotSupported');
      await peer.settle();
      expect(peer.received.length).toBe(answered ? 1 : 0);
    }
  });

  it('a malformed CALLERROR for a pending call rejects it at once', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'ChargingStation', lax);
    const call = endpoint.callRaw('Heartbeat', {});
    const [, id] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([4, id, 'GenericError']));
    await expect(call).rejects.toMatchObject({ code: 'RpcFrameworkError' });
    expect(endpoint.pendingCalls).toBe(0);
  });

  it('reads 1.6 error spellings into the internal code set; unknown codes become GenericError', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'ChargingStation', lax);
    const first = endpoint.callRaw('A', {});
    const [, id1] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([4, id1, 'OccurenceConstraintViolation', 'missing', { field: 'x' }]));
    await expect(first).rejects.toMatchObject({ code: 'OccurrenceConstraintViolation', description: 'missing', details: { field: 'x' } });
    const second = endpoint.callRaw('B', {});
    const [, id2] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([4, id2, 'Weird', '', {}]));
    await expect(second).rejects.toMatchObject({ code: 'GenericError' });
  });
});

describe('transports that deliver bytes', () => {
  it('decodes Buffers, ArrayBuffers and fragment arrays as UTF-8 and refuses anything else per spec', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', lax);
    endpoint.handle(({ params }) => ({ echo: params }));
    const deliver = (data: unknown) => (peer.channel as unknown as { send(d: unknown): void }).send(data);
    deliver(Buffer.from('[2,"b1","A",{"ä":1}]'));
    expect(await peer.next()).toEqual([3, 'b1', { echo: { ä: 1 } }]);
    deliver(new TextEncoder().encode('[2,"b2","A",{}]').buffer);
    expect(await peer.next()).toEqual([3, 'b2', { echo: {} }]);
    deliver([Buffer.from('[2,"b3",'), Buffer.from('"A",{}]')]);
    expect(await peer.next()).toEqual([3, 'b3', { echo: {} }]);
    deliver(42);
    expect(await peer.next()).toEqual([4, '-1', 'RpcFrameworkError', 'Message is not valid JSON', {}]);
  });
});

describe('maxBadMessages', () => {
  it('closes with 1008 after more than maxBadMessages consecutive bad frames', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS', { ...lax, maxBadMessages: 2 });
    endpoint.handle(() => ({}));
    peer.send('garbage');
    peer.send('garbage');
    peer.send('[2,"ok","A",{}]'); // a CALL that reaches a handler resets the count
    peer.send('garbage');
    peer.send('garbage');
    await peer.settle();
    expect(endpoint.attached).toBe(true);
    const closed = once(endpoint, 'close');
    peer.send('garbage');
    expect(await closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    await peer.settle();
    expect(peer.closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    // the two answered garbage frames + the CALLRESULT + two more answers; the last one closed instead
    expect(peer.received.length).toBe(5);
  });

  it('by default closes (1008) a peer interleaving invalid JSON with CALLs of an unknown action', async () => {
    // Unknown actions are refused with NotImplemented: that refusal counts and does not reset the count.
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS');
    endpoint.handle(() => ({}));
    const closed = once(endpoint, 'close');
    for (let i = 0; i < 50 && endpoint.attached; i++) {
      peer.send('not json');
      peer.send(`[2,"x${i}","NoSuchAction",{}]`);
      await peer.settle(1);
    }
    expect(await closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
    await peer.settle();
    // 10 bad frames are answered; the 11th closes
    expect(peer.received.length).toBe(10);
    expect(peer.received.filter((f) => f.includes('NotImplemented')).length).toBe(5);
  });

  it('schema violations and wrong-direction CALLs count; a known action without a handler neither counts nor resets', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS', { validators: testValidators, maxBadMessages: 3 });
    endpoint.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: '2026-01-01T00:00:00Z' }));
    peer.send('[2,"v1","Heartbeat",{"extra":1}]'); // schema violation: 1
    peer.send('[2,"r1","Reset",{"type":"Hard"}]'); // a CSMS→station action sent to the CSMS: 2
    peer.send('[2,"n1","Authorize",{}]'); // unknown to this validator table: NotImplemented, 3
    await peer.settle();
    expect(endpoint.attached).toBe(true);
    expect(peer.received.map((f) => (JSON.parse(f) as unknown[])[2])).toEqual(['PropertyConstraintViolation', 'NotSupported', 'NotImplemented']);
    // a handled CALL resets the count
    peer.send('[2,"h1","Heartbeat",{}]');
    await peer.settle();
    expect(JSON.parse(peer.received[3] as string)).toEqual([3, 'h1', { currentTime: '2026-01-01T00:00:00Z' }]);
    endpoint.removeHandler('ocpp1.6', 'Heartbeat');
    for (let i = 0; i < 20; i++) peer.send(`[2,"k${i}","Heartbeat",{}]`); // known, no handler: our gap, not counted
    await peer.settle();
    expect(endpoint.attached).toBe(true);
    expect(peer.received.slice(4).every((f) => f.includes('"NotSupported"'))).toBe(true);
    const closed = once(endpoint, 'close');
    for (let i = 0; i < 4; i++) peer.send(`[2,"b${i}","Heartbeat",{"x":1}]`);
    expect(await closed).toEqual({ code: 1008, reason: 'Too many bad messages' });
  });

  it('refuses a maxBadMessages that is not a whole number >= 0; Infinity turns the bound off', () => {
    for (const bad of [-1, 1.5, Number.NaN, '3' as unknown as number]) {
      expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { maxBadMessages: bad })).toThrow(/maxBadMessages/);
    }
    expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { maxBadMessages: Infinity })).not.toThrow();
    expect(() => endpointWithRawPeer('ocpp1.6', 'CSMS', { maxBadMessages: 0 })).not.toThrow();
  });
});

describe('OCPP 2.1 SEND', () => {
  const stream = { id: 1, pending: 0, basetime: '2026-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };

  it('delivers an inbound SEND to its handler and never answers, whatever the handler does', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'CSMS');
    const seen: unknown[] = [];
    endpoint.handle('ocpp2.1', 'NotifyPeriodicEventStream', ({ params }) => {
      seen.push(params);
      return undefined as never;
    });
    endpoint.handle(() => {
      throw new Error('boom');
    });
    peer.send(JSON.stringify([6, 's1', 'NotifyPeriodicEventStream', stream]));
    await peer.settle();
    expect(seen).toEqual([stream]);
    expect(peer.received).toEqual([]);
  });

  it('an invalid SEND is reported and not delivered, and still not answered', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'CSMS');
    let delivered = false;
    endpoint.handle('ocpp2.1', 'NotifyPeriodicEventStream', () => {
      delivered = true;
      return undefined as never;
    });
    const failure = once(endpoint, 'strictValidationFailure');
    const callError = once(endpoint, 'callError');
    peer.send('[6,"s1","NotifyPeriodicEventStream",{}]');
    expect(await failure).toMatchObject({ direction: 'in', kind: 'request', messageId: 's1' });
    expect((await callError).error.code).toBe('OccurrenceConstraintViolation');
    peer.send('[6,"s2","BootNotification",{}]'); // not a SEND action
    peer.send('[6,"s3"]'); // malformed
    await peer.settle();
    expect(delivered).toBe(false);
    expect(peer.received).toEqual([]);
  });

  it('send() emits [6,…]; it is refused before 2.1, while detached and for CALL actions', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'ChargingStation');
    endpoint.send('ocpp2.1', 'NotifyPeriodicEventStream', stream);
    const [type, id, action, payload] = (await peer.next()) as unknown[];
    expect([type, action, payload]).toEqual([6, 'NotifyPeriodicEventStream', stream]);
    expect(typeof id).toBe('string');
    expect(() => endpoint.sendRaw('Heartbeat', {})).toThrow(expect.objectContaining({ code: 'NotSupported' }) as Error);
    expect(() => endpoint.sendRaw('NotifyPeriodicEventStream', {})).toThrow(expect.objectContaining({ code: 'OccurrenceConstraintViolation' }) as Error);
    endpoint.close();
    expect(() => endpoint.sendRaw('NotifyPeriodicEventStream', stream)).toThrow(/not connected/);
    const old = endpointWithRawPeer('ocpp2.0.1', 'ChargingStation', lax);
    expect(() => old.endpoint.sendRaw('NotifyPeriodicEventStream', stream)).toThrow(TypeError);
  });

  it('a CALLRESULTERROR about a result we sent → responseRejected', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'CSMS', lax);
    endpoint.handle(() => ({ currentTime: 'bad' }));
    peer.send('[2,"h1","Heartbeat",{}]');
    await peer.next();
    const rejected = once(endpoint, 'responseRejected');
    peer.send('[5,"h1","FormatViolation","currentTime is not a date-time",{}]');
    expect(await rejected).toMatchObject({ messageId: 'h1', action: 'Heartbeat', error: { code: 'FormatViolation' } });
    // one for an id we never answered is a bad message
    const bad = once(endpoint, 'badMessage');
    peer.send('[5,"h9","FormatViolation","",{}]');
    expect((await bad).error.description).toMatch(/CALLRESULTERROR for an unknown message id/);
  });

  it('a CALLRESULTERROR with the id of a pending call rejects it like a CALLERROR', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'ChargingStation', lax);
    const call = endpoint.callRaw('Heartbeat', {});
    const [, id] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([5, id, 'PropertyConstraintViolation', 'x', {}]));
    await expect(call).rejects.toMatchObject({ code: 'PropertyConstraintViolation' });
  });
});
