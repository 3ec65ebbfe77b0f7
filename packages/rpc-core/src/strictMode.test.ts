import { describe, expect, it } from 'vitest';
import { RpcError } from './errors.js';
import type { StrictValidationFailureEvent } from './events.js';
import { RpcEndpoint } from './rpcEndpoint.js';
import { createChannelPair } from './channel.js';
import { endpointPair, endpointWithRawPeer, once, RawPeer } from './testing/peers.fixture.js';
import { testValidators } from './testing/validators.fixture.js';

const boot16 = { chargePointVendor: 'Acme', chargePointModel: 'X1' };
const now = '2026-01-01T00:00:00.000Z';

describe('strict mode, inbound requests', () => {
  it('answers a schema violation with the 1.6-spelled constraint code and reports it', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS');
    let called = false;
    endpoint.handle('ocpp1.6', 'BootNotification', () => {
      called = true;
      return { status: 'Accepted', currentTime: now, interval: 60 };
    });
    const failure = once(endpoint, 'strictValidationFailure');
    peer.send('[2,"m1","BootNotification",{"chargePointVendor":"Acme"}]');
    const [type, id, code, description, details] = (await peer.next()) as [number, string, string, string, { violations: unknown[] }];
    expect([type, id, code]).toEqual([4, 'm1', 'OccurenceConstraintViolation']);
    expect(description).toContain('/chargePointModel');
    expect(details.violations[0]).toMatchObject({ pointer: '/chargePointModel', keyword: 'required' });
    expect(await failure).toMatchObject({ direction: 'in', kind: 'request', action: 'BootNotification', messageId: 'm1' });
    expect(called).toBe(false);
  });

  it('maps type, pattern/additionalProperties and length failures to their codes (2.0.1 spelling)', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.0.1', 'CSMS');
    endpoint.handle(() => ({}));
    peer.send('[2,"a","Heartbeat",{"x":1}]');
    expect(((await peer.next()) as unknown[])[2]).toBe('PropertyConstraintViolation');
    peer.send('[2,"b","BootNotification",{"reason":"PowerUp","chargingStation":{"model":5,"vendorName":"V"}}]');
    expect(((await peer.next()) as unknown[])[2]).toBe('TypeConstraintViolation');
    peer.send(`[2,"c","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"${'m'.repeat(30)}","vendorName":"V"}}]`);
    expect(((await peer.next()) as unknown[])[2]).toBe('FormatViolation');
  });

  it('unknown action → NotImplemented even with a wildcard handler; names are echoed only when harmless', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS');
    endpoint.handle(() => ({}));
    peer.send('[2,"a","FancyVendorThing",{}]');
    expect(await peer.next()).toEqual([4, 'a', 'NotImplemented', 'FancyVendorThing is not an action of ocpp1.6', {}]);
    peer.send(`[2,"b","<script>${'x'.repeat(100)}",{}]`);
    const [, , code, description] = (await peer.next()) as string[];
    expect(code).toBe('NotImplemented');
    expect(description).not.toContain('script');
  });

  it('an action of the wrong direction → NotSupported (a charger sending RemoteStartTransaction)', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS');
    endpoint.handle(() => ({ status: 'Accepted' }));
    peer.send('[2,"a","RemoteStartTransaction",{"idTag":"T"}]');
    expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, 'a', 'NotSupported']);
  });

  it('a CALL for a SEND-only action → NotSupported (2.1)', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'CSMS');
    endpoint.handle(() => ({}));
    peer.send('[2,"a","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2026-01-01T00:00:00Z","data":[]}]');
    expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([4, 'a', 'NotSupported']);
  });
});

describe('strict mode, outbound responses and requests', () => {
  it('an invalid result from our own handler becomes InternalError and is reported, not sent', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS');
    endpoint.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Maybe' as 'Accepted', currentTime: now, interval: 60 }));
    const failure = once(endpoint, 'strictValidationFailure');
    const callError = once(endpoint, 'callError');
    peer.send(`[2,"a","BootNotification",${JSON.stringify(boot16)}]`);
    const answer = (await peer.next()) as unknown[];
    expect(answer.slice(0, 3)).toEqual([4, 'a', 'InternalError']);
    expect(JSON.stringify(answer)).not.toContain('Maybe');
    expect(await failure).toMatchObject({ direction: 'out', kind: 'response', action: 'BootNotification' });
    const reported = await callError;
    expect(reported.error.code).toBe('InternalError');
    expect((reported.cause as RpcError).description).toContain('/status');
  });

  it('an invalid outbound request rejects with the RpcError and sends nothing', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS');
    const events: StrictValidationFailureEvent[] = [];
    endpoint.on('strictValidationFailure', (e) => events.push(e));
    const err = await endpoint.callRaw('Reset', { type: 'Medium' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'FormatViolation' });
    expect(events[0]).toMatchObject({ direction: 'out', kind: 'request', action: 'Reset' });
    // wrong direction and unknown actions are refused locally as well
    await expect(endpoint.callRaw('BootNotification', boot16)).rejects.toMatchObject({ code: 'NotSupported' });
    await expect(endpoint.callRaw('Nope', {})).rejects.toMatchObject({ code: 'NotImplemented' });
    await peer.settle();
    expect(peer.received).toEqual([]);
  });

  it('strictMode false or limited to other protocols lets anything through', async () => {
    for (const strictMode of [false, { protocols: ['ocpp2.0.1'] }]) {
      const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS', { strictMode });
      endpoint.handle(() => ({ anything: true }));
      peer.send('[2,"a","BootNotification",{}]');
      expect(await peer.next()).toEqual([3, 'a', { anything: true }]);
    }
  });

  it('individual switches can be turned off', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS', { strictMode: { outboundResponses: false } });
    endpoint.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: 5 as unknown as string }));
    peer.send('[2,"a","Heartbeat",{}]');
    expect(await peer.next()).toEqual([3, 'a', { currentTime: 5 }]);
  });
});

describe('strict mode, inbound responses', () => {
  it('1.6 does not validate responses by default; inboundResponses: true rejects an invalid one', async () => {
    const lenient = endpointWithRawPeer('ocpp1.6', 'ChargingStation');
    const p1 = lenient.endpoint.callRaw('Heartbeat', {});
    const [, id1] = (await lenient.peer.next()) as [number, string];
    lenient.peer.send(JSON.stringify([3, id1, { currentTime: 7 }]));
    expect(await p1).toEqual({ currentTime: 7 });

    const strict = endpointWithRawPeer('ocpp1.6', 'ChargingStation', { strictMode: { inboundResponses: true } });
    const p2 = strict.endpoint.callRaw('Heartbeat', {});
    const [, id2] = (await strict.peer.next()) as [number, string];
    strict.peer.send(JSON.stringify([3, id2, { currentTime: 7 }]));
    await expect(p2).rejects.toMatchObject({ code: 'TypeConstraintViolation' });
    await strict.peer.settle();
    expect(strict.peer.unread).toBe(0); // no CALLRESULTERROR before 2.1
  });

  it('2.1 answers an invalid CALLRESULT with CALLRESULTERROR and rejects the call', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'ChargingStation');
    const failure = once(endpoint, 'strictValidationFailure');
    const call = endpoint.callRaw('Heartbeat', {});
    const [, id] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([3, id, {}]));
    await expect(call).rejects.toMatchObject({ code: 'OccurrenceConstraintViolation' });
    const [type, rid, code] = (await peer.next()) as unknown[];
    expect([type, rid, code]).toEqual([5, id, 'OccurrenceConstraintViolation']);
    expect(await failure).toMatchObject({ direction: 'in', kind: 'response', action: 'Heartbeat' });
  });

  it('2.1: a malformed CALLRESULT for a pending call is answered with CALLRESULTERROR too', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp2.1', 'ChargingStation');
    const call = endpoint.callRaw('Heartbeat', {});
    const [, id] = (await peer.next()) as [number, string];
    peer.send(JSON.stringify([3, id, 'not an object']));
    await expect(call).rejects.toMatchObject({ code: 'FormatViolation' });
    expect(((await peer.next()) as unknown[]).slice(0, 3)).toEqual([5, id, 'FormatViolation']);
  });
});

describe('validators option', () => {
  it('uses the injected validator table', async () => {
    const { endpoint, peer } = endpointWithRawPeer('ocpp1.6', 'CSMS', { validators: testValidators });
    endpoint.handle(() => ({ currentTime: now }));
    peer.send('[2,"a","Heartbeat",{}]');
    expect(await peer.next()).toEqual([3, 'a', { currentTime: now }]);
    // BootNotification is absent from the test table: unknown to this endpoint
    peer.send(`[2,"b","BootNotification",${JSON.stringify(boot16)}]`);
    expect(((await peer.next()) as unknown[])[2]).toBe('NotImplemented');
  });
});

describe('end to end between two strict endpoints', () => {
  it('a typed BootNotification round trip', async () => {
    const { csms, station } = endpointPair('ocpp1.6');
    csms.handle('ocpp1.6', 'BootNotification', ({ params }) => ({
      status: params.chargePointVendor === 'Acme' ? 'Accepted' : 'Rejected',
      currentTime: now,
      interval: 300,
    }));
    const res = await station.call('ocpp1.6', 'BootNotification', boot16);
    expect(res).toEqual({ status: 'Accepted', currentTime: now, interval: 300 });
  });

  it('callRaw works before any protocol is known and is validated once one is', async () => {
    const station = new RpcEndpoint({ side: 'ChargingStation', offlineQueueSize: 4 });
    const good = station.callRaw('Heartbeat', {});
    const bad = station.callRaw('Heartbeat', { extra: 1 });
    const [a, b] = createChannelPair();
    const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6' });
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now }));
    csms.attach(a);
    station.attach(b, 'ocpp1.6');
    await expect(bad).rejects.toMatchObject({ code: 'PropertyConstraintViolation' });
    expect(await good).toEqual({ currentTime: now });
    expect(new RawPeer(createChannelPair()[0]).unread).toBe(0);
  });
});
