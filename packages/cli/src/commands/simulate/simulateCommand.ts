import { existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { CommandContext } from '../../context.js';
import { EndpointError, EXIT_FAILURES, EXIT_OK, UsageError } from '../../exitCodes.js';
import { formatTable, nonNegativeNumber, positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { readTlsFlags, withTlsOptions, type TlsFlags } from '../../net/tlsFiles.js';
import { createFleet, fleetRow, runFleetScript, type FleetRow } from './fleet.js';
import { runScript } from './runScript.js';
import { parseScript, ScriptError, type ScriptStep } from './scenario.js';
import { Simulator, type SimulatorOptions } from './simulator.js';
import { formatLogLine } from './tui/format.js';

interface SimulateFlags extends TlsFlags {
  endpoint: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  password?: string;
  connectors: number;
  script?: string;
  count: number;
  tag: string;
  duration?: number;
  boot: boolean;
  json?: boolean;
}

/** `chargewire simulate`: a charge-point emulator (interactive TUI, scripted, or a headless fleet). */
export function simulateCommand(ctx: CommandContext): Command {
  return withTlsOptions(new Command('simulate')
    .description('emulate a charge point: live TUI, a --script scenario for CI, or a --count fleet')
    .requiredOption('-e, --endpoint <url>', 'ws://host/path/ID (the last segment is the identity)')
    .addOption(new Option('-p, --protocol <name>', 'OCPP version').choices(['ocpp1.6', 'ocpp2.0.1']).default('ocpp1.6'))
    .option('--password <password>', 'Basic-auth password (security profile 1/2)')
    .option('-n, --connectors <n>', 'connectors (EVSEs)', positiveInt('--connectors'), 1)
    .option('-s, --script <file|steps>', "scenario file (text or JSON array) or inline steps, e.g. 'boot; plug 1; tap 1 TAG; start 1'")
    .option('-c, --count <n>', 'run N chargers ID-1 … ID-N headless with a summary', positiveInt('--count'), 1)
    .option('--tag <tag>', 'RFID tag the t key presents', 'TAG-0001')
    .option('--duration <seconds>', 'stop a headless fleet after this long', nonNegativeNumber('--duration'))
    .option('--no-boot', 'interactive/fleet: do not send BootNotification at start')
    .option('--json', 'script/fleet: print the result as JSON instead of the log'))
    .addHelpText(
      'after',
      '\nScenario steps: boot, heartbeat, plug <c>, unplug <c>, tap <c> <tag>, start <c> [tag], stop <c> [reason],\n' +
        '  meter <c> [xN], fault <c>, clear <c>, offline, online, wait <ms>, expect <c> <status>\n' +
        '\nExamples:\n' +
        '  chargewire simulate -e ws://localhost:9000/ocpp/CP-1 -p ocpp1.6\n' +
        "  chargewire simulate -e ws://localhost:9000/ocpp/CP-1 --script 'boot; plug 1; tap 1 TAG; start 1; meter 1 x3; stop 1; unplug 1'\n" +
        '  chargewire simulate -e ws://localhost:9000/ocpp/FLEET -p ocpp2.0.1 --count 100 --duration 60\n' +
        '\nExit code: 0 every step succeeded, 1 a step failed or the CSMS is unreachable, 2 usage error.\n',
    )
    .action(async (flags: SimulateFlags) => {
      const endpoint = parseEndpoint(flags.endpoint);
      const tls = readTlsFlags(flags);
      const steps = flags.script === undefined ? undefined : loadScript(flags.script, flags.connectors);
      const options: SimulatorOptions = {
        endpoint: endpoint.base,
        identity: endpoint.identity,
        protocol: flags.protocol,
        connectors: flags.connectors,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        ...(tls ? { tls } : {}),
      };
      if (flags.count > 1) return ctx.setExitCode(await fleetMode(ctx, options, flags, steps));
      if (steps) return ctx.setExitCode(await scriptMode(ctx, options, flags, steps));
      if (!ctx.io.isTTY) throw new UsageError('the interactive simulator needs a terminal; use --script for a scenario');
      ctx.setExitCode(await interactiveMode(ctx, options, flags));
    });
}

function loadScript(value: string, connectors: number): ScriptStep[] {
  const source = existsSync(value) ? readFileSync(value, 'utf8') : value;
  try {
    return parseScript(source, connectors);
  } catch (err) {
    if (err instanceof ScriptError) throw new UsageError(`script: ${err.message}`);
    throw err;
  }
}

async function scriptMode(ctx: CommandContext, options: SimulatorOptions, flags: SimulateFlags, steps: ScriptStep[]): Promise<0 | 1> {
  const sim = new Simulator(options);
  if (!flags.json) sim.on('log', (line) => ctx.io.out(`${formatLogLine(line)}\n`));
  const connected = await sim.connect();
  if (!connected.ok) throw new EndpointError(connected.detail);
  const result = await runScript(sim, steps, (text, outcome) => {
    if (!flags.json) ctx.io.out(`${outcome.ok ? '✔' : '✘'} ${text} — ${outcome.detail}\n`);
  });
  await sim.close();
  if (flags.json) ctx.io.out(`${JSON.stringify({ identity: sim.identity, protocol: sim.protocol, ...result }, null, 2)}\n`);
  else ctx.io.out(result.ok ? `scenario passed (${result.steps.length} steps)\n` : `scenario failed at step ${result.steps.length}\n`);
  return result.ok ? EXIT_OK : EXIT_FAILURES;
}

async function fleetMode(ctx: CommandContext, options: SimulatorOptions, flags: SimulateFlags, steps?: ScriptStep[]): Promise<0 | 1> {
  const fleet = createFleet({ ...options, timers: steps === undefined }, flags.count);
  if (steps) {
    const results = await runFleetScript(fleet, steps);
    const rows = fleet.map((sim, i) => fleetRow(sim, results[i], steps.length));
    ctx.io.out(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderFleet(rows));
    return results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILURES;
  }
  // Headless fleet: connect and boot everyone, keep heartbeats and meter values running until stopped.
  // ink and react load only when a terminal UI is shown, so scripted runs start fast.
  const ink = ctx.io.isTTY && !flags.json ? (await import('./tui/mount.js')).mountFleet(fleet) : undefined;
  await Promise.all(
    fleet.map(async (sim) => {
      if ((await sim.connect()).ok && flags.boot) await sim.boot();
    }),
  );
  await new Promise<void>((resolve) => {
    const timer = flags.duration !== undefined ? setTimeout(resolve, flags.duration * 1000) : undefined;
    if (ctx.io.signal.aborted) return resolve();
    ctx.io.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  const rows = fleet.map((sim) => fleetRow(sim));
  await Promise.all(fleet.map((sim) => sim.close()));
  ink?.unmount();
  ctx.io.out(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderFleet(rows));
  const healthy = rows.filter((r) => r.booted || !flags.boot).length;
  return healthy === rows.length ? EXIT_OK : EXIT_FAILURES;
}

async function interactiveMode(ctx: CommandContext, options: SimulatorOptions, flags: SimulateFlags): Promise<0 | 1> {
  const sim = new Simulator({ ...options, timers: true });
  const connected = await sim.connect();
  if (!connected.ok) throw new EndpointError(connected.detail);
  if (flags.boot) void sim.boot();
  const app = (await import('./tui/mount.js')).mountSimulator(sim, flags.tag);
  ctx.io.signal.addEventListener('abort', () => app.unmount(), { once: true });
  await app.waitUntilExit();
  await sim.close();
  return EXIT_OK;
}

/** The fleet summary table. */
export function renderFleet(rows: readonly FleetRow[]): string {
  const table = formatTable([
    ['identity', 'state', 'booted', 'sent', 'received', 'failed calls', 'steps', 'problem'],
    ...rows.map((r) => [
      r.identity,
      r.state,
      r.booted ? 'yes' : 'no',
      String(r.sent),
      String(r.received),
      String(r.failures),
      r.steps ? `${r.steps.ok}/${r.steps.total}` : '-',
      r.problem ?? '',
    ]),
  ]);
  const ok = rows.filter((r) => !r.problem).length;
  return `${table}${ok}/${rows.length} chargers without problems\n`;
}
