import type { ProtocolMap } from '@chargewire/ocpp-types';
import type { AdapterHost, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from './adapter/adapter.js';
import { serializeError } from './adapter/serializeError.js';
import type { ServerClient } from './serverClient.js';

/** Result of one client in `broadcast()` (this node's clients only). */
export interface BroadcastClientResult {
  identity: string;
  ok: boolean;
  result?: unknown;
  error?: Error;
}

/** The presence record of a connected client (frozen: adapters may keep it as is). */
export function presenceOf<M extends ProtocolMap>(client: ServerClient<M>): PresenceRecord {
  return Object.freeze({
    identity: client.identity,
    nodeId: client.nodeId,
    connectionId: client.connectionId,
    protocol: client.protocol,
    connectedAt: client.connectedAt,
  });
}

const broadcastKey = (protocol: string, action: string, params: unknown): string =>
  `${protocol}\u0000${action}\u0000${JSON.stringify(params) ?? ''}`;

/**
 * This node's side of the cluster contract: runs remote calls and broadcasts on local clients. A broadcast
 * started on this node collects per-client results through a "sink" registered under the broadcast's key
 * (the adapter only reports counts back).
 */
export class LocalNode<M extends ProtocolMap> implements AdapterHost {
  readonly #sinks = new Map<string, BroadcastClientResult[][]>();
  readonly #clients: ReadonlyMap<string, ServerClient<M>>;

  constructor(
    readonly nodeId: string,
    clients: ReadonlyMap<string, ServerClient<M>>,
  ) {
    this.#clients = clients;
  }

  closeSuperseded(identity: string, connectionId: string): void {
    const client = this.#clients.get(identity);
    if (client?.connectionId === connectionId) client.close(1000, 'Replaced by a connection on another node');
  }

  localPresence(): PresenceRecord[] {
    return [...this.#clients.values()].map((c) => presenceOf(c));
  }

  async callLocal(req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    const client = this.#clients.get(req.identity);
    if (!client) return { ok: false, error: { kind: 'notConnected', message: `${req.identity} is not connected to node ${this.nodeId}` } };
    if (client.protocol !== req.protocol) {
      return { ok: false, error: { kind: 'internal', message: `${req.identity} speaks ${client.protocol}, not ${req.protocol}` } };
    }
    try {
      return { ok: true, result: await client.callRaw(req.action, req.params, { timeoutMs: req.timeoutMs }) };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  }

  async broadcastLocal(protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }> {
    // Per-client results go to the local broadcast() that started this (if it was started here).
    const sink = this.#sinks.get(broadcastKey(protocol, action, params))?.shift();
    const targets = [...this.#clients.values()].filter((c) => c.protocol === protocol);
    const results = await Promise.all(
      targets.map(async (client): Promise<BroadcastClientResult> => {
        try {
          return { identity: client.identity, ok: true, result: await client.callRaw(action, params) };
        } catch (err) {
          return { identity: client.identity, ok: false, error: err instanceof Error ? err : new Error(String(err)) };
        }
      }),
    );
    sink?.push(...results);
    const delivered = results.filter((r) => r.ok).length;
    return { delivered, failed: results.length - delivered };
  }

  /** Runs `broadcast` (through the adapter) and collects this node's per-client results. */
  async collect<T>(protocol: string, action: string, params: unknown, broadcast: () => Promise<T>): Promise<{ report: T; clients: BroadcastClientResult[] }> {
    const local: BroadcastClientResult[] = [];
    const key = broadcastKey(protocol, action, params);
    const sinks = this.#sinks.get(key) ?? [];
    sinks.push(local);
    this.#sinks.set(key, sinks);
    try {
      return { report: await broadcast(), clients: local };
    } finally {
      const left = this.#sinks.get(key)?.filter((s) => s !== local);
      if (left?.length) this.#sinks.set(key, left);
      else this.#sinks.delete(key);
    }
  }
}
