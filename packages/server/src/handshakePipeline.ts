import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { runAuth } from './auth.js';
import type { AuthHandler } from './auth.js';
import { checkChargerPassword, parseBasicAuth } from './basicAuth.js';
import { runConnectionMiddleware } from './connectionMiddleware.js';
import type { ConnectionMiddleware } from './connectionMiddleware.js';
import { ServerHandshake } from './handshake.js';
import type { Handshake } from './handshake.js';
import { checkIdentity, identityFromPath } from './identity.js';
import { lacksPasswordCheck } from './insecureConfiguration.js';
import type { ResolvedRouteOptions } from './options.js';
import { MAX_OFFERED_SUBPROTOCOLS, parseProtocolHeader, selectProtocol } from './subprotocol.js';

/** What the pipeline decided about one upgrade request. */
export type HandshakeDecision =
  | { kind: 'reject'; status: number; message: string; headers?: Record<string, string>; serverFault?: string }
  | { kind: 'noProtocol'; offered: readonly string[] }
  | { kind: 'accept'; handshake: Handshake; session: unknown; state: Record<string, unknown> | undefined };

export interface PipelineInput {
  req: IncomingMessage;
  path: string;
  query: string;
  params: Readonly<Record<string, string>>;
  options: ResolvedRouteOptions;
  middleware: readonly ConnectionMiddleware[];
  auth: AuthHandler | undefined;
  timeoutMs: number;
}

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' };

function reject(status: number, message: string, headers?: Record<string, string>): HandshakeDecision {
  return headers ? { kind: 'reject', status, message, headers } : { kind: 'reject', status, message };
}

function certificateCommonName(cert: PeerCertificate | undefined): string | undefined {
  const cn = cert?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

/**
 * Everything that happens before the WebSocket is accepted, in order: identity from the path (400),
 * subprotocol by server preference (no match → `noProtocol`), identity rules of the chosen protocol (400),
 * the security profile's transport and credential requirements and the binding of presented credentials to
 * the identity (401/403), connection middleware, then `verifyPassword` and auth.
 *
 * Without middleware, auth and a password to verify the decision is synchronous: no promise, timer or closure
 * per handshake, which keeps connection storms cheap (and their garbage out of the old generation).
 */
export function runHandshakePipeline(input: PipelineInput): HandshakeDecision | Promise<HandshakeDecision> {
  // Fail closed: profile 1/2 without any password check would accept every password (listen() refuses to start
  // like this; a server attached to an existing HTTP server ends up here instead).
  if (lacksPasswordCheck(input.options, input.auth)) {
    return { kind: 'reject', status: 500, message: 'Internal Server Error', serverFault: `security profile ${input.options.securityProfile} without verifyPassword or an auth handler` };
  }
  const checked = checkHandshake(input);
  if (checked.kind !== 'checked') return checked;
  const verifies = input.options.verifyPassword !== undefined && checked.handshake.password !== undefined;
  if (input.middleware.length === 0 && input.auth === undefined && !verifies) return { kind: 'accept', handshake: checked.handshake, session: undefined, state: undefined };
  return runConnectionSteps(input, checked.handshake, checked.profile);
}

/** The synchronous checks of the pipeline; `checked` carries the handshake on to middleware and auth. */
function checkHandshake(input: PipelineInput): HandshakeDecision | { kind: 'checked'; handshake: Handshake; profile: ResolvedRouteOptions['securityProfile'] } {
  const { req, options } = input;
  const fromPath = identityFromPath(input.path);
  if (!fromPath.ok) return reject(400, fromPath.message);

  const offered = parseProtocolHeader(req.headers['sec-websocket-protocol'], MAX_OFFERED_SUBPROTOCOLS + 1);
  if (offered.length > MAX_OFFERED_SUBPROTOCOLS) return reject(400, `More than ${MAX_OFFERED_SUBPROTOCOLS} subprotocols offered`);
  const protocol = selectProtocol(options.protocols, offered);
  if (protocol === undefined) return { kind: 'noProtocol', offered };

  const checked = checkIdentity(fromPath.identity, protocol);
  if (!checked.ok) return reject(400, checked.message);
  const identity = checked.identity;

  const tlsSocket = req.socket as Partial<TLSSocket>;
  const secure = tlsSocket.encrypted === true;
  let clientCertificate: PeerCertificate | undefined;
  if (secure && typeof tlsSocket.getPeerCertificate === 'function') {
    const cert = tlsSocket.getPeerCertificate();
    if (cert && Object.keys(cert).length > 0 && tlsSocket.authorized === true) clientCertificate = cert;
  }
  const credentials = parseBasicAuth(req.headers.authorization);

  const profile = options.securityProfile;
  if ((profile === 2 || profile === 3) && !secure) return reject(403, 'TLS is required on this endpoint');
  if ((profile === 1 || profile === 2) && !credentials) return reject(401, 'Basic authentication required', BASIC_CHALLENGE);
  const cn = certificateCommonName(clientCertificate);
  if (profile === 3 && (!clientCertificate || !cn)) return reject(401, 'A valid client certificate is required');

  // Credentials that come with a connection name the station they belong to, whatever the profile: a username
  // or certificate CN that names another station is refused (profiles 1/2: username = identity, rule 9;
  // profile 3: the certificate names the station). Only where no profile requires it may an option lift it.
  const bindUsername = profile === 1 || profile === 2 || !options.allowIdentityMismatch;
  if (credentials && bindUsername && credentials.username !== identity) return reject(401, 'Basic auth username must equal the identity', BASIC_CHALLENGE);
  const bindCertificate = profile === 3 || !options.allowIdentityMismatch;
  if (clientCertificate && bindCertificate && cn !== identity) return reject(403, 'Client certificate does not match the identity');

  const handshake: Handshake = new ServerHandshake({
    identity,
    path: input.path,
    params: input.params,
    queryString: input.query,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress ?? '',
    protocols: offered,
    protocol,
    username: credentials?.username,
    password: credentials?.password,
    secure,
    clientCertificate,
  });
  return { kind: 'checked', handshake, profile };
}

/** Connection middleware and auth, bounded by the handshake timeout and aborted when the socket closes. */
async function runConnectionSteps(input: PipelineInput, handshake: Handshake, profile: ResolvedRouteOptions['securityProfile']): Promise<HandshakeDecision> {
  const { req } = input;
  const state: Record<string, unknown> = {};

  // The AbortSignal is created only if middleware or auth reads `ctx.signal` (most never do).
  let abort: AbortController | undefined;
  const signal = (): AbortSignal => (abort ??= new AbortController()).signal;
  const onSocketClose = (): void => abort?.abort(new Error('Socket closed during the handshake'));
  req.socket.once('close', onSocketClose);
  // HTTP servers keep sockets half-open (allowHalfOpen): a client that went away mid-handshake sends its FIN,
  // and 'close' would only follow once the server ends its side. A client that half-closes cannot finish a
  // WebSocket handshake either.
  req.socket.once('end', onSocketClose);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HandshakeDecision>((resolve) => {
    timer = setTimeout(() => {
      abort?.abort(new Error('Handshake timed out'));
      resolve(reject(408, 'Handshake timed out'));
    }, input.timeoutMs);
  });
  const decide = async (): Promise<HandshakeDecision> => {
    // Auth is the innermost step of the middleware onion: middleware code after `await next()` sees its outcome.
    let session: unknown;
    const authStep: ConnectionMiddleware = async (ctx, next) => {
      const verify = input.options.verifyPassword;
      const password = handshake.password;
      // Rule 9: a compliant charger's password is 16–40 bytes; others never reach the verifier.
      if (verify && password !== undefined && !(checkChargerPassword(password).ok && (await verify(handshake.identity, password, handshake)) === true)) {
        return ctx.reject(401, 'Unauthorized');
      }
      const auth = await runAuth(input.auth, handshake, state, signal);
      if (!auth.ok) return ctx.reject(auth.status, auth.message);
      session = auth.session;
      await next();
    };
    const chain = await runConnectionMiddleware([...input.middleware, authStep], handshake, state, signal);
    if (!chain.ok) return reject(chain.status, chain.message, chain.status === 401 && profile !== 3 ? BASIC_CHALLENGE : undefined);
    return { kind: 'accept', handshake, session, state };
  };
  try {
    return await Promise.race([decide(), timeout]);
  } finally {
    clearTimeout(timer);
    req.socket.off('close', onSocketClose);
    req.socket.off('end', onSocketClose);
  }
}
