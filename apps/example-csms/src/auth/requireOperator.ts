import type { Request, RequestHandler } from 'express';
import { HttpError } from '../rest/httpError.js';
import type { Operator, OperatorCredentials } from './operatorCredentials.js';
import { checkCookieRequest } from './sameOrigin.js';
import { readCookie, SESSION_COOKIE } from './sessionCookie.js';

/** The operator of an authenticated request (set by {@link requireOperator}). */
export function operatorOf(req: Request): Operator | undefined {
  return (req as Request & { operator?: Operator }).operator;
}

/**
 * Authenticates an operator by `Authorization: Bearer <token>` (REST, scripts, Prometheus) or by the
 * dashboard's session cookie. Without a valid credential: 401 with `WWW-Authenticate: Bearer`, except
 * that a browser asking for a page (`Accept: text/html`, GET) is sent to the login page.
 */
export function requireOperator(credentials: OperatorCredentials): RequestHandler {
  return async (req, res, next) => {
    const authorization = req.headers.authorization;
    let operator: Operator | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
      const name = match?.[1] === undefined ? undefined : await credentials.verifyToken(match[1]);
      if (name !== undefined) operator = { name, via: 'bearer' };
    } else {
      const session = readCookie(req, SESSION_COOKIE);
      const name = session === undefined ? undefined : await credentials.verifySession(session);
      if (name !== undefined) {
        const forged = checkCookieRequest(req);
        if (forged !== undefined) return next(forged);
        operator = { name, via: 'session' };
      }
    }
    if (operator !== undefined) {
      (req as Request & { operator?: Operator }).operator = operator;
      return next();
    }
    if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
      return res.redirect(303, '/login');
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="chargewire-csms"');
    next(new HttpError(401, 'Unauthorized', 'an operator token (Authorization: Bearer …) or a dashboard session is required'));
  };
}
