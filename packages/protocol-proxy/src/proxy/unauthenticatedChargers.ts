import type { ProtocolProxyOptions } from './options.js';

/**
 * Thrown by the proxy's constructor for a configuration that lets any client connect as any charger: the proxy
 * injects credentials of its own upstream (so the backend trusts whoever the proxy lets through) while nothing
 * authenticates the charger (no `auth.verify`, and not security profile 3). `auth.allowUnauthenticatedChargers:
 * true` accepts that on purpose.
 */
export class UnauthenticatedChargersError extends Error {
  readonly code = 'UNAUTHENTICATED_CHARGERS';
  /** Where the injected credentials come from, e.g. `auth.upstreamPassword`. */
  readonly injectedBy: readonly string[];

  constructor(injectedBy: readonly string[]) {
    super(
      `The proxy sends its own credentials upstream (${injectedBy.join(', ')}) but does not authenticate chargers, ` +
        'so any client could connect as any charger. Set auth.verify, or downstream.securityProfile: 3 (mutual TLS), ' +
        'or auth.allowUnauthenticatedChargers: true to accept this on purpose.',
    );
    this.name = 'UnauthenticatedChargersError';
    this.injectedBy = injectedBy;
  }
}

/** The options through which the proxy would present credentials of its own to the backend. */
function injectedCredentials(options: ProtocolProxyOptions): string[] {
  const found: string[] = [];
  // 'passthrough' forwards the charger's own password: the backend still checks it. 'none' sends nothing.
  if (typeof options.auth?.upstreamPassword === 'function') found.push('auth.upstreamPassword');
  const headers = options.upstream.headers ?? {};
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) found.push('upstream.headers.authorization');
  if (options.upstream.tls?.cert !== undefined || options.upstream.tls?.key !== undefined) found.push('upstream.tls client certificate');
  return found;
}

/**
 * Refuses (throws {@link UnauthenticatedChargersError}) a proxy that would lend its own upstream credentials to
 * unauthenticated chargers. Profiles 1 and 2 alone do not count as authentication: they check only that the
 * Basic-auth username is the identity, never the password (the backend checks it only under 'passthrough').
 */
export function assertChargersAuthenticated(options: ProtocolProxyOptions): void {
  if (options.auth?.allowUnauthenticatedChargers === true) return;
  const injected = injectedCredentials(options);
  if (injected.length === 0) return;
  const verified = typeof options.auth?.verify === 'function' || options.downstream?.securityProfile === 3;
  if (!verified) throw new UnauthenticatedChargersError(injected);
}
