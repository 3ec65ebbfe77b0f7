import { describe, expectTypeOf, it } from 'vitest';
import type { OcppProtocols } from '@chargewire/ocpp-types';
import type {
  BootNotificationRequest,
  BootNotificationResponse,
  RemoteStartTransactionResponse,
} from '@chargewire/ocpp-types/ocpp1.6';
import type { OcppPeer } from './ocppPeer.js';
import { RpcEndpoint } from './rpcEndpoint.js';
import { NOREPLY } from './noreply.js';

declare const csms: RpcEndpoint<'CSMS'>;
declare const station: RpcEndpoint<'ChargingStation'>;
const now = '2026-01-01T00:00:00Z';

describe('typed facade: call', () => {
  it('types params and result from the action map', () => {
    expectTypeOf(csms.call('ocpp1.6', 'RemoteStartTransaction', { idTag: 'T' })).resolves.toEqualTypeOf<RemoteStartTransactionResponse>();
    expectTypeOf(station.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'M' })).resolves.toEqualTypeOf<BootNotificationResponse>();
    expectTypeOf(station.call('ocpp2.0.1', 'Heartbeat', {})).resolves.toHaveProperty('currentTime').toEqualTypeOf<string>();
  });

  it('rejects wrong fields, missing fields and wrong enum values', () => {
    // @ts-expect-error idTag is required
    void csms.call('ocpp1.6', 'RemoteStartTransaction', {});
    // @ts-expect-error unknown field
    void csms.call('ocpp1.6', 'RemoteStartTransaction', { idTag: 'T', bogus: 1 });
    // @ts-expect-error not a Reset type
    void csms.call('ocpp1.6', 'Reset', { type: 'Medium' });
    // @ts-expect-error unknown protocol
    void csms.call('ocpp9', 'Reset', { type: 'Hard' });
  });

  it('only allows actions this side may send', () => {
    // @ts-expect-error BootNotification is sent by the charging station
    void csms.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'M' });
    // @ts-expect-error RemoteStartTransaction is sent by the CSMS
    void station.call('ocpp1.6', 'RemoteStartTransaction', { idTag: 'T' });
    // DataTransfer goes both ways
    void csms.call('ocpp1.6', 'DataTransfer', { vendorId: 'acme' });
    void station.call('ocpp1.6', 'DataTransfer', { vendorId: 'acme' });
    // @ts-expect-error a SEND-only message cannot be called
    void station.call('ocpp2.1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: now, data: [{ t: 0, v: '1' }] });
  });
});

describe('typed facade: handle', () => {
  it('types the handler context and keeps literal results from widening', () => {
    csms.handle('ocpp1.6', 'BootNotification', ({ params, messageId, signal }) => {
      expectTypeOf(params).toEqualTypeOf<BootNotificationRequest>();
      expectTypeOf(messageId).toEqualTypeOf<string>();
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return { status: 'Accepted', currentTime: now, interval: 300 };
    });
    csms.handle('ocpp1.6', 'Heartbeat', async () => ({ currentTime: now }));
    csms.handle('ocpp1.6', 'Authorize', ({ reply }) => {
      setTimeout(() => reply({ idTagInfo: { status: 'Accepted' } }), 1);
      return NOREPLY;
    });
  });

  it('rejects invalid results and actions of the wrong direction', () => {
    // @ts-expect-error 'Maybe' is not a registration status
    csms.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Maybe', currentTime: now, interval: 300 }));
    // @ts-expect-error the CSMS does not receive RemoteStartTransaction
    csms.handle('ocpp1.6', 'RemoteStartTransaction', () => ({ status: 'Accepted' }));
    station.handle('ocpp1.6', 'RemoteStartTransaction', () => ({ status: 'Accepted' }));
    // @ts-expect-error reply() is typed too
    csms.handle('ocpp1.6', 'Heartbeat', ({ reply }) => (reply({ currentTime: 5 }), NOREPLY));
  });

  it('has an untyped wildcard handler', () => {
    csms.handle(({ action, params }) => {
      expectTypeOf(action).toEqualTypeOf<string>();
      expectTypeOf(params).toEqualTypeOf<unknown>();
      return {};
    });
  });
});

describe('typed facade: send, raw calls and vendor maps', () => {
  it('SEND handlers are registered like CALL handlers and return nothing (or NOREPLY)', () => {
    csms.handle('ocpp2.1', 'NotifyPeriodicEventStream', ({ params }) => {
      expectTypeOf(params.basetime).toEqualTypeOf<string>();
    });
    csms.handle('ocpp2.1', 'NotifyPeriodicEventStream', async () => undefined);
    csms.handle('ocpp2.1', 'NotifyPeriodicEventStream', () => NOREPLY);
    // @ts-expect-error a SEND is never answered: there is no response payload to return
    csms.handle('ocpp2.1', 'NotifyPeriodicEventStream', () => ({ status: 'Accepted' }));
  });

  it('send() accepts only SEND-only actions of this side', () => {
    station.send('ocpp2.1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: now, data: [{ t: 0, v: '1' }] });
    // @ts-expect-error Heartbeat is a CALL
    station.send('ocpp2.1', 'Heartbeat', {});
    // @ts-expect-error the CSMS does not emit NotifyPeriodicEventStream
    csms.send('ocpp2.1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: now, data: [{ t: 0, v: '1' }] });
  });

  it('callRaw is untyped', () => {
    expectTypeOf(csms.callRaw('Anything', { x: 1 })).resolves.toEqualTypeOf<unknown>();
  });

  it('accepts vendor protocols intersected with the standard maps', () => {
    type Vendor = OcppProtocols & {
      'acme1.0': { Ping: { request: { n: number }; response: { n: number }; origin: 'CSMS' } };
    };
    const vendor = new RpcEndpoint<'CSMS', Vendor>({ side: 'CSMS', protocol: 'acme1.0', strictMode: false });
    expectTypeOf(vendor.call('acme1.0', 'Ping', { n: 1 })).resolves.toEqualTypeOf<{ n: number }>();
    // @ts-expect-error n must be a number
    void vendor.call('acme1.0', 'Ping', { n: '1' });
  });

  it('infers the side from the options and implements OcppPeer', () => {
    const inferred = new RpcEndpoint({ side: 'ChargingStation' });
    expectTypeOf(inferred).toEqualTypeOf<RpcEndpoint<'ChargingStation'>>();
    expectTypeOf(csms).toExtend<OcppPeer<'CSMS'>>();
  });
});

describe('typed events', () => {
  it('types each event payload', () => {
    csms.on('callError', (e) => {
      expectTypeOf(e.error.code).toEqualTypeOf<import('@chargewire/ocpp-types').RpcErrorCode>();
      expectTypeOf(e.direction).toEqualTypeOf<'in' | 'out'>();
    });
    csms.on('badMessage', (e) => expectTypeOf(e.frame).toEqualTypeOf<string>());
    csms.on('close', (e) => expectTypeOf(e).toEqualTypeOf<{ code: number; reason: string }>());
    // @ts-expect-error not an event of RpcEndpoint
    csms.on('message', () => undefined);
  });
});
