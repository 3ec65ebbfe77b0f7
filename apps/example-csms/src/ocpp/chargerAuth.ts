import type { AuthHandler } from '@chargewire/server';
import { verifyPassword } from '../domain/credentials.js';
import type { Logger } from '../logger.js';
import type { SqliteStore } from '../store/sqliteStore.js';
import type { SecurityProfile } from '../config.js';

/**
 * Handshake auth (OCPP-J security profile 1, DESIGN rule 9): a charger with a stored password must send
 * `Authorization: Basic` with username = its identity and that password; with profile 1 every charger
 * must (unknown ones and ones without a password are refused). Failures are 401 without saying which
 * part was wrong; the password is never logged.
 */
export function chargerAuth(store: SqliteStore, securityProfile: SecurityProfile, logger: Logger): AuthHandler {
  return async (ctx) => {
    const { identity, username, password, remoteAddress } = ctx.handshake;
    const hash = store.chargers.passwordHash(identity);
    if (hash === undefined || hash === null) {
      if (securityProfile === 1) {
        logger.warn('charger refused: no stored credentials (security profile 1)', { chargerId: identity, remoteAddress });
        return ctx.reject(401, 'Unauthorized');
      }
      return ctx.accept({ session: { chargerId: identity, authenticated: false } });
    }
    if (username !== identity || password === undefined || !(await verifyPassword(password, hash))) {
      logger.warn('charger refused: bad credentials', { chargerId: identity, remoteAddress });
      return ctx.reject(401, 'Unauthorized');
    }
    ctx.accept({ session: { chargerId: identity, authenticated: true } });
  };
}
