import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate } from 'node:tls';

/** Everything known about a connection attempt before the WebSocket is accepted. */
export interface Handshake {
  /** Charging-station identity: last path segment, percent-decoded (or the client certificate CN, profile 3). */
  readonly identity: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Route path parameters, e.g. `{ id }` for `/api/v1/chargers/:id`. */
  readonly params: Readonly<Record<string, string>>;
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
