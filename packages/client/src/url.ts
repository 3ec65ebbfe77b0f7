/**
 * Builds the connection URL: `<endpoint>/<percent-encoded identity>[?query]`.
 * OCPP-J §3.1.1 (1.6) / Part 4 §3.1.1 (2.x): the charging station identity is the last path segment.
 */
export function buildEndpointUrl(
  endpoint: string,
  identity: string,
  query?: Readonly<Record<string, string | number | boolean>> | URLSearchParams,
): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`Invalid endpoint URL: ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`Endpoint must be a ws:// or wss:// URL, got ${JSON.stringify(url.protocol)}`);
  }
  if (url.hash) throw new TypeError('Endpoint URL must not contain a fragment');
  if (typeof identity !== 'string' || identity.length === 0) {
    throw new TypeError('identity must be a non-empty string');
  }
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (identity === '.' || identity === '..') {
    // URL parsers remove dot segments, even percent-encoded ones (RFC 3986 §5.2.4, WHATWG URL), so these
    // two can never arrive as the last path segment.
    throw new TypeError(`identity ${JSON.stringify(identity)} cannot be sent as a URL path segment`);
  }
  url.pathname = base + encodeURIComponent(identity);
  if (query) {
    const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
    for (const [key, value] of entries) url.searchParams.append(key, String(value));
  }
  return url;
}

