import type { CallErrorEvent, StrictValidationFailureEvent } from '@chargewire/rpc-core';
import { describe, expectTypeOf, it } from 'vitest';
import type { OCPPServer, Route, ServerClient } from './index.js';
import type { RouteParams } from './routePattern.js';

declare const server: OCPPServer;
declare const client: ServerClient;
const now = '2026-01-01T00:00:00Z';

describe('route- and server-level handlers share the typing of client.handle', () => {
  it('types the route pattern parameters', () => {
    expectTypeOf<RouteParams<'/api/:version/chargers/:id'>>().toEqualTypeOf<{ readonly version: string; readonly id: string }>();
    expectTypeOf<RouteParams<'/files/*rest'>>().toEqualTypeOf<{ readonly rest: string }>();
    expectTypeOf<RouteParams<'/ocpp'>>().toEqualTypeOf<Record<never, never>>();
    expectTypeOf<RouteParams<string>>().toEqualTypeOf<Readonly<Record<string, string>>>();
    const route = server.route('/api/v1/chargers/:site/:id');
    expectTypeOf(route).toEqualTypeOf<Route<import('@chargewire/ocpp-types').OcppProtocols, { readonly site: string; readonly id: string }>>();
    route.on('client', (c) => {
      expectTypeOf(c.handshake.params.site).toEqualTypeOf<string>();
      // @ts-expect-error not a parameter of this route
      void c.handshake.params.nope;
    });
  });

  it('route.handle: typed params and results, the client (with its route parameters) in the context', () => {
    const route = server.route('/chargers/:id');
    route.handle('ocpp1.6', 'BootNotification', ({ params, client: c }) => {
      expectTypeOf(params.chargePointVendor).toEqualTypeOf<string>();
      expectTypeOf(c.handshake.params.id).toEqualTypeOf<string>();
      expectTypeOf(c.identity).toEqualTypeOf<string>();
      return { status: 'Accepted', currentTime: now, interval: 300 };
    });
    route.handle('ocpp2.0.1', 'Heartbeat', async () => ({ currentTime: now }));
    // @ts-expect-error Reset is sent by the CSMS: a route cannot handle it
    route.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    // @ts-expect-error 'Maybe' is not a RegistrationStatus (the literal did not widen to string)
    route.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Maybe', currentTime: now, interval: 300 }));
    route.handle(({ action, client: c }) => {
      expectTypeOf(action).toEqualTypeOf<string>();
      expectTypeOf(c).toEqualTypeOf<ServerClient<import('@chargewire/ocpp-types').OcppProtocols, unknown, { readonly id: string }>>();
      return {};
    });
  });

  it('server.handle: the same typing, with any client', () => {
    server.handle('ocpp1.6', 'Heartbeat', ({ client: c }) => {
      expectTypeOf(c).toEqualTypeOf<ServerClient>();
      return { currentTime: now };
    });
    // @ts-expect-error not an action of 2.0.1
    server.handle('ocpp2.0.1', 'StartTransaction', () => ({}));
  });

  it('rejects extra properties in results at every level, nested too', () => {
    // @ts-expect-error extra is not a property of HeartbeatResponse
    server.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now, extra: 1 }));
    // @ts-expect-error extra inside idTagInfo
    server.route('/x/:id').handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Accepted', extra: 1 } }));
    // @ts-expect-error extra in an async result
    client.handle('ocpp1.6', 'Heartbeat', async () => ({ currentTime: now, extra: 1 }));
    client.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Accepted', expiryDate: now } }));
  });

  it('types the events a ServerClient forwards', () => {
    client.on('callError', (e) => expectTypeOf(e).toEqualTypeOf<CallErrorEvent>());
    client.on('strictValidationFailure', (e) => expectTypeOf(e).toEqualTypeOf<StrictValidationFailureEvent>());
    client.on('close', ({ code }) => expectTypeOf(code).toEqualTypeOf<number>());
    // @ts-expect-error not an event of ServerClient
    client.on('message', () => undefined);
  });
});
