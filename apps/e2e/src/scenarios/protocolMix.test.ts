import { OCPPClient } from '@chargewire/client';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Scenario 4: 1.6, 2.0.1 and 2.1 chargers at once on one strict server, each speaking its own version.
const now = () => new Date().toISOString();
let server: OCPPServer;
let base: string;
const received: Array<{ identity: string; protocol: string; action: string }> = [];

function record(client: ServerClient, action: string): void {
  received.push({ identity: client.identity, protocol: client.protocol ?? '', action });
}

beforeAll(async () => {
  server = new OCPPServer({ protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'], strictMode: true });
  server.on('client', (client: ServerClient) => {
    // 1.6
    client.handle('ocpp1.6', 'BootNotification', () => (record(client, 'BootNotification'), { status: 'Accepted', currentTime: now(), interval: 60 }));
    client.handle('ocpp1.6', 'StartTransaction', ({ params }) => (record(client, 'StartTransaction'), { transactionId: params.meterStart + 7, idTagInfo: { status: 'Accepted' } }));
    client.handle('ocpp1.6', 'StopTransaction', () => (record(client, 'StopTransaction'), {}));
    // 2.0.1 and 2.1 share the message names; each handler is registered for its own version.
    for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
      client.handle(protocol, 'BootNotification', () => (record(client, 'BootNotification'), { status: 'Accepted', currentTime: now(), interval: 60 }));
      client.handle(protocol, 'TransactionEvent', ({ params }) => (record(client, `TransactionEvent.${params.eventType}`), {}));
    }
  });
  const address = await server.listen(0, '127.0.0.1');
  base = `ws://127.0.0.1:${address.port}/ocpp`;
});

afterAll(async () => {
  await server.close();
});

describe('protocol mix on one strict server', () => {
  it('serves a 1.6, a 2.0.1 and a 2.1 charger at the same time', async () => {
    const cp16 = new OCPPClient({ endpoint: base, identity: 'MIX-16', protocols: ['ocpp1.6'], reconnect: false, strictMode: { outboundRequests: false } });
    const cp201 = new OCPPClient({ endpoint: base, identity: 'MIX-201', protocols: ['ocpp2.0.1'], reconnect: false });
    const cp21 = new OCPPClient({ endpoint: base, identity: 'MIX-21', protocols: ['ocpp2.1'], reconnect: false });
    expect(await Promise.all([cp16.connect(), cp201.connect(), cp21.connect()])).toEqual(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
    expect(server.stats().connections.byProtocol).toMatchObject({ 'ocpp1.6': 1, 'ocpp2.0.1': 1, 'ocpp2.1': 1 });

    const run16 = async () => {
      const boot = await cp16.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      const start = await cp16.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 100, timestamp: now() });
      await cp16.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 900, timestamp: now() });
      return [boot.status, start.transactionId];
    };
    const run2x = async (cp: OCPPClient, protocol: 'ocpp2.0.1' | 'ocpp2.1') => {
      const boot = await cp.call(protocol, 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
      for (const [eventType, seqNo] of [['Started', 0], ['Updated', 1], ['Ended', 2]] as const) {
        await cp.call(protocol, 'TransactionEvent', {
          eventType,
          seqNo,
          timestamp: now(),
          triggerReason: eventType === 'Started' ? 'Authorized' : eventType === 'Ended' ? 'StopAuthorized' : 'MeterValuePeriodic',
          transactionInfo: { transactionId: `${protocol}-tx` },
        });
      }
      return boot.status;
    };
    const [r16, r201, r21] = await Promise.all([run16(), run2x(cp201, 'ocpp2.0.1'), run2x(cp21, 'ocpp2.1')]);
    expect(r16).toEqual(['Accepted', 107]);
    expect(r201).toBe('Accepted');
    expect(r21).toBe('Accepted');

    const by = (identity: string) => received.filter((r) => r.identity === identity).map((r) => `${r.protocol}:${r.action}`);
    expect(by('MIX-16')).toEqual(['ocpp1.6:BootNotification', 'ocpp1.6:StartTransaction', 'ocpp1.6:StopTransaction']);
    for (const [identity, protocol] of [['MIX-201', 'ocpp2.0.1'], ['MIX-21', 'ocpp2.1']] as const) {
      expect(by(identity)).toEqual([
        `${protocol}:BootNotification`,
        `${protocol}:TransactionEvent.Started`,
        `${protocol}:TransactionEvent.Updated`,
        `${protocol}:TransactionEvent.Ended`,
      ]);
    }

    // Strict mode holds per version: a 2.0.1 message shape from the 1.6 charger is refused by validation.
    await expect(
      cp16.callRaw('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }),
    ).rejects.toMatchObject({ code: 'OccurrenceConstraintViolation' });
    expect(server.stats().badMessages).toBe(0);
    await Promise.all([cp16.close(), cp201.close(), cp21.close()]);
  });
});
