import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import type { OcppCaller } from '@chargewire/rpc-core';

/**
 * A charger that may be connected to this node or to another one: only `call()` is available remotely.
 * `ServerClient` satisfies it; `findClient()` returns a remote one routed through the cluster adapter.
 */
export interface ServerClientHandle<M extends ProtocolMap = OcppProtocols> extends OcppCaller<'CSMS', M> {
  readonly identity: string;
  readonly nodeId: string;
  readonly isLocal: boolean;
}
