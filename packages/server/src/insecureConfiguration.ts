import type { AuthHandler } from './auth.js';
import type { ResolvedRouteOptions } from './options.js';

/**
 * Thrown by `listen()` when a configuration would accept chargers it cannot authenticate: a route with security
 * profile 1 or 2 and neither `verifyPassword` nor an auth handler (DESIGN "Security model": a missing verifier
 * never means "accept").
 */
export class InsecureConfigurationError extends Error {
  readonly code = 'ERR_INSECURE_CONFIGURATION';

  constructor(readonly route: string, message: string) {
    super(message);
    this.name = 'InsecureConfigurationError';
  }
}

/** Whether a route with these options and this auth handler has a way to check Basic-auth passwords. */
export function lacksPasswordCheck(options: ResolvedRouteOptions, auth: AuthHandler | undefined): boolean {
  return (options.securityProfile === 1 || options.securityProfile === 2) && options.verifyPassword === undefined && auth === undefined;
}

/** The error for a route that {@link lacksPasswordCheck}. */
export function missingPasswordCheck(route: string, profile: number): InsecureConfigurationError {
  return new InsecureConfigurationError(
    route,
    `Route ${route} uses security profile ${profile} but has neither a verifyPassword option nor an auth handler: ` +
      'it would accept any password. Set verifyPassword, or call server.auth()/route.auth() before listen().',
  );
}
