import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../exitCodes.js';

/** TLS material for `wss://` read from PEM files: security profile 2 (server CA) and 3 (client certificate). */
export interface TlsFiles {
  /** CA certificate(s) that signed the server certificate; replaces the system store when set. */
  ca?: Buffer;
  /** Client certificate (profile 3, CN = charger identity). */
  cert?: Buffer;
  /** Private key of the client certificate. */
  key?: Buffer;
}

/** The `--tls-ca/--tls-cert/--tls-key` values commander parsed. */
export interface TlsFlags {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** Adds `--tls-ca`, `--tls-cert` and `--tls-key` to a command. */
export function withTlsOptions(command: Command): Command {
  return command
    .option('--tls-ca <file>', 'PEM CA certificate that signed the server certificate (wss://, security profiles 2/3)')
    .option('--tls-cert <file>', 'PEM client certificate, CN = charger identity (security profile 3)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert');
}

function read(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Reads the files named by the flags; undefined when none was given. A certificate needs its key (usage error). */
export function readTlsFlags(flags: TlsFlags): TlsFiles | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined && flags.tlsCa === undefined) return undefined;
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  return {
    ...(flags.tlsCa !== undefined ? { ca: read(flags.tlsCa, '--tls-ca') } : {}),
    ...(flags.tlsCert !== undefined ? { cert: read(flags.tlsCert, '--tls-cert') } : {}),
    ...(flags.tlsKey !== undefined ? { key: read(flags.tlsKey, '--tls-key') } : {}),
  };
}
