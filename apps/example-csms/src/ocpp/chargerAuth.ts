import type { AuthHandler } from '@chargewire/server';
import { verifyPassword } from '../domain/credentials.js';
import type { Logger } from '../logger.js';
import { CHARGER_ID } from '../rest/validation.js';
import type { Store } from '../store/store.js';
import type { SecurityProfile } from '../config.js';
import type { PasswordThrottle } from './passwordThrottle.js';

/**
 * Handshake auth (OCPP-J security profile 1, DESIGN rule 9): a charger with a stored password must send
 * `Authorization: Basic` with username = its identity and that password; with profile 1 every charger
 * must (unknown ones and ones without a password are refused). Failures are 401 without saying which
 * part was wrong; the password is never logged. Password checks go through the throttle (429/503 when
 * an identity or address is over its limit). An identity the REST API could not address (see
 * CHARGER_ID) is refused with 400 before anything else, so every connected charger can be managed.
 */
export function chargerAuth(store: Store, securityProfile: SecurityProfile, throttle: PasswordThrottle, logger: Logger): AuthHandler {
  return async (ctx) => {
    const { identity, username, password, remoteAddress } = ctx.handshake;
    if (!CHARGER_ID.test(identity)) {
      logger.warn('charger refused: identity not addressable', { remoteAddress });
      return ctx.reject(400, 'Identity must be 1-48 characters without whitespace, ":", "/", "\\", "?", "#" or "%"');
    }
    const hash = await store.chargers.passwordHash(identity);
    if (hash === undefined || hash === null) {
      if (securityProfile === 1) {
        logger.warn('charger refused: no stored credentials (security profile 1)', { chargerId: identity, remoteAddress });
        return ctx.reject(401, 'Unauthorized');
      }
      return ctx.accept({ session: { chargerId: identity, authenticated: false } });
    }
    if (username !== identity || password === undefined) {
      logger.warn('charger refused: no or wrong credentials', { chargerId: identity, remoteAddress });
      return ctx.reject(401, 'Unauthorized');
    }
    const outcome = await throttle.run(identity, remoteAddress ?? 'unknown', () => verifyPassword(password, hash));
    if (typeof outcome === 'object') {
      logger.warn('charger refused: password checks throttled', { chargerId: identity, remoteAddress, status: outcome.status });
      return ctx.reject(outcome.status, outcome.status === 429 ? 'Too Many Requests' : 'Service Unavailable');
    }
    if (!outcome) {
      logger.warn('charger refused: bad credentials', { chargerId: identity, remoteAddress });
      return ctx.reject(401, 'Unauthorized');
    }
    ctx.accept({ session: { chargerId: identity, authenticated: true } });
  };
}
