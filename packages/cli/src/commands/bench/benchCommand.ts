import { Command, Option } from 'commander';
import type { CommandContext } from '../../context.js';
import { EndpointError, EXIT_FAILURES, EXIT_OK } from '../../exitCodes.js';
import { fixed, formatTable, nonNegativeNumber, positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { readTlsFlags, withTlsOptions, type TlsFlags } from '../../net/tlsFiles.js';
import { PROTOCOL_CHOICES } from '../../protocols.js';
import { BENCH_ACTIONS, runBench, type BenchAction, type BenchResult } from './runBench.js';

interface BenchFlags extends TlsFlags {
  endpoint: string;
  protocol: string;
  connections: number;
  duration: number;
  action: BenchAction;
  boot: boolean;
  timeout: number;
  json?: boolean;
  password?: string;
}

/** `chargewire bench`: throughput and latency of a CSMS. */
export function benchCommand(ctx: CommandContext): Command {
  return withTlsOptions(new Command('bench')
    .description('measure throughput and latency of a CSMS: N connections, one CALL in flight each')
    .requiredOption('-e, --endpoint <url>', 'ws://host/path/ID (chargers are ID-1 … ID-N)')
    .addOption(new Option('-p, --protocol <name>', 'OCPP subprotocol').choices(PROTOCOL_CHOICES).default('ocpp1.6'))
    .option('-c, --connections <n>', 'concurrent connections', positiveInt('--connections'), 10)
    .option('-d, --duration <seconds>', 'how long to send calls', nonNegativeNumber('--duration'), 10)
    .addOption(new Option('-a, --action <action>', 'the CALL to send').choices(BENCH_ACTIONS).default('Heartbeat'))
    .option('--no-boot', 'skip the BootNotification each charger sends first')
    .option('--timeout <ms>', 'per-call timeout', positiveInt('--timeout'), 10_000)
    .option('--password <password>', 'Basic-auth password of every charger (security profile 1/2)')
    .option('--json', 'print the result as JSON'))
    .addHelpText('after', '\nExample:\n  chargewire bench --endpoint ws://localhost:9000/ocpp/BENCH --connections 50 --duration 10 --action MeterValues\n')
    .action(async (flags: BenchFlags) => {
      const endpoint = parseEndpoint(flags.endpoint);
      const live = !flags.json && ctx.io.isTTY;
      const tls = readTlsFlags(flags);
      const result = await runBench({
        endpoint,
        protocol: flags.protocol,
        connections: flags.connections,
        durationS: flags.duration,
        action: flags.action,
        boot: flags.boot,
        callTimeoutMs: flags.timeout,
        signal: ctx.io.signal,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        ...(tls ? { tls } : {}),
        ...(live
          ? {
              onProgress: (p) =>
                ctx.io.err(`\r${fixed(p.elapsedS)}s  connected ${p.connected}/${flags.connections}  calls ${p.calls}  errors ${p.errors}   `),
            }
          : {}),
      });
      if (live) ctx.io.err('\n');
      if (result.connected === 0) throw new EndpointError(result.firstConnectError ?? `cannot connect to ${flags.endpoint}`);
      ctx.io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderBench(result));
      ctx.setExitCode(result.errors > 0 ? EXIT_FAILURES : EXIT_OK);
    });
}

/** The final table. */
export function renderBench(r: BenchResult): string {
  const errors = Object.entries(r.errorsByKind).map(([kind, n]) => `${kind}: ${n}`).join(', ');
  return formatTable([
    ['metric', 'value'],
    ['action', `${r.action} (${r.protocol})`],
    ['connections', `${r.connected}/${r.connections}`],
    ['connect rate', `${fixed(r.connectRate)} /s`],
    ['duration', `${fixed(r.durationS, 2)} s`],
    ['calls', String(r.calls)],
    ['calls/s', fixed(r.callsPerSecond)],
    ['p50', `${fixed(r.latencyMs.p50, 2)} ms`],
    ['p95', `${fixed(r.latencyMs.p95, 2)} ms`],
    ['p99', `${fixed(r.latencyMs.p99, 2)} ms`],
    ['max', `${fixed(r.latencyMs.max, 2)} ms`],
    ['errors', errors ? `${r.errors} (${errors})` : '0'],
  ]);
}
