import type { RequestOf } from '@chargewire/ocpp-types';
import type { ProfileCommand, SendProfile } from './dispatchTypes.js';

/**
 * What the engine needs of a connected charger: `call` of SetChargingProfile. `ServerClientHandle` from
 * `@chargewire/server` (a local or a remote, cluster-routed client) satisfies it.
 */
export interface ProfileTarget {
  call(protocol: 'ocpp1.6', action: 'SetChargingProfile', params: RequestOf<'ocpp1.6', 'SetChargingProfile'>, options?: CallSignal): Promise<{ status: string }>;
  call(protocol: 'ocpp2.0.1', action: 'SetChargingProfile', params: RequestOf<'ocpp2.0.1', 'SetChargingProfile'>, options?: CallSignal): Promise<{ status: string }>;
  call(protocol: 'ocpp2.1', action: 'SetChargingProfile', params: RequestOf<'ocpp2.1', 'SetChargingProfile'>, options?: CallSignal): Promise<{ status: string }>;
}

/** The call options the engine passes: its timeout aborts the call. */
export interface CallSignal {
  signal?: AbortSignal;
}

/** What the engine needs of a server: `findClient`, which `OCPPServer` has (it looks across the cluster). */
export interface ChargerDirectory {
  findClient(identity: string): Promise<ProfileTarget | undefined>;
}

/** Thrown (and reported as a failed command) when the charger is not connected to any node. */
export class ChargerNotConnectedError extends Error {
  override readonly name = 'ChargerNotConnectedError';

  constructor(readonly chargerId: string) {
    super(`charger ${chargerId} is not connected`);
  }
}

/**
 * A `send` function that delivers profiles through an `OCPPServer`: `findClient` finds the charger on
 * this node or, with a cluster adapter installed, on another one, and the call is routed there.
 *
 * @example
 * const engine = new SmartChargingEngine({ site, send: sendThroughServer(server) });
 */
export function sendThroughServer(server: ChargerDirectory): SendProfile {
  return async (command: ProfileCommand, signal: AbortSignal) => {
    const client = await server.findClient(command.chargerId);
    if (!client) throw new ChargerNotConnectedError(command.chargerId);
    const call = client.call.bind(client) as (protocol: string, action: 'SetChargingProfile', params: unknown, options: { signal: AbortSignal }) => Promise<{ status: string }>;
    return call(command.protocol, 'SetChargingProfile', command.request, { signal });
  };
}
