import type { AddressInfo } from 'node:net';
import type { BadMessageEvent, CallErrorEvent, CallEvent, CallResultEvent } from '@chargewire/rpc-core';
import { toWireErrorCode } from '@chargewire/rpc-core';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { defaultResponse, type DefaultResponderState } from './defaultResponses.js';
import type { LogEntry } from './frameLog.js';

/** Options of {@link startLocalCsms}. */
export interface LocalCsmsOptions {
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  protocols: readonly string[];
  /** Validate payloads against the official schemas. @default true */
  strict?: boolean;
  /** Interval in BootNotification responses, seconds. @default 300 */
  heartbeatIntervalS?: number;
  onLog: (entry: LogEntry) => void;
}

export interface LocalCsms {
  server: OCPPServer;
  address: AddressInfo;
  close(): Promise<void>;
}

/** A CSMS that accepts every charger, answers every CALL with valid defaults and logs every frame. */
export async function startLocalCsms(options: LocalCsmsOptions): Promise<LocalCsms> {
  const server = new OCPPServer({ protocols: options.protocols, strictMode: options.strict ?? true });
  const state: DefaultResponderState = { nextTransactionId: 1 };
  const at = (): string => new Date().toISOString();
  server.on('client', (client: ServerClient) => {
    const identity = client.identity;
    const protocol = client.protocol;
    const log = options.onLog;
    log({ at: at(), identity, event: 'connect', protocol, remoteAddress: client.handshake.remoteAddress ?? '' });
    // Incoming CALLs are frames from the charger; their results/errors are our answers (and vice versa).
    client.on('call', (e: CallEvent) => log({ at: at(), identity, event: 'frame', direction: e.direction === 'in' ? 'in' : 'out', frame: [e.kind === 'send' ? 6 : 2, e.messageId, e.action, e.params] }));
    client.on('callResult', (e: CallResultEvent) => log({ at: at(), identity, event: 'frame', direction: e.direction === 'in' ? 'out' : 'in', frame: [3, e.messageId, e.result] }));
    client.on('callError', (e: CallErrorEvent) =>
      log({ at: at(), identity, event: 'frame', direction: e.direction === 'in' ? 'out' : 'in', frame: [4, e.messageId, toWireErrorCode(protocol, e.error.code), e.error.description, e.error.details] }),
    );
    client.on('badMessage', (e: BadMessageEvent) =>
      log({ at: at(), identity, event: 'bad-frame', frame: e.frame, code: toWireErrorCode(protocol, e.error.code), description: e.error.description }),
    );
    client.on('close', (e: { code: number; reason: string }) => log({ at: at(), identity, event: 'disconnect', code: e.code, reason: e.reason }));
    client.handle(({ protocol: p, action, params }) =>
      defaultResponse(p, action, params, state, options.heartbeatIntervalS !== undefined ? { heartbeatIntervalS: options.heartbeatIntervalS } : {}),
    );
  });
  const address = await server.listen(options.port, options.host ?? '127.0.0.1');
  return { server, address, close: () => server.close() };
}
