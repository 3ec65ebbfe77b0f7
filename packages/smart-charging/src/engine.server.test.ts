import { OCPPClient } from '@chargewire/client';
import { InMemoryAdapter, InMemoryCluster, OCPPServer } from '@chargewire/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from './dispatchTypes.js';
import { SmartChargingEngine } from './engine.js';
import { ChargerNotConnectedError, sendThroughServer } from './sendThroughServer.js';

// The engine on one node of a cluster, the chargers connected to the other: profiles travel through
// findClient() and the cluster adapter, over real sockets.
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function node(cluster: InMemoryCluster, nodeId: string): Promise<{ server: OCPPServer; url: string }> {
  const server = new OCPPServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], adapter: new InMemoryAdapter({ cluster }), nodeId });
  const { port } = await server.listen(0, '127.0.0.1');
  closers.push(() => server.close());
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

describe('SmartChargingEngine through an OCPPServer cluster', () => {
  it('delivers profiles to chargers on another node; a rejecting, a silent and an absent charger fail alone', async () => {
    const cluster = new InMemoryCluster();
    const a = await node(cluster, 'node-a');
    const b = await node(cluster, 'node-b');
    const received = new Map<string, unknown>();
    const connect = async (identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', answer: 'Accepted' | 'Rejected' | 'never'): Promise<void> => {
      const client = new OCPPClient({ endpoint: b.url, identity, protocols: [protocol], reconnect: false });
      const handler = ({ params }: { params: unknown }) => {
        received.set(identity, params);
        return answer === 'never' ? new Promise<never>(() => undefined) : { status: answer };
      };
      if (protocol === 'ocpp1.6') client.handle('ocpp1.6', 'SetChargingProfile', handler as never);
      else client.handle('ocpp2.0.1', 'SetChargingProfile', handler as never);
      await client.connect();
      closers.push(() => client.close({ force: true }));
      while (!cluster.presence.has(identity)) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await connect('CP-16', 'ocpp1.6', 'Accepted');
    await connect('CP-201', 'ocpp2.0.1', 'Accepted');
    await connect('CP-NO', 'ocpp1.6', 'Rejected');
    await connect('CP-SILENT', 'ocpp1.6', 'never');

    const engine = new SmartChargingEngine({ site: { id: 'site', maxKw: 100 }, send: sendThroughServer(a.server), timeoutMs: 2_000, debounceMs: 5, reevaluateMs: 0 });
    closers.push(() => engine.close());
    const outcomes: CommandOutcome[] = [];
    engine.on('applied', (o) => outcomes.push(o));
    engine.on('failed', (o) => outcomes.push(o));
    engine.startSession({ id: 'tx-16', chargerId: 'CP-16', protocol: 'ocpp1.6', transactionId: 16 });
    engine.startSession({ id: 'tx-201', chargerId: 'CP-201', protocol: 'ocpp2.0.1', transactionId: 'a1b2', connectorId: 2 });
    engine.startSession({ id: 'tx-no', chargerId: 'CP-NO', protocol: 'ocpp1.6', transactionId: 3 });
    engine.startSession({ id: 'tx-silent', chargerId: 'CP-SILENT', protocol: 'ocpp1.6', transactionId: 4 });
    engine.startSession({ id: 'tx-gone', chargerId: 'CP-GONE', protocol: 'ocpp1.6', transactionId: 5 });
    await engine.idle();

    const byCharger = Object.fromEntries(outcomes.map((o) => [o.command.chargerId, o]));
    expect(byCharger['CP-16']).toMatchObject({ ok: true, status: 'Accepted' });
    expect(byCharger['CP-201']).toMatchObject({ ok: true, status: 'Accepted' });
    expect(byCharger['CP-NO']).toMatchObject({ ok: false, reason: 'rejected', status: 'Rejected' });
    expect(byCharger['CP-SILENT']).toMatchObject({ ok: false, reason: 'timeout' });
    expect(byCharger['CP-GONE']).toMatchObject({ ok: false, reason: 'error' });
    expect(byCharger['CP-GONE']?.error).toBeInstanceOf(ChargerNotConnectedError);

    // 100 kW less the worst case of the three that failed (32 A each), shared by the two that answered.
    const each = Math.floor(((100_000 - 3 * 32 * 690) / 2 / 690) * 10) / 10;
    expect(received.get('CP-16')).toMatchObject({
      connectorId: 1,
      csChargingProfiles: { transactionId: 16, chargingProfilePurpose: 'TxProfile', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: each, numberPhases: 3 }] } },
    });
    expect(received.get('CP-201')).toMatchObject({
      evseId: 2,
      chargingProfile: { id: 1002, transactionId: 'a1b2', chargingSchedule: [{ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: each }] }] },
    });
  });
});
