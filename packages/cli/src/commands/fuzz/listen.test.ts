import { describe, expect, it } from 'vitest';
import { OCPPClient } from '@chargewire/client';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { Simulator } from '../simulate/simulator.js';
import { listenForCharger } from './listenSource.js';
import { runFuzz, type FuzzReport } from './runFuzz.js';

describe('chargewire fuzz --listen: the fuzzer plays the CSMS', () => {
  it('fuzzes `chargewire simulate` with every CSMS→charger action and frame category', async () => {
    const io = bufferIo();
    const run = runCli(['fuzz', '--listen', '0', '--json', '-p', 'ocpp1.6', '--seed', '9', '--runs', '2', '--deadline', '3000'], io);
    const [, port] = await io.waitForErr(/waiting for a charger on ws:\/\/127\.0\.0\.1:(\d+)/);
    const sim = new Simulator({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: 'SIM-FUZZ', protocol: 'ocpp1.6', connectors: 2 });
    try {
      expect((await sim.connect()).ok).toBe(true);
      const code = await run;
      const report = JSON.parse(io.stdout) as FuzzReport;
      expect(report.direction).toBe('toCharger');
      const names = report.categories.map((c) => c.name);
      for (const action of ['RemoteStartTransaction', 'Reset', 'GetConfiguration', 'SetChargingProfile', 'InstallCertificate', 'ExtendedTriggerMessage']) {
        expect(names).toContain(action);
      }
      expect(names).not.toContain('BootNotification');
      expect(names).toContain('invalid-json');
      expect(report.findings).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await sim.close();
    }
  }, 45_000); // every Reset makes the simulator reboot and reconnect with its back-off

  it('finds a crashing handler of a charger built on @chargewire/client, shrunk to the optional field', async () => {
    const listening = await listenForCharger({ port: 0, protocol: 'ocpp2.0.1' });
    const client = new OCPPClient({ endpoint: `ws://127.0.0.1:${listening.address.port}/ocpp`, identity: 'CLIENT-FUZZ', protocols: ['ocpp2.0.1'], reconnect: true });
    // Crashes when the optional evseId is absent.
    client.handle('ocpp2.0.1', 'RequestStartTransaction', ({ params }) => ({ status: params.evseId!.toFixed() === '0' ? 'Rejected' : 'Accepted' }));
    client.handle('ocpp2.0.1', 'GetVariables', ({ params }) => ({
      getVariableResult: params.getVariableData.map((d) => ({ attributeStatus: 'UnknownVariable' as const, component: d.component, variable: d.variable })),
    }));
    try {
      const [report] = await Promise.all([
        runFuzz({
          source: listening,
          target: 'listen',
          protocol: 'ocpp2.0.1',
          direction: 'toCharger',
          seed: 4,
          runs: 40,
          connections: 1,
          badFrameBudget: Infinity,
          only: ['RequestStartTransaction', 'GetVariables', 'Reset', 'bad-arity'],
        }),
        client.connect(),
      ]);
      expect(report.findings.map((f) => `${f.category}:${f.kind}`)).toEqual(['RequestStartTransaction:crash']);
      const payload = (JSON.parse(report.findings[0]?.frame ?? '[]') as unknown[])[3] as Record<string, unknown>;
      expect(Object.keys(payload).sort()).toEqual(['idToken', 'remoteStartId']);
    } finally {
      await client.close({ force: true });
      await listening.close();
    }
  });
});
