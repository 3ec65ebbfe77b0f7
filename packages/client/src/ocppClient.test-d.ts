import type { Ocpp16, Ocpp201, OcppProtocols } from '@chargewire/ocpp-types';
import { describe, expectTypeOf, it } from 'vitest';
import { OCPPClient } from './ocppClient.js';

const client = new OCPPClient({ endpoint: 'ws://127.0.0.1:1/ocpp', identity: 'CP-1', protocols: ['ocpp1.6', 'ocpp2.0.1'] });

describe('OCPPClient typing (charge-point side)', () => {
  it('1.6: calls charger-originated actions with typed params and result', () => {
    const boot = client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1' });
    expectTypeOf(boot).resolves.toEqualTypeOf<Ocpp16.BootNotificationResponse>();
    expectTypeOf(boot).resolves.toHaveProperty('status').toEqualTypeOf<'Accepted' | 'Pending' | 'Rejected'>();
    // @ts-expect-error chargePointModel is required
    void client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME' });
    // @ts-expect-error status values are an enum
    void client.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' });
  });

  it('1.6: cannot call CSMS-originated actions', () => {
    // @ts-expect-error RemoteStartTransaction is sent by the CSMS, not by the charger
    void client.call('ocpp1.6', 'RemoteStartTransaction', { idTag: 'TAG' });
    // @ts-expect-error unknown action
    void client.call('ocpp1.6', 'MakeCoffee', {});
  });

  it('1.6: handles RemoteStartTransaction with typed params and a typed answer', () => {
    client.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => {
      expectTypeOf(params).toEqualTypeOf<Ocpp16.RemoteStartTransactionRequest>();
      expectTypeOf(params.idTag).toEqualTypeOf<string>();
      return { status: 'Accepted' };
    });
    // @ts-expect-error 'Maybe' is not a RemoteStartStopStatus
    client.handle('ocpp1.6', 'RemoteStartTransaction', () => ({ status: 'Maybe' }));
    // @ts-expect-error a charger does not handle BootNotification
    client.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: '', interval: 1 }));
  });

  it('2.0.1: RequestStartTransaction handler params carry idToken', () => {
    client.handle('ocpp2.0.1', 'RequestStartTransaction', ({ params }) => {
      expectTypeOf(params).toEqualTypeOf<Ocpp201.RequestStartTransactionRequest>();
      expectTypeOf(params.idToken).toEqualTypeOf<Ocpp201.IdTokenType>();
      expectTypeOf(params.remoteStartId).toEqualTypeOf<number>();
      return { status: 'Accepted' };
    });
    expectTypeOf(
      client.call('ocpp2.0.1', 'BootNotification', {
        reason: 'PowerUp',
        chargingStation: { model: 'X1', vendorName: 'ACME' },
      }),
    ).resolves.toEqualTypeOf<Ocpp201.BootNotificationResponse>();
    // @ts-expect-error RequestStartTransaction is CSMS-originated
    void client.call('ocpp2.0.1', 'RequestStartTransaction', { idToken: { idToken: 'a', type: 'ISO14443' }, remoteStartId: 1 });
  });

  it('2.1: SEND-only messages go through send(), never call()', () => {
    const client21 = new OCPPClient({ endpoint: 'ws://127.0.0.1:1/ocpp', identity: 'CP-1', protocols: ['ocpp2.1'] });
    client21.send('ocpp2.1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] });
    // @ts-expect-error NotifyPeriodicEventStream is SEND-only: it has no response to wait for
    void client21.call('ocpp2.1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '', data: [] });
    // @ts-expect-error BootNotification is a CALL, not a SEND
    client21.send('ocpp2.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X', vendorName: 'V' } });
  });

  it('handler results are exact (nested too) and handlers get the client as ctx.client', () => {
    client.handle('ocpp1.6', 'RemoteStartTransaction', ({ client: c }) => {
      expectTypeOf(c).toEqualTypeOf<OCPPClient>();
      return { status: 'Accepted' };
    });
    // @ts-expect-error extra is not a property of RemoteStartTransactionResponse
    client.handle('ocpp1.6', 'RemoteStartTransaction', () => ({ status: 'Accepted', extra: 1 }));
    // @ts-expect-error extra inside an element of configurationKey
    client.handle('ocpp1.6', 'GetConfiguration', async () => ({ configurationKey: [{ key: 'k', readonly: true, extra: 1 }] }));
    client.handle('ocpp1.6', 'GetConfiguration', async () => ({ configurationKey: [{ key: 'k', readonly: true, value: 'v' }] }));
  });

  it('DataTransfer goes both ways', () => {
    void client.call('ocpp1.6', 'DataTransfer', { vendorId: 'ACME' });
    client.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
  });

  it('accepts vendor protocol maps', () => {
    type Acme = { 'acme1.0': { Ping: { request: { n: number }; response: { n: number }; origin: 'ChargingStation' } } };
    const vendor = new OCPPClient<OcppProtocols & Acme>({ endpoint: 'ws://h/ocpp', identity: 'CP-1', protocols: ['acme1.0', 'ocpp1.6'] });
    expectTypeOf(vendor.call('acme1.0', 'Ping', { n: 1 })).resolves.toEqualTypeOf<{ n: number }>();
    // @ts-expect-error n must be a number
    void vendor.call('acme1.0', 'Ping', { n: 'one' });
    // @ts-expect-error unknown protocols cannot be offered
    void new OCPPClient({ endpoint: 'ws://h/ocpp', identity: 'CP-1', protocols: ['ocpp9'] });
  });

  it('exposes state, protocol and connect/close shapes', () => {
    expectTypeOf(client.state).toEqualTypeOf<'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'>();
    expectTypeOf(client.protocol).toEqualTypeOf<string | undefined>();
    expectTypeOf(client.connect()).resolves.toEqualTypeOf<string>();
    expectTypeOf(client.close({ code: 1000, awaitPending: true })).resolves.toEqualTypeOf<void>();
    client.on('reconnect', ({ attempt, delayMs }) => {
      expectTypeOf(attempt).toEqualTypeOf<number>();
      expectTypeOf(delayMs).toEqualTypeOf<number>();
    });
  });
});
