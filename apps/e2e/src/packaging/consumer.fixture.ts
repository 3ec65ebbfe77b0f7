// A TypeScript consumer compiled (strict) against the packed tarballs, outside the workspace.
// It proves the published `exports`, types and dependencies work for an npm user.
import { OCPPServer } from '@chargewire/server';
import { OCPPClient } from '@chargewire/client';
import type { RequestOf } from '@chargewire/ocpp-types';
import type { BootNotificationResponse } from '@chargewire/ocpp-types/ocpp1.6';

const server = new OCPPServer({ protocols: ['ocpp1.6'] });
server.on('client', (client) => {
  client.handle('ocpp1.6', 'BootNotification', ({ params }) => ({
    status: params.chargePointVendor === 'Acme' ? 'Accepted' : 'Rejected',
    currentTime: new Date().toISOString(),
    interval: 300,
  }));
});
const address = await server.listen(0, '127.0.0.1');
const client = new OCPPClient({
  endpoint: `ws://127.0.0.1:${address.port}/ocpp`,
  identity: 'CP-PACK-1',
  protocols: ['ocpp1.6'],
  reconnect: false,
});
const protocol = await client.connect();
const boot: RequestOf<'ocpp1.6', 'BootNotification'> = { chargePointVendor: 'Acme', chargePointModel: 'Tarball' };
const response: BootNotificationResponse = await client.call('ocpp1.6', 'BootNotification', boot);
console.log(JSON.stringify({ protocol, status: response.status, interval: response.interval }));
await client.close();
await server.close();
