import type { RpcErrorCode } from '@chargewire/ocpp-types';

/** Who owns an identity right now: written on connect, removed (fenced) on disconnect. */
export interface PresenceRecord {
  identity: string;
  nodeId: string;
  /** Unique per WebSocket connection; fences `unregister` against a newer connection of the same identity. */
  connectionId: string;
  protocol: string;
  /** Epoch milliseconds. */
  connectedAt: number;
}

/** A CALL to run on the node that owns `identity`. */
export interface RemoteCallRequest {
  identity: string;
  protocol: string;
  action: string;
  params: unknown;
  timeoutMs: number;
}

/** Errors cross node boundaries as plain data (see `serializeError` / `deserializeError`). */
export type SerializedError =
  | { kind: 'rpc'; code: RpcErrorCode; description: string; details: Record<string, unknown> }
  | { kind: 'timeout' | 'notConnected' | 'closed' | 'internal'; message: string };

export type RemoteCallOutcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export interface BroadcastReport {
  nodes: Array<{ nodeId: string; delivered: number; failed: number }>;
  delivered: number;
  failed: number;
}

/** What the server gives its adapter: run things on this node's own chargers. */
export interface AdapterHost {
  readonly nodeId: string;
  /** Runs a CALL on a charger connected to this node. Never rejects: failures are outcomes. */
  callLocal(req: RemoteCallRequest): Promise<RemoteCallOutcome>;
  /** Sends a CALL to every charger of this node that speaks `protocol`. */
  broadcastLocal(protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }>;
  /** This node's presence records, to re-register after the cluster transport reconnects. */
  localPresence(): PresenceRecord[];
  /**
   * A newer connection of `identity` registered on another node: close this node's connection
   * `connectionId` if it is still open (a charger whose old TCP connection died silently and that reconnected
   * through another node). Fenced by `connectionId`: a newer local connection is left alone.
   */
  closeSuperseded(identity: string, connectionId: string): void;
}

/**
 * Cluster extension point (in the style of socket.io-adapter): presence of identities across nodes and
 * routing of CALLs to the node that owns a charger. `InMemoryAdapter` is the single-process default.
 *
 * Rules every implementation follows (checked by `runAdapterConformanceSuite` from
 * `@chargewire/server/testing`):
 * - `register` overwrites: the newest connection of an identity owns it, and the node of the connection it
 *   replaced is told (`AdapterHost.closeSuperseded`) so that it closes that connection.
 * - `unregister` is fenced: it removes the identity only while `record.connectionId` still owns it.
 * - `sendCall` never rejects for a transport or routing problem; it resolves `{ ok: false, error }`
 *   (`notConnected` for an unknown/closed node, `timeout` when nothing answered within `timeoutMs`).
 * - `broadcast` reports one entry per reachable node, with summed totals.
 */
export abstract class Adapter {
  /** Called once by the server before it accepts connections. */
  abstract init(host: AdapterHost): Promise<void>;
  /** Releases the adapter's resources; the node stops being reachable. */
  abstract close(): Promise<void>;
  abstract register(record: PresenceRecord): Promise<void>;
  /** Fenced: removes the identity only if it is still owned by record.connectionId. */
  abstract unregister(record: PresenceRecord): Promise<void>;
  abstract locate(identity: string): Promise<PresenceRecord | undefined>;
  abstract sendCall(nodeId: string, req: RemoteCallRequest): Promise<RemoteCallOutcome>;
  abstract broadcast(protocol: string, action: string, params: unknown): Promise<BroadcastReport>;
}
