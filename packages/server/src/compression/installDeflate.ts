import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { ResolvedDeflateOptions } from './deflateOptions.js';
import { negotiatePerMessageDeflate, PERMESSAGE_DEFLATE } from './negotiate.js';
import { SyncPerMessageDeflate } from './syncPerMessageDeflate.js';

/** An upgrade's negotiated extension, from the negotiation to the 101 response and the new WebSocket. */
const negotiated = new WeakMap<IncomingMessage, { response: string; extension: SyncPerMessageDeflate }>();

/**
 * Negotiates permessage-deflate for an upgrade request (ws' own negotiation stays off: `perMessageDeflate:
 * false` on the WebSocketServer). Call {@link addExtensionHeader} from the server's `headers` event and
 * {@link installDeflate} on the new WebSocket.
 */
export function negotiateDeflate(req: IncomingMessage, options: false | ResolvedDeflateOptions, maxPayload: number): void {
  if (options === false) return;
  const agreement = negotiatePerMessageDeflate(req.headers['sec-websocket-extensions'], options);
  if (!agreement) return;
  negotiated.set(req, { response: agreement.response, extension: new SyncPerMessageDeflate(agreement, maxPayload, options.threshold, options.level) });
}

/** ws' `headers` event: the 101 response gets the agreed `Sec-WebSocket-Extensions`. */
export function addExtensionHeader(headers: string[], req: IncomingMessage): void {
  const agreed = negotiated.get(req);
  if (agreed) headers.push(`Sec-WebSocket-Extensions: ${agreed.response}`);
}

/** ws' WebSocket keeps its extensions in one object that its Receiver and Sender share by reference (ws 8.x). */
interface WithExtensions {
  _extensions?: Record<string, unknown>;
  _receiver?: { _extensions?: unknown };
  _sender?: { _extensions?: unknown };
}

/**
 * Gives a just-accepted WebSocket the extension negotiated for its request. Runs in ws' `handleUpgrade` callback,
 * after ws created the socket's Receiver and Sender and before any frame is read: both read the extension from
 * the object added to here. False when this ws cannot take it: the socket is then closed (1011), since the 101
 * promised compression, and a warning says why (once per process).
 */
export function installDeflate(ws: WebSocket, req: IncomingMessage): boolean {
  const agreed = negotiated.get(req);
  if (!agreed) return true;
  negotiated.delete(req);
  const internals = ws as unknown as WithExtensions;
  const extensions = internals._extensions;
  // A ws that stopped sharing the table would refuse every compressed frame the response just allowed: fail the
  // connection loudly rather than serve it half-working.
  if (typeof extensions !== 'object' || extensions === null || internals._receiver?._extensions !== extensions || internals._sender?._extensions !== extensions) {
    ws.close(1011, 'Internal error');
    if (!warned) process.emitWarning('This version of ws does not share its extension table with its Receiver and Sender; permessage-deflate cannot be installed');
    warned = true;
    return false;
  }
  agreed.extension.attach(ws);
  extensions[PERMESSAGE_DEFLATE] = agreed.extension;
  return true;
}

let warned = false;
