import { describe, expectTypeOf, it } from 'vitest';
import type { OCPPServer, ServerClient, ServerClientHandle } from './index.js';

declare const client: ServerClient;
declare const handle: ServerClientHandle;
declare const server: OCPPServer;

describe('ServerClient typing (CSMS side)', () => {
  it('handles charger-originated actions with typed params and results', () => {
    client.handle('ocpp1.6', 'BootNotification', ({ params }) => {
      expectTypeOf(params.chargePointVendor).toEqualTypeOf<string>();
      return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
    });
    // @ts-expect-error Reset is sent by the CSMS, the server cannot handle it
    client.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    // @ts-expect-error 'Maybe' is not a RegistrationStatus
    client.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Maybe', currentTime: '', interval: 1 }));
  });

  it('calls CSMS-originated actions and gets typed responses', async () => {
    const res = await client.call('ocpp1.6', 'Reset', { type: 'Soft' });
    expectTypeOf(res.status).toEqualTypeOf<'Accepted' | 'Rejected'>();
    // @ts-expect-error BootNotification is sent by the charger
    void client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'x', chargePointModel: 'y' });
    // @ts-expect-error 'Medium' is not a reset type
    void client.call('ocpp1.6', 'Reset', { type: 'Medium' });
  });

  it('a handle (local or remote) calls with the same types', async () => {
    const res = await handle.call('ocpp2.0.1', 'Reset', { type: 'Immediate' });
    expectTypeOf(res.status).toEqualTypeOf<'Accepted' | 'Rejected' | 'Scheduled'>();
    expectTypeOf(client).toExtend<ServerClientHandle>();
  });

  it('server events and lookups are typed', () => {
    server.on('client', (c) => expectTypeOf(c).toEqualTypeOf<ServerClient>());
    expectTypeOf(server.getClient('x')).toEqualTypeOf<ServerClientHandle | undefined>();
    expectTypeOf(server.findClient('x')).toEqualTypeOf<Promise<ServerClientHandle | undefined>>();
  });
});
