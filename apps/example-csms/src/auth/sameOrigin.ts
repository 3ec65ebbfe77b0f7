import type { Request, RequestHandler } from 'express';
import { HttpError } from '../rest/httpError.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request may change state (anything but GET/HEAD/OPTIONS). */
export const changesState = (req: Request): boolean => !SAFE_METHODS.has(req.method);

/** This server's origin as the browser sees it (`req.protocol`/`req.host` honour TRUST_PROXY). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

/**
 * Cross-site request forgery guard for every state-changing request, before authentication: a request a
 * browser marks as coming from another site (`Origin` not ours, or `Sec-Fetch-Site: cross-site`) is refused
 * with 403 `CrossSiteRequest`, whatever credential it carries. Requests from non-browser clients (curl,
 * Prometheus, scripts) send neither header and pass on to the bearer-token check.
 */
export const rejectCrossSite: RequestHandler = (req, _res, next) => {
  if (!changesState(req)) return next();
  const origin = req.headers.origin;
  if ((origin !== undefined && origin !== ownOrigin(req)) || req.headers['sec-fetch-site'] === 'cross-site') {
    return next(new HttpError(403, 'CrossSiteRequest', 'cross-site requests cannot change state'));
  }
  next();
};

/**
 * What a cookie-authenticated state change must also show, since a cookie is sent by the browser on its
 * own: an `Origin` equal to ours (a same-origin fetch always sends one) and a JSON body (`Content-Type:
 * application/json`, which an HTML form cannot send and another origin cannot send without a CORS
 * preflight this server never grants).
 */
export function checkCookieRequest(req: Request): HttpError | undefined {
  if (!changesState(req)) return undefined;
  if (req.headers.origin !== ownOrigin(req)) {
    return new HttpError(403, 'CrossSiteRequest', 'a dashboard request must come from the dashboard (same-origin Origin header)');
  }
  if (!req.is('application/json')) {
    return new HttpError(403, 'CrossSiteRequest', 'a dashboard request must send a JSON body (Content-Type: application/json)');
  }
  return undefined;
}
