import type { OcppProtocols, OutboundActionOf, ProtocolMap, RequestOf, ResponseOf } from '@chargewire/ocpp-types';
import type { CallOptions } from '@chargewire/rpc-core';

/**
 * A charger that may be connected to this node or to another one: only `call()` is available remotely.
 * `ServerClient` satisfies it; `findClient()` returns a remote one routed through the cluster adapter.
 */
export interface ServerClientHandle<M extends ProtocolMap = OcppProtocols> {
  readonly identity: string;
  readonly nodeId: string;
  readonly isLocal: boolean;
  call<P extends keyof M & string, A extends OutboundActionOf<P, 'CSMS', M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>>;
}
