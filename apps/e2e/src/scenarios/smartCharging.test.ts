import { Simulator } from '@chargewire/cli';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { SmartChargingEngine, sendThroughServer, type CommandOutcome } from '@chargewire/smart-charging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Scenario 6: site load management. A CSMS built from OCPPServer and the smart-charging engine keeps a
// 30 kW site under its limit while three simulated 22 kW chargers (two 1.6, one 2.0.1: the CLI
// simulator, which limits its current by the charging profiles it receives) start and stop transactions.
const SITE_LIMIT_W = 30_000;
const now = () => new Date().toISOString();

let server: OCPPServer;
let engine: SmartChargingEngine;
let endpoint: string;
const simulators: Simulator[] = [];
/** Latest Power.Active.Import each charger reported, W. */
const reported = new Map<string, number>();
const failures: CommandOutcome[] = [];
let nextTransactionId = 1;

/** The power reading of a MeterValues / TransactionEvent meterValue list (1.6 values are strings). */
function powerOf(meterValue: ReadonlyArray<{ sampledValue: ReadonlyArray<{ measurand?: string; value: string | number }> }> | undefined): number | undefined {
  const sample = meterValue?.flatMap((m) => m.sampledValue).find((s) => s.measurand === 'Power.Active.Import');
  return sample === undefined ? undefined : Number(sample.value);
}

function record(client: ServerClient, sessionId: string | undefined, watts: number | undefined): void {
  if (watts === undefined) return;
  reported.set(client.identity, watts);
  if (sessionId !== undefined) engine.meter(sessionId, { watts });
}

beforeAll(async () => {
  server = new OCPPServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });
  engine = new SmartChargingEngine({ site: { id: 'site', maxKw: SITE_LIMIT_W / 1000 }, send: sendThroughServer(server), timeoutMs: 5_000, debounceMs: 20 });
  engine.on('failed', (outcome) => failures.push(outcome));
  server.on('client', (client: ServerClient) => {
    const boot = () => ({ status: 'Accepted' as const, currentTime: now(), interval: 300 });
    client.handle('ocpp1.6', 'BootNotification', boot);
    client.handle('ocpp1.6', 'StatusNotification', () => ({}));
    client.handle('ocpp1.6', 'Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    client.handle('ocpp1.6', 'StartTransaction', ({ params }) => {
      const transactionId = nextTransactionId++;
      engine.startSession({ id: String(transactionId), chargerId: client.identity, connectorId: params.connectorId, protocol: 'ocpp1.6', transactionId, arrival: Date.now() });
      return { transactionId, idTagInfo: { status: 'Accepted' } };
    });
    client.handle('ocpp1.6', 'MeterValues', ({ params }) => (record(client, params.transactionId === undefined ? undefined : String(params.transactionId), powerOf(params.meterValue)), {}));
    client.handle('ocpp1.6', 'StopTransaction', ({ params }) => (engine.stopSession(String(params.transactionId)), {}));

    client.handle('ocpp2.0.1', 'BootNotification', boot);
    client.handle('ocpp2.0.1', 'StatusNotification', () => ({}));
    client.handle('ocpp2.0.1', 'Authorize', () => ({ idTokenInfo: { status: 'Accepted' } }));
    client.handle('ocpp2.0.1', 'TransactionEvent', ({ params }) => {
      const id = params.transactionInfo.transactionId;
      if (params.eventType === 'Started') {
        engine.startSession({ id, chargerId: client.identity, connectorId: params.evse?.id ?? 1, protocol: 'ocpp2.0.1', transactionId: id, arrival: Date.now() });
      } else if (params.eventType === 'Ended') {
        engine.stopSession(id);
      } else {
        record(client, id, powerOf(params.meterValue));
      }
      return params.eventType === 'Started' ? { idTokenInfo: { status: 'Accepted' } } : {};
    });
  });
  const address = await server.listen(0, '127.0.0.1');
  endpoint = `ws://127.0.0.1:${address.port}/ocpp`;
});

afterAll(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await engine?.close();
  await server?.close();
});

/** Every running charger sends one meter reading; returns the sum of the power they report, W. */
async function meterAll(): Promise<number> {
  for (const sim of simulators) if (sim.connectors[0]?.transactionId !== undefined) expect((await sim.meter(1, 10)).ok).toBe(true);
  return simulators.filter((s) => s.connectors[0]?.transactionId !== undefined).reduce((sum, s) => sum + (reported.get(s.identity) ?? 0), 0);
}

describe('smart charging: a 30 kW site with three 22 kW chargers', () => {
  it('settles the reported power under the site limit, and raises the others when one stops', async () => {
    const setups: Array<['ocpp1.6' | 'ocpp2.0.1', string]> = [['ocpp1.6', 'SMART-1'], ['ocpp1.6', 'SMART-2'], ['ocpp2.0.1', 'SMART-3']];
    for (const [protocol, identity] of setups) {
      const sim = new Simulator({ endpoint, identity, protocol });
      simulators.push(sim);
      expect((await sim.connect()).ok).toBe(true);
      expect((await sim.boot()).ok).toBe(true);
    }
    // Unlimited, each simulated charger draws its hardware maximum: 32 A on three phases, about 22 kW.
    for (const sim of simulators) {
      expect((await sim.plug(1)).ok).toBe(true);
      expect((await sim.start(1, 'TAG-SMART')).ok).toBe(true);
    }
    await engine.idle();
    await Promise.all(simulators.map((s) => s.idle()));
    expect(failures).toEqual([]);

    const total = await meterAll();
    expect(total).toBeLessThanOrEqual(SITE_LIMIT_W);
    // Nothing is left unused: the three shares add up to the limit, less the 0.1 A rounding of the profiles.
    expect(total).toBeGreaterThan(SITE_LIMIT_W * 0.97);
    const before = new Map(simulators.map((s) => [s.identity, reported.get(s.identity) ?? 0]));
    for (const watts of before.values()) expect(watts).toBeLessThan(11_000);

    // One car leaves: the other two rise to half of the site each.
    const [leaving, ...staying] = simulators as [Simulator, ...Simulator[]];
    expect((await leaving.stop(1)).ok).toBe(true);
    await engine.idle();
    await Promise.all(staying.map((s) => s.idle()));
    const after = await meterAll();
    expect(after).toBeLessThanOrEqual(SITE_LIMIT_W);
    for (const sim of staying) {
      const watts = reported.get(sim.identity) ?? 0;
      expect(watts).toBeGreaterThan((before.get(sim.identity) ?? 0) * 1.4);
      expect(watts).toBeLessThanOrEqual(SITE_LIMIT_W / 2);
    }
    expect(engine.allocation?.sessions).toHaveLength(2);
    expect(failures).toEqual([]);
  });
});
