import type { SecureContextOptions } from 'node:tls';

/** TLS settings for `wss://` endpoints (security profiles 2 and 3). */
export interface ClientTlsOptions {
  /** Trusted CA certificate(s), PEM. Replaces Node's default root store when set. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate chain, PEM: security profile 3 (mutual TLS). */
  cert?: string | Buffer | Array<string | Buffer>;
  /** Private key of the client certificate, PEM. */
  key?: string | Buffer | Array<string | Buffer>;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /**
   * Verify the server certificate against `ca`. Turning it off is only for tests.
   * @default true
   */
  rejectUnauthorized?: boolean;
  /** SNI / certificate host name to check, when it differs from the endpoint host. */
  servername?: string;
  /** Lowest TLS version accepted; OCPP 2.x requires TLS 1.2 or higher. @default 'TLSv1.2' */
  minVersion?: SecureContextOptions['minVersion'];
}

/** Maps {@link ClientTlsOptions} to the option names `ws`/`https.request` understand. */
export function toWsTlsOptions(tls: ClientTlsOptions | undefined): Record<string, unknown> {
  if (!tls) return { minVersion: 'TLSv1.2' };
  const out: Record<string, unknown> = { minVersion: tls.minVersion ?? 'TLSv1.2' };
  if (tls.ca !== undefined) out['ca'] = tls.ca;
  if (tls.cert !== undefined) out['cert'] = tls.cert;
  if (tls.key !== undefined) out['key'] = tls.key;
  if (tls.passphrase !== undefined) out['passphrase'] = tls.passphrase;
  if (tls.rejectUnauthorized !== undefined) out['rejectUnauthorized'] = tls.rejectUnauthorized;
  if (tls.servername !== undefined) out['servername'] = tls.servername;
  return out;
}
