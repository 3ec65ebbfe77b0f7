import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate } from 'node:tls';
import type { InspectOptions } from 'node:util';
import { parseProtocolHeader } from './subprotocol.js';

/** Path parameters of a route, by name (see `RouteParams`). */
export type RouteParamValues = Readonly<Record<string, string>>;

/**
 * Everything known about a connection attempt before the WebSocket is accepted. `Params` are the path
 * parameters of the route it came through (typed from the route pattern by `server.route()`).
 */
export interface Handshake<Params extends RouteParamValues = RouteParamValues> {
  /** Charging-station identity: last path segment, percent-decoded (or the client certificate CN, profile 3). */
  readonly identity: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Route path parameters, e.g. `{ id }` for `/api/v1/chargers/:id`. */
  readonly params: Params;
  /** Query-string parameters (parsed on first access). */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  /** Subprotocols offered by the client in `Sec-WebSocket-Protocol`, in its order. */
  readonly protocols: readonly string[];
  /** The subprotocol the server selected (by its own preference order). */
  readonly protocol: string;
  /** Basic-auth username, if an `Authorization: Basic` header was sent. */
  readonly username: string | undefined;
  /** Basic-auth password as raw bytes (may contain ':' and non-UTF-8 bytes). */
  readonly password: Buffer | undefined;
  /** Whether the connection came over TLS. */
  readonly secure: boolean;
  /** The verified client certificate (mutual TLS, security profile 3), else undefined. */
  readonly clientCertificate: PeerCertificate | undefined;
}

/** What serialised handshakes show instead of a secret. */
export const REDACTED = '[redacted]';

/** Request headers that carry credentials: never serialised (RFC 9110 §11.6.2, §11.7.2; RFC 6265 cookies). */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** A copy of `headers` with every credential header's value replaced by {@link REDACTED}. */
export function redactHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}

/** Fields of a handshake as gathered by the pipeline; `query` is kept as text until first read. */
export interface HandshakeInit extends Omit<Handshake, 'query'> {
  queryString: string;
}

/** The server's Handshake: plain data, with the query string parsed lazily (idle connections pay nothing). */
export class ServerHandshake implements Handshake {
  readonly identity: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Handshake['headers'];
  readonly remoteAddress: string;
  readonly protocol: string;
  readonly username: string | undefined;
  readonly password: Buffer | undefined;
  readonly secure: boolean;
  readonly clientCertificate: Handshake['clientCertificate'];
  #query: URLSearchParams | string;
  #protocols: readonly string[] | undefined;

  constructor(init: HandshakeInit) {
    this.identity = init.identity;
    this.path = init.path;
    this.params = init.params;
    this.headers = init.headers;
    this.remoteAddress = init.remoteAddress;
    // The offered list is derivable from the headers: kept only when it cannot be re-derived exactly.
    if (!sameList(init.protocols, parseProtocolHeader(init.headers['sec-websocket-protocol']))) this.#protocols = init.protocols;
    this.protocol = init.protocol;
    this.username = init.username;
    this.password = init.password;
    this.secure = init.secure;
    this.clientCertificate = init.clientCertificate;
    this.#query = init.queryString;
  }

  get protocols(): readonly string[] {
    return (this.#protocols ??= parseProtocolHeader(this.headers['sec-websocket-protocol']));
  }

  get query(): URLSearchParams {
    if (typeof this.#query === 'string') this.#query = new URLSearchParams(this.#query);
    return this.#query;
  }

  /**
   * What `JSON.stringify` shows: every field, with the password and credential headers (`authorization`,
   * `proxy-authorization`, `cookie`) redacted, so a logged handshake never carries a secret. The fields themselves
   * stay readable for auth code.
   */
  toJSON(): Record<string, unknown> {
    return {
      identity: this.identity,
      path: this.path,
      params: this.params,
      query: this.query.toString(),
      headers: redactHeaders(this.headers),
      remoteAddress: this.remoteAddress,
      protocols: this.protocols,
      protocol: this.protocol,
      username: this.username,
      password: this.password === undefined ? undefined : REDACTED,
      secure: this.secure,
      clientCertificate: this.clientCertificate === undefined ? undefined : certificateSummary(this.clientCertificate),
    };
  }

  /** What `util.inspect` (and so `console.log`) shows: the redacted form of {@link toJSON}. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: InspectOptions, inspect: (value: unknown, options: InspectOptions) => string): string {
    return `ServerHandshake ${inspect(this.toJSON(), options)}`;
  }
}

/** The public parts of a certificate that say which it is (the DER bytes and key are left out of logs). */
function certificateSummary(cert: PeerCertificate): Record<string, unknown> {
  return { subject: cert.subject, issuer: cert.issuer, valid_from: cert.valid_from, valid_to: cert.valid_to, fingerprint256: cert.fingerprint256, serialNumber: cert.serialNumber };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
