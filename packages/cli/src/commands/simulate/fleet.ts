import { FLEET_PER_MESSAGE_DEFLATE } from '@chargewire/client';
import { fleetIdentity } from '../../net/endpoint.js';
import { runScript, type ScriptResult } from './runScript.js';
import type { ScriptStep } from './scenario.js';
import { Simulator, type SimulatorOptions } from './simulator.js';

/** One charger's line in the fleet summary. */
export interface FleetRow {
  identity: string;
  state: string;
  booted: boolean;
  sent: number;
  received: number;
  failures: number;
  /** Script steps that succeeded / were run (script mode). */
  steps?: { ok: number; total: number };
  /** The last failure, if any. */
  problem?: string;
}

/**
 * N simulators named `ID-1` … `ID-N`. They offer compression without context takeover: one process holds them
 * all, and a context-takeover compressor costs about 256 KB per connection.
 */
export function createFleet(options: SimulatorOptions, count: number): Simulator[] {
  return Array.from(
    { length: count },
    (_, i) => new Simulator({ perMessageDeflate: FLEET_PER_MESSAGE_DEFLATE, ...options, identity: fleetIdentity(options.identity, i + 1) }),
  );
}

/** The summary row of one simulator. */
export function fleetRow(sim: Simulator, script?: ScriptResult, total?: number): FleetRow {
  const failed = script?.steps.find((s) => !s.ok);
  const errorLine = [...sim.log].reverse().find((l) => l.kind === 'error');
  return {
    identity: sim.identity,
    state: sim.state,
    booted: sim.booted,
    sent: sim.stats.sent,
    received: sim.stats.received,
    failures: sim.stats.failures,
    ...(script ? { steps: { ok: script.steps.filter((s) => s.ok).length, total: total ?? script.steps.length } } : {}),
    ...(failed ? { problem: `${failed.text}: ${failed.detail}` } : errorLine ? { problem: errorLine.text } : {}),
  };
}

/** Connects every simulator (all at once) and runs the script on each; resolves with one result per charger. */
export async function runFleetScript(fleet: readonly Simulator[], steps: readonly ScriptStep[]): Promise<ScriptResult[]> {
  return Promise.all(
    fleet.map(async (sim) => {
      const connected = await sim.connect();
      if (!connected.ok) return { ok: false, steps: [{ text: 'connect', ok: false, detail: connected.detail }] };
      const result = await runScript(sim, steps);
      await sim.close();
      return result;
    }),
  );
}
