import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import { definePeerMethods } from '@chargewire/rpc-core/internal';
import type { CallOptions, OcppCaller } from '@chargewire/rpc-core';
import type { Adapter, PresenceRecord, RemoteCallOutcome } from './adapter/adapter.js';
import { deserializeError } from './adapter/serializeError.js';
import type { ServerClientHandle } from './serverClientHandle.js';

/**
 * A charger connected to another node of the cluster: `call()` is routed through the adapter to the
 * owning node. If the charger moved meanwhile, the call follows it once (fresh `locate`).
 */
export class RemoteClient<M extends ProtocolMap = OcppProtocols> implements ServerClientHandle<M> {
  readonly isLocal = false as const;
  #record: PresenceRecord;
  readonly #adapter: Adapter;
  readonly #defaultTimeoutMs: number;

  constructor(
    record: PresenceRecord,
    adapter: Adapter,
    defaultTimeoutMs: number,
  ) {
    this.#record = record;
    this.#adapter = adapter;
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  get identity(): string {
    return this.#record.identity;
  }

  get nodeId(): string {
    return this.#record.nodeId;
  }

  /** Negotiated subprotocol of the remote connection. */
  get protocol(): string {
    return this.#record.protocol;
  }

  /** Sends a CALL through the adapter to the node that holds the charger. */
  declare readonly call: OcppCaller<'CSMS', M>['call'];

  static {
    definePeerMethods<RemoteClient<ProtocolMap>>(this.prototype, {
      call(protocol, action, params, options) {
        return this.#routeCall(protocol, action, params, options);
      },
    });
  }

  async #routeCall(protocol: string, action: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const timeoutMs = options?.timeoutMs ?? this.#defaultTimeoutMs;
    const req = { identity: this.#record.identity, protocol, action, params, timeoutMs };
    const route = async (): Promise<RemoteCallOutcome> => {
      let outcome = await this.#adapter.sendCall(this.#record.nodeId, req);
      if (!outcome.ok && outcome.error.kind === 'notConnected') {
        const moved = await this.#adapter.locate(this.#record.identity);
        if (moved && moved.connectionId !== this.#record.connectionId) {
          this.#record = moved;
          outcome = await this.#adapter.sendCall(moved.nodeId, req);
        }
      }
      return outcome;
    };
    // An abort stops waiting here; the CALL may still run on the owning node (it cannot be recalled).
    const outcome = signal ? await raceAbort(route(), signal) : await route();
    if (outcome.ok) return outcome.result;
    throw deserializeError(outcome.error, { action, timeoutMs });
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
