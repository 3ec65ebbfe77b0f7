import { UsageError } from '../exitCodes.js';

/** A parsed `--endpoint ws://host/path/ID`: the base URL and the charger identity (last path segment). */
export interface Endpoint {
  /** The URL without the identity segment and without a trailing slash, e.g. `ws://host:9000/ocpp`. */
  base: string;
  /** The percent-decoded identity (last path segment). */
  identity: string;
  /** The original URL. */
  url: string;
}

/** Parses and checks an endpoint URL; throws UsageError for anything but ws:// or wss:// with an identity. */
export function parseEndpoint(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid endpoint URL: ${text}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(`endpoint must be a ws:// or wss:// URL, got ${url.protocol}`);
  }
  const segments = url.pathname.split('/');
  const last = segments.pop() ?? '';
  if (last === '') throw new UsageError(`endpoint needs a charger identity as last path segment: ${text}`);
  let identity: string;
  try {
    identity = decodeURIComponent(last);
  } catch {
    throw new UsageError(`endpoint identity is not valid percent-encoding: ${last}`);
  }
  const base = `${url.protocol}//${url.host}${segments.join('/')}`;
  return { base, identity, url: text };
}

/** The URL for `identity` under the endpoint's base (the identity is percent-encoded). */
export function urlFor(endpoint: Pick<Endpoint, 'base'>, identity: string): string {
  return `${endpoint.base}/${encodeURIComponent(identity)}`;
}

/** The identity of charger `index` (1-based) of a fleet: `ID-1`, `ID-2`, … */
export function fleetIdentity(identity: string, index: number): string {
  return `${identity}-${index}`;
}
