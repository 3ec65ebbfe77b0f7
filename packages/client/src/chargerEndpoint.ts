import type { ProtocolMap } from '@chargewire/ocpp-types';
import { RpcEndpoint, type RpcEndpointOptions } from '@chargewire/rpc-core';

/** The rpc-core endpoint of an OCPPClient: its handlers get the client (not the endpoint) as `ctx.client`. */
export class ChargerEndpoint<M extends ProtocolMap> extends RpcEndpoint<'ChargingStation', M> {
  readonly #owner: object;
  constructor(
    owner: object,
    options: RpcEndpointOptions<'ChargingStation'>,
  ) {
    super(options);
    this.#owner = owner;
  }

  override get contextClient(): unknown {
    return this.#owner;
  }
}
