import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate } from 'node:tls';
import { parseProtocolHeader } from './subprotocol.js';

/** Everything known about a connection attempt before the WebSocket is accepted. */
export interface Handshake {
  /** Charging-station identity: last path segment, percent-decoded (or the client certificate CN, profile 3). */
  readonly identity: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Route path parameters, e.g. `{ id }` for `/api/v1/chargers/:id`. */
  readonly params: Readonly<Record<string, string>>;
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
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
