import { Command, InvalidArgumentError, Option } from 'commander';
import { createProtocolProxy, type RefusedEvent, type SessionEvent, type TranslationEvent } from '@chargewire/protocol-proxy';
import type { CommandContext } from '../../context.js';
import { EndpointError, EXIT_OK, UsageError } from '../../exitCodes.js';
import { positiveInt } from '../../format.js';

interface ProxyFlags {
  listen: { host: string; port: number };
  upstream: string;
  upstreamProtocol: 'ocpp2.0.1' | 'ocpp2.1';
  upstreamPassword: 'passthrough' | 'none';
  strict: boolean;
  callTimeout: number;
  json?: boolean;
}

/** Parses `--listen [host:]port`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(.+):)?(\d+)$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port > 65535) throw new InvalidArgumentError(`--listen must be [host:]port, got '${text}'`);
  const host = (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

/** `chargewire proxy`: 1.6 chargers in front of a 2.0.1 / 2.1 backend. */
export function proxyCommand(ctx: CommandContext): Command {
  return new Command('proxy')
    .description('run the protocol proxy: OCPP 1.6 chargers in, one OCPP 2.0.1 (or 2.1) connection per charger to the backend')
    .requiredOption('-l, --listen <[host:]port>', 'where chargers connect (host defaults to 127.0.0.1)', parseListen)
    .requiredOption('-u, --upstream <url>', 'base ws:// or wss:// URL of the backend (the identity is appended)')
    .addOption(new Option('--upstream-protocol <name>', 'backend subprotocol').choices(['ocpp2.0.1', 'ocpp2.1']).default('ocpp2.0.1'))
    .addOption(
      new Option('--upstream-password <mode>', "backend Basic auth: forward the charger's password, or none").choices(['passthrough', 'none']).default('passthrough'),
    )
    .option('--no-strict', 'do not validate payloads on either leg')
    .option('--call-timeout <ms>', 'time each side has to answer a call', positiveInt('--call-timeout'), 30_000)
    .option('--json', 'log one JSON object per line')
    .addHelpText(
      'after',
      '\nExample:\n  chargewire proxy --listen 0.0.0.0:9016 --upstream wss://csms.example.com/ocpp --upstream-protocol ocpp2.0.1\n' +
        '  # 1.6 chargers connect to ws://<proxy>:9016/<any path>/<identity>\n',
    )
    .action(async (flags: ProxyFlags) => {
      if (!/^wss?:\/\//.test(flags.upstream)) throw new UsageError(`--upstream must be a ws:// or wss:// URL, got ${flags.upstream}`);
      const write = (event: string, data: Record<string, unknown>, text: string): void =>
        ctx.io.out(flags.json ? `${JSON.stringify({ at: new Date().toISOString(), event, ...data })}\n` : `${new Date().toISOString().slice(11, 23)} ${text}\n`);
      const proxy = createProtocolProxy({
        upstream: { url: flags.upstream, protocol: flags.upstreamProtocol, strictMode: flags.strict, callTimeoutMs: flags.callTimeout },
        downstream: { strictMode: flags.strict, callTimeoutMs: flags.callTimeout },
        auth: { upstreamPassword: flags.upstreamPassword },
      });
      proxy.on('connect', (e: SessionEvent) => write('connect', { ...e }, `${e.identity} connected (upstream ${flags.upstreamProtocol} open)`));
      proxy.on('disconnect', (e: SessionEvent) => write('disconnect', { ...e }, `${e.identity} disconnected (${e.code ?? ''} ${e.reason ?? ''})`.trimEnd()));
      proxy.on('refused', (e: RefusedEvent) => write('refused', { ...e }, `${e.identity} refused: HTTP ${e.status} ${e.reason}`));
      proxy.on('upstreamDisconnect', (e: SessionEvent) => write('upstreamDisconnect', { ...e }, `${e.identity} upstream lost (${e.code ?? ''}); reconnecting`));
      proxy.on('upstreamReconnect', (e: SessionEvent) => write('upstreamReconnect', { ...e }, `${e.identity} upstream reconnected`));
      proxy.on('translation', (e: TranslationEvent) =>
        write(
          'translation',
          { ...e },
          `${e.identity} ${e.direction} ${e.actionIn} → ${e.actionsOut.join(', ') || '(answered locally)'} ${e.ok ? 'ok' : `failed ${e.errorCode ?? ''}`} ${e.latencyMs.toFixed(1)} ms`,
        ),
      );
      proxy.on('error', (err: Error) => write('error', { message: err.message }, `error: ${err.message}`));
      let address;
      try {
        address = await proxy.listen(flags.listen.port, flags.listen.host);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new EndpointError(`cannot listen on ${flags.listen.host}:${flags.listen.port}: ${code === 'EADDRINUSE' ? 'address in use' : (code ?? (err as Error).message)}`);
      }
      const url = `ws://${flags.listen.host.includes(':') ? `[${flags.listen.host}]` : flags.listen.host}:${address.port}`;
      write('listening', { url, port: address.port, upstream: flags.upstream }, `listening on ${url}/<path>/<identity> (ocpp1.6) → ${flags.upstream} (${flags.upstreamProtocol}); Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        if (ctx.io.signal.aborted) return resolve();
        ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await proxy.close();
      ctx.setExitCode(EXIT_OK);
    });
}
