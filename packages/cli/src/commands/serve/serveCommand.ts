import { Command, InvalidArgumentError } from 'commander';
import type { CommandContext } from '../../context.js';
import { EndpointError, EXIT_OK } from '../../exitCodes.js';
import { positiveInt } from '../../format.js';
import { parseProtocolList, PROTOCOL_CHOICES } from '../../protocols.js';
import { formatLogEntry } from './frameLog.js';
import { startLocalCsms } from './localCsms.js';

interface ServeFlags {
  port: number;
  host: string;
  protocols: string[];
  strict: boolean;
  heartbeatInterval: number;
  json?: boolean;
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new InvalidArgumentError(`--port must be 0-65535, got '${text}'`);
  return value;
}

/** `chargewire serve`: a local CSMS that accepts every charger and logs every frame. */
export function serveCommand(ctx: CommandContext): Command {
  return new Command('serve')
    .description('run a local CSMS that accepts every charger, answers with valid defaults and logs every frame')
    .option('--port <port>', 'TCP port (0 picks a free one)', port, 9000)
    .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', '127.0.0.1')
    .option('--protocols <list>', 'accepted subprotocols in preference order', parseProtocolList, [...PROTOCOL_CHOICES])
    .option('--no-strict', 'do not validate payloads against the official schemas')
    .option('--heartbeat-interval <seconds>', 'interval sent in BootNotification responses', positiveInt('--heartbeat-interval'), 300)
    .option('--json', 'log one JSON object per line instead of text')
    .addHelpText(
      'after',
      '\nChargers connect to ws://HOST:PORT/<any path>/<identity>. Stop with Ctrl-C.\n' +
        '\nExample:\n  chargewire serve --port 9000 --protocols ocpp2.0.1,ocpp1.6\n' +
        '  chargewire simulate --endpoint ws://127.0.0.1:9000/ocpp/CP-1 --protocol ocpp1.6\n',
    )
    .action(async (flags: ServeFlags) => {
      const write = (line: string): void => ctx.io.out(`${line}\n`);
      let csms;
      try {
        csms = await startLocalCsms({
          port: flags.port,
          host: flags.host,
          protocols: flags.protocols,
          strict: flags.strict,
          heartbeatIntervalS: flags.heartbeatInterval,
          onLog: (entry) => write(flags.json ? JSON.stringify(entry) : formatLogEntry(entry)),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new EndpointError(`cannot listen on ${flags.host}:${flags.port}: ${code === 'EADDRINUSE' ? 'address in use' : (code ?? (err as Error).message)}`);
      }
      const url = `ws://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${csms.address.port}`;
      write(
        flags.json
          ? JSON.stringify({ at: new Date().toISOString(), event: 'listening', url, port: csms.address.port, protocols: flags.protocols })
          : `listening on ${url}/<path>/<identity> (${flags.protocols.join(', ')}); Ctrl-C to stop`,
      );
      await new Promise<void>((resolve) => {
        if (ctx.io.signal.aborted) return resolve();
        ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await csms.close();
      ctx.setExitCode(EXIT_OK);
    });
}
