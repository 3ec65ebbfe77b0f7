import { RpcError } from '@chargewire/rpc-core';
import type { Route } from '@chargewire/server';
import type { CsmsService, RegistrationGuard } from '../domain/csmsService.js';
import type { Logger } from '../logger.js';

/** Where the per-version handler sets are registered: the chargers' route, so one set serves every connection. */
export type ChargerRoute = Pick<Route, 'handle'>;

/** What the per-version handler sets get: the one domain service and a logger. */
export interface OcppHandlerDeps {
  service: CsmsService;
  logger: Logger;
}

/**
 * Until its BootNotification is Accepted, a charger may only send BootNotification and Heartbeat
 * (1.6 §4.2: "SHALL NOT send any other request"; 2.0.1 B02.FR.02/B03). Anything else gets SecurityError
 * so the charger learns it is not registered instead of its data being dropped silently.
 */
export async function requireAccepted(service: CsmsService, chargerId: string, action: string): Promise<void> {
  acceptedOnly(action)((await service.isAccepted(chargerId)) ? 'Accepted' : undefined);
}

/**
 * The same rule as a guard for the domain's work on the message: checked under the charger's row lock in
 * the one database transaction that stores the message, instead of a read of its own before it.
 */
export function acceptedOnly(action: string): RegistrationGuard {
  return (status) => {
    if (status !== 'Accepted') throw new RpcError('SecurityError', `${action} refused: charger is not accepted by this CSMS (send BootNotification)`);
  };
}
