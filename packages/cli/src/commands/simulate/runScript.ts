import type { Outcome, StopReason } from './drivers/driver.js';
import type { ScriptStep } from './scenario.js';
import type { Simulator } from './simulator.js';

/** What a scenario run produced. */
export interface ScriptResult {
  ok: boolean;
  steps: Array<{ text: string; ok: boolean; detail: string }>;
}

/** Runs one step against the simulator. */
export async function runStep(sim: Simulator, { step }: ScriptStep): Promise<Outcome> {
  switch (step.op) {
    case 'boot':
      return sim.boot();
    case 'heartbeat':
      return sim.heartbeat();
    case 'offline':
      return sim.offline();
    case 'online':
      return sim.online();
    case 'plug':
      return sim.plug(step.connector);
    case 'unplug':
      return sim.unplug(step.connector);
    case 'fault':
      return sim.fault(step.connector);
    case 'clear':
      return sim.clearFault(step.connector);
    case 'tap':
      return sim.tap(step.connector, step.tag);
    case 'start':
      return sim.start(step.connector, step.tag);
    case 'stop':
      return sim.stop(step.connector, (step.reason ?? 'Local') as StopReason);
    case 'meter': {
      let last: Outcome = { ok: true, detail: '' };
      for (let i = 0; i < step.times && last.ok; i++) last = await sim.meter(step.connector);
      return last;
    }
    case 'wait':
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      await sim.idle();
      return { ok: true, detail: `waited ${step.ms} ms` };
    case 'expect': {
      const actual = sim.connector(step.connector)?.status;
      return actual === step.status
        ? { ok: true, detail: `connector ${step.connector} is ${actual}` }
        : { ok: false, detail: `connector ${step.connector} is ${actual}, expected ${step.status}` };
    }
  }
}

/**
 * Runs the steps in order, stopping at the first failure; `onStep` sees each result as it happens.
 * Follow-up work of CSMS commands is awaited after every step, so the log is complete.
 */
export async function runScript(sim: Simulator, steps: readonly ScriptStep[], onStep?: (text: string, outcome: Outcome) => void): Promise<ScriptResult> {
  const results: ScriptResult['steps'] = [];
  for (const s of steps) {
    const outcome = await runStep(sim, s);
    await sim.idle();
    results.push({ text: s.text, ok: outcome.ok, detail: outcome.detail });
    onStep?.(s.text, outcome);
    if (!outcome.ok) return { ok: false, steps: results };
  }
  return { ok: true, steps: results };
}
