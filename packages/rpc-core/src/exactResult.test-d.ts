import { describe, expectTypeOf, it } from 'vitest';
import type { HeartbeatResponse } from '@chargewire/ocpp-types/ocpp1.6';
import type { Exact } from './exactResult.js';
import type { Handler } from './handler.js';
import { NOREPLY } from './noreply.js';
import { RpcEndpoint } from './rpcEndpoint.js';

declare const csms: RpcEndpoint<'CSMS'>;
declare const station: RpcEndpoint<'ChargingStation'>;
declare const flip: boolean;
const now = '2026-01-01T00:00:00Z';

describe('exact handler results', () => {
  it('rejects a property the schema does not declare', () => {
    // @ts-expect-error extra is not a property of HeartbeatResponse
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now, extra: 1 }));
    // @ts-expect-error the same in an async handler
    csms.handle('ocpp1.6', 'Heartbeat', async () => ({ currentTime: now, extra: 1 }));
    // @ts-expect-error the same with a block body
    csms.handle('ocpp2.0.1', 'Heartbeat', () => {
      return { currentTime: now, extra: 1 };
    });
  });

  it('rejects extra properties nested in objects, arrays of objects and union members', () => {
    // @ts-expect-error extra inside idTagInfo
    csms.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Accepted', extra: 1 } }));
    // @ts-expect-error extra inside one element of an array of objects
    station.handle('ocpp1.6', 'GetConfiguration', () => ({ configurationKey: [{ key: 'a', readonly: true }, { key: 'b', readonly: false, extra: 1 }] }));
    // @ts-expect-error extra inside a nested object of an array element (2.0.1)
    station.handle('ocpp2.0.1', 'GetVariables', () => ({
      getVariableResult: [{ attributeStatus: 'Accepted', component: { name: 'X', extra: 1 }, variable: { name: 'Y' } }],
    }));
    // @ts-expect-error extra in one branch of a conditional result
    csms.handle('ocpp1.6', 'StartTransaction', () => (flip ? { transactionId: 1, idTagInfo: { status: 'Accepted' } } : { transactionId: 2, idTagInfo: { status: 'Invalid', bogus: 'p' } }));
    // @ts-expect-error extra next to NOREPLY
    csms.handle('ocpp1.6', 'Heartbeat', () => (flip ? NOREPLY : { currentTime: now, extra: 1 }));
  });

  it('accepts exact results: optional fields, arrays of objects, unions, NOREPLY, typed functions', () => {
    csms.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Accepted', expiryDate: now, parentIdTag: 'P' } }));
    csms.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Blocked' } }));
    station.handle('ocpp1.6', 'GetConfiguration', () => ({ configurationKey: [{ key: 'a', readonly: true, value: '1' }, { key: 'b', readonly: false }], unknownKey: ['c'] }));
    station.handle('ocpp1.6', 'GetConfiguration', () => ({}));
    station.handle('ocpp2.0.1', 'GetVariables', () => ({
      getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '1', component: { name: 'X', evse: { id: 1 } }, variable: { name: 'Y' } }],
    }));
    csms.handle('ocpp1.6', 'StartTransaction', () =>
      flip ? { transactionId: 1, idTagInfo: { status: 'Accepted' } } : { transactionId: 2, idTagInfo: { status: 'Invalid', parentIdTag: 'p' } },
    );
    csms.handle('ocpp1.6', 'Heartbeat', () => (flip ? NOREPLY : { currentTime: now }));
    csms.handle('ocpp1.6', 'Heartbeat', async ({ reply }) => {
      reply({ currentTime: now });
      return NOREPLY;
    });
    // Vendor fields go in customData, whose schema allows any key.
    csms.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now, customData: { vendorId: 'acme', anything: 1 } }));
    // A handler written separately with the declared types is exact by construction.
    const heartbeat: Handler<unknown, HeartbeatResponse> = () => ({ currentTime: now });
    csms.handle('ocpp1.6', 'Heartbeat', heartbeat);
    const fromDeclared = (): HeartbeatResponse => ({ currentTime: now });
    csms.handle('ocpp1.6', 'Heartbeat', fromDeclared);
  });

  it('keeps literal unions from widening and the params typed', () => {
    csms.handle('ocpp1.6', 'BootNotification', ({ params }) => {
      expectTypeOf(params.chargePointVendor).toEqualTypeOf<string>();
      return { status: params.chargePointModel === 'X' ? 'Accepted' : 'Pending', currentTime: now, interval: 300 };
    });
    // @ts-expect-error 'Maybe' is not a RegistrationStatus
    csms.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Maybe', currentTime: now, interval: 300 }));
    // @ts-expect-error a required field is missing
    csms.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now }));
  });

  it('Exact marks excess keys never and keeps declared ones', () => {
    expectTypeOf<Exact<{ a: 1; b: 2 }, { a: number }>>().toEqualTypeOf<{ a: 1; b: never }>();
    expectTypeOf<Exact<{ a: { c: 1 } }, { a?: { c: number } }>>().toEqualTypeOf<{ a: { c: 1 } | undefined }>();
    expectTypeOf<Exact<{ a: { c: 1; d: 2 }[] }, { a: { c: number }[] }>>().toEqualTypeOf<{ a: readonly { c: 1; d: never }[] }>();
  });
});
