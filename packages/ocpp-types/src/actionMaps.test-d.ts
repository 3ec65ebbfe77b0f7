import { describe, expectTypeOf, it } from 'vitest';
import type {
  AuthorizationStatus,
  BootNotificationRequest as Boot16,
  ChargePointStatus,
  ChargingProfile,
  IdTagInfo,
  MeterValue,
  RemoteStartStopStatus,
} from '@chargewire/ocpp-types/ocpp1.6';
import type { RequestStartTransactionRequest } from '@chargewire/ocpp-types/ocpp2.0.1';
import type { NotifyPeriodicEventStreamRequest } from '@chargewire/ocpp-types/ocpp2.1';
import type {
  ActionMap,
  ActionOf,
  InboundActionOf,
  Ocpp16,
  Ocpp16Actions,
  Ocpp201Actions,
  Ocpp21Actions,
  OcppProtocols,
  OutboundActionOf,
  ProtocolMap,
  RequestOf,
  ResponseOf,
  SendActionOf,
} from './index.js';
import { exampleFor } from './examples.js';

describe('action map types', () => {
  it('1.6 RemoteStartTransaction has idTag, not idToken; 2.0.1 RequestStartTransaction has idToken', () => {
    type Rst16 = RequestOf<'ocpp1.6', 'RemoteStartTransaction'>;
    expectTypeOf<Rst16>().toHaveProperty('idTag');
    expectTypeOf<Rst16['idTag']>().toEqualTypeOf<string>();
    expectTypeOf<Rst16>().not.toHaveProperty('idToken');
    expectTypeOf<RequestOf<'ocpp2.0.1', 'RequestStartTransaction'>>().toHaveProperty('idToken');
    expectTypeOf<RequestOf<'ocpp2.0.1', 'RequestStartTransaction'>>().toEqualTypeOf<RequestStartTransactionRequest>();
    // @ts-expect-error RemoteStartTransaction does not exist in 2.0.1
    type _Missing = RequestOf<'ocpp2.0.1', 'RemoteStartTransaction'>;
  });

  it('makes a wrong enum literal a compile error', () => {
    const ok: RequestOf<'ocpp1.6', 'ChangeAvailability'> = { connectorId: 0, type: 'Inoperative' };
    // @ts-expect-error 'Broken' is not an AvailabilityType
    const bad: RequestOf<'ocpp1.6', 'ChangeAvailability'> = { connectorId: 0, type: 'Broken' };
    const status: ResponseOf<'ocpp2.0.1', 'BootNotification'>['status'] = 'Accepted';
    // @ts-expect-error 2.0.1 RegistrationStatusEnumType has no 'Refused'
    const wrong: ResponseOf<'ocpp2.0.1', 'BootNotification'>['status'] = 'Refused';
    // @ts-expect-error unknown property on a closed payload
    const extra: RequestOf<'ocpp1.6', 'Heartbeat'> = { unexpected: 1 };
    void [ok, bad, status, wrong, extra];
  });

  it('satisfies the generic map contracts', () => {
    expectTypeOf<Ocpp16Actions>().toExtend<ActionMap>();
    expectTypeOf<Ocpp201Actions>().toExtend<ActionMap>();
    expectTypeOf<Ocpp21Actions>().toExtend<ActionMap>();
    expectTypeOf<OcppProtocols>().toExtend<ProtocolMap>();
    expectTypeOf<Ocpp16Actions['DataTransfer']['origin']>().toEqualTypeOf<'ChargingStation' | 'CSMS'>();
    expectTypeOf<Ocpp16.BootNotificationRequest>().toEqualTypeOf<Boot16>();
    expectTypeOf<Boot16>().toHaveProperty('chargePointVendor');
  });

  it('filters actions by side', () => {
    expectTypeOf<'RemoteStartTransaction'>().toExtend<OutboundActionOf<'ocpp1.6', 'CSMS'>>();
    expectTypeOf<'DataTransfer'>().toExtend<OutboundActionOf<'ocpp1.6', 'CSMS'>>();
    expectTypeOf<'BootNotification'>().not.toExtend<OutboundActionOf<'ocpp1.6', 'CSMS'>>();
    expectTypeOf<'BootNotification'>().toExtend<InboundActionOf<'ocpp1.6', 'CSMS'>>();
    expectTypeOf<'BootNotification'>().toExtend<OutboundActionOf<'ocpp2.0.1', 'ChargingStation'>>();
    expectTypeOf<'RequestStartTransaction'>().toExtend<InboundActionOf<'ocpp2.0.1', 'ChargingStation'>>();
    expectTypeOf<'DataTransfer'>().toExtend<InboundActionOf<'ocpp2.0.1', 'ChargingStation'>>();
  });

  it('treats 2.1 NotifyPeriodicEventStream as a SEND from the station', () => {
    expectTypeOf<SendActionOf<'ocpp2.1', 'ChargingStation'>>().toEqualTypeOf<'NotifyPeriodicEventStream'>();
    expectTypeOf<SendActionOf<'ocpp2.1', 'CSMS'>>().toBeNever();
    expectTypeOf<SendActionOf<'ocpp1.6', 'ChargingStation'>>().toBeNever();
    expectTypeOf<'NotifyPeriodicEventStream'>().not.toExtend<OutboundActionOf<'ocpp2.1', 'ChargingStation'>>();
    expectTypeOf<'NotifyPeriodicEventStream'>().toExtend<InboundActionOf<'ocpp2.1', 'CSMS'>>();
    expectTypeOf<ResponseOf<'ocpp2.1', 'NotifyPeriodicEventStream'>>().toBeNever();
    expectTypeOf<RequestOf<'ocpp2.1', 'NotifyPeriodicEventStream'>>().toEqualTypeOf<NotifyPeriodicEventStreamRequest>();
  });

  it('names the inline 1.6 object and enum types after the specification', () => {
    expectTypeOf<RequestOf<'ocpp1.6', 'MeterValues'>['meterValue'][number]>().toEqualTypeOf<MeterValue>();
    expectTypeOf<RequestOf<'ocpp1.6', 'StopTransaction'>['transactionData']>().toEqualTypeOf<MeterValue[] | undefined>();
    expectTypeOf<ResponseOf<'ocpp1.6', 'Authorize'>['idTagInfo']>().toEqualTypeOf<IdTagInfo>();
    expectTypeOf<RequestOf<'ocpp1.6', 'SetChargingProfile'>['csChargingProfiles']>().toEqualTypeOf<ChargingProfile>();
    expectTypeOf<RequestOf<'ocpp1.6', 'RemoteStartTransaction'>['chargingProfile']>().toEqualTypeOf<ChargingProfile | undefined>();
    expectTypeOf<IdTagInfo['status']>().toEqualTypeOf<AuthorizationStatus>();
    expectTypeOf<AuthorizationStatus>().toEqualTypeOf<'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx'>();
    expectTypeOf<RequestOf<'ocpp1.6', 'StatusNotification'>['status']>().toEqualTypeOf<ChargePointStatus>();
    expectTypeOf<'SuspendedEVSE'>().toExtend<ChargePointStatus>();
    expectTypeOf<ResponseOf<'ocpp1.6', 'RemoteStopTransaction'>['status']>().toEqualTypeOf<RemoteStartStopStatus>();
  });

  it('accepts vendor protocols by intersection', () => {
    type Vendor = OcppProtocols & {
      'acme1.0': { Ping: { request: { n: number }; response: { n: number }; origin: 'CSMS' } };
    };
    expectTypeOf<RequestOf<'acme1.0', 'Ping', Vendor>>().toEqualTypeOf<{ n: number }>();
    expectTypeOf<ActionOf<'acme1.0', Vendor>>().toEqualTypeOf<'Ping'>();
    expectTypeOf<OutboundActionOf<'acme1.0', 'CSMS', Vendor>>().toEqualTypeOf<'Ping'>();
    expectTypeOf<RequestOf<'ocpp1.6', 'Heartbeat', Vendor>>().toEqualTypeOf<RequestOf<'ocpp1.6', 'Heartbeat'>>();
  });

  it('types schema-derived examples', () => {
    expectTypeOf(exampleFor('ocpp2.1', 'BootNotification', 'response')).toEqualTypeOf<ResponseOf<'ocpp2.1', 'BootNotification'>>();
  });
});
